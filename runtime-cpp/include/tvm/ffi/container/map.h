/*!
 * \file tvm/ffi/container/map.h
 * \brief The immutable-by-value hash map: MapObj (type index kTVMFFIMap) and Map<K, V>.
 *
 * MapObj is the shared storage of map_base.h under the type index of ffi.Map. Map<K, V> is a
 * copy-on-write reference: a mutation writes in place only when the reference is the unique
 * owner, and may replace the object (small growth, small-to-dense switch, rehash).
 */
#ifndef TVM_FFI_CONTAINER_MAP_H_
#define TVM_FFI_CONTAINER_MAP_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/container/container_details.h>
#include <tvm/ffi/container/map_base.h>
#include <tvm/ffi/memory.h>
#include <tvm/ffi/object.h>
#include <tvm/ffi/optional.h>

#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>

namespace tvm {
namespace ffi {

/*! \brief The map object (ffi.Map): MapBaseObj storage, copy-on-write discipline. */
class MapObj : public MapBaseObj {
 public:
  /*! \return a new map object (ffi.Map) holding copies of the entries of `from`. */
  static ObjectPtr<Object> ShallowCopy(const MapObj* from) {
    return MapBaseObj::CopyFrom(from, TypeIndex::kTVMFFIMap);
  }

  static constexpr int32_t _type_index = TypeIndex::kTVMFFIMap;
  static constexpr bool _type_final = true;
  TVM_FFI_DECLARE_OBJECT_INFO_STATIC(StaticTypeKey::kTVMFFIMap, MapObj, Object);

 private:
  friend struct details::ContainerLayoutProbe;
};
static_assert(sizeof(MapObj) == sizeof(MapBaseObj), "MapObj adds no field");

/*!
 * \brief MapObj has no storage of its own (the allocation is a small or dense map): create it
 * through its reference type or MapBaseObj::Empty.
 */
template <>
inline ObjectPtr<MapObj> make_object<MapObj>() = delete;

/*! \brief Names of the two representations before they were shared with Dict. */
using SmallMapObj = SmallMapBaseObj;
using DenseMapObj = DenseMapBaseObj;

namespace details {
/*!
 * \return a new map object (of type_index) whose entries are those of `src` converted to
 * K and V, or nullopt when some key or value does not convert.
 */
template <typename K, typename V>
inline std::optional<ObjectPtr<Object>> ConvertMapEntries(const MapBaseObj* src,
                                                          int32_t type_index) {
  ObjectPtr<Object> result = MapBaseObj::Empty(type_index);
  for (const auto& entry : *src) {
    Any key;
    Any value;
    if constexpr (std::is_same_v<K, Any>) {
      key = entry.first;
    } else {
      std::optional<K> k = entry.first.template try_cast<K>();
      if (!k.has_value()) return std::nullopt;
      key = AnyAsStored<K>(*std::move(k));
    }
    if constexpr (std::is_same_v<V, Any>) {
      value = entry.second;
    } else {
      std::optional<V> v = entry.second.template try_cast<V>();
      if (!v.has_value()) return std::nullopt;
      value = AnyAsStored<V>(*std::move(v));
    }
    MapBaseObj::KVType kv(std::move(key), std::move(value));
    if (type_index == TypeIndex::kTVMFFIDict) {
      MapBaseObj::InsertInPlace(std::move(kv), static_cast<MapBaseObj*>(result.get()));
    } else {
      MapBaseObj::InsertMaybeReAlloc(std::move(kv), &result);
    }
  }
  return result;
}

/*!
 * \return "<name>[some key is ..., V]" / "<name>[K, some value is ...]" for the first entry
 * that does not convert, or an empty string.
 */
template <typename K, typename V>
inline std::string MapEntriesMismatch(const MapBaseObj* src, const char* name) {
  if constexpr (!std::is_same_v<K, Any> || !std::is_same_v<V, Any>) {
    for (const auto& kv : *src) {
      if constexpr (!std::is_same_v<K, Any>) {
        if (!AnyUnsafe::CheckAnyStrict<K>(kv.first) &&
            !kv.first.template try_cast<K>().has_value()) {
          return std::string(name) + "[some key is " + AnyUnsafe::GetMismatchTypeInfo<K>(kv.first) +
                 ", V]";
        }
      }
      if constexpr (!std::is_same_v<V, Any>) {
        if (!AnyUnsafe::CheckAnyStrict<V>(kv.second) &&
            !kv.second.template try_cast<V>().has_value()) {
          return std::string(name) + "[K, some value is " +
                 AnyUnsafe::GetMismatchTypeInfo<V>(kv.second) + "]";
        }
      }
    }
  }
  return std::string();
}

/*!
 * \brief Any <-> a map reference (Map<K, V> or Dict<K, V>, by type_index): a map object of
 * that type whose keys and values all pass the strict checks of K and V is shared as is
 * (aliased); one with convertible entries, and any map of the other type, become a new object
 * of converted entries (nullopt / a TypeError naming the first bad key or value otherwise).
 */
template <typename Ref, typename K, typename V, int32_t kIndex>
struct MapRefTypeTraits : public ObjectRefTypeTraitsBase<Ref> {
  static constexpr int32_t field_static_type_index = kIndex;
  static constexpr const char* kKind = kIndex == TypeIndex::kTVMFFIMap ? "Map" : "Dict";
  static constexpr const char* kTypeKey =
      kIndex == TypeIndex::kTVMFFIMap ? StaticTypeKey::kTVMFFIMap : StaticTypeKey::kTVMFFIDict;
  using ObjectRefTypeTraitsBase<Ref>::CopyFromAnyViewAfterCheck;

