/*!
 * \file custom_allocator.cc
 * \brief The process-wide object allocator hook.
 *
 * C functions implemented here: TVMFFIGetCustomAllocator, TVMFFISetCustomAllocator.
 *
 * The built-in allocator places the object body 16 bytes (alignof(max_align_t)) after the
 * start of its block (`alignment` bytes for larger alignments) and stores, at body - 8, a
 * delete_space that frees the block.
 */
#include <tvm/ffi/c_api.h>

#include <atomic>
#include <cstddef>
#include <cstdlib>

namespace {

constexpr size_t kBodyOffset = 16;
static_assert(kBodyOffset >= sizeof(TVMFFIObjectAllocHeader), "room for the header");

void BuiltinDeleteSpace(void* body) { std::free(static_cast<char*>(body) - kBodyOffset); }

/*! \brief delete_space of over-aligned blocks: the block start is stored at body - 16. */
void OverAlignedDeleteSpace(void* body) {
  void* base = *reinterpret_cast<void**>(static_cast<char*>(body) - 2 * sizeof(void*));
  std::free(base);
}

void* BuiltinAllocate(size_t size, size_t alignment, int32_t /*type_index*/, void* /*context*/) {
  if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
    TVMFFIErrorSetRaisedFromCStr("ValueError",
                                 "custom allocator: alignment must be a power of two");
    return nullptr;
  }
  char* body = nullptr;
  if (alignment <= kBodyOffset) {
    void* base = std::malloc(kBodyOffset + size);
    if (base != nullptr) {
      body = static_cast<char*>(base) + kBodyOffset;
      reinterpret_cast<TVMFFIObjectAllocHeader*>(body - sizeof(TVMFFIObjectAllocHeader))
          ->delete_space = BuiltinDeleteSpace;
    }
  } else {
    // Over-aligned: the body starts `alignment` bytes into an aligned block, so it is aligned
    // too; the block start is kept right before the header.
    size_t total = (alignment + size + alignment - 1) / alignment * alignment;
    void* base = std::aligned_alloc(alignment, total);
    if (base != nullptr) {
      body = static_cast<char*>(base) + alignment;
      *reinterpret_cast<void**>(body - 2 * sizeof(void*)) = base;
      reinterpret_cast<TVMFFIObjectAllocHeader*>(body - sizeof(TVMFFIObjectAllocHeader))
          ->delete_space = OverAlignedDeleteSpace;
    }
  }
  if (body == nullptr) {
    TVMFFIErrorSetRaisedFromCStr("RuntimeError", "custom allocator: out of memory");
  }
  return body;
}

TVMFFICustomAllocator* BuiltinAllocator() {
  static TVMFFICustomAllocator allocator = {BuiltinAllocate, nullptr};
  return &allocator;
}

std::atomic<TVMFFICustomAllocator*>& CurrentAllocator() {
  static std::atomic<TVMFFICustomAllocator*> current{BuiltinAllocator()};
  return current;
}

}  // namespace

TVMFFICustomAllocator* TVMFFIGetCustomAllocator(void) {
  return CurrentAllocator().load(std::memory_order_acquire);
}

int TVMFFISetCustomAllocator(TVMFFICustomAllocator* allocator) {
  CurrentAllocator().store(allocator != nullptr ? allocator : BuiltinAllocator(),
                           std::memory_order_release);
  return 0;
}
