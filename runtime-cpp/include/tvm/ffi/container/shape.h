/*!
 * \file tvm/ffi/container/shape.h
 * \brief Shapes: ShapeView (borrowed dims), ShapeObj (type index kTVMFFIShape) and Shape.
 *
 * A ShapeObj is the object header followed by a TVMFFIShapeCell {data, size}. Readers only
 * use `data`/`size`: shapes built from dims here store them inline right after the 40-byte
 * object ("inplace", data == obj + 40), while Shape(std::vector<int64_t>) keeps the vector
 * inside the object and points into its buffer.
 */
#ifndef TVM_FFI_CONTAINER_SHAPE_H_
#define TVM_FFI_CONTAINER_SHAPE_H_

#include <tvm/ffi/container/array.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/type_traits.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <iterator>
#include <ostream>
#include <utility>
#include <vector>

namespace tvm {
namespace ffi {

/*! \brief Non-owning view of a list of dimensions (the caller keeps the storage alive). */
class ShapeView {
 public:
  ShapeView() : cell_{nullptr, 0} {}
  ShapeView(const ShapeView& other) = default;
  ShapeView(ShapeView&& other) = default;
  ShapeView& operator=(const ShapeView& other) = default;
  ShapeView& operator=(ShapeView&& other) = default;
  ShapeView(const int64_t* data, size_t size) : cell_{data, size} {}
  /*! \brief View of a braced list; valid only while the list lives (i.e. the full expression). */
  ShapeView(const std::initializer_list<int64_t>& other)  // NOLINT(*)
      : cell_{other.begin(), other.size()} {}

  const int64_t* data() const { return cell_.data; }
  size_t size() const { return cell_.size; }
  /*! \return product of the dimensions (1 for an empty shape). */
  int64_t Product() const {
    int64_t product = 1;
    for (size_t i = 0; i < cell_.size; ++i) product *= cell_.data[i];
    return product;
  }
  int64_t operator[](size_t idx) const { return cell_.data[idx]; }
  const int64_t* begin() const { return cell_.data; }
  const int64_t* end() const { return cell_.data + cell_.size; }
  bool empty() const { return cell_.size == 0; }
  int64_t front() const { return this->at(0); }
  int64_t back() const { return this->at(cell_.size - 1); }
  /*! \return dimension idx; throws IndexError when out of range. */
  int64_t at(size_t idx) const {
    if (idx >= cell_.size) {
      TVM_FFI_THROW(IndexError) << "indexing " << idx << " on a Shape of size " << cell_.size;
    }
    return cell_.data[idx];
  }

 private:
  TVMFFIShapeCell cell_;
};

/*! \brief The shape object: header (24 bytes) + {data, size} (40 bytes). Not final. */
class ShapeObj : public Object, public TVMFFIShapeCell {
 public:
  using index_type = int64_t;

  ShapeObj() {
    this->data = nullptr;
    this->size = 0;
  }

  /*! \return product of the dimensions (1 for an empty shape). */
  int64_t Product() const { return ShapeView(data, size).Product(); }

  static constexpr int32_t _type_index = TypeIndex::kTVMFFIShape;
  TVM_FFI_DECLARE_OBJECT_INFO_STATIC(StaticTypeKey::kTVMFFIShape, ShapeObj, Object);
};

namespace details {

/*! \brief A shape that owns its dims through a std::vector stored in the object (64 bytes). */
class ShapeObjStdImpl : public ShapeObj {
 public:
  explicit ShapeObjStdImpl(std::vector<int64_t> other) : data_container_(std::move(other)) {
    this->data = data_container_.data();
    this->size = data_container_.size();
  }

