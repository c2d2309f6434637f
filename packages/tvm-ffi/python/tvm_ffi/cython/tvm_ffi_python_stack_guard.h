/*!
 * \file tvm_ffi_python_stack_guard.h
 * \brief Native stack headroom check for Python callbacks called from C++.
 *
 * Recursion C++ -> Python -> C++ -> ... uses native stack on every hop (C++ frames, the
 * interpreter's C frames, the extension's frames). Python's recursion limit counts Python
 * frames only, and a program may raise it far beyond what the native stack holds, so before a
 * Python callback runs, the boundary checks that the calling thread still has some headroom on
 * its native stack and raises RecursionError otherwise instead of overflowing it.
 *
 * The stack bounds of each thread are looked up once (pthread_getattr_np on glibc,
 * pthread_get_stackaddr_np on macOS, GetCurrentThreadStackLimits on Windows) and cached in a
 * thread-local variable. Where no bounds are known, a per-thread hop counter is used instead.
 */
#ifndef TVM_FFI_PYTHON_STACK_GUARD_H_
#define TVM_FFI_PYTHON_STACK_GUARD_H_

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#include <windows.h>
#elif defined(__APPLE__)
#include <pthread.h>
#elif defined(__linux__)
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_MSC_VER)
#define TVM_FFI_PY_THREAD_LOCAL __declspec(thread)
#else
#define TVM_FFI_PY_THREAD_LOCAL __thread
#endif

/*!
 * \brief Frames are several times larger under AddressSanitizer (red zones around every
 *        local), so is the stack one hop and the error path after a refused hop need.
 */
#if defined(__SANITIZE_ADDRESS__)
#define TVM_FFI_PY_STACK_SCALE 4
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TVM_FFI_PY_STACK_SCALE 4
#endif
#endif
#ifndef TVM_FFI_PY_STACK_SCALE
#define TVM_FFI_PY_STACK_SCALE 1
#endif

/*! \brief Headroom kept free below a callback: the largest of these two, capped by size/4. */
#define TVM_FFI_PY_STACK_RESERVE_MIN ((size_t)64 * 1024 * TVM_FFI_PY_STACK_SCALE)
#define TVM_FFI_PY_STACK_RESERVE_MAX ((size_t)256 * 1024 * TVM_FFI_PY_STACK_SCALE)
/*! \brief Callback nesting allowed per thread when the stack bounds are unknown. */
#define TVM_FFI_PY_CALLBACK_DEPTH_FALLBACK 2000

/* Per thread: 0 = not looked up, 1 = bounds known, -1 = unknown (use the depth counter). */
static TVM_FFI_PY_THREAD_LOCAL int TVMFFIPyStackState = 0;
/* Lowest address the guard lets a callback start at (the stack grows downwards). */
static TVM_FFI_PY_THREAD_LOCAL uintptr_t TVMFFIPyStackLimit = 0;
static TVM_FFI_PY_THREAD_LOCAL int TVMFFIPyCallbackDepth = 0;

/*! \brief Look up [low, high) of the calling thread's stack; returns 0 when unknown. */
static int TVMFFIPyStackBounds(uintptr_t* low, uintptr_t* high) {
#if defined(_WIN32)
  ULONG_PTR lo = 0, hi = 0;
  GetCurrentThreadStackLimits(&lo, &hi);
  *low = (uintptr_t)lo;
  *high = (uintptr_t)hi;
  return hi > lo;
#elif defined(__APPLE__)
  pthread_t self = pthread_self();
  uintptr_t top = (uintptr_t)pthread_get_stackaddr_np(self);
  size_t size = pthread_get_stacksize_np(self);
  *high = top;
  *low = top - size;
  return size != 0;
#elif defined(__linux__) && defined(__GLIBC__)
  pthread_attr_t attr;
  void* addr = NULL;
  size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return 0;
  if (pthread_attr_getstack(&attr, &addr, &size) != 0) size = 0;
  pthread_attr_destroy(&attr);
  *low = (uintptr_t)addr;
  *high = (uintptr_t)addr + size;
  return size != 0;
#else
  (void)low;
  (void)high;
  return 0;
#endif
}

/*!
 * \brief An address in the calling thread's native stack frame.
 *
 * The frame address, not the address of a local: with AddressSanitizer's use-after-return
 * detection, locals live in "fake stack" frames on the heap, outside the thread's stack bounds.
 */
static inline uintptr_t TVMFFIPyStackHere(void) {
#if defined(__GNUC__) || defined(__clang__)
  return (uintptr_t)__builtin_frame_address(0);
#else
  volatile char marker = 0;
  return (uintptr_t)&marker;
#endif
}

static void TVMFFIPyStackInit(uintptr_t here) {
  uintptr_t low = 0, high = 0;
  if (TVMFFIPyStackBounds(&low, &high) && low < here && here <= high) {
    size_t size = (size_t)(high - low);
    size_t reserve = size / 4;
    if (reserve > TVM_FFI_PY_STACK_RESERVE_MAX) reserve = TVM_FFI_PY_STACK_RESERVE_MAX;
    if (reserve < TVM_FFI_PY_STACK_RESERVE_MIN && size / 2 > TVM_FFI_PY_STACK_RESERVE_MIN) {
      reserve = TVM_FFI_PY_STACK_RESERVE_MIN;
    }
    TVMFFIPyStackLimit = low + reserve;
    TVMFFIPyStackState = 1;
  } else {
    TVMFFIPyStackState = -1;
  }
}

/*!
 * \brief Enter a Python callback: 0 when there is room, -1 when the native stack (or the hop
 *        counter) is exhausted. Every successful enter is paired with TVMFFIPyCallbackLeave.
 */
static inline int TVMFFIPyCallbackEnter(void) {
  uintptr_t here = TVMFFIPyStackHere();
  if (TVMFFIPyStackState == 0) TVMFFIPyStackInit(here);
  if (TVMFFIPyStackState == 1) {
    if (here < TVMFFIPyStackLimit) return -1;
  } else if (TVMFFIPyCallbackDepth >= TVM_FFI_PY_CALLBACK_DEPTH_FALLBACK) {
    return -1;
  }
  ++TVMFFIPyCallbackDepth;
  return 0;
}

static inline void TVMFFIPyCallbackLeave(void) { --TVMFFIPyCallbackDepth; }

#ifdef __cplusplus
}
#endif
#endif /* TVM_FFI_PYTHON_STACK_GUARD_H_ */
