/*!
 * \file object.cc
 * \brief The runtime type table, reflection registration, type attributes, reference
 *        counting entry points and opaque objects.
 *
 * C functions implemented here: TVMFFIGetVersion, TVMFFIObjectIncRef, TVMFFIObjectDecRef,
 * TVMFFIObjectCreateOpaque, TVMFFITypeKeyToIndex, TVMFFITypeGetOrAllocIndex,
 * TVMFFIGetTypeInfo, TVMFFITypeRegisterField, TVMFFITypeRegisterMethod,
 * TVMFFITypeRegisterMetadata, TVMFFITypeRegisterAttr, TVMFFIGetTypeAttrColumn.
 */
#include <tvm/ffi/c_api.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "object_internal.h"
#include "runtime_base.h"
#include "string_internal.h"

namespace tvm {
namespace ffi {
namespace runtime {
namespace {

/*! \brief One entry of the type table. `info` is what TVMFFIGetTypeInfo hands out. */
struct TypeEntry {
  TVMFFITypeInfo info;
  /*! \brief Owned copy of the key (info.type_key points into it). */
  std::string key;
  /*! \brief Backing store of info.type_ancestors; never modified after creation. */
  std::vector<const TVMFFITypeInfo*> ancestors;
  /*! \brief Number of consecutive indices reserved for this type and its descendants. */
  int32_t reserved_slots = 1;
  /*! \brief How many of the reserved indices are in use (the type itself uses one). */
  int32_t used_slots = 1;
  /*! \brief Whether descendants may take indices outside the reserved range. */
  bool can_overflow = true;
  std::vector<TVMFFIFieldInfo> fields;
  std::vector<TVMFFIMethodInfo> methods;
  std::unique_ptr<TVMFFITypeMetadata> metadata;
};

/*! \brief One named attribute column. `column` is what TVMFFIGetTypeAttrColumn hands out. */
struct AttrColumn {
  TVMFFITypeAttrColumn column{nullptr, 0, 0};  // begin_index is always 0
  /*! \brief Owning cells (entries that were never set are None). */
  std::vector<TVMFFIAny> values;
};

/*!
 * \brief Process-wide type table.
 *
 * Entries are addressed through a two-level table of atomic pointers so that
 * TVMFFIGetTypeInfo can read without taking the lock while other threads register types.
 * Everything here is intentionally leaked: objects may still query type information while
 * the process shuts down.
 */
class TypeTable {
 public:
  static TypeTable* Global() {
    static TypeTable* table = new TypeTable();
    return table;
  }

  TypeEntry* Find(int32_t index) const {
    if (index < 0) return nullptr;
    uint32_t chunk_id = static_cast<uint32_t>(index) >> kChunkBits;
    if (chunk_id >= kMaxChunks) return nullptr;
    std::atomic<TypeEntry*>* chunk = chunks_[chunk_id].load(std::memory_order_acquire);
    if (chunk == nullptr) return nullptr;
    return chunk[static_cast<uint32_t>(index) & kChunkMask].load(std::memory_order_acquire);
  }

  TypeEntry* FindOrThrow(int32_t index) const {
    TypeEntry* entry = Find(index);
    if (entry == nullptr) {
      TVM_FFI_THROW(InternalError) << "Cannot find type info for type_index=" << index;
    }
    return entry;
  }

  std::mutex& mutex() { return mutex_; }

  /*! \brief Look up a key; -1 when absent. Caller holds the lock. */
  int32_t LookupKeyLocked(std::string_view key) const {
    auto it = key_to_index_.find(std::string(key));
    return it == key_to_index_.end() ? -1 : it->second;
  }