  TVM_FFI_INLINE static bool CheckAnyStrict(const TVMFFIAny* src) {
    if (src->type_index != kIndex) return false;
    if constexpr (!std::is_same_v<K, Any> || !std::is_same_v<V, Any>) {
      for (const auto& kv : *reinterpret_cast<const MapBaseObj*>(src->v_obj)) {
        if constexpr (!std::is_same_v<K, Any>) {
          if (!AnyUnsafe::CheckAnyStrict<K>(kv.first)) return false;
        }
        if constexpr (!std::is_same_v<V, Any>) {
          if (!AnyUnsafe::CheckAnyStrict<V>(kv.second)) return false;
        }
      }
    }
    return true;
  }

  TVM_FFI_INLINE static std::optional<Ref> TryCastFromAnyView(const TVMFFIAny* src) {
    if (CheckAnyStrict(src)) return CopyFromAnyViewAfterCheck(src);
    if (src->type_index != TypeIndex::kTVMFFIMap && src->type_index != TypeIndex::kTVMFFIDict) {
      return std::nullopt;
    }
    std::optional<ObjectPtr<Object>> converted =
        ConvertMapEntries<K, V>(reinterpret_cast<const MapBaseObj*>(src->v_obj), kIndex);
    if (!converted.has_value()) return std::nullopt;
    return Ref(*std::move(converted));
  }

  TVM_FFI_INLINE static std::string GetMismatchTypeInfo(const TVMFFIAny* src) {
    if (src->type_index != TypeIndex::kTVMFFIMap && src->type_index != TypeIndex::kTVMFFIDict) {
      return TypeTraitsBase::GetMismatchTypeInfo(src);
    }
    std::string entry =
        MapEntriesMismatch<K, V>(reinterpret_cast<const MapBaseObj*>(src->v_obj), kKind);
    return entry.empty() ? TypeTraitsBase::GetMismatchTypeInfo(src) : entry;
  }

  static std::string TypeStr() {
    return std::string(kKind) + "<" + ElementTypeStr<K>() + ", " + ElementTypeStr<V>() + ">";
  }
  static std::string TypeSchema() {
    return R"({"type":")" + std::string(kTypeKey) + R"(","args":[)" + ElementTypeSchema<K>() + "," +
           ElementTypeSchema<V>() + "]}";
  }
};
}  // namespace details

// ---------------------------------------------------------------------------------------
// Map<K, V>
// ---------------------------------------------------------------------------------------

/*!
 * \brief Copy-on-write hash map reference with typed keys and values.
 *
 * Iteration follows insertion order (an update of a key in a dense map moves it to the end).
 * Mutations copy the underlying object first unless this reference is its only owner.
 * Elements are stored as Any cells in the canonical form of K and V; typed reads trust that
 * form (it is checked when a Map<K, V> is produced from an Any).
 *
 * \tparam K key type (Any, or a storable type)
 * \tparam V value type (Any, or a storable type)
 */
template <typename K, typename V,
          typename =
              std::enable_if_t<details::storage_enabled_v<K> && details::storage_enabled_v<V>>>
class Map : public ObjectRef {
 public:
  using key_type = K;
  using mapped_type = V;
  class iterator;

