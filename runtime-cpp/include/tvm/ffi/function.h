/*!
 * \file tvm/ffi/function.h
 * \brief Function: the type-erased callable of the FFI, its global registry and exports.
 *
 * Every call goes through the C entry `safe_call(handle, args, num_args, result)`: arguments
 * are AnyView cells, the result an owning Any, errors travel through the runtime's
 * thread-local raised slot. Functions created by these headers leave `cpp_call` NULL, so
 * code compiled against any compatible header calls them through `safe_call`.
 */
#ifndef TVM_FFI_FUNCTION_H_
#define TVM_FFI_FUNCTION_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/base_details.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/expected.h>
#include <tvm/ffi/function_details.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace tvm {
namespace ffi {

/*! \brief Open a try block whose errors become safe-call return codes. */
#define TVM_FFI_SAFE_CALL_BEGIN() try {
/*! \brief Close TVM_FFI_SAFE_CALL_BEGIN: 0 on success, -1 with the error raised. */
#define TVM_FFI_SAFE_CALL_END()                                                                \
  return 0;                                                                                    \
  }                                                                                            \
  catch (const ::tvm::ffi::Error& err) {                                                       \
    ::tvm::ffi::details::SetSafeCallRaised(err);                                               \
    return -1;                                                                                 \
  }                                                                                            \
  catch (const std::exception& ex) {                                                           \
    ::tvm::ffi::details::SetSafeCallRaised(::tvm::ffi::Error("InternalError", ex.what(), "")); \
    return -1;                                                                                 \
  }                                                                                            \
  catch (...) {                                                                                \
    ::tvm::ffi::details::SetSafeCallRaised(                                                    \
        ::tvm::ffi::Error("InternalError", "unknown C++ exception", ""));                      \
    return -1;                                                                                 \
  }                                                                                            \
  TVM_FFI_UNREACHABLE()

/*! \brief Evaluate an int-returning C call; turn a failure into the matching C++ exception. */
#define TVM_FFI_CHECK_SAFE_CALL(func)                                        \
  {                                                                          \
    int __tvm_ffi_ret_code = (func);                                         \
    if (__tvm_ffi_ret_code != 0) {                                           \
      throw ::tvm::ffi::details::MoveFromSafeCallRaised(__tvm_ffi_ret_code); \
    }                                                                        \
  }

/*! \brief The function object: header + TVMFFIFunctionCell {safe_call, cpp_call}. */
class FunctionObj : public Object, public TVMFFIFunctionCell {
 public:
  /*! \brief C++ fast-path signature stored in `cpp_call` by some producers. */
  typedef void (*FCall)(const FunctionObj*, const AnyView*, int32_t, Any*);

  /*! \brief Call through the C entry; failures become C++ exceptions. */
  TVM_FFI_INLINE void CallPacked(const AnyView* args, int32_t num_args, Any* result) const {
    TVMFFIObject* handle = details::ObjectUnsafe::GetHeader(this);
    int ret = safe_call(handle, reinterpret_cast<const TVMFFIAny*>(args), num_args,
                        reinterpret_cast<TVMFFIAny*>(result));
    if (ret != 0) throw details::MoveFromSafeCallRaised(ret);
  }

  static constexpr int32_t _type_index = kTVMFFIFunction;
  TVM_FFI_DECLARE_OBJECT_INFO_STATIC(StaticTypeKey::kTVMFFIFunction, FunctionObj, Object);

 protected:
  FunctionObj() {
    safe_call = nullptr;
    cpp_call = nullptr;
  }
};

/*! \brief A view of packed call arguments. */
class PackedArgs {
 public:
  PackedArgs(const AnyView* data, int32_t size) : data_(data), size_(size) {}
  int size() const { return size_; }
  const AnyView* data() const { return data_; }
  PackedArgs Slice(int begin, int end = -1) const {
    if (end == -1) end = size_;
    return PackedArgs(data_ + begin, end - begin);
  }
  AnyView operator[](int i) const { return data_[i]; }
  /*! \brief Write each argument as a view into data[0..n). */
  template <typename... Args>
  TVM_FFI_INLINE static void Fill(AnyView* data, Args&&... args) {
    details::for_each(
        [data](size_t i, auto&& value) { data[i] = std::forward<decltype(value)>(value); },
        std::forward<Args>(args)...);
  }