  int32_t GetOrAllocIndex(std::string_view key, int32_t static_index, int32_t depth,
                          int32_t num_child_slots, bool child_slots_can_overflow,
                          int32_t parent_index) {
    std::lock_guard<std::mutex> lock(mutex_);
    int32_t existing = LookupKeyLocked(key);
    if (existing >= 0) return existing;
    // Parent -2 only asks whether the key exists.
    if (parent_index == kQueryOnlyParent) return kQueryOnlyParent;

    TypeEntry* parent = nullptr;
    if (parent_index >= 0) {
      parent = Find(parent_index);
      if (parent == nullptr) {
        TVM_FFI_THROW(InternalError)
            << "Cannot register type `" << key << "`: parent type_index=" << parent_index
            << " is not registered";
      }
      if (depth != parent->info.type_depth + 1) {
        TVM_FFI_THROW(InternalError) << "Check failed: type_depth == parent_depth + 1 (" << depth
                                     << " vs. " << parent->info.type_depth + 1 << ") : type `"
                                     << key << "` has parent `" << parent->key << "`";
      }
    } else if (depth != 0) {
      TVM_FFI_THROW(InternalError) << "Check failed: type_depth == 0 (" << depth
                                   << " vs. 0) : root type `" << key << "` must have depth 0";
    }
    if (num_child_slots < 0) {
      TVM_FFI_THROW(InternalError) << "Check failed: num_child_slots >= 0 (" << num_child_slots
                                   << " vs. 0) : type `" << key << "`";
    }

    int32_t index;
    if (static_index >= 0) {
      if (Find(static_index) != nullptr) {
        TVM_FFI_THROW(InternalError)
            << "Conflicting static index " << static_index << " for type `" << key
            << "`, already used by `" << Find(static_index)->key << "`";
      }
      index = static_index;
      if (index >= next_dynamic_index_) next_dynamic_index_ = index + 1;
    } else {
      const int32_t needed = num_child_slots + 1;
      if (parent != nullptr && parent->reserved_slots - parent->used_slots >= needed) {
        // Take the next indices of the range the parent reserved for its descendants.
        index = parent->info.type_index + parent->used_slots;
        parent->used_slots += needed;
      } else if (parent == nullptr || parent->can_overflow) {
        index = next_dynamic_index_;
        next_dynamic_index_ += needed;
      } else {
        TVM_FFI_THROW(InternalError) << "Reach maximum number of sub-classes for " << parent->key;
      }
    }

    // Descendants of a type that must stay inside its parent's range cannot overflow either.
    AddEntry(index, key, depth, parent, num_child_slots + 1,
             child_slots_can_overflow && (parent == nullptr || parent->can_overflow));
    return index;
  }

  /*! \brief Named attribute columns (created on demand). Caller holds the lock. */
  AttrColumn* GetOrCreateColumnLocked(std::string_view name) {
    auto it = attr_columns_.find(std::string(name));
    if (it != attr_columns_.end()) return it->second;
    AttrColumn* column = new AttrColumn();
    attr_columns_.emplace(std::string(name), column);
    return column;
  }

  AttrColumn* FindColumnLocked(std::string_view name) {
    auto it = attr_columns_.find(std::string(name));
    return it == attr_columns_.end() ? nullptr : it->second;
  }

 private:
  static constexpr int32_t kQueryOnlyParent = -2;
  static constexpr uint32_t kChunkBits = 10;
  static constexpr uint32_t kChunkSize = 1u << kChunkBits;
  static constexpr uint32_t kChunkMask = kChunkSize - 1;
  static constexpr uint32_t kMaxChunks = 1u << 14;

  TypeTable() {
    for (auto& chunk : chunks_) chunk.store(nullptr, std::memory_order_relaxed);
    RegisterStaticTypes();
    // Columns that exist before any module runs, even while empty: header code of 0.1.15-era
    // modules caches these column pointers on first use and fails (or silently disables a
    // feature) when one is missing.
    static const char* const kStartupColumns[] = {
        "__s_visit__",          "__s_mutate__",     "__s_maybe_inplace_mutate__",
        "__ffi_shallow_copy__", "__ffi_enum__",     "__ffi_repr__",
        "__ffi_hash__",         "__ffi_eq__",       "__ffi_compare__",
        "__ffi_new__",          "__ffi_init__",     "__s_hash__",
        "__s_equal__",          "__data_to_json__", "__data_from_json__",
    };
    for (const char* name : kStartupColumns) GetOrCreateColumnLocked(name);
  }

