/*!
 * \file tvm/ffi/object.h
 * \brief The object system: intrusively reference-counted heap objects and references.
 *
 * Every FFI object starts with a TVMFFIObject header (24 bytes). `Object` is exactly that
 * header; subclasses add payload after it. The reference-count word and the deleter protocol
 * are part of the ABI: code compiled against any compatible header manipulates them inline.
 */
#ifndef TVM_FFI_OBJECT_H_
#define TVM_FFI_OBJECT_H_

#include <tvm/ffi/base_details.h>
#include <tvm/ffi/c_api.h>

#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace tvm {
namespace ffi {

using TypeIndex = TVMFFITypeIndex;
using TypeInfo = TVMFFITypeInfo;

/*! \brief Tag: construct a reference in the null state without running normal initialisation. */
struct UnsafeInit {};

/*! \brief Type keys of the statically known type indices. */
struct StaticTypeKey {
  static constexpr const char* kTVMFFIAny = "Any";
  static constexpr const char* kTVMFFINone = "None";
  static constexpr const char* kTVMFFIBool = "bool";
  static constexpr const char* kTVMFFIInt = "int";
  static constexpr const char* kTVMFFIFloat = "float";
  static constexpr const char* kTVMFFIOpaquePtr = "void*";
  static constexpr const char* kTVMFFIDataType = "DataType";
  static constexpr const char* kTVMFFIDevice = "Device";
  static constexpr const char* kTVMFFIDLTensorPtr = "DLTensor*";
  static constexpr const char* kTVMFFIRawStr = "const char*";
  static constexpr const char* kTVMFFIByteArrayPtr = "TVMFFIByteArray*";
  static constexpr const char* kTVMFFIObjectRValueRef = "ObjectRValueRef";
  static constexpr const char* kTVMFFISmallStr = "ffi.SmallStr";
  static constexpr const char* kTVMFFISmallBytes = "ffi.SmallBytes";
  static constexpr const char* kTVMFFIError = "ffi.Error";
  static constexpr const char* kTVMFFIBytes = "ffi.Bytes";
  static constexpr const char* kTVMFFIStr = "ffi.String";
  static constexpr const char* kTVMFFIShape = "ffi.Shape";
  static constexpr const char* kTVMFFITensor = "ffi.Tensor";
  static constexpr const char* kTVMFFIObject = "ffi.Object";
  static constexpr const char* kTVMFFIFunction = "ffi.Function";
  static constexpr const char* kTVMFFIArray = "ffi.Array";
  static constexpr const char* kTVMFFIMap = "ffi.Map";
  static constexpr const char* kTVMFFIModule = "ffi.Module";
  static constexpr const char* kTVMFFIOpaquePyObject = "ffi.OpaquePyObject";
  static constexpr const char* kTVMFFIList = "ffi.List";
  static constexpr const char* kTVMFFIDict = "ffi.Dict";
  static constexpr const char* kTVMFFIUnchanged = "ffi.Unchanged";
  static constexpr const char* kTVMFFIVisitInterrupt = "ffi.VisitInterrupt";
  static constexpr const char* kTVMFFIBigInt = "ffi.BigInt";
};

/*!
 * \brief Type key of a type index. Indices below kTVMFFIStaticObjectBegin are answered
 * locally (some of them, like DLTensor*, have no entry in the runtime table); object indices
 * are looked up in the runtime's type table.
 */
inline std::string TypeIndexToTypeKey(int32_t type_index) {
  switch (type_index) {
    case kTVMFFIAny:
      return StaticTypeKey::kTVMFFIAny;
    case kTVMFFINone:
      return StaticTypeKey::kTVMFFINone;
    case kTVMFFIInt:
      return StaticTypeKey::kTVMFFIInt;
    case kTVMFFIBool:
      return StaticTypeKey::kTVMFFIBool;
    case kTVMFFIFloat:
      return StaticTypeKey::kTVMFFIFloat;
    case kTVMFFIOpaquePtr:
      return StaticTypeKey::kTVMFFIOpaquePtr;
    case kTVMFFIDataType:
      return StaticTypeKey::kTVMFFIDataType;
    case kTVMFFIDevice:
      return StaticTypeKey::kTVMFFIDevice;
    case kTVMFFIDLTensorPtr:
      return StaticTypeKey::kTVMFFIDLTensorPtr;
    case kTVMFFIRawStr:
      return StaticTypeKey::kTVMFFIRawStr;
    case kTVMFFIByteArrayPtr:
      return StaticTypeKey::kTVMFFIByteArrayPtr;
    case kTVMFFIObjectRValueRef:
      return StaticTypeKey::kTVMFFIObjectRValueRef;
    case kTVMFFISmallStr:
      return StaticTypeKey::kTVMFFISmallStr;
    case kTVMFFISmallBytes:
      return StaticTypeKey::kTVMFFISmallBytes;
    case kTVMFFIUnchanged:
      return StaticTypeKey::kTVMFFIUnchanged;
    default:
      break;
  }
  if (type_index < kTVMFFIStaticObjectBegin) return "<unknown type index>";
  const TVMFFITypeInfo* info = TVMFFIGetTypeInfo(type_index);
  return std::string(info->type_key.data, info->type_key.size);
}

namespace details {
/*! \brief Values of the 64-bit combined count (low half strong, high half weak). */
constexpr uint64_t kCombinedRefCountStrongOne = 1;
constexpr uint64_t kCombinedRefCountWeakOne = uint64_t(1) << 32;
constexpr uint64_t kCombinedRefCountBothOne = kCombinedRefCountStrongOne | kCombinedRefCountWeakOne;
constexpr uint64_t kCombinedRefCountMaskUInt32 = 0xFFFFFFFFULL;

class ObjectUnsafe;
template <typename TargetType>
TVM_FFI_INLINE bool IsObjectInstance(int32_t object_type_index);
}  // namespace details

template <typename T, typename = void>
class Optional;
template <typename... V>
class Variant;

/*!
 * \brief Base class of every FFI object. Its only member is the ABI header.
 *
 * Subclasses configure their type through static members (`_type_key`, `_type_final`,
 * `_type_mutable`, `_type_child_slots`, `_type_child_slots_can_overflow`, ...) and one of the
 * TVM_FFI_DECLARE_OBJECT_INFO* macros.
 */
class Object {
 protected:
  /*! \brief The ABI header (ref counts, type index, deleter). */
  TVMFFIObject header_;

