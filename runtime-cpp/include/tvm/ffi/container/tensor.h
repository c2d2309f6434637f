/*!
 * \file tvm/ffi/container/tensor.h
 * \brief Tensor (owning, reference counted), TensorView (borrowed) and DLTensor helpers.
 *
 * A tensor object is the 24-byte object header immediately followed by a DLTensor (C code
 * reaches the DLTensor at `handle + sizeof(TVMFFIObject)`). What comes after those 72 bytes is
 * private to whoever created the object: the DLPack producer's managed tensor, the allocator
 * object of FromNDAlloc, inline shape/stride storage. Readers only use the DLTensor fields.
 */
#ifndef TVM_FFI_CONTAINER_TENSOR_H_
#define TVM_FFI_CONTAINER_TENSOR_H_

#include <tvm/ffi/container/shape.h>
#include <tvm/ffi/dtype.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/type_traits.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace tvm {
namespace ffi {

/*!
 * \brief Whether `data` of tensors on this device is a plain address (so that pointer
 * arithmetic and alignment tests on it are meaningful).
 */
inline bool IsDirectAddressDevice(const DLDevice& device) {
  // kDLCPU, kDLCUDA and kDLCUDAHost are the codes 1..3.
  return device.device_type <= kDLCUDAHost || device.device_type == kDLCUDAManaged ||
         device.device_type == kDLROCM || device.device_type == kDLROCMHost;
}

/*!
 * \brief Whether the tensor is laid out compact and row-major. NULL strides mean compact, and
 * so does any zero-sized dimension (no element is ever addressed); otherwise every dimension
 * of extent other than 1 must have the row-major stride.
 */
inline bool IsContiguous(const DLTensor& arr) {
  if (arr.strides == nullptr) return true;
  for (int32_t axis = 0; axis < arr.ndim; ++axis) {
    if (arr.shape[axis] == 0) return true;
  }
  int64_t expected_stride = 1;
  for (int32_t axis = arr.ndim - 1; axis >= 0; --axis) {
    const int64_t extent = arr.shape[axis];
    if (extent == 1) continue;  // the stride of a unit dimension never matters
    if (arr.strides[axis] != expected_stride) return false;
    expected_stride *= extent;
  }
  return true;
}

/*!
 * \brief Whether the first element sits on an `alignment`-byte boundary. For devices whose
 * data pointer is not an address only `byte_offset` is tested. Alignments 0 and 1 are
 * always satisfied.
 */
inline bool IsAligned(const DLTensor& arr, size_t alignment) {
  if (alignment <= 1) return true;
  if (IsDirectAddressDevice(arr.device)) {
    const uint64_t address = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(arr.data)) +
                             static_cast<uint64_t>(arr.byte_offset);
    return address % alignment == 0;
  }
  return arr.byte_offset % alignment == 0;
}

/*!
 * \brief Bytes needed by `numel` elements of `dtype`: ceil(numel * bits * lanes / 8), computed
 * in 64 bits. Every sub-byte type is counted packed, `uint1` included (ten `uint1` elements
 * take 2 bytes); the `bool` dtype (kDLBool, 8 bits) takes one byte per element.
 */
inline size_t GetDataSize(size_t numel, DLDataType dtype) {
  const uint64_t total_bits = static_cast<uint64_t>(numel) * static_cast<uint64_t>(dtype.bits) *
                              static_cast<uint64_t>(dtype.lanes);
  return static_cast<size_t>((total_bits + 7) / 8);
}

