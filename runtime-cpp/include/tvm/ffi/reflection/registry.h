/*!
 * \file tvm/ffi/reflection/registry.h
 * \brief Registration of reflection information: global functions, object fields and
 *        methods, type metadata and per-type attributes.
 *
 * Everything here is header code that talks to the runtime only through the C ABI
 * (TVMFFIFunctionSetGlobalFromMethodInfo, TVMFFITypeRegisterField/Method/Metadata/Attr), so
 * a library compiled against these headers can register its types with any compatible
 * runtime. Typical use, inside a TVM_FFI_STATIC_INIT_BLOCK:
 *
 * \code
 *   namespace refl = tvm::ffi::reflection;
 *   refl::GlobalDef().def("my.add", [](int64_t a, int64_t b) { return a + b; });
 *   refl::ObjectDef<MyObj>()
 *       .def_ro("value", &MyObj::value, "the value", refl::DefaultValue(0))
 *       .def(refl::init<int64_t>())
 *       .def("get", &MyObj::Get);
 * \endcode
 *
 * Metadata of every registered field, method and global is a JSON object whose first key is
 * "type_schema" (a JSON string holding the type schema JSON of the field or callable),
 * followed by the user's Metadata entries in the order given.
 */
#ifndef TVM_FFI_REFLECTION_REGISTRY_H_
#define TVM_FFI_REFLECTION_REGISTRY_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/container/variant.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/optional.h>
#include <tvm/ffi/string.h>
#include <tvm/ffi/type_traits.h>

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace tvm {
namespace ffi {
namespace reflection {

struct FieldInfoBuilder;
struct MethodInfoBuilder;

/*! \brief Base class of the extra "trait" arguments accepted by the registration helpers. */
class InfoTrait {};

/*!
 * \brief Structured metadata attached to a field or method (or global function).
 *
 * Values must be int, bool or string; they are written into the JSON metadata after the
 * automatically generated "type_schema" entry. Any other value type is a TypeError raised
 * when the registration happens.
 */
class Metadata : public InfoTrait {
 public:
  Metadata(std::initializer_list<std::pair<String, Any>> entries)  // NOLINT(*)
      : entries_(entries) {}

  /*! \brief Append the entries to a field's metadata. */
  inline void Apply(FieldInfoBuilder* info) const;
  /*! \brief Append the entries to a method's metadata. */
  inline void Apply(MethodInfoBuilder* info) const;
  /*! \brief Append the entries to a list of (key, value) pairs. */
  void Apply(std::vector<std::pair<String, Any>>* out) const {
    out->insert(out->end(), entries_.begin(), entries_.end());
  }

 private:
  std::vector<std::pair<String, Any>> entries_;
};

/*! \brief Default value of a field (used by reflection creation when the field is not given). */
class DefaultValue : public InfoTrait {
 public:
  explicit DefaultValue(Any value) : value_(std::move(value)) {}
  inline void Apply(FieldInfoBuilder* info) const;

 private:
  Any value_;
};

/*! \brief Extra flag bits (TVMFFIFieldFlagBitMask) attached to a field. */
class AttachFieldFlag : public InfoTrait {
 public:
  explicit AttachFieldFlag(int32_t flag) : flag_(flag) {}
  /*! \brief The field opens a definition region (free variables may be mapped there). */
  static AttachFieldFlag SEqHashDef() { return AttachFieldFlag(kTVMFFIFieldFlagBitMaskSEqHashDef); }
  /*! \brief The field is skipped by structural equality and hashing. */
  static AttachFieldFlag SEqHashIgnore() {
    return AttachFieldFlag(kTVMFFIFieldFlagBitMaskSEqHashIgnore);
  }
  inline void Apply(FieldInfoBuilder* info) const;

 private:
  int32_t flag_;
};

/*!
 * \brief A field record under construction. The byte arrays of the C struct are pointed at
 *        the owned storage right before the record is handed to the runtime (which copies).
 */
struct FieldInfoBuilder : public TVMFFIFieldInfo {
  FieldInfoBuilder() : TVMFFIFieldInfo() {
    std::memset(static_cast<TVMFFIFieldInfo*>(this), 0, sizeof(TVMFFIFieldInfo));
    default_value_or_factory.type_index = kTVMFFINone;
    field_static_type_index = kTVMFFIAny;
  }
  explicit FieldInfoBuilder(const TVMFFIFieldInfo& info) : TVMFFIFieldInfo(info) {}

  /*! \brief Owned doc string. */
  std::string doc_storage;
  /*! \brief User metadata entries, in order. */
  std::vector<std::pair<String, Any>> metadata_entries;
  /*! \brief Owner of the default value (default_value_or_factory is a view of it). */
  Any default_value_storage;
};

/*! \brief A method record under construction (see FieldInfoBuilder). */
struct MethodInfoBuilder : public TVMFFIMethodInfo {
  MethodInfoBuilder() : TVMFFIMethodInfo() {
    std::memset(static_cast<TVMFFIMethodInfo*>(this), 0, sizeof(TVMFFIMethodInfo));
    method.type_index = kTVMFFINone;
  }
  explicit MethodInfoBuilder(const TVMFFIMethodInfo& info) : TVMFFIMethodInfo(info) {}

  std::string doc_storage;
  std::vector<std::pair<String, Any>> metadata_entries;
  /*! \brief Owner of the method (method is a view of it). */
  Function method_storage;
};

inline void Metadata::Apply(FieldInfoBuilder* info) const { Apply(&info->metadata_entries); }
inline void Metadata::Apply(MethodInfoBuilder* info) const { Apply(&info->metadata_entries); }

inline void DefaultValue::Apply(FieldInfoBuilder* info) const {
  info->default_value_storage = value_;
  info->default_value_or_factory = AnyView(info->default_value_storage).CopyToTVMFFIAny();
  info->flags |= kTVMFFIFieldFlagBitMaskHasDefault;
}

inline void AttachFieldFlag::Apply(FieldInfoBuilder* info) const { info->flags |= flag_; }

/*!
 * \brief Byte offset of a field from the start of the object's TVMFFIObject header (which
 *        is not necessarily the start of Class when Object is not its first base).
 */
template <typename Class, typename T>
inline int64_t GetFieldByteOffsetToObject(T Class::* field_ptr) {
  static_assert(std::is_base_of_v<Object, Class>, "the field must belong to an Object subclass");
  // A fake, suitably aligned address: the pointer is only used for address arithmetic.
  Class* probe = reinterpret_cast<Class*>(static_cast<uintptr_t>(0x10000));
  const char* field_addr = reinterpret_cast<const char*>(&(probe->*field_ptr));
  const char* header_addr = reinterpret_cast<const char*>(static_cast<Object*>(probe));
  return static_cast<int64_t>(field_addr - header_addr);
}

/*! \brief Tag of ObjectDef::def(init<Args...>()): register a constructor taking Args... */
template <typename... Args>
struct init {
  constexpr init() noexcept = default;
};

}  // namespace reflection

namespace details {

template <typename T>
inline constexpr bool reflection_always_false_v = false;

/*! \brief Whether an extra registration argument is a doc string. */
template <typename T>
inline constexpr bool reflection_is_doc_v =
    std::is_same_v<std::decay_t<T>, const char*> || std::is_same_v<std::decay_t<T>, char*> ||
    std::is_same_v<std::decay_t<T>, std::string> || std::is_same_v<std::decay_t<T>, String>;

template <typename T>
inline std::string ReflectionDocToString(const T& doc) {
  using U = std::decay_t<T>;
  if constexpr (std::is_array_v<T>) {
    return std::string(doc);
  } else if constexpr (std::is_same_v<U, const char*> || std::is_same_v<U, char*>) {
    return doc != nullptr ? std::string(doc) : std::string();
  } else if constexpr (std::is_same_v<U, String>) {
    return std::string(doc.data(), doc.size());
  } else {
    return std::string(doc);
  }
}

template <typename Trait, typename Builder, typename = void>
struct ReflectionTraitAppliesTo : std::false_type {};
template <typename Trait, typename Builder>
struct ReflectionTraitAppliesTo<
    Trait, Builder,
    std::void_t<decltype(std::declval<const Trait&>().Apply(std::declval<Builder*>()))>>
    : std::true_type {};

/*!
 * \brief Apply one extra argument (doc string or InfoTrait) to a builder. Traits that do not
 *        apply to this kind of record (e.g. DefaultValue on a method) are ignored.
 */
template <typename Builder, typename Extra>
inline void ReflectionApplyExtra(Builder* info, const Extra& extra) {
  using U = std::decay_t<Extra>;
  if constexpr (reflection_is_doc_v<U>) {
    info->doc_storage = ReflectionDocToString(extra);
  } else if constexpr (std::is_base_of_v<reflection::InfoTrait, U>) {
    if constexpr (ReflectionTraitAppliesTo<U, Builder>::value) {
      extra.Apply(info);
    }
  } else {
    static_assert(reflection_always_false_v<U>,
                  "extra registration arguments must be a doc string or a reflection InfoTrait "
                  "(Metadata, DefaultValue, AttachFieldFlag)");
  }
}

/*!
 * \brief Metadata JSON: {"type_schema":"<schema json, escaped>", "<key>":<value>, ...}.
 *        Values must be bool, int or string (TypeError otherwise).
 */
inline std::string ReflectionMetadataJSON(const std::string& type_schema,
                                          const std::vector<std::pair<String, Any>>& entries) {
  auto append_string = [](std::string* out, const String& value) {
    String quoted = EscapeStringJSON(value);
    out->append(quoted.data(), quoted.size());
  };
  std::string out = "{\"type_schema\":";
  append_string(&out, String(type_schema));
  for (const auto& kv : entries) {
    const String& key = kv.first;
    if (std::string_view(key.data(), key.size()) == "type_schema") {
      TVM_FFI_THROW(ValueError) << "Metadata key `type_schema` is reserved: it is generated "
                                   "from the C++ type";
    }
    out.push_back(',');
    append_string(&out, key);
    out.push_back(':');
    const Any& value = kv.second;
    switch (value.type_index()) {
      case kTVMFFIBool:
        out += value.cast<bool>() ? "true" : "false";
        break;
      case kTVMFFIInt:
        out += std::to_string(value.cast<int64_t>());
        break;
      case kTVMFFISmallStr:
      case kTVMFFIStr:
        append_string(&out, value.cast<String>());
        break;
      default:
        TVM_FFI_THROW(TypeError) << "Metadata value of key `" << std::string(key.data(), key.size())
                                 << "` must be int, bool or string, but got `" << value.GetTypeKey()
                                 << "`";
    }
  }
  out.push_back('}');
  return out;
}

/*! \brief Signature facts of member function pointers (const / noexcept variants). */
template <typename T>
struct ReflectionMemberFn {
  static constexpr bool value = false;
};
#define TVM_FFI_REFLECTION_MEMBER_FN_(CV_NOEXCEPT, IS_CONST)       \
  template <typename C, typename R, typename... Args>              \
  struct ReflectionMemberFn<R (C::*)(Args...) CV_NOEXCEPT> {       \
    static constexpr bool value = true;                            \
    static constexpr bool is_const = IS_CONST;                     \
    using Class = C;                                               \
    using RetType = R;                                             \
    template <template <typename, typename, typename...> class Fn> \
    using Apply = Fn<C, R, Args...>;                               \
  };
TVM_FFI_REFLECTION_MEMBER_FN_(, false)
TVM_FFI_REFLECTION_MEMBER_FN_(const, true)
TVM_FFI_REFLECTION_MEMBER_FN_(noexcept, false)
TVM_FFI_REFLECTION_MEMBER_FN_(const noexcept, true)
#undef TVM_FFI_REFLECTION_MEMBER_FN_

/*!
 * \brief Turn a member function pointer into a plain callable whose first parameter is the
 *        object: `const C*` for Object subclasses, the reference `C` for ObjectRef subclasses.
 */
template <typename C, typename R, typename... Args>
struct ReflectionMemberFnWrapper {
  template <typename MemFn>
  static auto Make(MemFn fn) {
    static_assert(std::is_base_of_v<Object, C> || std::is_base_of_v<ObjectRef, C>,
                  "member functions can only be registered for Object or ObjectRef subclasses");
    if constexpr (std::is_base_of_v<ObjectRef, C>) {
      return [fn](C self, Args... args) -> R { return (self.*fn)(std::forward<Args>(args)...); };
    } else {
      return [fn](const C* self, Args... args) -> R {
        return (const_cast<C*>(self)->*fn)(std::forward<Args>(args)...);
      };
    }
  }
};

/*! \brief Plain function pointers declared noexcept (FunctionInfo does not cover them). */
template <typename T>
struct ReflectionNoexceptFnPtr {
  static constexpr bool value = false;
};
template <typename R, typename... Args>
struct ReflectionNoexceptFnPtr<R (*)(Args...) noexcept> {
  static constexpr bool value = true;
  template <typename F>
  static auto Make(F fn) {
    return [fn](Args... args) -> R { return fn(std::forward<Args>(args)...); };
  }
};

template <typename T>
struct ReflectionIsTypedFunction : std::false_type {};
template <typename FType>
struct ReflectionIsTypedFunction<TypedFunction<FType>> : std::true_type {};

/*!
 * \brief Build the Function registered for `func` and its type schema.
 *
 * Accepted: a Function (packed schema), a TypedFunction, a member function pointer (the
 * object becomes the first argument), or any typed callable (lambda, functor, function or
 * function pointer). `name` is used in argument-mismatch errors.
 */
template <typename Func>
inline std::pair<Function, std::string> ReflectionMakeFunction(std::string name, Func&& func) {
  using F = std::decay_t<Func>;
  if constexpr (std::is_same_v<F, Function>) {
    return {Function(static_cast<const Function&>(func)), R"({"type":"ffi.Function"})"};
  } else if constexpr (ReflectionIsTypedFunction<F>::value) {
    return {Function(func.packed()), F::TypeSchema()};
  } else if constexpr (ReflectionMemberFn<F>::value) {
    auto wrapped = ReflectionMemberFn<F>::template Apply<ReflectionMemberFnWrapper>::Make(func);
    return ReflectionMakeFunction(std::move(name), std::move(wrapped));
  } else if constexpr (ReflectionNoexceptFnPtr<F>::value) {
    return ReflectionMakeFunction(std::move(name), ReflectionNoexceptFnPtr<F>::Make(func));
  } else {
    std::string schema = CallableInfo<F>::TypeSchema();
    return {Function::FromTyped(F(std::forward<Func>(func)), std::move(name)), std::move(schema)};
  }
}

/*! \brief The two field accessors stored in TVMFFIFieldInfo, generated from TypeTraits<T>. */
template <typename T>
struct ReflectionFieldAccess {
  using U = std::remove_const_t<T>;
  static_assert(std::is_same_v<U, Any> || TypeTraits<U>::convert_enabled,
                "reflected fields need a type with TypeTraits (convertible to Any)");

  /*! \brief Write an owning copy of the field into *result. */
  static int Getter(void* field, TVMFFIAny* result) {
    TVM_FFI_SAFE_CALL_BEGIN();
    Any value(*static_cast<const U*>(field));
    *result = AnyUnsafe::MoveAnyToTVMFFIAny(std::move(value));
    TVM_FFI_SAFE_CALL_END();
  }
  /*! \brief Convert the view to T (TypeError when impossible) and assign it. */
  static int Setter(void* field, const TVMFFIAny* value) {
    TVM_FFI_SAFE_CALL_BEGIN();
    AnyView view = AnyView::CopyFromTVMFFIAny(*value);
    if constexpr (std::is_same_v<U, Any>) {
      *static_cast<U*>(field) = Any(view);
    } else {
      *static_cast<U*>(field) = view.cast<U>();
    }
    TVM_FFI_SAFE_CALL_END();
  }
};

/*! \brief Reflection creators: a new default-initialised instance (+1) in *result. */
template <typename Class>
struct ReflectionCreator {
  static int FromDefault(TVMFFIObjectHandle* result) {
    TVM_FFI_SAFE_CALL_BEGIN();
    *result = ObjectUnsafe::MoveObjectPtrToTVMFFIObjectPtr(make_object<Class>());
    TVM_FFI_SAFE_CALL_END();
  }
  static int FromUnsafeInit(TVMFFIObjectHandle* result) {
    TVM_FFI_SAFE_CALL_BEGIN();
    *result = ObjectUnsafe::MoveObjectPtrToTVMFFIObjectPtr(make_object<Class>(UnsafeInit{}));
    TVM_FFI_SAFE_CALL_END();
  }
  /*! \return the creator to register, or NULL when Class cannot be built without arguments. */
  static TVMFFIObjectCreator Get() {
    if constexpr (std::is_default_constructible_v<Class>) {
      return FromDefault;
    } else if constexpr (std::is_constructible_v<Class, UnsafeInit>) {
      return FromUnsafeInit;
    } else {
      return nullptr;
    }
  }
};

inline TVMFFIByteArray ReflectionByteArray(const std::string& s) {
  return s.empty() ? TVMFFIByteArray{nullptr, 0} : TVMFFIByteArray{s.data(), s.size()};
}

}  // namespace details

namespace reflection {

/*!
 * \brief Registration of global functions.
 *
 * \code
 *   GlobalDef().def("ns.f", f, "doc").def_packed("ns.g", [](PackedArgs args, Any* rv) {...});
 * \endcode
 * Registering a name twice is a RuntimeError from the runtime.
 */
class GlobalDef {
 public:
  /*! \brief Register a typed callable (or member function pointer, or Function). */
  template <typename Func, typename... Extra>
  GlobalDef& def(const char* name, Func&& func, Extra&&... extra) {
    auto [function, schema] =
        ffi::details::ReflectionMakeFunction(std::string(name), std::forward<Func>(func));
    Register(name, std::move(function), schema, extra...);
    return *this;
  }
  /*!
   * \brief Register a packed callable: `void(PackedArgs, Any*)` or
   *        `void(const AnyView*, int32_t, Any*)`. Its type schema is `{"type":"ffi.Function"}`.
   */
  template <typename Func, typename... Extra>
  GlobalDef& def_packed(const char* name, Func func, Extra&&... extra) {
    Register(name, Function::FromPacked(std::move(func)), R"({"type":"ffi.Function"})", extra...);
    return *this;
  }
  /*! \brief Register a member function as a global whose first argument is the object. */
  template <typename Func, typename... Extra>
  GlobalDef& def_method(const char* name, Func&& func, Extra&&... extra) {
    return def(name, std::forward<Func>(func), std::forward<Extra>(extra)...);
  }

 private:
  template <typename... Extra>
  static void Register(const char* name, Function function, const std::string& schema,
                       const Extra&... extra) {
    MethodInfoBuilder info;
    (ffi::details::ReflectionApplyExtra(&info, extra), ...);
    std::string metadata = ffi::details::ReflectionMetadataJSON(schema, info.metadata_entries);
    info.method_storage = std::move(function);
    info.name = TVMFFIByteArray{name, std::strlen(name)};
    info.doc = ffi::details::ReflectionByteArray(info.doc_storage);
    info.metadata = ffi::details::ReflectionByteArray(metadata);
    info.flags = 0;
    info.method = AnyView(info.method_storage).CopyToTVMFFIAny();
    TVM_FFI_CHECK_SAFE_CALL(TVMFFIFunctionSetGlobalFromMethodInfo(&info, 0));
  }
};

/*!
 * \brief Registration of an object type's reflection: metadata (in the constructor), fields
 *        and methods.
 *
 * The constructor allocates the type index if needed and registers the type metadata:
 * total_size = sizeof(Class), the structural eq/hash kind, the doc string (an optional extra
 * argument) and a creator (default constructor, else the UnsafeInit constructor, else none).
 * Metadata may be registered only once per type.
 */
template <typename Class>
class ObjectDef {
  static_assert(std::is_base_of_v<Object, Class>, "ObjectDef needs an Object subclass");

 public:
  template <typename... ExtraArgs>
  explicit ObjectDef(ExtraArgs&&... extra_args)
      : type_index_(Class::_GetOrAllocRuntimeTypeIndex()), type_key_(Class::_type_key) {
    std::string doc;
    (ApplyTypeExtra(&doc, extra_args), ...);
    TVMFFITypeMetadata metadata;
    std::memset(&metadata, 0, sizeof(metadata));
    metadata.doc = ffi::details::ReflectionByteArray(doc);
    metadata.creator = ffi::details::ReflectionCreator<Class>::Get();
    metadata.total_size = static_cast<int32_t>(sizeof(Class));
    metadata.structural_eq_hash_kind = Class::_type_s_eq_hash_kind;
    TVM_FFI_CHECK_SAFE_CALL(TVMFFITypeRegisterMetadata(type_index_, &metadata));
  }
  ObjectDef(const ObjectDef&) = delete;
  ObjectDef& operator=(const ObjectDef&) = delete;

  /*!
   * \brief Registers the type attribute `__ffi_shallow_copy__` (a Function
   *        `<key>.__ffi_shallow_copy__(self) -> Object` copy-constructing a new Class from
   *        self) when Class is copy-constructible and the type has none yet.
   */
  ~ObjectDef() noexcept(false) {
    if constexpr (std::is_copy_constructible_v<Class> && !std::is_abstract_v<Class>) {
      RegisterShallowCopy();
    }
  }

  /*! \brief A read-only field (BaseClass may be Class or one of its bases). */
  template <typename T, typename BaseClass, typename... Extra>
  ObjectDef& def_ro(const char* name, T BaseClass::* field_ptr, Extra&&... extra) {
    RegisterField(name, field_ptr, false, extra...);
    return *this;
  }
  /*! \brief A writable field; only for types declaring `_type_mutable = true`. */
  template <typename T, typename BaseClass, typename... Extra>
  ObjectDef& def_rw(const char* name, T BaseClass::* field_ptr, Extra&&... extra) {
    static_assert(Class::_type_mutable, "def_rw needs a type with _type_mutable = true");
    RegisterField(name, field_ptr, true, extra...);
    return *this;
  }
  /*!
   * \brief An instance method: a member function pointer (of the object or of its
   *        reference class) or a callable whose first parameter is the object.
   */
  template <typename Func, typename... Extra>
  ObjectDef& def(const char* name, Func&& func, Extra&&... extra) {
    RegisterMethod(name, false, std::forward<Func>(func), extra...);
    return *this;
  }
  /*! \brief A static method (no implicit self argument). */
  template <typename Func, typename... Extra>
  ObjectDef& def_static(const char* name, Func&& func, Extra&&... extra) {
    RegisterMethod(name, true, std::forward<Func>(func), extra...);
    return *this;
  }
  /*! \brief The constructor `__ffi_init__(Args...) -> Object` (a static method). */
  template <typename... Args, typename... Extra>
  ObjectDef& def(init<Args...>, Extra&&... extra) {
    auto ctor = [](Args... args) -> ObjectRef {
      return ObjectRef(make_object<Class>(std::forward<Args>(args)...));
    };
    RegisterMethod("__ffi_init__", true, std::move(ctor), extra...);
    return *this;
  }

 private:
  template <typename Extra>
  static void ApplyTypeExtra(std::string* doc, const Extra& extra) {
    using U = std::decay_t<Extra>;
    if constexpr (ffi::details::reflection_is_doc_v<U>) {
      *doc = ffi::details::ReflectionDocToString(extra);
    } else {
      static_assert(ffi::details::reflection_always_false_v<U>,
                    "ObjectDef(...) only accepts a doc string as extra argument");
    }
  }

  template <typename T, typename BaseClass, typename... Extra>
  void RegisterField(const char* name, T BaseClass::* field_ptr, bool writable,
                     const Extra&... extra) {
    static_assert(std::is_base_of_v<BaseClass, Class>,
                  "the field must belong to the registered class or one of its bases");
    using FieldType = std::remove_const_t<T>;
    T Class::* class_field_ptr = field_ptr;
    FieldInfoBuilder info;
    info.name = TVMFFIByteArray{name, std::strlen(name)};
    info.flags = writable ? kTVMFFIFieldFlagBitMaskWritable : 0;
    info.size = static_cast<int64_t>(sizeof(T));
    info.alignment = static_cast<int64_t>(alignof(T));
    info.offset = GetFieldByteOffsetToObject<Class>(class_field_ptr);
    info.getter = ffi::details::ReflectionFieldAccess<T>::Getter;
    info.setter = reinterpret_cast<void*>(ffi::details::ReflectionFieldAccess<T>::Setter);
    info.field_static_type_index = TypeToFieldStaticTypeIndex<FieldType>::value;
    (ffi::details::ReflectionApplyExtra(&info, extra), ...);
    std::string metadata = ffi::details::ReflectionMetadataJSON(
        ffi::details::TypeSchemaOf<FieldType>(), info.metadata_entries);
    info.doc = ffi::details::ReflectionByteArray(info.doc_storage);
    info.metadata = ffi::details::ReflectionByteArray(metadata);
    TVM_FFI_CHECK_SAFE_CALL(TVMFFITypeRegisterField(type_index_, &info));
  }

  template <typename Func, typename... Extra>
  void RegisterMethod(const char* name, bool is_static, Func&& func, const Extra&... extra) {
    std::string full_name = type_key_ + "." + name;
    auto [function, schema] =
        ffi::details::ReflectionMakeFunction(std::move(full_name), std::forward<Func>(func));
    MethodInfoBuilder info;
    (ffi::details::ReflectionApplyExtra(&info, extra), ...);
    std::string metadata = ffi::details::ReflectionMetadataJSON(schema, info.metadata_entries);
    info.method_storage = std::move(function);
    info.name = TVMFFIByteArray{name, std::strlen(name)};
    info.doc = ffi::details::ReflectionByteArray(info.doc_storage);
    info.metadata = ffi::details::ReflectionByteArray(metadata);
    info.flags = is_static ? kTVMFFIFieldFlagBitMaskIsStaticMethod : 0;
    info.method = AnyView(info.method_storage).CopyToTVMFFIAny();
    TVM_FFI_CHECK_SAFE_CALL(TVMFFITypeRegisterMethod(type_index_, &info));
  }

  void RegisterShallowCopy() {
    constexpr const char* kName = "__ffi_shallow_copy__";
    TVMFFIByteArray name_arr{kName, std::strlen(kName)};
    const TVMFFITypeAttrColumn* column = TVMFFIGetTypeAttrColumn(&name_arr);
    if (column != nullptr) {
      int32_t offset = type_index_ - column->begin_index;
      if (offset >= 0 && offset < column->size && column->data[offset].type_index != kTVMFFINone) {
        return;  // registered already (e.g. by an earlier ObjectDef of the same type)
      }
    }
    auto made = ffi::details::ReflectionMakeFunction(
        type_key_ + "." + kName, [](const ObjectRef& self) -> ObjectRef {
          return ObjectRef(make_object<Class>(*static_cast<const Class*>(self.get())));
        });
    Any value(std::move(made.first));
    TVMFFIAny view = AnyView(value).CopyToTVMFFIAny();
    TVM_FFI_CHECK_SAFE_CALL(TVMFFITypeRegisterAttr(type_index_, &name_arr, &view));
  }

  int32_t type_index_;
  std::string type_key_;
};

/*!
 * \brief Registration of per-type attributes (columns indexed by type index). Setting the
 *        same attribute of the same type twice is a RuntimeError from the runtime.
 */
template <typename Class, typename = std::enable_if_t<std::is_base_of_v<Object, Class>>>
class TypeAttrDef {
 public:
  template <typename... ExtraArgs>
  explicit TypeAttrDef(ExtraArgs&&...)
      : type_index_(Class::_GetOrAllocRuntimeTypeIndex()), type_key_(Class::_type_key) {}

  /*! \brief Store a Function (built like a global's) as attribute `name` of Class. */
  template <typename Func>
  TypeAttrDef& def(const char* name, Func&& func) {
    auto made =
        ffi::details::ReflectionMakeFunction(type_key_ + "." + name, std::forward<Func>(func));
    Register(name, Any(std::move(made.first)));
    return *this;
  }
  /*! \brief Store a value as attribute `name` of Class. */
  template <typename T>
  TypeAttrDef& attr(const char* name, T value) {
    Register(name, Any(std::move(value)));
    return *this;
  }

 private:
  void Register(const char* name, const Any& value) {
    TVMFFIByteArray name_arr{name, std::strlen(name)};
    TVMFFIAny view = AnyView(value).CopyToTVMFFIAny();
    TVM_FFI_CHECK_SAFE_CALL(TVMFFITypeRegisterAttr(type_index_, &name_arr, &view));
  }

  int32_t type_index_;
  std::string type_key_;
};

/*! \brief Make sure the type attribute column `name` exists (it may stay empty). */
inline void EnsureTypeAttrColumn(std::string_view name) {
  TVMFFIByteArray name_arr{name.data(), name.size()};
  TVMFFIAny none = AnyView().CopyToTVMFFIAny();
  TVM_FFI_CHECK_SAFE_CALL(TVMFFITypeRegisterAttr(kTVMFFINone, &name_arr, &none));
}

}  // namespace reflection
}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_REFLECTION_REGISTRY_H_