 private:
  const AnyView* data_;
  int32_t size_;
};

namespace details {

/*!
 * \brief Prepare one call argument for packing as an AnyView: values that can be viewed pass
 * through by reference; values whose conversion allocates (STL containers) become an owning
 * Any temporary that lives until the end of the caller's full expression, i.e. for the whole
 * call, and is released afterwards.
 */
template <typename T>
TVM_FFI_INLINE decltype(auto) ArgForView(T&& value) {
  using U = std::remove_cv_t<std::remove_reference_t<T>>;
  if constexpr (TypeTraits<U>::convert_enabled && !view_convertible_v<U>) {
    return Any(std::forward<T>(value));
  } else {
    return std::forward<T>(value);
  }
}

/*! \brief A function object holding a C++ callable `void(const AnyView*, int32_t, Any*)`. */
template <typename TCallable>
class FunctionObjImpl : public FunctionObj {
 public:
  explicit FunctionObjImpl(TCallable callable) : callable_(std::move(callable)) {
    this->safe_call = SafeCall;
  }

 private:
  static int SafeCall(void* handle, const TVMFFIAny* args, int32_t num_args, TVMFFIAny* result) {
    TVM_FFI_SAFE_CALL_BEGIN();
    auto* self = static_cast<FunctionObjImpl*>(reinterpret_cast<Object*>(handle));
    self->callable_(reinterpret_cast<const AnyView*>(args), num_args,
                    reinterpret_cast<Any*>(result));
    TVM_FFI_SAFE_CALL_END();
  }
  TCallable callable_;
};

/*! \brief A function object wrapping a C safe-call with an opaque `self` and a deleter. */
class ExternCFunctionObjImpl : public FunctionObj {
 public:
  ExternCFunctionObjImpl(void* self, TVMFFISafeCallType fn, void (*deleter)(void* self))
      : self_(self), fn_(fn), deleter_(deleter) {
    this->safe_call = SafeCall;
  }
  ~ExternCFunctionObjImpl() {
    if (deleter_ != nullptr) deleter_(self_);
  }

 private:
  static int SafeCall(void* handle, const TVMFFIAny* args, int32_t num_args, TVMFFIAny* result) {
    auto* obj = static_cast<ExternCFunctionObjImpl*>(reinterpret_cast<Object*>(handle));
    return obj->fn_(obj->self_, args, num_args, result);
  }
  void* self_;
  TVMFFISafeCallType fn_;
  void (*deleter_)(void* self);
};

/*! \brief A function object whose safe_call receives the function handle itself. */
class ExternCDirectFunctionObjImpl : public FunctionObj {
 public:
  explicit ExternCDirectFunctionObjImpl(TVMFFISafeCallType fn) { this->safe_call = fn; }
};

}  // namespace details

/*! \brief Reference to a function object (nullable). */
class Function : public ObjectRef {
 public:
  Function(std::nullptr_t) {}  // NOLINT(*)
  /*! \brief Same as FromPacked. */
  template <
      typename TCallable,
      typename = std::enable_if_t<std::is_invocable_v<TCallable&, const AnyView*, int32_t, Any*> ||
                                  std::is_invocable_v<TCallable&, PackedArgs, Any*>>>
  explicit Function(TCallable packed_call) : Function(FromPacked(std::move(packed_call))) {}

  /*!
   * \brief Wrap a packed callable: `void(const AnyView* args, int32_t n, Any* rv)` or
   * `void(PackedArgs args, Any* rv)`.
   */
  template <typename TCallable>
  static Function FromPacked(TCallable packed_call) {
    if constexpr (std::is_invocable_v<TCallable&, const AnyView*, int32_t, Any*>) {
      return FromCallable(std::move(packed_call));
    } else {
      static_assert(
          std::is_invocable_v<TCallable&, PackedArgs, Any*>,
          "packed callable must take (const AnyView*, int32_t, Any*) or (PackedArgs, Any*)");
      return FromCallable(
          [f = std::move(packed_call)](const AnyView* args, int32_t n, Any* rv) mutable {
            f(PackedArgs(args, n), rv);
          });
    }
  }

