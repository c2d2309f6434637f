/*!
 * \file tvm/ffi/error.h
 * \brief Errors: the ErrorObj object, the C++ exception `Error`, throw/check macros.
 *
 * An error crosses the C boundary as an object (kind, message, backtrace) stored in the
 * thread-local "raised" slot of the runtime; within C++ it travels as the exception `Error`,
 * which is a reference to that same object.
 */
#ifndef TVM_FFI_ERROR_H_
#define TVM_FFI_ERROR_H_

#include <tvm/ffi/base_details.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/memory.h>
#include <tvm/ffi/object.h>

#include <exception>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#ifndef TVM_FFI_USE_LIBBACKTRACE
#define TVM_FFI_USE_LIBBACKTRACE 1
#endif
#ifndef TVM_FFI_BACKTRACE_ON_SEGFAULT
#define TVM_FFI_BACKTRACE_ON_SEGFAULT 1
#endif
#ifndef TVM_FFI_ALWAYS_LOG_BEFORE_THROW
#define TVM_FFI_ALWAYS_LOG_BEFORE_THROW 0
#endif

namespace tvm {
namespace ffi {

/*!
 * \brief The error object: header + TVMFFIErrorCell (kind, message, backtrace, updater, cause
 *        chain, extra context). It owns one reference to each non-NULL handle.
 */
class ErrorObj : public Object, public TVMFFIErrorCell {
 public:
  ErrorObj() {
    this->kind = TVMFFIByteArray{"", 0};
    this->message = TVMFFIByteArray{"", 0};
    this->backtrace = TVMFFIByteArray{"", 0};
    this->update_backtrace = nullptr;
    this->cause_chain = nullptr;
    this->extra_context = nullptr;
  }
  ErrorObj(const ErrorObj&) = delete;
  ErrorObj& operator=(const ErrorObj&) = delete;
  ~ErrorObj() {
    if (this->cause_chain != nullptr) details::ObjectUnsafe::DecRefObjectHandle(this->cause_chain);
    if (this->extra_context != nullptr) {
      details::ObjectUnsafe::DecRefObjectHandle(this->extra_context);
    }
  }

  static constexpr int32_t _type_index = kTVMFFIError;
  TVM_FFI_DECLARE_OBJECT_INFO_STATIC(StaticTypeKey::kTVMFFIError, ErrorObj, Object);
};

namespace details {

/*! \brief Error object created by header code: the three texts live in std::strings. */
class ErrorObjFromStd : public ErrorObj {
 public:
  ErrorObjFromStd(std::string kind_str, std::string message_str, std::string backtrace_str)
      : kind_data_(std::move(kind_str)),
        message_data_(std::move(message_str)),
        backtrace_data_(std::move(backtrace_str)) {
    this->kind = TVMFFIByteArray{kind_data_.data(), kind_data_.size()};
    this->message = TVMFFIByteArray{message_data_.data(), message_data_.size()};
    this->backtrace = TVMFFIByteArray{backtrace_data_.data(), backtrace_data_.size()};
    this->update_backtrace = UpdateBacktrace;
  }

 private:
  /*! \brief Replace (mode 0) or append to (mode 1) the backtrace text. */
  static void UpdateBacktrace(TVMFFIObjectHandle self, const TVMFFIByteArray* text,
                              int32_t update_mode) {
    auto* obj = static_cast<ErrorObjFromStd*>(reinterpret_cast<Object*>(self));
    if (update_mode == kTVMFFIBacktraceUpdateModeReplace) {
      obj->backtrace_data_.assign(text->data, text->size);
    } else {
      obj->backtrace_data_.append(text->data, text->size);
    }
    obj->backtrace = TVMFFIByteArray{obj->backtrace_data_.data(), obj->backtrace_data_.size()};
  }

  std::string kind_data_;
  std::string message_data_;
  std::string backtrace_data_;
};

}  // namespace details

namespace details {

/*!
 * \brief Whether the cause_chain / extra_context members of an error object are real.
 *
 * Errors built by 0.1.0-era header code have only the first 56 bytes of the cell and keep a
 * std::string right after it, whose first word is its data pointer, i.e. the cell's kind.data.
 * A 72-byte-cell error never has kind.data at object + 80 (NULL or an Error header lives there).
 */
inline bool ErrorHasCauseAndContext(const ErrorObj* obj) {
  return obj->kind.data == nullptr ||
         static_cast<const void*>(obj->cause_chain) != static_cast<const void*>(obj->kind.data);
}

}  // namespace details

/*!
 * \brief The C++ exception for FFI errors; a (never null) reference to an ErrorObj.
 *
 * `what()` is the message alone. The stored backtrace lists the innermost frame first;
 * FullMessage() prints the frames in Python's order (most recent call last) followed by
 * `<kind>: <message>`.
 */
class TVM_FFI_DLL Error : public ObjectRef, public std::exception {
 public:
  Error(std::string kind, std::string message, std::string backtrace) : ObjectRef(UnsafeInit{}) {
    data_ = make_object<details::ErrorObjFromStd>(std::move(kind), std::move(message),
                                                  std::move(backtrace));
  }
  /*!
   * \brief An error that records the error that caused it and an arbitrary context object;
   *        it holds a reference to each.
   */
  Error(std::string kind, std::string message, std::string backtrace,
        std::optional<Error> cause_chain, std::optional<ObjectRef> extra_context)
      : Error(std::move(kind), std::move(message), std::move(backtrace)) {
    ErrorObj* obj = const_cast<ErrorObj*>(get());
    if (cause_chain.has_value()) {
      obj->cause_chain =
          details::ObjectUnsafe::MoveObjectRefToTVMFFIObjectPtr(ObjectRef(std::move(*cause_chain)));
    }
    if (extra_context.has_value() && extra_context->defined()) {
      obj->extra_context =
          details::ObjectUnsafe::MoveObjectRefToTVMFFIObjectPtr(std::move(*extra_context));
    }
  }
  Error(std::string kind, std::string message, const TVMFFIByteArray* backtrace)
      : Error(
            std::move(kind), std::move(message),
            backtrace != nullptr ? std::string(backtrace->data, backtrace->size) : std::string()) {}