  /*!
   * \brief Create the entry of a new type at `index` (a child of `parent`, or a root when it
   *        is null), with no fields, methods or metadata yet, publish it and map `key` to it.
   *        Caller holds the lock (or is the constructor).
   */
  TypeEntry* AddEntry(int32_t index, std::string_view key, int32_t depth, TypeEntry* parent,
                      int32_t reserved_slots, bool can_overflow) {
    auto entry = std::make_unique<TypeEntry>();
    entry->key = std::string(key);
    entry->reserved_slots = reserved_slots;
    entry->used_slots = 1;
    entry->can_overflow = can_overflow;
    if (parent != nullptr) {
      entry->ancestors = parent->ancestors;
      entry->ancestors.push_back(&parent->info);
    }
    TVMFFITypeInfo& info = entry->info;
    std::memset(&info, 0, sizeof(info));  // no fields, methods or metadata
    info.type_index = index;
    info.type_depth = depth;
    info.type_key = TVMFFIByteArray{entry->key.data(), entry->key.size()};
    info.type_ancestors = entry->ancestors.empty() ? nullptr : entry->ancestors.data();
    info.type_key_hash = static_cast<uint64_t>(std::hash<std::string_view>()(entry->key));
    Publish(index, entry.get());
    key_to_index_.emplace(entry->key, index);
    return entry.release();
  }

  /*! \brief Make an entry visible to lock-free readers. Caller holds the lock. */
  void Publish(int32_t index, TypeEntry* entry) {
    uint32_t chunk_id = static_cast<uint32_t>(index) >> kChunkBits;
    if (chunk_id >= kMaxChunks) {
      TVM_FFI_THROW(InternalError) << "type_index=" << index << " exceeds the type table";
    }
    std::atomic<TypeEntry*>* chunk = chunks_[chunk_id].load(std::memory_order_acquire);
    if (chunk == nullptr) {
      chunk = new std::atomic<TypeEntry*>[kChunkSize];
      for (uint32_t i = 0; i < kChunkSize; ++i) chunk[i].store(nullptr, std::memory_order_relaxed);
      chunks_[chunk_id].store(chunk, std::memory_order_release);
    }
    chunk[static_cast<uint32_t>(index) & kChunkMask].store(entry, std::memory_order_release);
  }

  void RegisterStaticTypes();