  /*! \brief Wrap a typed callable; arguments are converted with the lenient rules. */
  template <typename TCallable>
  static Function FromTyped(TCallable callable) {
    using FInfo = details::CallableInfo<TCallable>;
    return FromCallable([f = std::move(callable)](const AnyView* args, int32_t n, Any* rv) {
      details::unpack_call<typename FInfo::RetType>(std::make_index_sequence<FInfo::num_args>{},
                                                    nullptr, f, args, n, rv);
    });
  }
  /*! \brief Like FromTyped; `name` appears in argument errors. */
  template <typename TCallable>
  static Function FromTyped(TCallable callable, std::string name) {
    using FInfo = details::CallableInfo<TCallable>;
    return FromCallable(
        [f = std::move(callable), name = std::move(name)](const AnyView* args, int32_t n, Any* rv) {
          details::unpack_call<typename FInfo::RetType>(std::make_index_sequence<FInfo::num_args>{},
                                                        &name, f, args, n, rv);
        });
  }

  /*! \brief Wrap a C safe-call. With self and deleter NULL, fn receives the function handle. */
  static Function FromExternC(void* self, TVMFFISafeCallType safe_call,
                              void (*deleter)(void* self)) {
    if (self == nullptr && deleter == nullptr) {
      return Function(make_object<details::ExternCDirectFunctionObjImpl>(safe_call));
    }
    return Function(make_object<details::ExternCFunctionObjImpl>(self, safe_call, deleter));
  }

