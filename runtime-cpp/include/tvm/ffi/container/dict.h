/*!
 * \file tvm/ffi/container/dict.h
 * \brief The mutable hash map: DictObj (type index kTVMFFIDict, key "ffi.Dict") and Dict<K, V>.
 *
 * A Dict has the storage and the insert/lookup/erase/iteration algorithms of Map
 * (map_base.h) but reference semantics: every copy of a Dict<K, V> refers to the same object,
 * mutations act in place whatever the reference count, and the object's address never
 * changes. When an insertion needs a new container (small growth, small-to-dense switch,
 * rehash) the new container's storage is switched into the existing object
 * (MapBaseObj::InplaceSwitchTo). Dict::clear() empties in place and keeps the representation.
 */
#ifndef TVM_FFI_CONTAINER_DICT_H_
#define TVM_FFI_CONTAINER_DICT_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/container/container_details.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/container/map_base.h>
#include <tvm/ffi/object.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>

namespace tvm {
namespace ffi {

/*! \brief The dict object (ffi.Dict): MapBaseObj storage, in-place discipline. */
class DictObj : public MapBaseObj {
 public:
  /*! \return a new dict object (ffi.Dict) holding copies of the entries of `from`. */
  static ObjectPtr<Object> ShallowCopy(const DictObj* from) {
    return MapBaseObj::CopyFrom(from, TypeIndex::kTVMFFIDict);
  }

  static constexpr int32_t _type_index = TypeIndex::kTVMFFIDict;
  static constexpr bool _type_final = true;
  /*! \brief Mutable through object pointers (e.g. `ListObj*` function parameters). */
  static constexpr bool _type_mutable = true;
  TVM_FFI_DECLARE_OBJECT_INFO_STATIC(StaticTypeKey::kTVMFFIDict, DictObj, Object);

 private:
  friend struct details::ContainerLayoutProbe;
};
static_assert(sizeof(DictObj) == sizeof(MapBaseObj), "DictObj adds no field");

/*!
 * \brief DictObj has no storage of its own (the allocation is a small or dense map): create it
 * through its reference type or MapBaseObj::Empty.
 */
template <>
inline ObjectPtr<DictObj> make_object<DictObj>() = delete;

/*!
 * \brief Mutable, shared hash map reference with typed keys and values.
 *
 * Iteration follows insertion order (an update of a key in a dense dict moves it to the end).
 *
 * \tparam K key type (Any, or a storable type)
 * \tparam V value type (Any, or a storable type)
 */
template <typename K, typename V,
          typename =
              std::enable_if_t<details::storage_enabled_v<K> && details::storage_enabled_v<V>>>
class Dict : public ObjectRef {
 public:
  using key_type = K;
  using mapped_type = V;
  using iterator = typename Map<K, V>::iterator;
  using ContainerType = DictObj;
  static constexpr bool _type_is_nullable = false;

  /*! \brief An empty dict (a real object, small with capacity 2). */
  Dict() : ObjectRef(MapBaseObj::Empty(TypeIndex::kTVMFFIDict)) {}
  /*! \brief A null dict (for internal and reflection use). */
  explicit Dict(UnsafeInit tag) : ObjectRef(tag) {}
  Dict(const Dict& other) = default;
  Dict(Dict&& other) noexcept = default;
  Dict& operator=(const Dict& other) = default;
  Dict& operator=(Dict&& other) noexcept = default;

  /*! \brief Zero-copy upcast; both references alias one object. */
  template <typename KU, typename VU,
            typename = std::enable_if_t<details::type_contains_v<K, KU> &&
                                        details::type_contains_v<V, VU>>>
  Dict(const Dict<KU, VU>& other)  // NOLINT(*)
      : ObjectRef(details::ObjectUnsafe::ObjectPtrFromObjectRef<Object>(other)) {}

  /*! \brief Adopt an existing dict object (not type checked). */
  explicit Dict(ObjectPtr<Object> n) : ObjectRef(std::move(n)) {}