 public:
  Object() {
    header_.combined_ref_count = 0;
    header_.type_index = 0;
    header_.__padding = 0;
    header_.deleter = nullptr;
  }

  /*! \return whether this object is an instance of TargetType (or a subclass). */
  template <typename TargetType>
  bool IsInstance() const {
    return details::IsObjectInstance<TargetType>(header_.type_index);
  }
  int32_t type_index() const { return header_.type_index; }
  std::string GetTypeKey() const { return TypeIndexToTypeKey(header_.type_index); }
  uint64_t GetTypeKeyHash() const { return TVMFFIGetTypeInfo(header_.type_index)->type_key_hash; }
  static std::string TypeIndex2Key(int32_t tindex) { return TypeIndexToTypeKey(tindex); }
  bool unique() const { return use_count() == 1; }
  /*! \return the strong reference count (relaxed read). */
  uint64_t use_count() const {
    return __atomic_load_n(&header_.combined_ref_count, __ATOMIC_RELAXED) &
           details::kCombinedRefCountMaskUInt32;
  }

  // Type configuration defaults, shadowed by subclasses.
  static constexpr const char* _type_key = StaticTypeKey::kTVMFFIObject;
  static constexpr bool _type_final = false;
  static constexpr bool _type_mutable = false;
  static constexpr uint32_t _type_child_slots = 0;
  static constexpr bool _type_child_slots_can_overflow = true;
  static constexpr int32_t _type_index = kTVMFFIObject;
  static constexpr int32_t _type_depth = 0;
  static constexpr TVMFFISEqHashKind _type_s_eq_hash_kind = kTVMFFISEqHashKindUnsupported;
  static int32_t _GetOrAllocRuntimeTypeIndex() { return kTVMFFIObject; }
  static constexpr int32_t RuntimeTypeIndex() { return kTVMFFIObject; }