  // Global registry.
  static std::optional<Function> GetGlobal(std::string_view name) {
    TVMFFIByteArray name_arr{name.data(), name.size()};
    TVMFFIObjectHandle handle = nullptr;
    TVM_FFI_CHECK_SAFE_CALL(TVMFFIFunctionGetGlobal(&name_arr, &handle));
    if (handle == nullptr) return std::nullopt;
    return Function(
        details::ObjectUnsafe::ObjectPtrFromOwned<FunctionObj>(static_cast<TVMFFIObject*>(handle)));
  }
  static std::optional<Function> GetGlobal(const std::string& name) {
    return GetGlobal(std::string_view(name));
  }
  static std::optional<Function> GetGlobal(const String& name) {
    return GetGlobal(std::string_view(name.data(), name.size()));
  }
  static std::optional<Function> GetGlobal(const char* name) {
    return GetGlobal(std::string_view(name));
  }
  static Function GetGlobalRequired(std::string_view name) {
    std::optional<Function> res = GetGlobal(name);
    if (!res.has_value()) {
      TVM_FFI_THROW(ValueError) << "Function " << name << " not found";
    }
    return *std::move(res);
  }
  static Function GetGlobalRequired(const std::string& name) {
    return GetGlobalRequired(std::string_view(name));
  }
  static Function GetGlobalRequired(const String& name) {
    return GetGlobalRequired(std::string_view(name.data(), name.size()));
  }
  static Function GetGlobalRequired(const char* name) {
    return GetGlobalRequired(std::string_view(name));
  }
  static void SetGlobal(std::string_view name, Function func, bool override = false) {
    TVMFFIByteArray name_arr{name.data(), name.size()};
    TVM_FFI_CHECK_SAFE_CALL(TVMFFIFunctionSetGlobal(
        &name_arr, details::ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(func), override));
  }
  static std::vector<String> ListGlobalNames() {
    Function functor = GetGlobalRequired("ffi.FunctionListGlobalNamesFunctor")().cast<Function>();
    int64_t n = functor(-1).cast<int64_t>();
    std::vector<String> names;
    names.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) names.push_back(functor(i).cast<String>());
    return names;
  }
  static void RemoveGlobal(const String& name) {
    static Function fremove = GetGlobalRequired("ffi.FunctionRemoveGlobal");
    fremove(name);
  }

  /*! \brief Call a raw C safe-call symbol with C++ arguments. */
  template <typename... Args>
  static Any InvokeExternC(void* handle, TVMFFISafeCallType safe_call, Args&&... args) {
    return InvokeExternCViews(handle, safe_call, details::ArgForView(std::forward<Args>(args))...);
  }

  /*! \brief Call with C++ arguments (packed as views on the stack). */
  template <typename... Args>
  TVM_FFI_INLINE Any operator()(Args&&... args) const {
    return CallViews(details::ArgForView(std::forward<Args>(args))...);
  }

  /*!
   * \brief Call without exceptions: the result as T, or the error.
   *
   * A raised error, an Error object returned as the result value, and a result that does not
   * convert to T (TypeError "CallExpected: result type mismatch, expected <T>, but got <key>")
   * all come back as the error state. `T = void` requires a None result.
   */
  template <typename T = Any, typename... Args>
  Expected<T> CallExpected(Args&&... args) const {
    try {
      return CallExpectedViews<T>(details::ArgForView(std::forward<Args>(args))...);
    } catch (const Error& err) {
      return Expected<T>(err);
    } catch (const std::exception& ex) {
      return Expected<T>(Error("InternalError", ex.what(), ""));
    }
  }

  TVM_FFI_INLINE void CallPacked(const AnyView* args, int32_t num_args, Any* result) const {
    if (data_ == nullptr) ThrowNullCall();
    static_cast<const FunctionObj*>(data_.get())->CallPacked(args, num_args, result);
  }
  TVM_FFI_INLINE void CallPacked(PackedArgs args, Any* result) const {
    CallPacked(args.data(), args.size(), result);
  }
  bool operator==(std::nullptr_t) const { return data_ == nullptr; }
  bool operator!=(std::nullptr_t) const { return data_ != nullptr; }

  TVM_FFI_DEFINE_OBJECT_REF_METHODS_NULLABLE(Function, ObjectRef, FunctionObj);

  class Registry;

 private:
  template <typename... Args>
  static Any InvokeExternCViews(void* handle, TVMFFISafeCallType safe_call, Args&&... args) {
    constexpr size_t kNumArgs = sizeof...(Args);
    AnyView args_pack[kNumArgs > 0 ? kNumArgs : 1];
    PackedArgs::Fill(args_pack, std::forward<Args>(args)...);
    Any result;
    TVM_FFI_CHECK_SAFE_CALL(safe_call(handle, reinterpret_cast<const TVMFFIAny*>(args_pack),
                                      static_cast<int32_t>(kNumArgs),
                                      details::AnyUnsafe::TVMFFIAnyPtrFromAny(result)));
    return result;
  }
  template <typename... Args>
  TVM_FFI_INLINE Any CallViews(Args&&... args) const {
    constexpr size_t kNumArgs = sizeof...(Args);
    AnyView args_pack[kNumArgs > 0 ? kNumArgs : 1];
    PackedArgs::Fill(args_pack, std::forward<Args>(args)...);
    Any result;
    CallPacked(args_pack, static_cast<int32_t>(kNumArgs), &result);
    return result;
  }
  template <typename T, typename... Args>
  Expected<T> CallExpectedViews(Args&&... args) const {
    if (data_ == nullptr) {
      return Expected<T>(Error("RuntimeError", "Cannot call a null Function", ""));
    }
    constexpr size_t kNumArgs = sizeof...(Args);
    AnyView args_pack[kNumArgs > 0 ? kNumArgs : 1];
    PackedArgs::Fill(args_pack, std::forward<Args>(args)...);
    Any result;
    const FunctionObj* obj = static_cast<const FunctionObj*>(data_.get());
    int ret = obj->safe_call(
        details::ObjectUnsafe::GetHeader(obj), reinterpret_cast<const TVMFFIAny*>(args_pack),
        static_cast<int32_t>(kNumArgs), details::AnyUnsafe::TVMFFIAnyPtrFromAny(result));
    if (ret != 0) {
      if (ret == -2) return Expected<T>(Error("EnvErrorAlreadySet", "", ""));
      return Expected<T>(details::MoveFromSafeCallRaised());
    }
    if (result.type_index() == kTVMFFIError) {
      return Expected<T>(details::AnyUnsafe::MoveFromAnyAfterCheck<Error>(std::move(result)));
    }
    if constexpr (std::is_void_v<T>) {
      if (result.type_index() != kTVMFFINone) {
        return Expected<T>(Error(
            "TypeError",
            "CallExpected: result type mismatch, expected void, but got " + result.GetTypeKey(),
            ""));
      }
      return Expected<T>();
    } else if constexpr (std::is_same_v<T, Any>) {
      return Expected<T>(std::move(result));
    } else {
      std::optional<T> value = result.try_cast<T>();
      if (!value.has_value()) {
        return Expected<T>(Error("TypeError",
                                 "CallExpected: result type mismatch, expected " +
                                     TypeTraits<T>::TypeStr() + ", but got " + result.GetTypeKey(),
                                 ""));
      }
      return Expected<T>(*std::move(value));
    }
  }
  [[noreturn]] TVM_FFI_NO_INLINE static void ThrowNullCall() {
    TVM_FFI_THROW(RuntimeError) << "Cannot call a null Function";
    TVM_FFI_UNREACHABLE();
  }
  template <typename TCallable>
  static Function FromCallable(TCallable callable) {
    return Function(make_object<details::FunctionObjImpl<TCallable>>(std::move(callable)));
  }
};