namespace details {
/*! \brief Number of elements of a shape (1 for a scalar). */
inline int64_t ShapeNumel(const int64_t* shape, int32_t ndim) {
  int64_t numel = 1;
  for (int32_t i = 0; i < ndim; ++i) numel *= shape[i];
  return numel;
}
/*!
 * \brief Resolve a possibly negative axis against ndim; IndexError
 * "Index <axis> out of bounds for tensor with <ndim> dimensions" when out of range.
 */
inline int64_t NormalizeTensorAxis(int64_t axis, int32_t ndim) {
  const int64_t resolved = axis < 0 ? axis + ndim : axis;
  if (resolved < 0 || resolved >= ndim) {
    TVM_FFI_THROW(IndexError) << "Index " << axis << " out of bounds for tensor with " << ndim
                              << " dimensions";
  }
  return resolved;
}

/*!
 * \brief The DLTensor of a strided view (steps shared by Tensor::as_strided and
 * TensorView::as_strided): `source` with shape/ndim/strides replaced by the caller's arrays,
 * `element_offset` (>= 0, InternalError otherwise) added to byte_offset, and a non-zero
 * byte_offset folded into `data` on direct-address devices.
 */
inline DLTensor MakeStridedPrototype(const DLTensor& source, ShapeView shape, ShapeView strides,
                                     std::optional<int64_t> element_offset) {
  DLTensor prototype = source;
  prototype.ndim = static_cast<int32_t>(shape.size());
  prototype.shape = const_cast<int64_t*>(shape.data());
  prototype.strides = const_cast<int64_t*>(strides.data());
  const int64_t offset = element_offset.value_or(0);
  TVM_FFI_ICHECK_GE(offset, 0) << "as_strided: element_offset must be non-negative";
  prototype.byte_offset += GetDataSize(static_cast<size_t>(offset), prototype.dtype);
  if (prototype.byte_offset != 0 && IsDirectAddressDevice(prototype.device)) {
    prototype.data = static_cast<char*>(prototype.data) + prototype.byte_offset;
    prototype.byte_offset = 0;
  }
  return prototype;
}
}  // namespace details

/*! \brief Bytes occupied by the elements of a tensor (ignores strides and byte_offset). */
inline size_t GetDataSize(const DLTensor& arr) {
  return GetDataSize(static_cast<size_t>(details::ShapeNumel(arr.shape, arr.ndim)), arr.dtype);
}

/*!
 * \brief The tensor object: header followed by a DLTensor.
 *
 * Not final: the concrete objects are private subclasses that add storage after the
 * DLTensor and release it in their destructor.
 */
class TensorObj : public Object, public DLTensor {
 public:
  static constexpr int32_t _type_index = kTVMFFITensor;
  TVM_FFI_DECLARE_OBJECT_INFO_STATIC(StaticTypeKey::kTVMFFITensor, TensorObj, Object);

  /*!
   * \brief Export as a legacy DLPack managed tensor. The result holds one reference to this
   * tensor; the consumer must call its deleter exactly once.
   */
  DLManagedTensor* ToDLPack() const { return ExportDLPack<DLManagedTensor>(); }

  /*!
   * \brief Export as a versioned DLPack managed tensor (version 1.2, flags 0). The result
   * holds one reference to this tensor; the consumer must call its deleter exactly once.
   */
  DLManagedTensorVersioned* ToDLPackVersioned() const {
    DLManagedTensorVersioned* managed = ExportDLPack<DLManagedTensorVersioned>();
    managed->version.major = DLPACK_MAJOR_VERSION;
    managed->version.minor = DLPACK_MINOR_VERSION;
    managed->flags = 0;
    return managed;
  }

  /*! \brief A tensor with every DLTensor field zeroed (subclasses fill them in). */
  TensorObj() {
    DLTensor* self = static_cast<DLTensor*>(this);
    self->data = nullptr;
    self->device = DLDevice{kDLCPU, 0};
    self->ndim = 0;
    self->dtype = DLDataType{0, 0, 0};
    self->shape = nullptr;
    self->strides = nullptr;
    self->byte_offset = 0;
  }

 private:
  template <typename TManaged>
  TManaged* ExportDLPack() const {
    TManaged* managed = new TManaged();  // value-initialised: every field starts zeroed
    managed->dl_tensor = *static_cast<const DLTensor*>(this);
    TVMFFIObject* header = details::ObjectUnsafe::GetHeader(this);
    details::ObjectUnsafe::IncRefObjectHandle(header);
    managed->manager_ctx = header;
    managed->deleter = ReleaseExported<TManaged>;
    return managed;
  }
  /*! \brief Deleter of exported managed tensors: drop the reference, free the struct. */
  template <typename TManaged>
  static void ReleaseExported(TManaged* managed) {
    details::ObjectUnsafe::DecRefObjectHandle(managed->manager_ctx);
    delete managed;
  }
};