 private:
  void IncRef() { __atomic_fetch_add(&header_.combined_ref_count, 1, __ATOMIC_RELAXED); }
  void IncWeakRef() {
    __atomic_fetch_add(&header_.combined_ref_count, details::kCombinedRefCountWeakOne,
                       __ATOMIC_RELAXED);
  }
  /*! \brief Drop one strong reference; runs the deleter per the ABI's count protocol. */
  void DecRef() {
    uint64_t old = __atomic_fetch_sub(&header_.combined_ref_count, 1, __ATOMIC_RELEASE);
    if (old == details::kCombinedRefCountBothOne) {
      __atomic_thread_fence(__ATOMIC_ACQUIRE);
      if (header_.deleter != nullptr) {
        header_.deleter(&header_, kTVMFFIObjectDeleterFlagBitMaskBoth);
      }
    } else if ((old & details::kCombinedRefCountMaskUInt32) == 1) {
      __atomic_thread_fence(__ATOMIC_ACQUIRE);
      // Copy the deleter first: the strong-phase deleter destroys the payload only.
      auto deleter = header_.deleter;
      if (deleter != nullptr) deleter(&header_, kTVMFFIObjectDeleterFlagBitMaskStrong);
      uint64_t old_weak = __atomic_fetch_sub(&header_.combined_ref_count,
                                             details::kCombinedRefCountWeakOne, __ATOMIC_RELEASE);
      if (old_weak == details::kCombinedRefCountWeakOne) {
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (deleter != nullptr) deleter(&header_, kTVMFFIObjectDeleterFlagBitMaskWeak);
      }
    }
  }
  void DecWeakRef() {
    uint64_t old = __atomic_fetch_sub(&header_.combined_ref_count,
                                      details::kCombinedRefCountWeakOne, __ATOMIC_RELEASE);
    if (old == details::kCombinedRefCountWeakOne) {
      __atomic_thread_fence(__ATOMIC_ACQUIRE);
      if (header_.deleter != nullptr) {
        header_.deleter(&header_, kTVMFFIObjectDeleterFlagBitMaskWeak);
      }
    }
  }
  /*! \brief Add a strong reference if at least one is still alive. */
  bool TryPromoteWeakPtr() {
    uint64_t old = __atomic_load_n(&header_.combined_ref_count, __ATOMIC_RELAXED);
    while ((old & details::kCombinedRefCountMaskUInt32) != 0) {
      if (__atomic_compare_exchange_n(&header_.combined_ref_count, &old, old + 1, true,
                                      __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
        return true;
      }
    }
    return false;
  }

  template <typename>
  friend class ObjectPtr;
  template <typename>
  friend class WeakObjectPtr;
  friend class details::ObjectUnsafe;
};

/*! \brief Strong intrusive pointer to an Object subclass. */
template <typename T>
class ObjectPtr {
 public:
  ObjectPtr() = default;
  ObjectPtr(std::nullptr_t) {}  // NOLINT(*)
  ObjectPtr(const ObjectPtr<T>& other) : ObjectPtr(other.data_) {}
  template <typename U>
  ObjectPtr(const ObjectPtr<U>& other)  // NOLINT(*)
      : ObjectPtr(other.data_) {
    static_assert(std::is_base_of_v<T, U>, "can only assign a derived class pointer");
  }
  ObjectPtr(ObjectPtr<T>&& other) noexcept : data_(other.data_) { other.data_ = nullptr; }
  template <typename U>
  ObjectPtr(ObjectPtr<U>&& other) noexcept  // NOLINT(*)
      : data_(other.data_) {
    static_assert(std::is_base_of_v<T, U>, "can only assign a derived class pointer");
    other.data_ = nullptr;
  }
  ~ObjectPtr() { this->reset(); }

