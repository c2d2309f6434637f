/*!
 * \file tvm/ffi/function_details.h
 * \brief Signature introspection and argument unpacking for typed functions.
 */
#ifndef TVM_FFI_FUNCTION_DETAILS_H_
#define TVM_FFI_FUNCTION_DETAILS_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/base_details.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/error.h>

#include <functional>
#include <sstream>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

namespace tvm {
namespace ffi {
namespace details {

template <typename T>
using RemoveCR = std::remove_const_t<std::remove_reference_t<T>>;

/*! \brief JSON type schema of T (Any/AnyView -> "Any", void -> "None"). */
template <typename T>
inline std::string TypeSchemaOf() {
  using U = RemoveCR<T>;
  if constexpr (std::is_void_v<U>) {
    return R"({"type":"None"})";
  } else if constexpr (std::is_same_v<U, Any> || std::is_same_v<U, AnyView>) {
    return R"({"type":"Any"})";
  } else {
    return TypeTraits<U>::TypeSchema();
  }
}

/*! \brief Facts about a callable with signature R(Args...). */
template <typename R, typename... Args>
struct FuncFunctorImpl {
  using FType = R(Args...);
  using ArgType = std::tuple<Args...>;
  using RetType = R;
  static constexpr size_t num_args = sizeof...(Args);