static_assert(sizeof(TensorObj) == sizeof(TVMFFIObject) + sizeof(DLTensor),
              "TensorObj must be exactly the header followed by a DLTensor");

namespace details {

/*! \brief The 2 * ndim int64 cells allocated right after `obj` (shape, then strides). */
template <typename TObj>
int64_t* TailStorage(TObj* obj) {
  return reinterpret_cast<int64_t*>(reinterpret_cast<char*>(obj) + sizeof(TObj));
}

/*!
 * \brief Fill t's fields except data: shape copied to tail[0, ndim), strides to
 * tail[ndim, 2 * ndim) (compact row-major strides when `strides` is null), byte_offset 0.
 */
inline void InitDLTensorWithTail(DLTensor* t, int64_t* tail, ShapeView shape,
                                 const int64_t* strides, DLDataType dtype, DLDevice device) {
  const size_t ndim = shape.size();
  int64_t* strides_storage = tail + ndim;
  for (size_t i = 0; i < ndim; ++i) tail[i] = shape.data()[i];
  if (strides == nullptr) {
    FillStridesFromShape(ShapeView(tail, ndim), strides_storage);
  } else {
    for (size_t i = 0; i < ndim; ++i) strides_storage[i] = strides[i];
  }
  t->data = nullptr;
  t->device = device;
  t->ndim = static_cast<int32_t>(ndim);
  t->dtype = dtype;
  t->shape = tail;
  t->strides = strides_storage;
  t->byte_offset = 0;
}

/*!
 * \brief Tensor whose memory comes from a user allocator object.
 *
 * Memory block: this object (the allocator is its last member), then `ndim` shape values,
 * then `ndim` strides (compact row-major). FreeData runs when the tensor dies.
 */
template <typename TNDAlloc>
class TensorObjFromNDAlloc : public TensorObj {
 public:
  template <typename... ExtraArgs>
  TensorObjFromNDAlloc(TNDAlloc alloc, ShapeView in_shape, DLDataType in_dtype, DLDevice in_device,
                       ExtraArgs&&... extra_args)
      : alloc_(std::move(alloc)) {
    InitDLTensorWithTail(this, TailStorage(this), in_shape, nullptr, in_dtype, in_device);
    // If AllocData throws, this object never finishes construction and FreeData is not run.
    alloc_.AllocData(static_cast<DLTensor*>(this), std::forward<ExtraArgs>(extra_args)...);
  }
  ~TensorObjFromNDAlloc() { alloc_.FreeData(static_cast<DLTensor*>(this)); }

 private:
  TNDAlloc alloc_;
};

/*!
 * \brief Tensor whose memory comes from a user allocator object, with caller-given strides.
 *
 * Memory block: this object (the allocator is its last member), then `ndim` shape values,
 * then `ndim` strides. FreeData runs when the tensor dies.
 */
template <typename TNDAlloc>
class TensorObjFromNDAllocStrided : public TensorObj {
 public:
  template <typename... ExtraArgs>
  TensorObjFromNDAllocStrided(TNDAlloc alloc, ShapeView in_shape, ShapeView in_strides,
                              DLDataType in_dtype, DLDevice in_device, ExtraArgs&&... extra_args)
      : alloc_(std::move(alloc)) {
    InitDLTensorWithTail(this, TailStorage(this), in_shape, in_strides.data(), in_dtype, in_device);
    alloc_.AllocData(static_cast<DLTensor*>(this), std::forward<ExtraArgs>(extra_args)...);
  }
  ~TensorObjFromNDAllocStrided() { alloc_.FreeData(static_cast<DLTensor*>(this)); }

 private:
  TNDAlloc alloc_;
};

/*!
 * \brief A strided view of another tensor: the DLTensor is a copy of a prototype whose shape
 * and strides are copied right after the object (shape at +80, strides at +80 + 8 * ndim);
 * the strong reference to the source tensor (at +72) keeps the viewed memory alive.
 */
class TensorObjStridedView : public TensorObj {
 public:
  TensorObjStridedView(ObjectPtr<Object> source, const DLTensor& prototype)
      : source_(std::move(source)) {
    InitDLTensorWithTail(this, TailStorage(this), ShapeView(prototype.shape, prototype.ndim),
                         prototype.strides, prototype.dtype, prototype.device);
    this->data = prototype.data;
    this->byte_offset = prototype.byte_offset;
  }