  std::mutex mutex_;
  std::atomic<std::atomic<TypeEntry*>*> chunks_[kMaxChunks];
  std::unordered_map<std::string, int32_t> key_to_index_;
  std::unordered_map<std::string, AttrColumn*> attr_columns_;
  int32_t next_dynamic_index_ = kTVMFFIDynObjectBegin;
};

void TypeTable::RegisterStaticTypes() {
  struct StaticType {
    int32_t index;
    const char* key;
  };
  // Value types: roots without ancestors.
  const StaticType pod_types[] = {
      {kTVMFFINone, StaticTypeKey::kTVMFFINone},
      {kTVMFFIInt, StaticTypeKey::kTVMFFIInt},
      {kTVMFFIBool, StaticTypeKey::kTVMFFIBool},
      {kTVMFFIFloat, StaticTypeKey::kTVMFFIFloat},
      {kTVMFFIOpaquePtr, StaticTypeKey::kTVMFFIOpaquePtr},
      {kTVMFFIDataType, StaticTypeKey::kTVMFFIDataType},
      {kTVMFFIDevice, StaticTypeKey::kTVMFFIDevice},
      {kTVMFFIDLTensorPtr, StaticTypeKey::kTVMFFIDLTensorPtr},
      {kTVMFFIRawStr, StaticTypeKey::kTVMFFIRawStr},
      {kTVMFFIByteArrayPtr, StaticTypeKey::kTVMFFIByteArrayPtr},
      {kTVMFFIObjectRValueRef, StaticTypeKey::kTVMFFIObjectRValueRef},
      {kTVMFFISmallStr, StaticTypeKey::kTVMFFISmallStr},
      {kTVMFFISmallBytes, StaticTypeKey::kTVMFFISmallBytes},
      {kTVMFFIUnchanged, StaticTypeKey::kTVMFFIUnchanged},
  };
  // The constructor runs inside Global()'s initialisation, so add the entries directly
  // (without GetOrAllocIndex's lock and checks).
  auto add = [this](int32_t index, std::string_view key, TypeEntry* parent, int32_t reserved,
                    bool can_overflow) {
    int32_t depth = parent == nullptr ? 0 : parent->info.type_depth + 1;
    return AddEntry(index, key, depth, parent, reserved, can_overflow);
  };
  for (const StaticType& t : pod_types) add(t.index, t.key, nullptr, 1, false);

  TypeEntry* object = add(kTVMFFIObject, StaticTypeKey::kTVMFFIObject, nullptr, 1, true);
  object->metadata = std::make_unique<TVMFFITypeMetadata>();
  std::memset(object->metadata.get(), 0, sizeof(TVMFFITypeMetadata));
  object->metadata->doc = TVMFFIByteArray{nullptr, 0};
  object->metadata->creator = nullptr;
  object->metadata->total_size = static_cast<int32_t>(sizeof(TVMFFIObject));
  object->metadata->structural_eq_hash_kind = kTVMFFISEqHashKindUnsupported;
  object->info.metadata = object->metadata.get();

  const StaticType object_types[] = {
      {kTVMFFIStr, StaticTypeKey::kTVMFFIStr},
      {kTVMFFIBytes, StaticTypeKey::kTVMFFIBytes},
      {kTVMFFIError, StaticTypeKey::kTVMFFIError},
      {kTVMFFIFunction, StaticTypeKey::kTVMFFIFunction},
      {kTVMFFIShape, StaticTypeKey::kTVMFFIShape},
      {kTVMFFITensor, StaticTypeKey::kTVMFFITensor},
      {kTVMFFIArray, StaticTypeKey::kTVMFFIArray},
      {kTVMFFIMap, StaticTypeKey::kTVMFFIMap},
      {kTVMFFIModule, StaticTypeKey::kTVMFFIModule},
      {kTVMFFIOpaquePyObject, StaticTypeKey::kTVMFFIOpaquePyObject},
      {kTVMFFIList, StaticTypeKey::kTVMFFIList},
      {kTVMFFIDict, StaticTypeKey::kTVMFFIDict},
      {kTVMFFIVisitInterrupt, StaticTypeKey::kTVMFFIVisitInterrupt},
      {kTVMFFIBigInt, StaticTypeKey::kTVMFFIBigInt},
  };
  for (const StaticType& t : object_types) add(t.index, t.key, object, 1, false);

  // Columns that header code looks up once and caches (a missing column would be cached as
  // "absent" forever): the per-type key hash / key equality hooks used by Map and Dict.
  GetOrCreateColumnLocked("__any_hash__");
  GetOrCreateColumnLocked("__any_equal__");
}

/*! \brief Runtime-owned, NUL-terminated copy of a byte array; empty input gives {NULL, 0}. */
TVMFFIByteArray CopyToRuntimeStorage(const TVMFFIByteArray& src) {
  if (src.size == 0 || src.data == nullptr) return TVMFFIByteArray{nullptr, 0};
  char* storage = new char[src.size + 1];
  std::memcpy(storage, src.data, src.size);
  storage[src.size] = '\0';
  return TVMFFIByteArray{storage, src.size};
}

/*! \brief Owning copy of a view that the runtime keeps alive forever. */
TVMFFIAny KeepAliveOwned(const TVMFFIAny& view) {
  TVMFFIAny owned;
  AnyViewToOwned(&view, &owned);
  return owned;
}

TVMFFIAny NoneAny() {
  TVMFFIAny value;
  value.type_index = kTVMFFINone;
  value.zero_padding = 0;
  value.v_int64 = 0;
  return value;
}

/*!
 * \brief Shared body of TVMFFITypeRegisterField and TVMFFITypeRegisterMethod: copy `info`
 *        with its name/doc/metadata moved into runtime storage, let `own_value` give the copy
 *        its owned value, and append it to the type's `list`. The type info's `items`/`count`
 *        are refreshed afterwards because the vector may have moved.
 */
template <typename Info, typename OwnValue>
void AppendMemberInfo(int32_t type_index, const Info& info, std::vector<Info> TypeEntry::* list,
                      const Info* TVMFFITypeInfo::* items, int32_t TVMFFITypeInfo::* count,
                      OwnValue own_value) {
  TypeTable* table = TypeTable::Global();
  TypeEntry* entry = table->FindOrThrow(type_index);
  Info copy = info;
  copy.name = CopyToRuntimeStorage(info.name);
  copy.doc = CopyToRuntimeStorage(info.doc);
  copy.metadata = CopyToRuntimeStorage(info.metadata);
  own_value(&copy);
  std::lock_guard<std::mutex> lock(table->mutex());
  std::vector<Info>& records = entry->*list;
  records.push_back(copy);
  entry->info.*items = records.data();
  entry->info.*count = static_cast<int32_t>(records.size());
}

/*!
 * \brief Rejects a second field of the same name on one type (InternalError); a name that
 *        shadows a field of an ancestor only prints a warning.
 */
void CheckNewFieldName(int32_t type_index, std::string_view name) {
  TypeTable* table = TypeTable::Global();
  TypeEntry* entry = table->FindOrThrow(type_index);
  auto has_field = [name](const TypeEntry* e) {
    for (const TVMFFIFieldInfo& f : e->fields) {
      if (std::string_view(f.name.data == nullptr ? "" : f.name.data, f.name.size) == name) {
        return true;
      }
    }
    return false;
  };
  bool duplicate = false;
  std::string shadowed;
  {
    std::lock_guard<std::mutex> lock(table->mutex());
    duplicate = has_field(entry);
    for (const TVMFFITypeInfo* ancestor : entry->ancestors) {
      TypeEntry* a = table->Find(ancestor->type_index);
      if (a != nullptr && has_field(a)) shadowed = a->key;
    }
  }
  if (duplicate) {
    TVM_FFI_THROW(InternalError) << "Check failed: (!duplicate) is false: Duplicate field name \""
                                 << name << "\" in type \"" << entry->key << "\"";
  }
  if (!shadowed.empty()) {
    std::fprintf(stderr, "[WARNING] field \"%.*s\" of type \"%s\" shadows a field of \"%s\"\n",
                 static_cast<int>(name.size()), name.data(), entry->key.c_str(), shadowed.c_str());
  }
}

/*! \brief Opaque foreign handle wrapped as an object (ffi.OpaquePyObject). */
class OpaqueObject : public Object, public TVMFFIOpaqueObjectCell {
 public:
  static constexpr int32_t _type_index = kTVMFFIOpaquePyObject;
  static constexpr int32_t RuntimeTypeIndex() { return kTVMFFIOpaquePyObject; }