  void swap(ObjectPtr<T>& other) noexcept { std::swap(data_, other.data_); }
  T* get() const { return static_cast<T*>(data_); }
  T* operator->() const { return get(); }
  T& operator*() const { return *get(); }
  ObjectPtr<T>& operator=(const ObjectPtr<T>& other) {
    ObjectPtr<T>(other).swap(*this);
    return *this;
  }
  ObjectPtr<T>& operator=(ObjectPtr<T>&& other) noexcept {
    ObjectPtr<T>(std::move(other)).swap(*this);
    return *this;
  }
  explicit operator bool() const { return data_ != nullptr; }
  void reset() {
    if (data_ != nullptr) {
      data_->DecRef();
      data_ = nullptr;
    }
  }
  int use_count() const { return data_ != nullptr ? static_cast<int>(data_->use_count()) : 0; }
  bool unique() const { return data_ != nullptr && data_->use_count() == 1; }
  bool operator==(const ObjectPtr<T>& other) const { return data_ == other.data_; }
  bool operator!=(const ObjectPtr<T>& other) const { return data_ != other.data_; }
  bool operator==(std::nullptr_t) const { return data_ == nullptr; }
  bool operator!=(std::nullptr_t) const { return data_ != nullptr; }

 private:
  /*! \brief Adopt `data` and add a strong reference. */
  explicit ObjectPtr(Object* data) : data_(data) {
    if (data_ != nullptr) data_->IncRef();
  }
  Object* data_{nullptr};

  template <typename>
  friend class ObjectPtr;
  template <typename>
  friend class WeakObjectPtr;
  friend class ObjectRef;
  friend class details::ObjectUnsafe;
};

/*! \brief Weak intrusive pointer: keeps the memory, not the payload, alive. */
template <typename T>
class WeakObjectPtr {
 public:
  WeakObjectPtr() = default;
  WeakObjectPtr(std::nullptr_t) {}  // NOLINT(*)
  WeakObjectPtr(const WeakObjectPtr<T>& other) : WeakObjectPtr(other.data_) {}
  WeakObjectPtr(const ObjectPtr<T>& other) : WeakObjectPtr(other.data_) {}  // NOLINT(*)
  template <typename U>
  WeakObjectPtr(const WeakObjectPtr<U>& other)  // NOLINT(*)
      : WeakObjectPtr(other.data_) {
    static_assert(std::is_base_of_v<T, U>, "can only assign a derived class pointer");
  }
  template <typename U>
  WeakObjectPtr(const ObjectPtr<U>& other)  // NOLINT(*)
      : WeakObjectPtr(other.data_) {
    static_assert(std::is_base_of_v<T, U>, "can only assign a derived class pointer");
  }
  WeakObjectPtr(WeakObjectPtr<T>&& other) noexcept : data_(other.data_) { other.data_ = nullptr; }
  template <typename U>
  WeakObjectPtr(WeakObjectPtr<U>&& other) noexcept : data_(other.data_) {  // NOLINT(*)
    static_assert(std::is_base_of_v<T, U>, "can only assign a derived class pointer");
    other.data_ = nullptr;
  }
  ~WeakObjectPtr() { this->reset(); }