 private:
  ObjectPtr<Object> source_;
};

static_assert(sizeof(TensorObjStridedView) == sizeof(TensorObj) + sizeof(void*),
              "the source reference follows the DLTensor; shape and strides follow it");

/*!
 * \brief Tensor that owns a DLPack managed tensor (legacy or versioned) and calls its deleter
 * when it dies. When the producer gave no strides (and ndim > 0), compact strides are stored
 * right after the object.
 */
template <typename TManaged>
class TensorObjFromDLPack : public TensorObj {
 public:
  TensorObjFromDLPack(TManaged* managed, bool synthesize_strides) : managed_(managed) {
    *static_cast<DLTensor*>(this) = managed->dl_tensor;
    if (synthesize_strides) {
      int64_t* strides_storage =
          reinterpret_cast<int64_t*>(reinterpret_cast<char*>(this) + sizeof(*this));
      FillStridesFromShape(ShapeView(this->shape, static_cast<size_t>(this->ndim)),
                           strides_storage);
      this->strides = strides_storage;
    }
  }
  ~TensorObjFromDLPack() {
    if (managed_->deleter != nullptr) managed_->deleter(managed_);
  }

 private:
  TManaged* managed_;
};

static_assert(sizeof(TensorObjFromDLPack<DLManagedTensor>) == sizeof(TensorObj) + sizeof(void*),
              "the managed tensor pointer follows the DLTensor; inline strides follow it");
static_assert(sizeof(TensorObjFromDLPack<DLManagedTensorVersioned>) ==
              sizeof(TensorObj) + sizeof(void*));

}  // namespace details

/*!
 * \brief Owning reference to a tensor object (nullable).
 *
 * The object's memory is released by whoever created it (allocator, DLPack producer or the
 * environment allocator) when the last reference goes away.
 */
class Tensor : public ObjectRef {
 public:
  Tensor() = default;
  explicit Tensor(ObjectPtr<TensorObj> data) : ObjectRef(ObjectPtr<Object>(std::move(data))) {}
  explicit Tensor(UnsafeInit tag) : ObjectRef(tag) {}
  TVM_FFI_DEFINE_DEFAULT_COPY_MOVE_AND_ASSIGN(Tensor)

  using ContainerType = TensorObj;
  static constexpr bool _type_is_nullable = true;

  void* data_ptr() const { return CheckedGet()->data; }
  DLDevice device() const { return CheckedGet()->device; }
  int32_t ndim() const { return CheckedGet()->ndim; }
  DLDataType dtype() const { return CheckedGet()->dtype; }
  ShapeView shape() const {
    const TensorObj* obj = CheckedGet();
    return ShapeView(obj->shape, static_cast<size_t>(obj->ndim));
  }
  /*! \brief Strides in elements. Every tensor with ndim > 0 must carry strides. */
  ShapeView strides() const {
    const TensorObj* obj = CheckedGet();
    TVM_FFI_ICHECK(obj->strides != nullptr || obj->ndim == 0);
    return ShapeView(obj->strides, static_cast<size_t>(obj->ndim));
  }
  /*! \brief Extent of axis `idx`; negative values count from the last axis. */
  int64_t size(int64_t idx) const {
    const TensorObj* obj = CheckedGet();
    return obj->shape[details::NormalizeTensorAxis(idx, obj->ndim)];
  }
  /*! \brief Stride of axis `idx`; negative values count from the last axis. */
  int64_t stride(int64_t idx) const {
    const TensorObj* obj = CheckedGet();
    const int64_t axis = details::NormalizeTensorAxis(idx, obj->ndim);
    TVM_FFI_ICHECK(obj->strides != nullptr);
    return obj->strides[axis];
  }
  int64_t numel() const {
    const TensorObj* obj = CheckedGet();
    return details::ShapeNumel(obj->shape, obj->ndim);
  }