  OpaqueObject(void* h, void (*deleter)(void*)) : user_deleter_(deleter) { this->handle = h; }
  ~OpaqueObject() {
    if (user_deleter_ != nullptr) user_deleter_(this->handle);
  }

 private:
  void (*user_deleter_)(void* handle);
};

}  // namespace

std::string TypeKeyOf(int32_t type_index) {
  TypeEntry* entry = TypeTable::Global()->Find(type_index);
  if (entry != nullptr) return entry->key;
  if (type_index == kTVMFFIDLTensorPtr) return StaticTypeKey::kTVMFFIDLTensorPtr;
  return "type_index=" + std::to_string(type_index);
}

}  // namespace runtime
}  // namespace ffi
}  // namespace tvm

using tvm::ffi::runtime::TypeEntry;
using tvm::ffi::runtime::TypeTable;

// The runtime's own version comes from runtime-cpp/CMakeLists.txt (project VERSION); it may differ
// from the headers' version in the patch number only.
#if !defined(TVM_FFI_RUNTIME_VERSION_MAJOR) || !defined(TVM_FFI_RUNTIME_VERSION_MINOR) || \
    !defined(TVM_FFI_RUNTIME_VERSION_PATCH)
#error "the build (runtime-cpp/CMakeLists.txt) must define TVM_FFI_RUNTIME_VERSION_*"
#endif
static_assert(TVM_FFI_RUNTIME_VERSION_MAJOR == TVM_FFI_VERSION_MAJOR &&
                  TVM_FFI_RUNTIME_VERSION_MINOR == TVM_FFI_VERSION_MINOR,
              "the runtime must implement the ABI major.minor of tvm/ffi/c_api.h");