 private:
  std::vector<int64_t> data_container_;
};

/*!
 * \brief Allocate an inplace shape of `length` dims (zero-filled), stored right after the
 * object. When mutable_data is non-null it receives the address of the dims to fill.
 */
inline ObjectPtr<ShapeObj> MakeEmptyShape(size_t length, int64_t** mutable_data) {
  ObjectPtr<ShapeObj> p = make_inplace_array_object<ShapeObj, int64_t>(length);
  static_assert(sizeof(ShapeObj) % alignof(int64_t) == 0, "dims must be aligned");
  int64_t* dims = reinterpret_cast<int64_t*>(reinterpret_cast<char*>(p.get()) + sizeof(ShapeObj));
  if (length != 0) std::memset(dims, 0, length * sizeof(int64_t));
  p->data = dims;
  p->size = length;
  if (mutable_data != nullptr) *mutable_data = dims;
  return p;
}

/*! \brief An inplace shape holding the values of [begin, end). */
template <typename IterType>
inline ObjectPtr<ShapeObj> MakeInplaceShape(IterType begin, IterType end) {
  int64_t count = static_cast<int64_t>(std::distance(begin, end));
  if (count < 0) {
    TVM_FFI_THROW(ValueError) << "cannot construct a Shape of negative size";
  }
  int64_t* dims = nullptr;
  ObjectPtr<ShapeObj> p = MakeEmptyShape(static_cast<size_t>(count), &dims);
  for (; begin != end; ++begin) *dims++ = static_cast<int64_t>(*begin);
  return p;
}

/*!
 * \brief Compact row-major strides of shape into strides[0, ndim): the last stride is 1 and
 * each earlier stride is the product of the later dims.
 */
inline void FillStridesFromShape(ShapeView shape, int64_t* strides) {
  int64_t stride = 1;
  for (size_t i = shape.size(); i > 0; --i) {
    strides[i - 1] = stride;
    stride *= shape[i - 1];
  }
}

/*! \return an inplace shape holding the compact row-major strides of shape. */
inline ObjectPtr<ShapeObj> MakeStridesFromShape(ShapeView shape) {
  int64_t* strides = nullptr;
  ObjectPtr<ShapeObj> p = MakeEmptyShape(shape.size(), &strides);
  FillStridesFromShape(shape, strides);
  return p;
}

/*! \brief Same as above for (data, ndim). */
inline ObjectPtr<ShapeObj> MakeStridesFromShape(const int64_t* data, int64_t ndim) {
  return MakeStridesFromShape(ShapeView(data, static_cast<size_t>(ndim)));
}

}  // namespace details

/*! \brief Immutable shape reference (never null). */
class Shape : public ObjectRef {
 public:
  using index_type = ShapeObj::index_type;

  /*! \brief The empty shape (a real object with 0 dims). */
  Shape() : Shape(details::MakeEmptyShape(0, nullptr)) {}
  template <typename IterType>
  Shape(IterType begin, IterType end) : Shape(details::MakeInplaceShape(begin, end)) {}
  Shape(Array<int64_t> shape)  // NOLINT(*)
      : Shape(shape.begin(), shape.end()) {}
  Shape(std::initializer_list<int64_t> shape)  // NOLINT(*)
      : Shape(shape.begin(), shape.end()) {}
  /*! \brief Keeps the vector inside the object (no copy of the dims). */
  Shape(std::vector<int64_t> other)  // NOLINT(*)
      : ObjectRef(ObjectPtr<Object>(make_object<details::ShapeObjStdImpl>(std::move(other)))) {}
  Shape(ShapeView other)  // NOLINT(*)
      : Shape(other.begin(), other.end()) {}
  /*! \brief Adopt an existing shape object. */
  explicit Shape(ObjectPtr<ShapeObj> ptr) : ObjectRef(ObjectPtr<Object>(std::move(ptr))) {}

  /*! \return compact row-major strides of shape. */
  static Shape StridesFromShape(ShapeView shape) {
    return Shape(details::MakeStridesFromShape(shape));
  }

  operator ShapeView() const { return ShapeView(data(), size()); }  // NOLINT(*)

  const int64_t* data() const { return get()->data; }
  size_t size() const { return get()->size; }
  int64_t operator[](size_t idx) const { return get()->data[idx]; }
  /*! \return dimension idx; throws IndexError when out of range. */
  int64_t at(size_t idx) const { return ShapeView(data(), size()).at(idx); }
  bool empty() const { return size() == 0; }
  int64_t front() const { return this->at(0); }
  int64_t back() const { return this->at(size() - 1); }
  const int64_t* begin() const { return data(); }
  const int64_t* end() const { return data() + size(); }
  /*! \return product of the dimensions (1 for an empty shape). */
  int64_t Product() const { return get()->Product(); }

  TVM_FFI_DEFINE_OBJECT_REF_METHODS_NOTNULLABLE(Shape, ObjectRef, ShapeObj);
};

/*! \brief Prints "[d0, d1, ...]". */
inline std::ostream& operator<<(std::ostream& os, const Shape& shape) {
  os << '[';
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i != 0) os << ", ";
    os << shape[i];
  }
  os << ']';
  return os;
}

template <>
inline constexpr bool use_default_type_traits_v<Shape> = false;

/*! \brief A Shape also converts from an Array whose elements all convert to int64. */
template <>
struct TypeTraits<Shape> : public ObjectRefWithFallbackTraitsBase<Shape, Array<int64_t>> {
  TVM_FFI_INLINE static Shape ConvertFallbackValue(Array<int64_t> src) { return Shape(src); }
};

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_CONTAINER_SHAPE_H_