  /*!
   * \brief A view of the same memory with the given shape and strides (in elements), starting
   * `element_offset` elements (default 0, must be >= 0) after this tensor's first element.
   *
   * The view keeps this tensor alive and copies `shape`/`strides`. Nothing checks that the view
   * stays inside the viewed memory. On direct-address devices (CPU, CUDA, ROCm, ...) the byte
   * offset is folded into `data`. `shape` and `strides` must have the same size (ValueError).
   */
  Tensor as_strided(ShapeView shape, ShapeView strides,
                    std::optional<int64_t> element_offset = std::nullopt) const {
    const TensorObj* obj = CheckedGet();
    if (shape.size() != strides.size()) {
      TVM_FFI_THROW(ValueError) << "as_strided: shape and strides must have the same size ("
                                << shape.size() << " vs. " << strides.size() << ")";
    }
    DLTensor prototype = details::MakeStridedPrototype(*static_cast<const DLTensor*>(obj), shape,
                                                       strides, element_offset);
    using ObjType = details::TensorObjStridedView;
    ObjectPtr<ObjType> ptr =
        make_inplace_array_object<ObjType, int64_t>(shape.size() * 2, data_, prototype);
    return Tensor(ObjectPtr<TensorObj>(std::move(ptr)));
  }
  uint64_t byte_offset() const { return CheckedGet()->byte_offset; }
  bool IsContiguous() const { return ::tvm::ffi::IsContiguous(*CheckedGet()); }
  bool IsAligned(size_t alignment) const { return ::tvm::ffi::IsAligned(*CheckedGet(), alignment); }
  const DLTensor* GetDLTensorPtr() const { return static_cast<const DLTensor*>(CheckedGet()); }

  // torch-style aliases
  int32_t dim() { return ndim(); }  // NOLINT(*) non-const, as in the reference API
  ShapeView sizes() const { return shape(); }
  bool is_contiguous() const { return IsContiguous(); }

  /*!
   * \brief Allocate a tensor through an allocator object.
   *
   * `alloc` is moved into the tensor object; it must provide
   * `void AllocData(DLTensor*, ExtraArgs...)` (set `data`; shape, strides, dtype and device are
   * already filled in) and `void FreeData(DLTensor*)` (called once when the tensor dies).
   * Shape and compact strides are stored inside the object; byte_offset is 0.
   */
  template <typename TNDAlloc, typename... ExtraArgs>
  static Tensor FromNDAlloc(TNDAlloc alloc, ShapeView shape, DLDataType dtype, DLDevice device,
                            ExtraArgs&&... extra_args) {
    CheckShapeForAlloc(shape, "FromNDAlloc");
    using ObjType = details::TensorObjFromNDAlloc<TNDAlloc>;
    ObjectPtr<ObjType> ptr = make_inplace_array_object<ObjType, int64_t>(
        shape.size() * 2, std::move(alloc), shape, dtype, device,
        std::forward<ExtraArgs>(extra_args)...);
    return Tensor(ObjectPtr<TensorObj>(std::move(ptr)));
  }

  /*!
   * \brief Like FromNDAlloc with explicit strides (in elements); shape and strides are stored
   * inside the object. ValueError "shape and strides must have the same size." otherwise.
   */
  template <typename TNDAlloc, typename... ExtraArgs>
  static Tensor FromNDAllocStrided(TNDAlloc alloc, ShapeView shape, ShapeView strides,
                                   DLDataType dtype, DLDevice device, ExtraArgs&&... extra_args) {
    if (shape.size() != strides.size()) {
      TVM_FFI_THROW(ValueError) << "shape and strides must have the same size.";
    }
    CheckShapeForAlloc(shape, "FromNDAllocStrided");
    using ObjType = details::TensorObjFromNDAllocStrided<TNDAlloc>;
    ObjectPtr<ObjType> ptr = make_inplace_array_object<ObjType, int64_t>(
        shape.size() * 2, std::move(alloc), shape, strides, dtype, device,
        std::forward<ExtraArgs>(extra_args)...);
    return Tensor(ObjectPtr<TensorObj>(std::move(ptr)));
  }