void TVMFFIGetVersion(TVMFFIVersion* out_version) {
  out_version->major = TVM_FFI_RUNTIME_VERSION_MAJOR;
  out_version->minor = TVM_FFI_RUNTIME_VERSION_MINOR;
  out_version->patch = TVM_FFI_RUNTIME_VERSION_PATCH;
}

int TVMFFIObjectIncRef(TVMFFIObjectHandle obj) {
  tvm::ffi::details::ObjectUnsafe::IncRefObjectHandle(obj);
  return 0;
}

int TVMFFIObjectDecRef(TVMFFIObjectHandle obj) {
  tvm::ffi::details::ObjectUnsafe::DecRefObjectHandle(obj);
  return 0;
}

int TVMFFIObjectCreateOpaque(void* handle, int32_t type_index, void (*deleter)(void* handle),
                             TVMFFIObjectHandle* out) {
  TVM_FFI_SAFE_CALL_BEGIN();
  if (type_index != kTVMFFIOpaquePyObject) {
    TVM_FFI_THROW(RuntimeError) << "Only kTVMFFIOpaquePyObject is supported for now";
  }
  auto ptr = tvm::ffi::make_object<tvm::ffi::runtime::OpaqueObject>(handle, deleter);
  *out = tvm::ffi::details::ObjectUnsafe::MoveObjectPtrToTVMFFIObjectPtr(std::move(ptr));
  TVM_FFI_SAFE_CALL_END();
}

int TVMFFITypeKeyToIndex(const TVMFFIByteArray* type_key, int32_t* out_tindex) {
  TVM_FFI_SAFE_CALL_BEGIN();
  std::string_view key = tvm::ffi::runtime::ToStringView(type_key);
  TypeTable* table = TypeTable::Global();
  int32_t index;
  {
    std::lock_guard<std::mutex> lock(table->mutex());
    index = table->LookupKeyLocked(key);
  }
  if (index < 0) {
    TVM_FFI_THROW(InternalError) << "Cannot find type `" << key << "`";
  }
  *out_tindex = index;
  TVM_FFI_SAFE_CALL_END();
}

int32_t TVMFFITypeGetOrAllocIndex(const TVMFFIByteArray* type_key, int32_t static_type_index,
                                  int32_t type_depth, int32_t num_child_slots,
                                  int32_t child_slots_can_overflow, int32_t parent_type_index) {
  TVM_FFI_LOG_EXCEPTION_CALL_BEGIN();
  return TypeTable::Global()->GetOrAllocIndex(tvm::ffi::runtime::ToStringView(type_key),
                                              static_type_index, type_depth, num_child_slots,
                                              child_slots_can_overflow != 0, parent_type_index);
  TVM_FFI_LOG_EXCEPTION_CALL_END(TVMFFITypeGetOrAllocIndex);
  return -1;
}

const TVMFFITypeInfo* TVMFFIGetTypeInfo(int32_t type_index) {
  TypeEntry* entry = TypeTable::Global()->Find(type_index);
  if (entry == nullptr) {
    std::string message = "Cannot find type info for type_index=" + std::to_string(type_index);
    tvm::ffi::runtime::FatalExit("TVMFFIGetTypeInfo", message.c_str());
  }
  return &entry->info;
}

int TVMFFITypeRegisterField(int32_t type_index, const TVMFFIFieldInfo* info) {
  TVM_FFI_SAFE_CALL_BEGIN();
  using namespace tvm::ffi::runtime;
  CheckNewFieldName(type_index, ToStringView(&info->name));
  AppendMemberInfo(type_index, *info, &TypeEntry::fields, &TVMFFITypeInfo::fields,
                   &TVMFFITypeInfo::num_fields, [info](TVMFFIFieldInfo* copy) {
                     // Both the default (or its factory) and a Function-object setter are kept
                     // alive for the life of the process, like the record itself.
                     copy->default_value_or_factory =
                         (info->flags & kTVMFFIFieldFlagBitMaskHasDefault)
                             ? KeepAliveOwned(info->default_value_or_factory)
                             : NoneAny();
                     if ((info->flags & kTVMFFIFieldFlagBitSetterIsFunctionObj) != 0 &&
                         info->setter != nullptr) {
                       tvm::ffi::details::ObjectUnsafe::IncRefObjectHandle(info->setter);
                     }
                   });
  TVM_FFI_SAFE_CALL_END();
}