  /*! \brief "(0: int, 1: str) -> float" */
  static std::string Sig() {
    std::ostringstream os;
    os << "(";
    size_t index = 0;
    ((os << (index == 0 ? "" : ", ") << index << ": " << Type2Str<RemoveCR<Args>>::v(), ++index),
     ...);
    os << ") -> " << Type2Str<RemoveCR<R>>::v();
    return os.str();
  }
  /*! \brief {"type":"ffi.Function","args":[ret, args...]} */
  static std::string TypeSchema() {
    std::string out = R"({"type":"ffi.Function","args":[)" + TypeSchemaOf<R>();
    ((out += "," + TypeSchemaOf<Args>()), ...);
    out += "]}";
    return out;
  }
};

/*! \brief FunctionInfo<F>: works for functions, function pointers, lambdas/functors and
 * member function pointers (the object pointer or reference becomes the first argument). */
template <typename T, typename = void>
struct FunctionInfo;

template <typename R, typename... Args>
struct FunctionInfo<R(Args...)> : FuncFunctorImpl<R, Args...> {};
template <typename R, typename... Args>
struct FunctionInfo<R (*)(Args...)> : FuncFunctorImpl<R, Args...> {};

template <typename Class, typename R, typename... Args>
struct MemberFunctionInfo {
  // Object subclasses receive `Class*`, references receive `Class` by value.
  using SelfType =
      std::conditional_t<std::is_base_of_v<ObjectRef, RemoveCR<Class>>, RemoveCR<Class>, Class*>;
  using type = FuncFunctorImpl<R, SelfType, Args...>;
};
template <typename Class, typename R, typename... Args>
struct FunctionInfo<R (Class::*)(Args...)> : MemberFunctionInfo<Class, R, Args...>::type {};
template <typename Class, typename R, typename... Args>
struct FunctionInfo<R (Class::*)(Args...) const>
    : MemberFunctionInfo<const Class, R, Args...>::type {};

/*! \brief Signature of a lambda/functor's operator() without the implicit object. */
template <typename T>
struct LambdaInfo;
template <typename Class, typename R, typename... Args>
struct LambdaInfo<R (Class::*)(Args...)> : FuncFunctorImpl<R, Args...> {};
template <typename Class, typename R, typename... Args>
struct LambdaInfo<R (Class::*)(Args...) const> : FuncFunctorImpl<R, Args...> {};

/*! \brief Lambdas and functors: use the signature of operator(). */
template <typename T>
struct FunctionInfo<T, std::void_t<decltype(&T::operator())>>
    : LambdaInfo<decltype(&T::operator())> {};

/*! \brief Signature facts of any callable F (after decay). */
template <typename F>
using CallableInfo = FunctionInfo<std::decay_t<F>>;

/*! \brief "`name(0: int) -> int`" used in argument errors. */
template <typename FInfo>
inline std::string FunctionSigWithName(const std::string* name) {
  return (name != nullptr ? *name : std::string()) + FInfo::Sig();
}

[[noreturn]] inline void ThrowArgCountMismatch(const std::string& sig, size_t expected,
                                               int32_t actual) {
  TVM_FFI_THROW(TypeError) << "Mismatched number of arguments when calling: `" << sig
                           << "`. Expected " << expected << " but got " << actual << " arguments";
  TVM_FFI_UNREACHABLE();
}

[[noreturn]] inline void ThrowArgTypeMismatch(const std::string& sig, size_t index,
                                              const std::string& expected,
                                              const std::string& actual) {
  TVM_FFI_THROW(TypeError) << "Mismatched type on argument #" << index << " when calling: `" << sig
                           << "`. Expected `" << expected << "` but got `" << actual << "`";
  TVM_FFI_UNREACHABLE();
}

/*! \brief Convert argument `index` to the parameter type T (lenient rules of TypeTraits). */
template <typename FInfo, typename T>
TVM_FFI_INLINE RemoveCR<T> ConvertArg(const AnyView* args, size_t index, const std::string* name) {
  using U = RemoveCR<T>;
  if constexpr (std::is_same_v<U, AnyView>) {
    return args[index];
  } else if constexpr (std::is_same_v<U, Any>) {
    return Any(args[index]);
  } else {
    const TVMFFIAny* cell = AnyUnsafe::TVMFFIAnyPtrFromAny(args[index]);
    std::optional<U> opt = TypeTraits<U>::TryCastFromAnyView(cell);
    if (!opt.has_value()) {
      ThrowArgTypeMismatch(FunctionSigWithName<FInfo>(name), index, Type2Str<U>::v(),
                           TypeTraits<U>::GetMismatchTypeInfo(cell));
    }
    return *std::move(opt);
  }
}

/*!
 * \brief Check the argument count, convert every argument and call f; the result (if any)
 * is stored into *rv.
 */
template <typename R, size_t... Is, typename F>
TVM_FFI_INLINE void unpack_call(std::index_sequence<Is...>, const std::string* optional_name,
                                const F& f, const AnyView* args, int32_t num_args, Any* rv) {
  using FInfo = CallableInfo<F>;
  using ArgTuple = typename FInfo::ArgType;
  if (static_cast<size_t>(num_args) != sizeof...(Is)) {
    ThrowArgCountMismatch(FunctionSigWithName<FInfo>(optional_name), sizeof...(Is), num_args);
  }
  (void)args;
  (void)optional_name;
  if constexpr (std::is_void_v<R>) {
    std::invoke(f,
                ConvertArg<FInfo, std::tuple_element_t<Is, ArgTuple>>(args, Is, optional_name)...);
  } else {
    *rv = R(std::invoke(
        f, ConvertArg<FInfo, std::tuple_element_t<Is, ArgTuple>>(args, Is, optional_name)...));
  }
}

/*! \brief Carries an argument with its position for error messages (kept for source compatibility). */
template <typename FInfo>
class ArgValueWithContext {
 public:
  ArgValueWithContext(const AnyView* args, int32_t arg_index, const std::string* optional_name)
      : args_(args), arg_index_(arg_index), optional_name_(optional_name) {}
  template <typename Type>
  operator Type() {  // NOLINT(*)
    return ConvertArg<FInfo, Type>(args_, static_cast<size_t>(arg_index_), optional_name_);
  }

 private:
  const AnyView* args_;
  int32_t arg_index_;
  const std::string* optional_name_;
};

/*!
 * \brief Take the error raised by a failed safe call (return code `code`) out of the runtime's
 *        slot. The deprecated code -2 (the host environment holds the error; older callees
 *        store nothing) becomes EnvErrorAlreadySet().
 */
inline Error MoveFromSafeCallRaised(int code = -1) {
  TVMFFIObjectHandle handle = nullptr;
  TVMFFIErrorMoveFromRaised(&handle);
  if (code == -2) {
    if (handle != nullptr) ObjectUnsafe::DecRefObjectHandle(handle);
    return EnvErrorAlreadySet();
  }
  if (handle == nullptr) {
    return Error("InternalError", "a safe call failed without setting an error", "");
  }
  return ObjectUnsafe::ObjectRefFromObjectPtr<Error>(
      ObjectUnsafe::ObjectPtrFromOwned<Object>(static_cast<TVMFFIObject*>(handle)));
}

/*! \brief Store an Error into the runtime's raised slot (the runtime takes its own ref). */
inline void SetSafeCallRaised(const Error& error) {
  TVMFFIErrorSetRaised(ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(error));
}

}  // namespace details
}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_FUNCTION_DETAILS_H_