  /*!
   * \brief Allocate a tensor through an environment allocator such as TVMFFIEnvTensorAlloc.
   * Only ndim, shape, dtype and device of the prototype are meaningful to the allocator.
   * Errors reported by the allocator are thrown as tvm::ffi::Error.
   */
  static Tensor FromEnvAlloc(int (*env_alloc)(DLTensor*, TVMFFIObjectHandle*), ShapeView shape,
                             DLDataType dtype, DLDevice device) {
    if (env_alloc == nullptr) {
      TVM_FFI_THROW(ValueError) << "FromEnvAlloc: env_alloc must not be null";
    }
    CheckShapeForAlloc(shape, "FromEnvAlloc");
    DLTensor prototype;
    prototype.data = nullptr;
    prototype.device = device;
    prototype.ndim = static_cast<int32_t>(shape.size());
    prototype.dtype = dtype;
    prototype.shape = const_cast<int64_t*>(shape.data());
    prototype.strides = nullptr;
    prototype.byte_offset = 0;
    TVMFFIObjectHandle handle = nullptr;
    TVM_FFI_CHECK_SAFE_CALL(env_alloc(&prototype, &handle));
    if (handle == nullptr) {
      TVM_FFI_THROW(InternalError) << "FromEnvAlloc: the allocator reported success but "
                                      "returned no tensor";
    }
    ObjectPtr<Object> obj =
        details::ObjectUnsafe::ObjectPtrFromOwned<Object>(static_cast<TVMFFIObject*>(handle));
    if (obj->type_index() != kTVMFFITensor) {
      TVM_FFI_THROW(InternalError) << "FromEnvAlloc: the allocator returned a `"
                                   << obj->GetTypeKey() << "` instead of a tensor";
    }
    return details::ObjectUnsafe::ObjectRefFromObjectPtr<Tensor>(std::move(obj));
  }

  /*!
   * \brief Take ownership of a legacy DLPack managed tensor.
   *
   * On success the producer's deleter is called exactly once, when the returned tensor dies.
   * On failure (RuntimeError for misaligned or non-contiguous data when requested) ownership
   * stays with the caller and the deleter is not called.
   */
  static Tensor FromDLPack(DLManagedTensor* tensor, size_t require_alignment = 0,
                           bool require_contiguous = false) {
    CheckDLPackImport(tensor, require_alignment, require_contiguous);
    return WrapDLPack(tensor);
  }

  /*!
   * \brief Take ownership of a versioned DLPack managed tensor. Like FromDLPack; additionally
   * rejects tensors flagged DLPACK_FLAG_BITMASK_IS_SUBBYTE_TYPE_PADDED (RuntimeError).
   */
  static Tensor FromDLPackVersioned(DLManagedTensorVersioned* tensor, size_t require_alignment = 0,
                                    bool require_contiguous = false) {
    CheckDLPackImport(tensor, require_alignment, require_contiguous);
    if (tensor->flags & DLPACK_FLAG_BITMASK_IS_SUBBYTE_TYPE_PADDED) {
      TVM_FFI_THROW(RuntimeError) << "Subbyte type padded is not yet supported";
    }
    return WrapDLPack(tensor);
  }

  /*! \brief Export as a legacy DLPack managed tensor (holds a reference to this tensor). */
  DLManagedTensor* ToDLPack() const { return CheckedGet()->ToDLPack(); }
  /*! \brief Export as a versioned DLPack managed tensor (holds a reference to this tensor). */
  DLManagedTensorVersioned* ToDLPackVersioned() const { return CheckedGet()->ToDLPackVersioned(); }

 protected:
  const TensorObj* get() const { return static_cast<const TensorObj*>(data_.get()); }
  TensorObj* get_mutable() const { return static_cast<TensorObj*>(data_.get()); }

 private:
  const TensorObj* CheckedGet() const {
    if (data_ == nullptr) {
      TVM_FFI_THROW(RuntimeError) << "Cannot access the fields of an undefined (null) Tensor";
    }
    return get();
  }

  static void CheckShapeForAlloc(ShapeView shape, const char* where) {
    for (size_t i = 0; i < shape.size(); ++i) {
      if (shape.data()[i] < 0) {
        TVM_FFI_THROW(ValueError) << where << ": dimension " << i << " of the shape is negative ("
                                  << shape.data()[i] << ")";
      }
    }
  }