int TVMFFITypeRegisterMethod(int32_t type_index, const TVMFFIMethodInfo* info) {
  TVM_FFI_SAFE_CALL_BEGIN();
  using namespace tvm::ffi::runtime;
  AppendMemberInfo(type_index, *info, &TypeEntry::methods, &TVMFFITypeInfo::methods,
                   &TVMFFITypeInfo::num_methods,
                   [info](TVMFFIMethodInfo* copy) { copy->method = KeepAliveOwned(info->method); });
  TVM_FFI_SAFE_CALL_END();
}

int TVMFFITypeRegisterMetadata(int32_t type_index, const TVMFFITypeMetadata* metadata) {
  TVM_FFI_SAFE_CALL_BEGIN();
  using namespace tvm::ffi::runtime;
  TypeTable* table = TypeTable::Global();
  TypeEntry* entry = table->FindOrThrow(type_index);
  std::lock_guard<std::mutex> lock(table->mutex());
  if (entry->info.metadata != nullptr) {
    TVM_FFI_LOG_AND_THROW(RuntimeError)
        << "Overriding " << entry->key << ", possible causes:\n"
        << "- two TVM_FFI_STATIC_INIT_BLOCK registrations of the same type metadata\n"
        << "- a library that registers this type was loaded twice";
  }
  auto copy = std::make_unique<TVMFFITypeMetadata>(*metadata);
  copy->doc = CopyToRuntimeStorage(metadata->doc);
  entry->metadata = std::move(copy);
  entry->info.metadata = entry->metadata.get();
  TVM_FFI_SAFE_CALL_END();
}

int TVMFFITypeRegisterAttr(int32_t type_index, const TVMFFIByteArray* attr_name,
                           const TVMFFIAny* attr_value) {
  TVM_FFI_SAFE_CALL_BEGIN();
  using namespace tvm::ffi::runtime;
  TypeTable* table = TypeTable::Global();
  std::string_view name = ToStringView(attr_name);
  std::unique_lock<std::mutex> lock(table->mutex());
  AttrColumn* column = table->GetOrCreateColumnLocked(name);
  if (type_index == kTVMFFINone) return 0;  // only make sure the column exists
  if (type_index < 0) {
    TVM_FFI_THROW(InternalError) << "Invalid type_index=" << type_index << " for type attribute `"
                                 << name << "`";
  }
  size_t slot = static_cast<size_t>(type_index);
  if (slot < column->values.size() && column->values[slot].type_index != kTVMFFINone) {
    lock.unlock();
    TVM_FFI_THROW(RuntimeError) << "TypeAttr `" << name << "` is already registered for type index "
                                << type_index << ". Register a mutable container (e.g. a Dict) "
                                << "once instead if the attribute must change.";
  }
  // Convert before growing so that a failing conversion leaves the column untouched.
  TVMFFIAny owned;
  AnyViewToOwned(attr_value, &owned);
  if (slot >= column->values.size()) column->values.resize(slot + 1, NoneAny());
  column->values[slot] = owned;
  column->column.data = column->values.data();
  column->column.size = static_cast<int32_t>(column->values.size());
  TVM_FFI_SAFE_CALL_END();
}

const TVMFFITypeAttrColumn* TVMFFIGetTypeAttrColumn(const TVMFFIByteArray* attr_name) {
  TVM_FFI_LOG_EXCEPTION_CALL_BEGIN();
  using namespace tvm::ffi::runtime;
  TypeTable* table = TypeTable::Global();
  std::lock_guard<std::mutex> lock(table->mutex());
  AttrColumn* column = table->FindColumnLocked(ToStringView(attr_name));
  return column == nullptr ? nullptr : &column->column;
  TVM_FFI_LOG_EXCEPTION_CALL_END(TVMFFIGetTypeAttrColumn);
  return nullptr;
}