  std::string kind() const { return ToString(get()->kind); }
  std::string message() const { return ToString(get()->message); }
  std::string backtrace() const { return ToString(get()->backtrace); }

  /*! \return the backtrace with frames in most-recent-call-last order. */
  std::string TracebackMostRecentCallLast() const {
    std::string text = backtrace();
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      if (end > start) lines.emplace_back(text.substr(start, end - start));
      start = end + 1;
    }
    std::string result;
    for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
      result += *it;
      result += '\n';
    }
    return result;
  }

  /*! \return the error that caused this one, if recorded. */
  std::optional<Error> cause_chain() const {
    const ErrorObj* obj = get();
    if (!details::ErrorHasCauseAndContext(obj) || obj->cause_chain == nullptr) return std::nullopt;
    Error cause{UnsafeInit{}};
    details::ObjectUnsafe::IncRefObjectHandle(obj->cause_chain);
    cause.data_ = details::ObjectUnsafe::ObjectPtrFromOwned<Object>(
        static_cast<TVMFFIObject*>(obj->cause_chain));
    return cause;
  }

  /*! \return the context object attached to this error, if any. */
  std::optional<ObjectRef> extra_context() const {
    const ErrorObj* obj = get();
    if (!details::ErrorHasCauseAndContext(obj) || obj->extra_context == nullptr) {
      return std::nullopt;
    }
    TVMFFIObjectHandle handle = obj->extra_context;
    details::ObjectUnsafe::IncRefObjectHandle(handle);
    return ObjectRef(
        details::ObjectUnsafe::ObjectPtrFromOwned<Object>(static_cast<TVMFFIObject*>(handle)));
  }

  /*!
   * \return "Traceback (most recent call last):\n<frames><kind>: <message>\n", the text a
   *         Python traceback would show.
   */
  std::string FullMessage() const {
    return "Traceback (most recent call last):\n" + TracebackMostRecentCallLast() + kind() + ": " +
           message() + "\n";
  }

  /*! \brief Replace or append to the backtrace through the object's own updater. */
  void UpdateBacktrace(const TVMFFIByteArray* backtrace_str, int32_t update_mode) {
    ErrorObj* obj = const_cast<ErrorObj*>(get());
    obj->update_backtrace(details::ObjectUnsafe::GetHeader(obj), backtrace_str, update_mode);
  }

  /*! \return the message (NUL-terminated storage of the error object). */
  const char* what() const noexcept override {
    const char* text = get()->message.data;
    return text != nullptr ? text : "";
  }

  TVM_FFI_DEFINE_OBJECT_REF_METHODS_NOTNULLABLE(Error, ObjectRef, ErrorObj);

 private:
  static std::string ToString(const TVMFFIByteArray& arr) {
    return arr.size == 0 ? std::string() : std::string(arr.data, arr.size);
  }
};

/*!
 * \brief The error reporting that the host environment (e.g. Python) already holds the pending
 *        error: kind "EnvErrorAlreadySet", empty message. `throw EnvErrorAlreadySet();` crosses a
 *        safe call as an ordinary error (code -1); catch `Error` and test `kind()`.
 */
inline Error EnvErrorAlreadySet() { return Error("EnvErrorAlreadySet", "", ""); }

namespace details {

/*!
 * \brief Collects a message through a stream and throws the Error when destroyed, i.e. at
 * the end of the full expression `TVM_FFI_THROW(Kind) << ...;`.
 */
class ErrorBuilder {
 public:
  ErrorBuilder(std::string kind, std::string backtrace, bool log_before_throw)
      : kind_(std::move(kind)),
        backtrace_(std::move(backtrace)),
        log_before_throw_(log_before_throw) {}
  ErrorBuilder(std::string kind, const TVMFFIByteArray* backtrace, bool log_before_throw)
      : ErrorBuilder(
            std::move(kind),
            backtrace != nullptr ? std::string(backtrace->data, backtrace->size) : std::string(),
            log_before_throw) {}

#if defined(_MSC_VER)
#pragma warning(push)
#pragma warning(disable : 4722)
#endif
  [[noreturn]] ~ErrorBuilder() noexcept(false) {
    ::tvm::ffi::Error error(std::move(kind_), stream_.str(), std::move(backtrace_));
    if (log_before_throw_) std::cerr << error.FullMessage();
    throw error;
  }
#if defined(_MSC_VER)
#pragma warning(pop)
#endif