  template <typename TManaged>
  static void CheckDLPackImport(const TManaged* tensor, size_t require_alignment,
                                bool require_contiguous) {
    if (tensor == nullptr) {
      TVM_FFI_THROW(ValueError) << "FromDLPack: the managed tensor must not be null";
    }
    const DLTensor& dl = tensor->dl_tensor;
    if (dl.ndim < 0 || (dl.ndim > 0 && dl.shape == nullptr)) {
      TVM_FFI_THROW(ValueError) << "FromDLPack: invalid DLTensor (ndim=" << dl.ndim
                                << ", shape=" << (dl.shape == nullptr ? "NULL" : "set") << ")";
    }
    if (require_alignment != 0 && !::tvm::ffi::IsAligned(dl, require_alignment)) {
      TVM_FFI_THROW(RuntimeError) << "FromDLPack: Data is not aligned to " << require_alignment
                                  << " bytes.";
    }
    if (require_contiguous && !::tvm::ffi::IsContiguous(dl)) {
      TVM_FFI_THROW(RuntimeError) << "FromDLPack: Tensor is not contiguous.";
    }
  }

  template <typename TManaged>
  static Tensor WrapDLPack(TManaged* tensor) {
    const DLTensor& dl = tensor->dl_tensor;
    const bool synthesize_strides = dl.strides == nullptr && dl.ndim > 0;
    const size_t num_strides = synthesize_strides ? static_cast<size_t>(dl.ndim) : 0;
    using ObjType = details::TensorObjFromDLPack<TManaged>;
    // Allocation failure throws before the object exists: the caller keeps ownership.
    ObjectPtr<ObjType> ptr =
        make_inplace_array_object<ObjType, int64_t>(num_strides, tensor, synthesize_strides);
    return Tensor(ObjectPtr<TensorObj>(std::move(ptr)));
  }
};

/*!
 * \brief Non-owning view of a tensor: a by-value copy of its DLTensor.
 *
 * The viewed data (and shape/strides arrays) must outlive the view. It cannot be built from
 * a temporary Tensor, since the temporary would free the data while the view still points
 * at it.
 */
class TensorView {
 public:
  TensorView(const Tensor& tensor) {  // NOLINT(*)
    TVM_FFI_ICHECK(tensor.defined()) << "Cannot create a TensorView from an undefined Tensor";
    tensor_ = *tensor.GetDLTensorPtr();
  }
  TensorView(const DLTensor* tensor) {  // NOLINT(*)
    TVM_FFI_ICHECK(tensor != nullptr) << "Cannot create a TensorView from a null DLTensor*";
    tensor_ = *tensor;
  }
  TensorView(Tensor&& tensor) = delete;  // NOLINT(*)
  TensorView(const TensorView&) = default;
  TensorView(TensorView&&) = default;
  TensorView& operator=(const TensorView&) = default;
  TensorView& operator=(TensorView&&) = default;
  TensorView& operator=(const Tensor& tensor) {
    TVM_FFI_ICHECK(tensor.defined()) << "Cannot create a TensorView from an undefined Tensor";
    tensor_ = *tensor.GetDLTensorPtr();
    return *this;
  }
  TensorView& operator=(Tensor&& tensor) = delete;

  void* data_ptr() const { return tensor_.data; }
  DLDevice device() const { return tensor_.device; }
  int32_t ndim() const { return tensor_.ndim; }
  DLDataType dtype() const { return tensor_.dtype; }
  ShapeView shape() const { return ShapeView(tensor_.shape, static_cast<size_t>(tensor_.ndim)); }
  int64_t numel() const { return details::ShapeNumel(tensor_.shape, tensor_.ndim); }
  /*! \brief Strides in elements (the producer must have provided them when ndim > 0). */
  ShapeView strides() const {
    TVM_FFI_ICHECK(tensor_.strides != nullptr || tensor_.ndim == 0);
    return ShapeView(tensor_.strides, static_cast<size_t>(tensor_.ndim));
  }
  int64_t size(int64_t idx) const {
    return tensor_.shape[details::NormalizeTensorAxis(idx, tensor_.ndim)];
  }
  int64_t stride(int64_t idx) const {
    const int64_t axis = details::NormalizeTensorAxis(idx, tensor_.ndim);
    TVM_FFI_ICHECK(tensor_.strides != nullptr);
    return tensor_.strides[axis];
  }
  uint64_t byte_offset() const { return tensor_.byte_offset; }
  bool IsContiguous() const { return ::tvm::ffi::IsContiguous(tensor_); }

