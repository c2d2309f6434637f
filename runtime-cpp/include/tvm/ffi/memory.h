/*!
 * \file tvm/ffi/memory.h
 * \brief Allocation of FFI objects.
 *
 * make_object<T>() allocates T on the heap, sets the header to "one strong + one weak
 * reference", the runtime type index of T, and a deleter that lives in THIS binary: the
 * strong phase runs ~T(), the weak phase frees the memory. Memory is therefore always freed
 * by the binary that allocated it.
 */
#ifndef TVM_FFI_MEMORY_H_
#define TVM_FFI_MEMORY_H_

#include <tvm/ffi/object.h>

#include <cstddef>
#include <cstdlib>
#include <new>
#include <type_traits>
#include <utility>

namespace tvm {
namespace ffi {

/*! \brief Signature of TVMFFIObject::deleter. */
using FObjectDeleter = void (*)(void* obj, int flags);

namespace details {

/*! \brief CRTP base of object allocators: fills the header after construction. */
template <typename Derived>
class ObjAllocatorBase {
 public:
  template <typename T, typename... Args>
  ObjectPtr<T> make_object(Args&&... args) {
    using Handler = typename Derived::template Handler<T>;
    static_assert(std::is_base_of_v<Object, T>, "make_object can only be used on Object types");
    T* ptr = Handler::New(static_cast<Derived*>(this), std::forward<Args>(args)...);
    InitHeader(ptr, T::RuntimeTypeIndex(), Handler::Deleter());
    return ObjectUnsafe::ObjectPtrFromOwned<T>(static_cast<Object*>(ptr));
  }

  template <typename ArrayType, typename ElemType, typename... Args>
  ObjectPtr<ArrayType> make_inplace_array(size_t num_elems, Args&&... args) {
    using Handler = typename Derived::template ArrayHandler<ArrayType, ElemType>;
    static_assert(std::is_base_of_v<Object, ArrayType>, "must be an Object type");
    ArrayType* ptr =
        Handler::New(static_cast<Derived*>(this), num_elems, std::forward<Args>(args)...);
    InitHeader(ptr, ArrayType::RuntimeTypeIndex(), Handler::Deleter());
    return ObjectUnsafe::ObjectPtrFromOwned<ArrayType>(static_cast<Object*>(ptr));
  }

 private:
  template <typename T>
  static void InitHeader(T* ptr, int32_t type_index, FObjectDeleter deleter) {
    TVMFFIObject* header = ObjectUnsafe::GetHeader(static_cast<Object*>(ptr));
    header->combined_ref_count = kCombinedRefCountBothOne;
    header->type_index = type_index;
    header->__padding = 0;
    header->deleter = deleter;
  }
};

/*! \brief Raw aligned allocation shared by the simple allocator's handlers. */
inline void* AlignedAlloc(size_t size, size_t align) {
  void* ptr = nullptr;
  if (align <= alignof(std::max_align_t)) {
    ptr = std::malloc(size);
  } else {
#ifdef _MSC_VER
    ptr = _aligned_malloc(size, align);
#else
    if (posix_memalign(&ptr, align, size) != 0) ptr = nullptr;
#endif
  }
  if (ptr == nullptr) throw std::bad_alloc();
  return ptr;
}

inline void AlignedFree(void* ptr, [[maybe_unused]] size_t align) {
#ifdef _MSC_VER
  if (align > alignof(std::max_align_t)) {
    _aligned_free(ptr);
    return;
  }
#endif
  std::free(ptr);
}

/*!
 * \brief Deleter body of the default allocator. Object* -> T* is cast only while the object is
 * alive (strong phase): in a weak-only call ~T() has already run and casting the dead object is
 * undefined (UBSan: "downcast ... invalid vptr"). The distance from the allocation start to the
 * header, a per-type constant (non-zero when T's vptr comes first), is remembered for that call.
 */
template <typename T>
inline void SimpleObjDelete(void* header, int flags) {
  static std::ptrdiff_t header_offset = 0;
  if (flags & kTVMFFIObjectDeleterFlagBitMaskStrong) {
    T* tptr = static_cast<T*>(reinterpret_cast<Object*>(header));
    __atomic_store_n(&header_offset, static_cast<char*>(header) - reinterpret_cast<char*>(tptr),
                     __ATOMIC_RELAXED);
    tptr->T::~T();
  }
  if (flags & kTVMFFIObjectDeleterFlagBitMaskWeak) {
    AlignedFree(static_cast<char*>(header) - __atomic_load_n(&header_offset, __ATOMIC_RELAXED),
                alignof(T));
  }
}

/*! \brief Default allocator: malloc/posix_memalign, one deleter function per type. */
class SimpleObjAllocator : public ObjAllocatorBase<SimpleObjAllocator> {
 public:
  template <typename T>
  class Handler {
   public:
    template <typename... Args>
    static T* New(SimpleObjAllocator*, Args&&... args) {
      void* data = AlignedAlloc(sizeof(T), alignof(T));
      try {
        return new (data) T(std::forward<Args>(args)...);
      } catch (...) {
        AlignedFree(data, alignof(T));
        throw;
      }
    }
    static FObjectDeleter Deleter() { return Deleter_; }

   private:
    static void Deleter_(void* header, int flags) { SimpleObjDelete<T>(header, flags); }
  };

  template <typename ArrayType, typename ElemType>
  class ArrayHandler {
   public:
    template <typename... Args>
    static ArrayType* New(SimpleObjAllocator*, size_t num_elems, Args&&... args) {
      static_assert(alignof(ArrayType) % alignof(ElemType) == 0,
                    "element alignment must divide the object alignment");
      static_assert(sizeof(ArrayType) % alignof(ElemType) == 0,
                    "elements must be aligned right after the object");
      size_t size = sizeof(ArrayType) + num_elems * sizeof(ElemType);
      constexpr size_t kAlign = alignof(ArrayType);
      size = (size + kAlign - 1) / kAlign * kAlign;
      void* data = AlignedAlloc(size, kAlign);
      try {
        return new (data) ArrayType(std::forward<Args>(args)...);
      } catch (...) {
        AlignedFree(data, kAlign);
        throw;
      }
    }
    static FObjectDeleter Deleter() { return Deleter_; }

   private:
    static void Deleter_(void* header, int flags) { SimpleObjDelete<ArrayType>(header, flags); }
  };
};

}  // namespace details

/*! \brief Allocate a T (an Object subclass) and return the owning pointer. */
template <typename T, typename... Args>
inline ObjectPtr<T> make_object(Args&&... args) {
  return details::SimpleObjAllocator().make_object<T>(std::forward<Args>(args)...);
}

/*!
 * \brief Allocate an ArrayType followed by room for num_elems ElemType values in the same
 * block (the elements are not constructed).
 */
template <typename ArrayType, typename ElemType, typename... Args>
inline ObjectPtr<ArrayType> make_inplace_array_object(size_t num_elems, Args&&... args) {
  return details::SimpleObjAllocator().make_inplace_array<ArrayType, ElemType>(
      num_elems, std::forward<Args>(args)...);
}

}  // namespace ffi
}  // namespace tvm

#endif  // TVM_FFI_MEMORY_H_