  /*! \brief An empty map (a real object, not null). */
  Map() : ObjectRef(MapBaseObj::Empty(TypeIndex::kTVMFFIMap)) {}
  /*! \brief A null map (for internal and reflection use). */
  explicit Map(UnsafeInit tag) : ObjectRef(tag) {}
  Map(const Map& other) = default;
  Map(Map&& other) noexcept = default;
  Map& operator=(const Map& other) = default;
  Map& operator=(Map&& other) noexcept = default;

  /*! \brief Zero-copy upcast from a map whose keys/values are contained in K/V. */
  template <typename KU, typename VU,
            typename = std::enable_if_t<details::type_contains_v<K, KU> &&
                                        details::type_contains_v<V, VU>>>
  Map(const Map<KU, VU>& other)  // NOLINT(*)
      : ObjectRef(details::ObjectUnsafe::ObjectPtrFromObjectRef<Object>(other)) {}
  template <typename KU, typename VU,
            typename = std::enable_if_t<details::type_contains_v<K, KU> &&
                                        details::type_contains_v<V, VU>>>
  Map(Map<KU, VU>&& other)  // NOLINT(*)
      : ObjectRef(details::ObjectUnsafe::ObjectPtrFromObjectRef<Object>(std::move(other))) {}
  template <typename KU, typename VU,
            typename = std::enable_if_t<details::type_contains_v<K, KU> &&
                                        details::type_contains_v<V, VU>>>
  Map<K, V>& operator=(const Map<KU, VU>& other) {
    data_ = details::ObjectUnsafe::ObjectPtrFromObjectRef<Object>(other);
    return *this;
  }
  template <typename KU, typename VU,
            typename = std::enable_if_t<details::type_contains_v<K, KU> &&
                                        details::type_contains_v<V, VU>>>
  Map<K, V>& operator=(Map<KU, VU>&& other) {
    data_ = details::ObjectUnsafe::ObjectPtrFromObjectRef<Object>(std::move(other));
    return *this;
  }

  /*! \brief Adopt an existing map object (not type checked). */
  explicit Map(ObjectPtr<Object> n) : ObjectRef(std::move(n)) {}

  /*! \brief Build from a range of pairs; later duplicates overwrite earlier ones. */
  template <typename IterType>
  Map(IterType begin, IterType end) : ObjectRef(CreateFromPairs(begin, end)) {}
  /*! \brief Build from pairs; later duplicates overwrite earlier ones. */
  Map(std::initializer_list<std::pair<K, V>> init)
      : ObjectRef(CreateFromPairs(init.begin(), init.end())) {}
  /*! \brief Build from a std::unordered_map (in its iteration order). */
  template <typename Hash, typename Equal>
  Map(const std::unordered_map<K, V, Hash, Equal>& init)  // NOLINT(*)
      : ObjectRef(CreateFromPairs(init.begin(), init.end())) {}

  /*! \return the value of key; throws KeyError when absent. */
  const V at(const K& key) const {
    MapObj* n = GetMapObj();
    if (n == nullptr) {
      TVM_FFI_THROW(KeyError) << "key is not in Map";
    }
    return details::AnyUnsafe::CopyFromAnyViewAfterCheck<V>(n->at(Any(key)));
  }
  /*! \brief Read-only lookup, same as at(). */
  const V operator[](const K& key) const { return this->at(key); }
  /*! \return number of entries (0 for a null map). */
  size_t size() const {
    MapObj* n = GetMapObj();
    return n == nullptr ? 0 : n->size();
  }
  /*! \return 1 if key is present, else 0. */
  size_t count(const K& key) const {
    MapObj* n = GetMapObj();
    return n == nullptr ? 0 : n->count(Any(key));
  }
  /*! \return whether the map has no entry. */
  bool empty() const { return size() == 0; }
  /*! \brief Drop every entry (the reference switches to a fresh empty map). */
  void clear() {
    if (GetMapObj() != nullptr) data_ = MapBaseObj::Empty(TypeIndex::kTVMFFIMap);
  }
  /*! \brief Insert or overwrite key (copy-on-write). */
  void Set(const K& key, const V& value) {
    CopyOnWrite();
    MapObj::InsertMaybeReAlloc(
        MapObj::KVType(details::AnyAsStored<K>(key), details::AnyAsStored<V>(value)), &data_);
  }
  /*! \brief Remove key if present (copy-on-write). */
  void erase(const K& key) { CopyOnWrite()->erase(Any(key)); }