  /*!
   * \brief A view with the given shape and strides starting `element_offset` elements after
   * this view's first element. The result BORROWS `shape` and `strides`: the caller keeps those
   * arrays (and the viewed memory) alive while the view is used. Sizes must match
   * (InternalError).
   */
  TensorView as_strided(ShapeView shape, ShapeView strides,
                        std::optional<int64_t> element_offset = std::nullopt) const {
    TVM_FFI_ICHECK_EQ(shape.size(), strides.size())
        << "as_strided: shape and strides must have the same size";
    DLTensor prototype = details::MakeStridedPrototype(tensor_, shape, strides, element_offset);
    return TensorView(&prototype);
  }
  /*! \brief The viewed DLTensor (this view's own copy). */
  const DLTensor* GetDLTensorPtr() const { return &tensor_; }

  // torch-style aliases
  int32_t dim() const { return ndim(); }
  ShapeView sizes() const { return shape(); }
  bool is_contiguous() const { return IsContiguous(); }

 private:
  DLTensor tensor_;
};

static_assert(sizeof(TensorView) == sizeof(DLTensor), "TensorView is a by-value DLTensor");

/*! \brief Bytes occupied by the elements of a tensor. */
inline size_t GetDataSize(const Tensor& tensor) { return GetDataSize(*tensor.GetDLTensorPtr()); }
/*! \brief Bytes occupied by the elements of a viewed tensor. */
inline size_t GetDataSize(const TensorView& tensor) {
  return GetDataSize(*tensor.GetDLTensorPtr());
}

/*!
 * \brief TensorView crosses the boundary as a borrowed DLTensor*; it reads from a DLTensor*
 * cell or from a Tensor object (whose DLTensor follows the object header). It cannot be held
 * by an owning Any.
 */
template <>
struct TypeTraits<TensorView> : public TypeTraitsBase {
  static constexpr bool storage_enabled = false;
  static constexpr int32_t field_static_type_index = kTVMFFIDLTensorPtr;

  TVM_FFI_INLINE static void CopyToAnyView(const TensorView& src, TVMFFIAny* result) {
    details::WritePODHeader(kTVMFFIDLTensorPtr, result);
    result->v_ptr = const_cast<DLTensor*>(src.GetDLTensorPtr());
  }
  [[noreturn]] static void MoveToAny(TensorView, TVMFFIAny*) {
    TVM_FFI_THROW(RuntimeError) << "TensorView cannot be held in Any as it does not retain "
                                   "ownership, use Tensor instead";
    TVM_FFI_UNREACHABLE();
  }
  TVM_FFI_INLINE static bool CheckAnyStrict(const TVMFFIAny* src) {
    return src->type_index == kTVMFFIDLTensorPtr;
  }
  TVM_FFI_INLINE static TensorView CopyFromAnyViewAfterCheck(const TVMFFIAny* src) {
    return TensorView(static_cast<const DLTensor*>(src->v_ptr));
  }
  TVM_FFI_INLINE static std::optional<TensorView> TryCastFromAnyView(const TVMFFIAny* src) {
    if (src->type_index == kTVMFFIDLTensorPtr) {
      if (src->v_ptr == nullptr) return std::nullopt;
      return TensorView(static_cast<const DLTensor*>(src->v_ptr));
    }
    if (src->type_index == kTVMFFITensor) {
      return TensorView(reinterpret_cast<const DLTensor*>(
          reinterpret_cast<const char*>(src->v_obj) + sizeof(TVMFFIObject)));
    }
    return std::nullopt;
  }
  static std::string TypeStr() { return StaticTypeKey::kTVMFFIDLTensorPtr; }
  static std::string TypeSchema() { return R"({"type":"DLTensor*"})"; }
};

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_CONTAINER_TENSOR_H_