  /*! \brief Build from a range of pairs; later duplicates overwrite earlier ones. */
  template <typename IterType>
  Dict(IterType begin, IterType end) : ObjectRef(CreateFromPairs(begin, end)) {}
  /*! \brief Build from pairs; later duplicates overwrite earlier ones. */
  Dict(std::initializer_list<std::pair<K, V>> init)
      : ObjectRef(CreateFromPairs(init.begin(), init.end())) {}
  /*! \brief Build from a std::unordered_map (in its iteration order). */
  template <typename Hash, typename Equal>
  Dict(const std::unordered_map<K, V, Hash, Equal>& init)  // NOLINT(*)
      : ObjectRef(CreateFromPairs(init.begin(), init.end())) {}

  /*! \return the value of key; throws KeyError when absent. */
  V at(const K& key) const {
    DictObj* n = GetDictObj();
    if (n == nullptr) {
      TVM_FFI_THROW(KeyError) << "key is not in Map";
    }
    return details::AnyUnsafe::CopyFromAnyViewAfterCheck<V>(n->at(Any(key)));
  }
  /*! \brief Read-only lookup, same as at(). */
  V operator[](const K& key) const { return this->at(key); }
  /*! \return number of entries (0 for a null dict). */
  size_t size() const {
    DictObj* n = GetDictObj();
    return n == nullptr ? 0 : n->size();
  }
  /*! \return 1 if key is present, else 0. */
  size_t count(const K& key) const {
    DictObj* n = GetDictObj();
    return n == nullptr ? 0 : n->count(Any(key));
  }
  bool empty() const { return size() == 0; }
  /*! \return the value of key, or nullopt when absent. */
  std::optional<V> Get(const K& key) const {
    DictObj* n = GetDictObj();
    if (n == nullptr) return std::nullopt;
    MapBaseObj::iterator it = n->find(Any(key));
    if (it == n->end()) return std::nullopt;
    return details::AnyUnsafe::CopyFromAnyViewAfterCheck<V>(it->second);
  }

  /*! \brief Insert or overwrite key, in place. */
  void Set(const K& key, const V& value) {
    MapBaseObj::InsertInPlace(
        MapBaseObj::KVType(details::AnyAsStored<K>(key), details::AnyAsStored<V>(value)),
        EnsureObj());
  }
  /*! \brief Remove key if present, in place. */
  void erase(const K& key) {
    if (DictObj* n = GetDictObj()) n->erase(Any(key));
  }
  /*! \brief Remove every entry, in place (the representation is kept). */
  void clear() {
    if (DictObj* n = GetDictObj()) n->ClearInPlace();
  }

  iterator begin() const { return MapView().begin(); }
  iterator end() const { return MapView().end(); }
  iterator find(const K& key) const { return MapView().find(key); }

  /*! \return the underlying object (null for a null dict). */
  DictObj* GetDictObj() const { return static_cast<DictObj*>(data_.get()); }

 private:
  /*! \brief A Map view of the same object, used for iteration (never mutated). */
  Map<K, V> MapView() const {
    return Map<K, V>(details::ObjectUnsafe::ObjectPtrFromObjectRef<Object>(*this));
  }
  DictObj* EnsureObj() {
    if (data_ == nullptr) data_ = MapBaseObj::Empty(TypeIndex::kTVMFFIDict);
    return GetDictObj();
  }
  template <typename IterType>
  static ObjectPtr<Object> CreateFromPairs(IterType first, IterType last) {
    ObjectPtr<Object> result = MapBaseObj::Empty(TypeIndex::kTVMFFIDict);
    for (; first != last; ++first) {
      MapBaseObj::InsertInPlace(MapBaseObj::KVType(details::AnyAsStored<K>(first->first),
                                                   details::AnyAsStored<V>(first->second)),
                                static_cast<MapBaseObj*>(result.get()));
    }
    return result;
  }
};

namespace details {
/*! \brief Dict<K, V> contains Dict<KU, VU> when K contains KU and V contains VU. */
template <typename K, typename V, typename KU, typename VU>
struct TypeContains<Dict<K, V>, Dict<KU, VU>> {
  static constexpr bool value = type_contains_v<K, KU> && type_contains_v<V, VU>;
};
}  // namespace details

template <typename K, typename V>
inline constexpr bool use_default_type_traits_v<Dict<K, V>> = false;

/*! \brief Any <-> Dict<K, V> (see details::MapRefTypeTraits). */
template <typename K, typename V>
struct TypeTraits<Dict<K, V>>
    : public details::MapRefTypeTraits<Dict<K, V>, K, V, TypeIndex::kTVMFFIDict> {};

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_CONTAINER_DICT_H_