/*! \brief Look up a type index by key; throws when the key is unknown. */
inline int32_t TypeKeyToIndex(std::string_view type_key) {
  TVMFFIByteArray key{type_key.data(), type_key.size()};
  int32_t index = 0;
  TVM_FFI_CHECK_SAFE_CALL(TVMFFITypeKeyToIndex(&key, &index));
  return index;
}

template <typename FType>
class TypedFunction;

/*! \brief A Function with a static signature: arguments packed, result cast to R. */
template <typename R, typename... Args>
class TypedFunction<R(Args...)> {
 public:
  using TSelf = TypedFunction<R(Args...)>;
  TypedFunction() = default;
  TypedFunction(std::nullptr_t) {}                                // NOLINT(*)
  TypedFunction(Function packed) : packed_(std::move(packed)) {}  // NOLINT(*)
  template <typename FLambda,
            typename = std::enable_if_t<std::is_convertible_v<FLambda, std::function<R(Args...)>> &&
                                        !std::is_same_v<std::decay_t<FLambda>, Function> &&
                                        !std::is_same_v<std::decay_t<FLambda>, TSelf>>>
  TypedFunction(const FLambda& typed_lambda)  // NOLINT(*)
      : packed_(Function::FromTyped(std::function<R(Args...)>(typed_lambda))) {}
  template <typename FLambda,
            typename = std::enable_if_t<std::is_convertible_v<FLambda, std::function<R(Args...)>>>>
  TypedFunction(const FLambda& typed_lambda, std::string name)
      : packed_(Function::FromTyped(std::function<R(Args...)>(typed_lambda), std::move(name))) {}
  template <typename FLambda,
            typename = std::enable_if_t<std::is_convertible_v<FLambda, std::function<R(Args...)>> &&
                                        !std::is_same_v<std::decay_t<FLambda>, Function> &&
                                        !std::is_same_v<std::decay_t<FLambda>, TSelf>>>
  TSelf& operator=(FLambda typed_lambda) {
    packed_ = Function::FromTyped(std::function<R(Args...)>(std::move(typed_lambda)));
    return *this;
  }
  TSelf& operator=(Function packed) {
    packed_ = std::move(packed);
    return *this;
  }