  void swap(WeakObjectPtr<T>& other) noexcept { std::swap(data_, other.data_); }
  WeakObjectPtr<T>& operator=(const WeakObjectPtr<T>& other) {
    WeakObjectPtr<T>(other).swap(*this);
    return *this;
  }
  WeakObjectPtr<T>& operator=(WeakObjectPtr<T>&& other) noexcept {
    WeakObjectPtr<T>(std::move(other)).swap(*this);
    return *this;
  }
  /*! \return a strong pointer if the object is still alive, else null. */
  ObjectPtr<T> lock() const {
    ObjectPtr<T> result;
    if (data_ != nullptr && data_->TryPromoteWeakPtr()) result.data_ = data_;
    return result;
  }
  void reset() {
    if (data_ != nullptr) {
      data_->DecWeakRef();
      data_ = nullptr;
    }
  }
  int use_count() const { return data_ != nullptr ? static_cast<int>(data_->use_count()) : 0; }
  bool expired() const { return data_ == nullptr || data_->use_count() == 0; }

 private:
  explicit WeakObjectPtr(Object* data) : data_(data) {
    if (data_ != nullptr) data_->IncWeakRef();
  }
  Object* data_{nullptr};

  template <typename>
  friend class WeakObjectPtr;
};

/*! \brief Base class of all object references (a single strong pointer, may be null). */
class ObjectRef {
 public:
  ObjectRef() = default;
  ObjectRef(const ObjectRef& other) = default;
  ObjectRef(ObjectRef&& other) noexcept = default;
  ObjectRef& operator=(const ObjectRef& other) = default;
  ObjectRef& operator=(ObjectRef&& other) noexcept = default;
  explicit ObjectRef(ObjectPtr<Object> data) : data_(std::move(data)) {}
  explicit ObjectRef(UnsafeInit) {}

  bool same_as(const ObjectRef& other) const { return data_ == other.data_; }
  bool operator==(const ObjectRef& other) const { return data_ == other.data_; }
  bool operator!=(const ObjectRef& other) const { return data_ != other.data_; }
  bool operator<(const ObjectRef& other) const { return data_.get() < other.data_.get(); }
  bool defined() const { return data_ != nullptr; }
  const Object* get() const { return data_.get(); }
  const Object* operator->() const { return get(); }
  bool unique() const { return data_.unique(); }
  int use_count() const { return data_.use_count(); }

  /*! \return typed pointer to the object when it is an ObjectType, else nullptr. */
  template <typename ObjectType, typename = std::enable_if_t<std::is_base_of_v<Object, ObjectType>>>
  const ObjectType* as() const {
    if (data_ != nullptr && data_->IsInstance<ObjectType>()) {
      return static_cast<const ObjectType*>(data_.get());
    }
    return nullptr;
  }
  /*! \return a reference of type ObjectRefType when the object is an instance of it. */
  template <typename ObjectRefType,
            typename = std::enable_if_t<std::is_base_of_v<ObjectRef, ObjectRefType>>>
  std::optional<ObjectRefType> as() const {
    if (data_ != nullptr && data_->IsInstance<typename ObjectRefType::ContainerType>()) {
      ObjectRefType ref(UnsafeInit{});
      static_cast<ObjectRef&>(ref).data_ = data_;
      return ref;
    }
    return std::nullopt;
  }
  int32_t type_index() const { return data_ != nullptr ? data_->type_index() : kTVMFFINone; }
  std::string GetTypeKey() const {
    return data_ != nullptr ? data_->GetTypeKey() : StaticTypeKey::kTVMFFINone;
  }

  using ContainerType = Object;
  static constexpr bool _type_is_nullable = true;

 protected:
  ObjectPtr<Object> data_;
  Object* get_mutable() const { return data_.get(); }