  std::ostringstream& stream() { return stream_; }

 private:
  std::string kind_;
  std::string backtrace_;
  std::ostringstream stream_;
  bool log_before_throw_;
};

/*! \brief " (x vs. y) " when the comparison failed, null otherwise. */
template <typename X, typename Y>
std::unique_ptr<std::string> LogCheckFormat(const X& x, const Y& y) {
  std::ostringstream os;
  os << " (" << x << " vs. " << y << ") ";
  return std::make_unique<std::string>(os.str());
}

#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-compare"
#endif
#define TVM_FFI_CHECK_FUNC(name, op)                                                   \
  template <typename X, typename Y>                                                    \
  TVM_FFI_INLINE std::unique_ptr<std::string> LogCheck##name(const X& x, const Y& y) { \
    if (x op y) return nullptr;                                                        \
    return LogCheckFormat(x, y);                                                       \
  }                                                                                    \
  TVM_FFI_INLINE std::unique_ptr<std::string> LogCheck##name(int x, int y) {           \
    return LogCheck##name<int, int>(x, y);                                             \
  }
TVM_FFI_CHECK_FUNC(_LT, <)
TVM_FFI_CHECK_FUNC(_GT, >)
TVM_FFI_CHECK_FUNC(_LE, <=)
TVM_FFI_CHECK_FUNC(_GE, >=)
TVM_FFI_CHECK_FUNC(_EQ, ==)
TVM_FFI_CHECK_FUNC(_NE, !=)
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic pop
#endif

/*! \brief Expression form of the not-null check. */
template <typename T>
inline T CheckNotNull(T ptr, const char* expr, const char* file, int line, const char* func) {
  if (ptr == nullptr) {
    ErrorBuilder("InternalError", TVMFFIBacktrace(file, line, func, 0),
                 TVM_FFI_ALWAYS_LOG_BEFORE_THROW)
            .stream()
        << "Check not null: " << expr << ' ';
  }
  return ptr;
}

}  // namespace details

/*!
 * \brief Throw an Error of the given kind; stream the message:
 * `TVM_FFI_THROW(ValueError) << "bad value " << x;`
 */
#define TVM_FFI_THROW(ErrorKind)                                                              \
  ::tvm::ffi::details::ErrorBuilder(#ErrorKind,                                               \
                                    TVMFFIBacktrace(__FILE__, __LINE__, TVM_FFI_FUNC_SIG, 0), \
                                    TVM_FFI_ALWAYS_LOG_BEFORE_THROW)                          \
      .stream()

/*! \brief Like TVM_FFI_THROW, and always print the error to stderr before throwing. */
#define TVM_FFI_LOG_AND_THROW(ErrorKind)                                          \
  ::tvm::ffi::details::ErrorBuilder(                                              \
      #ErrorKind, TVMFFIBacktrace(__FILE__, __LINE__, TVM_FFI_FUNC_SIG, 0), true) \
      .stream()

#define TVM_FFI_CHECK(cond, ErrorKind) \
  if (!(cond)) TVM_FFI_THROW(ErrorKind) << "Check failed: (" #cond << ") is false: "

#define TVM_FFI_ICHECK(x) \
  if (!(x)) TVM_FFI_THROW(InternalError) << "Check failed: (" #x << ") is false: "

#define TVM_FFI_ICHECK_BINARY_OP(name, op, x, y)                                                \
  if (auto __tvm_ffi_check_msg = ::tvm::ffi::details::LogCheck##name(x, y))                     \
  TVM_FFI_THROW(InternalError) << "Check failed: " << #x " " #op " " #y << *__tvm_ffi_check_msg \
                               << ": "

#define TVM_FFI_ICHECK_LT(x, y) TVM_FFI_ICHECK_BINARY_OP(_LT, <, x, y)
#define TVM_FFI_ICHECK_GT(x, y) TVM_FFI_ICHECK_BINARY_OP(_GT, >, x, y)
#define TVM_FFI_ICHECK_LE(x, y) TVM_FFI_ICHECK_BINARY_OP(_LE, <=, x, y)
#define TVM_FFI_ICHECK_GE(x, y) TVM_FFI_ICHECK_BINARY_OP(_GE, >=, x, y)
#define TVM_FFI_ICHECK_EQ(x, y) TVM_FFI_ICHECK_BINARY_OP(_EQ, ==, x, y)
#define TVM_FFI_ICHECK_NE(x, y) TVM_FFI_ICHECK_BINARY_OP(_NE, !=, x, y)
#define TVM_FFI_ICHECK_NOTNULL(x) \
  ::tvm::ffi::details::CheckNotNull((x), #x, __FILE__, __LINE__, TVM_FFI_FUNC_SIG)

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_ERROR_H_