  iterator begin() const {
    MapObj* n = GetMapObj();
    return n == nullptr ? iterator() : iterator(n->begin());
  }
  iterator end() const {
    MapObj* n = GetMapObj();
    return n == nullptr ? iterator() : iterator(n->end());
  }
  iterator find(const K& key) const {
    MapObj* n = GetMapObj();
    return n == nullptr ? iterator() : iterator(n->find(Any(key)));
  }
  /*! \return the value of key, or nullopt when absent. */
  std::optional<V> Get(const K& key) const {
    MapObj* n = GetMapObj();
    if (n == nullptr) return std::nullopt;
    MapObj::iterator it = n->find(Any(key));
    if (it == n->end()) return std::nullopt;
    return details::AnyUnsafe::CopyFromAnyViewAfterCheck<V>(it->second);
  }

  /*!
   * \brief Make this reference the unique owner of its map (copying it when shared, creating
   * an empty one when null) and return the object for in-place mutation.
   */
  MapObj* CopyOnWrite() {
    if (data_.get() == nullptr) {
      data_ = MapBaseObj::Empty(TypeIndex::kTVMFFIMap);
    } else if (!data_.unique()) {
      data_ = MapBaseObj::CopyFrom(GetMapObj(), TypeIndex::kTVMFFIMap);
    }
    return GetMapObj();
  }

  /*! \brief Iterator yielding std::pair<K, V> by value. */
  class iterator {
   public:
    using iterator_category = std::bidirectional_iterator_tag;
    using difference_type = int64_t;
    using value_type = const std::pair<K, V>;
    using pointer = value_type*;
    using reference = value_type;

    iterator() = default;
    bool operator==(const iterator& other) const { return itr_ == other.itr_; }
    bool operator!=(const iterator& other) const { return itr_ != other.itr_; }
    pointer operator->() const = delete;
    reference operator*() const {
      const MapObj::KVType& kv = *itr_;
      return std::make_pair(details::AnyUnsafe::CopyFromAnyViewAfterCheck<K>(kv.first),
                            details::AnyUnsafe::CopyFromAnyViewAfterCheck<V>(kv.second));
    }
    iterator& operator++() {
      ++itr_;
      return *this;
    }
    iterator& operator--() {
      --itr_;
      return *this;
    }
    iterator operator++(int) {
      iterator copy = *this;
      ++(*this);
      return copy;
    }
    iterator operator--(int) {
      iterator copy = *this;
      --(*this);
      return copy;
    }

   private:
    explicit iterator(const MapObj::iterator& itr) : itr_(itr) {}
    MapObj::iterator itr_;

    template <typename, typename, typename>
    friend class Map;
  };

  static constexpr bool _type_is_nullable = false;
  using ContainerType = MapObj;

 private:
  MapObj* GetMapObj() const { return static_cast<MapObj*>(data_.get()); }

  template <typename IterType>
  static ObjectPtr<Object> CreateFromPairs(IterType first, IterType last) {
    return MapBaseObj::CreateFromRange(
        first, last,
        [](const auto& kv) {
          return MapObj::KVType(details::AnyAsStored<K>(kv.first),
                                details::AnyAsStored<V>(kv.second));
        },
        TypeIndex::kTVMFFIMap);
  }

  template <typename, typename, typename>
  friend class Map;
};

/*!
 * \brief Merge two maps: a map with all entries of lhs, overwritten/extended by rhs.
 */
template <typename K, typename V>
inline Map<K, V> Merge(Map<K, V> lhs, const Map<K, V>& rhs) {
  for (const auto& kv : rhs) {
    lhs.Set(kv.first, kv.second);
  }
  return lhs;
}

namespace details {
/*! \brief Map<K, V> contains Map<KU, VU> when K contains KU and V contains VU. */
template <typename K, typename V, typename KU, typename VU>
struct TypeContains<Map<K, V>, Map<KU, VU>> {
  static constexpr bool value = type_contains_v<K, KU> && type_contains_v<V, VU>;
};
}  // namespace details

template <typename K, typename V>
inline constexpr bool use_default_type_traits_v<Map<K, V>> = false;

/*! \brief Any <-> Map<K, V> (see details::MapRefTypeTraits). */
template <typename K, typename V>
struct TypeTraits<Map<K, V>>
    : public details::MapRefTypeTraits<Map<K, V>, K, V, TypeIndex::kTVMFFIMap> {};

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_CONTAINER_MAP_H_