  friend class details::ObjectUnsafe;
};

/*! \brief Hash of an object reference by pointer identity. */
struct ObjectPtrHash {
  size_t operator()(const ObjectRef& a) const { return operator()(a.get()); }
  template <typename T>
  size_t operator()(const ObjectPtr<T>& a) const {
    return operator()(a.get());
  }
  template <typename... V>
  size_t operator()(const Variant<V...>& a) const;
  size_t operator()(const Object* a) const { return std::hash<const Object*>()(a); }
};

/*! \brief Equality of object references by pointer identity. */
struct ObjectPtrEqual {
  bool operator()(const ObjectRef& a, const ObjectRef& b) const { return a.same_as(b); }
  template <typename T>
  bool operator()(const ObjectPtr<T>& a, const ObjectPtr<T>& b) const {
    return a == b;
  }
  template <typename... V>
  bool operator()(const Variant<V...>& a, const Variant<V...>& b) const;
};

namespace details {

/*!
 * \brief Subtype test through the type-index scheme shared with every binary:
 * exact match for final types, the reserved child-slot range, then (when the type allows
 * overflow) the ancestor table of the runtime.
 */
template <typename TargetType>
TVM_FFI_INLINE bool IsObjectInstance(int32_t object_type_index) {
  static_assert(std::is_base_of_v<Object, TargetType>);
  if constexpr (std::is_same_v<TargetType, Object>) {
    return true;
  } else if constexpr (TargetType::_type_final) {
    return object_type_index == TargetType::RuntimeTypeIndex();
  } else {
    const int32_t begin = TargetType::RuntimeTypeIndex();
    if constexpr (TargetType::_type_child_slots != 0) {
      const int32_t end = begin + static_cast<int32_t>(TargetType::_type_child_slots) + 1;
      if (object_type_index >= begin && object_type_index < end) return true;
    } else {
      if (object_type_index == begin) return true;
    }
    if constexpr (TargetType::_type_child_slots_can_overflow) {
      if (object_type_index < begin) return false;
      const TVMFFITypeInfo* info = TVMFFIGetTypeInfo(object_type_index);
      return info->type_depth > TargetType::_type_depth &&
             info->type_ancestors[TargetType::_type_depth]->type_index == begin;
    } else {
      return false;
    }
  }
}

/*! \brief Escape hatches used by macros, containers and advanced code. */
class ObjectUnsafe {
 public:
  static TVMFFIObject* GetHeader(const Object* src) {
    return const_cast<TVMFFIObject*>(&(src->header_));
  }
  template <typename Class>
  static int64_t GetObjectOffsetToSubclass() {
    return reinterpret_cast<int64_t>(static_cast<Object*>(reinterpret_cast<Class*>(0x1000))) -
           0x1000;
  }
  template <typename T>
  static T ObjectRefFromObjectPtr(const ObjectPtr<Object>& ptr) {
    T ref(UnsafeInit{});
    static_cast<ObjectRef&>(ref).data_ = ptr;
    return ref;
  }
  template <typename T>
  static T ObjectRefFromObjectPtr(ObjectPtr<Object>&& ptr) {
    T ref(UnsafeInit{});
    static_cast<ObjectRef&>(ref).data_ = std::move(ptr);
    return ref;
  }
  template <typename T>
  static ObjectPtr<T> ObjectPtrFromObjectRef(const ObjectRef& ref) {
    ObjectPtr<T> result;
    result.data_ = ref.data_.data_;
    if (result.data_ != nullptr) result.data_->IncRef();
    return result;
  }
  template <typename T>
  static ObjectPtr<T> ObjectPtrFromObjectRef(ObjectRef&& ref) {
    ObjectPtr<T> result;
    result.data_ = ref.data_.data_;
    ref.data_.data_ = nullptr;
    return result;
  }
  /*! \brief Adopt an owned reference (no IncRef). */
  template <typename T>
  static ObjectPtr<T> ObjectPtrFromOwned(Object* raw) {
    ObjectPtr<T> result;
    result.data_ = raw;
    return result;
  }
  template <typename T>
  static ObjectPtr<T> ObjectPtrFromOwned(TVMFFIObject* raw) {
    return ObjectPtrFromOwned<T>(reinterpret_cast<Object*>(raw));
  }
  /*! \brief Make a new strong reference from a borrowed pointer (IncRef). */
  template <typename T>
  static ObjectPtr<T> ObjectPtrFromUnowned(Object* raw) {
    return ObjectPtr<T>(raw);
  }
  template <typename T>
  static ObjectPtr<T> ObjectPtrFromUnowned(TVMFFIObject* raw) {
    return ObjectPtr<T>(reinterpret_cast<Object*>(raw));
  }
  template <typename T>
  static T* RawObjectPtrFromUnowned(TVMFFIObject* raw) {
    return static_cast<T*>(reinterpret_cast<Object*>(raw));
  }
  static void IncRefObjectHandle(TVMFFIObjectHandle handle) {
    if (handle != nullptr) reinterpret_cast<Object*>(handle)->IncRef();
  }
  static void DecRefObjectHandle(TVMFFIObjectHandle handle) {
    if (handle != nullptr) reinterpret_cast<Object*>(handle)->DecRef();
  }
  static Object* RawObjectPtrFromObjectRef(const ObjectRef& ref) { return ref.data_.data_; }
  static TVMFFIObject* TVMFFIObjectPtrFromObjectRef(const ObjectRef& ref) {
    return ref.data_.data_ != nullptr ? &(ref.data_.data_->header_) : nullptr;
  }
  template <typename T>
  static TVMFFIObject* TVMFFIObjectPtrFromObjectPtr(const ObjectPtr<T>& ptr) {
    return ptr.data_ != nullptr ? &(ptr.data_->header_) : nullptr;
  }
  /*! \brief Release ownership to a raw handle (the caller now owns one reference). */
  template <typename T>
  static TVMFFIObject* MoveObjectPtrToTVMFFIObjectPtr(ObjectPtr<T>&& ptr) {
    Object* obj = ptr.data_;
    ptr.data_ = nullptr;
    return obj != nullptr ? &(obj->header_) : nullptr;
  }
  static TVMFFIObject* MoveObjectRefToTVMFFIObjectPtr(ObjectRef&& ref) {
    return MoveObjectPtrToTVMFFIObjectPtr(std::move(ref.data_));
  }
  /*! \brief Direct access to a reference's pointer slot (used by RValueRef). */
  static Object** GetObjectPtrSlot(ObjectRef* ref) { return &(ref->data_.data_); }
  template <typename T>
  static Object** GetObjectPtrSlot(ObjectPtr<T>* ptr) {
    return &(ptr->data_);
  }
};

}  // namespace details

/*!
 * \brief Declare the runtime type of an object class whose `_type_key` is already defined.
 * The type index is allocated by the runtime on first use and cached per binary.
 */
#define TVM_FFI_DECLARE_OBJECT_INFO_PREDEFINED_TYPE_KEY(TypeName, ParentType)                   \
  static constexpr int32_t _type_depth = ParentType::_type_depth + 1;                           \
  static int32_t _GetOrAllocRuntimeTypeIndex() {                                                \
    static_assert(!ParentType::_type_final, "ParentType is marked final");                      \
    static_assert(TypeName::_type_child_slots == 0 || ParentType::_type_child_slots == 0 ||     \
                      TypeName::_type_child_slots < ParentType::_type_child_slots,              \
                  "a subclass must reserve fewer child slots than its parent");                 \
    static int32_t tindex = [] {                                                                \
      TVMFFIByteArray type_key{TypeName::_type_key,                                             \
                               std::char_traits<char>::length(TypeName::_type_key)};            \
      return TVMFFITypeGetOrAllocIndex(                                                         \
          &type_key, -1, TypeName::_type_depth, TypeName::_type_child_slots,                    \
          TypeName::_type_child_slots_can_overflow, ParentType::_GetOrAllocRuntimeTypeIndex()); \
    }();                                                                                        \
    return tindex;                                                                              \
  }                                                                                             \
  static int32_t RuntimeTypeIndex() { return TypeName::_GetOrAllocRuntimeTypeIndex(); }

/*! \brief Declare the runtime type of an object class with type key TypeKey. */
#define TVM_FFI_DECLARE_OBJECT_INFO(TypeKey, TypeName, ParentType) \
  static constexpr const char* _type_key = TypeKey;                \
  TVM_FFI_DECLARE_OBJECT_INFO_PREDEFINED_TYPE_KEY(TypeName, ParentType)

/*! \brief Like TVM_FFI_DECLARE_OBJECT_INFO, for a class that has no subclasses. */
#define TVM_FFI_DECLARE_OBJECT_INFO_FINAL(TypeKey, TypeName, ParentType) \
  static constexpr const char* _type_key = TypeKey;                      \
  static constexpr bool _type_final = true;                              \
  static constexpr uint32_t _type_child_slots = 0;                       \
  TVM_FFI_DECLARE_OBJECT_INFO_PREDEFINED_TYPE_KEY(TypeName, ParentType)

/*!
 * \brief Declare a built-in type whose index is the compile-time constant `_type_index`
 * (declared by the class). Ends with `_type_key = TypeKey` so the user writes the `;`.
 */
#define TVM_FFI_DECLARE_OBJECT_INFO_STATIC(TypeKey, TypeName, ParentType)                       \
  static constexpr int32_t _type_depth = ParentType::_type_depth + 1;                           \
  static int32_t _GetOrAllocRuntimeTypeIndex() {                                                \
    static int32_t tindex = [] {                                                                \
      TVMFFIByteArray type_key{TypeName::_type_key,                                             \
                               std::char_traits<char>::length(TypeName::_type_key)};            \
      return TVMFFITypeGetOrAllocIndex(                                                         \
          &type_key, TypeName::_type_index, TypeName::_type_depth, TypeName::_type_child_slots, \
          TypeName::_type_child_slots_can_overflow, ParentType::_GetOrAllocRuntimeTypeIndex()); \
    }();                                                                                        \
    return tindex;                                                                              \
  }                                                                                             \
  static constexpr int32_t RuntimeTypeIndex() { return TypeName::_type_index; }                 \
  static constexpr const char* _type_key = TypeKey

/*! \brief Members shared by both reference-class macros. */
#define TVM_FFI_DEFINE_OBJECT_REF_METHODS_COMMON_(TypeName, ParentType, ObjectName)                \
  explicit TypeName(::tvm::ffi::UnsafeInit tag) : ParentType(tag) {}                               \
  TVM_FFI_DEFINE_DEFAULT_COPY_MOVE_AND_ASSIGN(TypeName)                                            \
  using __PtrType = std::conditional_t<ObjectName::_type_mutable, ObjectName*, const ObjectName*>; \
  __PtrType operator->() const { return static_cast<__PtrType>(data_.get()); }                     \
  __PtrType get() const { return static_cast<__PtrType>(data_.get()); }                            \
  using ContainerType = ObjectName

/*! \brief Standard members of a nullable reference class (default state: null). */
#define TVM_FFI_DEFINE_OBJECT_REF_METHODS_NULLABLE(TypeName, ParentType, ObjectName)              \
  TypeName() = default;                                                                           \
  explicit TypeName(::tvm::ffi::ObjectPtr<ObjectName> n) : ParentType(::tvm::ffi::UnsafeInit{}) { \
    data_ = ::tvm::ffi::ObjectPtr<::tvm::ffi::Object>(std::move(n));                              \
  }                                                                                               \
  static constexpr bool _type_is_nullable = true;                                                 \
  TVM_FFI_DEFINE_OBJECT_REF_METHODS_COMMON_(TypeName, ParentType, ObjectName)

/*! \brief Standard members of a non-nullable reference class (the class adds constructors). */
#define TVM_FFI_DEFINE_OBJECT_REF_METHODS_NOTNULLABLE(TypeName, ParentType, ObjectName) \
  static constexpr bool _type_is_nullable = false;                                      \
  TVM_FFI_DEFINE_OBJECT_REF_METHODS_COMMON_(TypeName, ParentType, ObjectName)

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_OBJECT_H_