  TVM_FFI_INLINE R operator()(Args... args) const {
    if constexpr (std::is_void_v<R>) {
      packed_(std::forward<Args>(args)...);
    } else {
      Any result = packed_(std::forward<Args>(args)...);
      if constexpr (std::is_same_v<R, Any>) {
        return result;
      } else if constexpr (TypeTraits<R>::storage_enabled) {
        return std::move(result).cast<R>();
      } else {
        return result.cast<R>();
      }
    }
  }
  operator Function() const { return packed_; }  // NOLINT(*)
  const Function& packed() const& { return packed_; }
  Function&& packed() && { return std::move(packed_); }
  bool operator==(std::nullptr_t) const { return packed_ == nullptr; }
  bool operator!=(std::nullptr_t) const { return packed_ != nullptr; }
  static std::string TypeSchema() { return details::FuncFunctorImpl<R, Args...>::TypeSchema(); }

 private:
  Function packed_;
};

template <typename FType>
inline constexpr bool use_default_type_traits_v<TypedFunction<FType>> = false;

/*! \brief A TypedFunction crosses the boundary as its Function. */
template <typename FType>
struct TypeTraits<TypedFunction<FType>> : public TypeTraitsBase {
  static constexpr int32_t field_static_type_index = kTVMFFIFunction;
  TVM_FFI_INLINE static void CopyToAnyView(const TypedFunction<FType>& src, TVMFFIAny* result) {
    TypeTraits<Function>::CopyToAnyView(src.packed(), result);
  }
  TVM_FFI_INLINE static void MoveToAny(TypedFunction<FType> src, TVMFFIAny* result) {
    TypeTraits<Function>::MoveToAny(std::move(src).packed(), result);
  }
  TVM_FFI_INLINE static bool CheckAnyStrict(const TVMFFIAny* src) {
    return TypeTraits<Function>::CheckAnyStrict(src);
  }
  TVM_FFI_INLINE static TypedFunction<FType> CopyFromAnyViewAfterCheck(const TVMFFIAny* src) {
    return TypedFunction<FType>(TypeTraits<Function>::CopyFromAnyViewAfterCheck(src));
  }
  TVM_FFI_INLINE static TypedFunction<FType> MoveFromAnyAfterCheck(TVMFFIAny* src) {
    return TypedFunction<FType>(TypeTraits<Function>::MoveFromAnyAfterCheck(src));
  }
  TVM_FFI_INLINE static std::optional<TypedFunction<FType>> TryCastFromAnyView(
      const TVMFFIAny* src) {
    if (std::optional<Function> opt = TypeTraits<Function>::TryCastFromAnyView(src)) {
      return TypedFunction<FType>(*std::move(opt));
    }
    return std::nullopt;
  }
  static std::string TypeStr() { return details::FunctionInfo<FType>::Sig(); }
  static std::string TypeSchema() { return details::FunctionInfo<FType>::TypeSchema(); }
};

/*!
 * \brief Export a typed C++ function from a shared library as the C symbol
 * `__tvm_ffi_<ExportName>` (safe-call signature) for the module loader.
 */
#define TVM_FFI_DLL_EXPORT_TYPED_FUNC(ExportName, Function)                            \
  extern "C" {                                                                         \
  TVM_FFI_DLL_EXPORT int __tvm_ffi_##ExportName(void* self, const TVMFFIAny* args,     \
                                                int32_t num_args, TVMFFIAny* result) { \
    TVM_FFI_SAFE_CALL_BEGIN();                                                         \
    (void)self;                                                                        \
    using FuncInfo = ::tvm::ffi::details::CallableInfo<decltype(Function)>;            \
    static std::string name = #ExportName;                                             \
    ::tvm::ffi::details::unpack_call<typename FuncInfo::RetType>(                      \
        std::make_index_sequence<FuncInfo::num_args>{}, &name, Function,               \
        reinterpret_cast<const ::tvm::ffi::AnyView*>(args), num_args,                  \
        reinterpret_cast<::tvm::ffi::Any*>(result));                                   \
    TVM_FFI_SAFE_CALL_END();                                                           \
  }                                                                                    \
  }

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_FUNCTION_H_
