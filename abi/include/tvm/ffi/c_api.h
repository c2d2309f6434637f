/*
 * tvm/ffi/c_api.h -- the C ABI of TVM FFI 0.1.x.
 *
 * This header is the normative, self-describing description of the binary interface shared by
 * the TVM FFI runtime library (libtvm_ffi), every module compiled against it and every language
 * binding. Everything declared here -- names, enumerator values, struct layouts, calling
 * conventions -- is binary compatible with Apache TVM FFI 0.1.x.
 *
 * Reading guide
 *   1. Version and export macros.
 *   2. Enumerations (type indices, flag masks, modes).
 *   3. Data structures: the object header (TVMFFIObject), the 16-byte value cell (TVMFFIAny),
 *      the per-type "cells" that follow the object header, and reflection records.
 *   4. Exported functions (40 here; 10 more live in tvm/ffi/extra/c_env_api.h).
 *   5. C++-only inline helpers (pure address arithmetic).
 *
 * Conventions
 *   - All sizes/offsets quoted in comments are for x86_64 (LP64).
 *   - "Handle" means TVMFFIObjectHandle, a `void*` that points at a TVMFFIObject header.
 *   - "+1" / "new reference": the callee gives the caller one strong reference which the caller
 *     must eventually drop with TVMFFIObjectDecRef. "Borrowed": no reference changes hands.
 *   - "Safe-call" functions return int: 0 = success; -1 = failure with an Error object stored
 *     in the calling thread's "last raised error" slot (fetch it with TVMFFIErrorMoveFromRaised).
 *     Deprecated: -2 = the host environment (e.g. Python) already has an error pending. New code
 *     raises an Error of kind "EnvErrorAlreadySet" and returns -1 instead; callers must still
 *     accept -2 from older callees.
 *     Out-parameters are only written on success unless stated otherwise.
 *   - "Log-and-abort" functions print a message and terminate the process on internal failure;
 *     they never report errors through the return value.
 *
 * The header is valid C (C11; C99 with the anonymous-union extension) and C++ (C++11 and up).
 */
#ifndef TVM_FFI_C_API_H_
#define TVM_FFI_C_API_H_

#include <dlpack/dlpack.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__EMSCRIPTEN__)
#include <emscripten/emscripten.h>
#endif

/* ========================================================================================== */
/* 1. Version and export macros                                                               */
/* ========================================================================================== */

/*! \brief Major version of TVM FFI described by this header. */
#define TVM_FFI_VERSION_MAJOR 0
/*! \brief Minor version of TVM FFI described by this header. */
#define TVM_FFI_VERSION_MINOR 1
/*! \brief Patch version of TVM FFI described by this header. */
#define TVM_FFI_VERSION_PATCH 16

/*
 * TVM_FFI_ATTRIBUTE_PURE marks a function whose result depends only on its arguments and on
 * state that does not change between calls, so repeated calls may be merged by the compiler.
 */
#if defined(__GNUC__) || defined(__clang__)
#define TVM_FFI_ATTRIBUTE_PURE __attribute__((__pure__))
#else
#define TVM_FFI_ATTRIBUTE_PURE
#endif

/*
 * TVM_FFI_DLL        decorates the functions implemented by the runtime library itself.
 * TVM_FFI_DLL_EXPORT decorates functions that a user/module library exports for the runtime to
 *                    find (e.g. `__tvm_ffi_<name>` packed functions).
 *
 *   platform      TVM_FFI_DLL                                TVM_FFI_DLL_EXPORT
 *   Emscripten    EMSCRIPTEN_KEEPALIVE                       EMSCRIPTEN_KEEPALIVE
 *   MSVC          dllexport if TVM_FFI_EXPORTS, else         dllexport
 *                 dllimport
 *   others        default symbol visibility                  default symbol visibility
 *
 * Override hook: an includer may define TVM_FFI_DLL before including this header; then neither
 * macro is defined here and the includer must provide TVM_FFI_DLL_EXPORT as well.
 * TVM_FFI_EXPORTS is defined (privately) only while the runtime library itself is compiled.
 */
#ifndef TVM_FFI_DLL
#if defined(__EMSCRIPTEN__)
#define TVM_FFI_DLL EMSCRIPTEN_KEEPALIVE
#define TVM_FFI_DLL_EXPORT EMSCRIPTEN_KEEPALIVE
#elif defined(_MSC_VER)
#ifdef TVM_FFI_EXPORTS
#define TVM_FFI_DLL __declspec(dllexport)
#else
#define TVM_FFI_DLL __declspec(dllimport)
#endif
#define TVM_FFI_DLL_EXPORT __declspec(dllexport)
#else
#define TVM_FFI_DLL __attribute__((visibility("default")))
#define TVM_FFI_DLL_EXPORT __attribute__((visibility("default")))
#endif
#endif /* TVM_FFI_DLL */

/*
 * TVM_FFI_WEAK marks a definition that may appear in several translation units / libraries, of
 * which the linker keeps one: `__declspec(selectany)` on MSVC, `__attribute__((weak))` elsewhere.
 * It is always defined here, independent of the TVM_FFI_DLL override.
 */
#if defined(_MSC_VER)
#define TVM_FFI_WEAK __declspec(selectany)
#else
#define TVM_FFI_WEAK __attribute__((weak))
#endif

/*
 * Internal helpers for declaring an enumeration with a 4-byte representation in both languages:
 * C++ gets `enum Name : int32_t {...};`, C gets `typedef enum {...} Name;`.
 * They are removed again at the end of this header.
 */
#ifdef __cplusplus
#define TVM_FFI_C_ENUM_BEGIN_(Name) enum Name : int32_t
#define TVM_FFI_C_ENUM_END_(Name)
#else
#define TVM_FFI_C_ENUM_BEGIN_(Name) typedef enum
#define TVM_FFI_C_ENUM_END_(Name) Name
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ========================================================================================== */
/* 2. Enumerations                                                                            */
/* ========================================================================================== */

/*!
 * \brief Type index: the runtime type tag carried by TVMFFIAny::type_index and
 *        TVMFFIObject::type_index.
 *
 * Ranges:
 *   -1        kTVMFFIAny: annotation-only pseudo index ("any type"); never stored in a value.
 *   0 .. 12   plain values stored inline in a TVMFFIAny (no reference counting).
 *   13        the structural-mutation marker kTVMFFIUnchanged (a plain value).
 *   14 .. 63  reserved.
 *   64 .. 78  built-in heap objects (reference counted, payload in TVMFFIAny::v_obj).
 *   79 .. 127 reserved for future built-in objects.
 *   >= 128    object types registered at run time (TVMFFITypeGetOrAllocIndex).
 *
 * The single rule every consumer uses: `type_index >= kTVMFFIStaticObjectBegin` (64) <=> the
 * value is a reference-counted object.
 */
TVM_FFI_C_ENUM_BEGIN_(TVMFFITypeIndex){
    /*! \brief "Any type" in reflection annotations (key `Any`); never a runtime tag. */
    kTVMFFIAny = -1,
    /*! \brief None / null (key `None`). Payload bytes are 0. */
    kTVMFFINone = 0,
    /*! \brief 64-bit signed integer in `v_int64` (key `int`). */
    kTVMFFIInt = 1,
    /*! \brief Boolean, 0 or 1 in `v_int64` (key `bool`). */
    kTVMFFIBool = 2,
    /*! \brief IEEE double in `v_float64` (key `float`). */
    kTVMFFIFloat = 3,
    /*! \brief Opaque pointer in `v_ptr`, may be NULL (key `void*`). */
    kTVMFFIOpaquePtr = 4,
    /*! \brief DLDataType in `v_dtype`; the remaining 4 payload bytes are 0 (key `DataType`). */
    kTVMFFIDataType = 5,
    /*! \brief DLDevice in `v_device` (key `Device`). */
    kTVMFFIDevice = 6,
    /*! \brief Borrowed `DLTensor*` in `v_ptr` (key `DLTensor*`). */
    kTVMFFIDLTensorPtr = 7,
    /*! \brief View only: borrowed NUL-terminated `const char*` in `v_c_str` (key `const char*`). */
    kTVMFFIRawStr = 8,
    /*! \brief View only: borrowed `TVMFFIByteArray*` in `v_ptr` (key `TVMFFIByteArray*`). */
    kTVMFFIByteArrayPtr = 9,
    /*!
     * \brief View only: `v_ptr` is the address of a slot (`TVMFFIObject**`) holding an owned
     *        object reference that the callee may move out (key `ObjectRValueRef`).
     */
    kTVMFFIObjectRValueRef = 10,
    /*! \brief Inline string of at most 7 bytes: `small_str_len` + `v_bytes` (key `ffi.SmallStr`). */
    kTVMFFISmallStr = 11,
    /*! \brief Inline bytes of at most 7 bytes: `small_str_len` + `v_bytes` (key `ffi.SmallBytes`). */
    kTVMFFISmallBytes = 12,
    /*!
     * \brief Structural-mutation marker "the hook produced no new value" (key `ffi.Unchanged`).
     *        POD, payload zero; legal only as the return value of mutation hooks.
     */
    kTVMFFIUnchanged = 13,
    /*! \brief First index of the object range (same value as kTVMFFIObject). */
    kTVMFFIStaticObjectBegin = 64,
    /*! \brief Root of the object hierarchy (key `ffi.Object`). */
    kTVMFFIObject = 64,
    /*! \brief String object: header + TVMFFIByteArray (key `ffi.String`). */
    kTVMFFIStr = 65,
    /*! \brief Bytes object: header + TVMFFIByteArray (key `ffi.Bytes`). */
    kTVMFFIBytes = 66,
    /*! \brief Error object: header + TVMFFIErrorCell (key `ffi.Error`). */
    kTVMFFIError = 67,
    /*! \brief Function object: header + TVMFFIFunctionCell (key `ffi.Function`). */
    kTVMFFIFunction = 68,
    /*! \brief Shape object: header + TVMFFIShapeCell (key `ffi.Shape`). */
    kTVMFFIShape = 69,
    /*! \brief Tensor object: header + DLTensor (key `ffi.Tensor`). */
    kTVMFFITensor = 70,
    /*! \brief Array object (key `ffi.Array`). */
    kTVMFFIArray = 71,
    /*! \brief Map object (key `ffi.Map`). */
    kTVMFFIMap = 72,
    /*! \brief Module object (key `ffi.Module`). */
    kTVMFFIModule = 73,
    /*! \brief Foreign (e.g. Python) object: header + TVMFFIOpaqueObjectCell (key `ffi.OpaquePyObject`). */
    kTVMFFIOpaquePyObject = 74,
    /*! \brief Mutable, shared sequence: header + TVMFFISeqCell (key `ffi.List`, final). */
    kTVMFFIList = 75,
    /*! \brief Mutable, shared map with the Map layout (key `ffi.Dict`, final). */
    kTVMFFIDict = 76,
    /*! \brief Early-exit marker of structural visits (key `ffi.VisitInterrupt`, final). */
    kTVMFFIVisitInterrupt = 77,
    /*!
     * \brief Integer outside the int64 range (key `ffi.BigInt`, final). Layout: header (24),
     *        word count `size_t` at offset 24, then that many native-endian int64 words at
     *        offset 32, two's complement, least significant word first. Canonical form: at
     *        least 2 words and no redundant sign-extension word; values that fit int64 are
     *        always kTVMFFIInt cells instead.
     */
    kTVMFFIBigInt = 78,
    /*! \brief One past the last built-in object index (79; it was 75 before List/Dict). */
    kTVMFFIStaticObjectEnd,
    /*! \brief First index handed out to types registered at run time. */
    kTVMFFIDynObjectBegin = 128,
} TVM_FFI_C_ENUM_END_(TVMFFITypeIndex);

/*!
 * \brief Flags passed as the second argument of TVMFFIObject::deleter.
 *
 * An object is kept alive by a 64-bit word: low 32 bits = strong count, high 32 bits = weak count
 * (all strong references together own one weak reference).
 */
TVM_FFI_C_ENUM_BEGIN_(TVMFFIObjectDeleterFlagBitMask){
    /*! \brief Strong count reached zero: destroy the payload but keep the memory block. */
    kTVMFFIObjectDeleterFlagBitMaskStrong = 1 << 0,
    /*! \brief Weak count reached zero: release the memory block. */
    kTVMFFIObjectDeleterFlagBitMaskWeak = 1 << 1,
    /*! \brief Both counts reached zero at once: destroy and release (the common case). */
    kTVMFFIObjectDeleterFlagBitMaskBoth = kTVMFFIObjectDeleterFlagBitMaskStrong |
                                          kTVMFFIObjectDeleterFlagBitMaskWeak,
} TVM_FFI_C_ENUM_END_(TVMFFIObjectDeleterFlagBitMask);

/*! \brief How TVMFFIErrorCell::update_backtrace combines the given text with the current one. */
TVM_FFI_C_ENUM_BEGIN_(TVMFFIBacktraceUpdateMode){
    /*! \brief Replace the error's backtrace with the given text. */
    kTVMFFIBacktraceUpdateModeReplace = 0,
    /*! \brief Append the given text after the existing backtrace. */
    kTVMFFIBacktraceUpdateModeAppend = 1,
} TVM_FFI_C_ENUM_END_(TVMFFIBacktraceUpdateMode);

/*!
 * \brief Bits of TVMFFIFieldInfo::flags and TVMFFIMethodInfo::flags (stored in an int64_t).
 */
TVM_FFI_C_ENUM_BEGIN_(TVMFFIFieldFlagBitMask){
    /*! \brief The field may be assigned after the object has been constructed. */
    kTVMFFIFieldFlagBitMaskWritable = 1 << 0,
    /*! \brief TVMFFIFieldInfo::default_value_or_factory holds a meaningful default. */
    kTVMFFIFieldFlagBitMaskHasDefault = 1 << 1,
    /*! \brief (Methods) static method: no implicit `self` as first argument. */
    kTVMFFIFieldFlagBitMaskIsStaticMethod = 1 << 2,
    /*! \brief Structural equality / hashing skip this field. */
    kTVMFFIFieldFlagBitMaskSEqHashIgnore = 1 << 3,
    /*!
     * \brief The field opens a *pattern* definition region: variables met inside it are
     *        defined, and so are the free variables of their types.
     */
    kTVMFFIFieldFlagBitMaskSEqHashDefPattern = 1 << 4,
    /*! \brief Deprecated spelling of kTVMFFIFieldFlagBitMaskSEqHashDefPattern (same bit). */
    kTVMFFIFieldFlagBitMaskSEqHashDef = 1 << 4,
    /*!
     * \brief With HasDefault: default_value_or_factory holds a Function `() -> Any` that is
     *        called once per new instance to produce the default.
     */
    kTVMFFIFieldFlagBitMaskDefaultFromFactory = 1 << 5,
    /*! \brief The field is left out of the generic repr. */
    kTVMFFIFieldFlagBitMaskReprOff = 1 << 6,
    /*! \brief The field is left out of recursive comparison (RecursiveEq, RecursiveLt, ...). */
    kTVMFFIFieldFlagBitMaskCompareOff = 1 << 7,
    /*! \brief The field is left out of the recursive hash. */
    kTVMFFIFieldFlagBitMaskHashOff = 1 << 8,
    /*! \brief The field is not a parameter of the generated `__ffi_init__`. */
    kTVMFFIFieldFlagBitMaskInitOff = 1 << 9,
    /*! \brief Keyword-only parameter of the generated `__ffi_init__` (ignored with InitOff). */
    kTVMFFIFieldFlagBitMaskKwOnly = 1 << 10,
    /*!
     * \brief TVMFFIFieldInfo::setter is a Function object handle (called with the field
     *        address as an opaque pointer and the value), not a TVMFFIFieldSetter. Note the
     *        spelling: `Bit`, not `BitMask`.
     */
    kTVMFFIFieldFlagBitSetterIsFunctionObj = 1 << 11,
    /*!
     * \brief The field opens a *simple* definition region: the variable is defined, its type
     *        is walked as uses.
     */
    kTVMFFIFieldFlagBitMaskSEqHashDefSimple = 1 << 12,
} TVM_FFI_C_ENUM_END_(TVMFFIFieldFlagBitMask);

/*!
 * \brief How objects of a type take part in structural equality and hashing
 *        (TVMFFITypeMetadata::structural_eq_hash_kind).
 */
TVM_FFI_C_ENUM_BEGIN_(TVMFFISEqHashKind){
    /*! \brief The type does not support structural equality / hashing. */
    kTVMFFISEqHashKindUnsupported = 0,
    /*! \brief Compared by content as a tree; sharing of sub-objects is irrelevant. */
    kTVMFFISEqHashKindTreeNode = 1,
    /*! \brief A variable: inside a definition region it may be bound to a variable of the other side. */
    kTVMFFISEqHashKindFreeVar = 2,
    /*! \brief Compared by content as a DAG; the sharing structure must match too. */
    kTVMFFISEqHashKindDAGNode = 3,
    /*! \brief Tree node known to contain no free variables (pointer equality short-cuts are valid). */
    kTVMFFISEqHashKindConstTreeNode = 4,
    /*! \brief Singleton-like: two values are equal exactly when they are the same object. */
    kTVMFFISEqHashKindUniqueInstance = 5,
} TVM_FFI_C_ENUM_END_(TVMFFISEqHashKind);

/*! \brief The kind of definition region a structural visitor or mutator is in. */
TVM_FFI_C_ENUM_BEGIN_(TVMFFIDefRegionKind){
    /*! \brief Not in a definition region: free variables are uses. */
    kTVMFFIDefRegionKindNone = 0,
    /*! \brief Pattern region; regions entered inside it stay pattern regions. */
    kTVMFFIDefRegionKindPattern = 1,
    /*! \brief Simple region. */
    kTVMFFIDefRegionKindSimple = 2,
} TVM_FFI_C_ENUM_END_(TVMFFIDefRegionKind);

/* ========================================================================================== */
/* 3. Data structures                                                                         */
/* ========================================================================================== */

/*! \brief Opaque handle of a heap object; always points at its TVMFFIObject header. */
typedef void* TVMFFIObjectHandle;

/*!
 * \brief Header at the start of every reference-counted heap object. Size 24, align 8.
 *
 *   offset 0  combined_ref_count  strong count (low 32 bits) | weak count (high 32 bits)
 *   offset 8  type_index          a type index >= 64
 *   offset 12 __padding           zero
 *   offset 16 deleter             (shares storage with __ensure_align)
 *
 * Reference counting is performed inline by both sides of the ABI, so the protocol is fixed:
 *   - a new object starts at (1 << 32) | 1 (one strong ref, plus the one weak ref shared by all
 *     strong refs);
 *   - strong +1: relaxed atomic add of 1; weak +1: relaxed atomic add of (1 << 32);
 *   - strong -1: release-subtract 1. If the old value was (1 << 32) | 1, acquire-fence and call
 *     deleter(self, Both). Otherwise if the old strong part was 1, acquire-fence, call
 *     deleter(self, Strong), then release-subtract (1 << 32); if that old value was (1 << 32),
 *     acquire-fence and call deleter(self, Weak);
 *   - weak -1: release-subtract (1 << 32); if the old value was (1 << 32), acquire-fence and call
 *     deleter(self, Weak).
 * Objects whose type payload follows the header directly (String, Bytes, Error, Function, Shape,
 * Tensor, OpaquePyObject) keep their "cell" at offset 24 (= sizeof(TVMFFIObject)).
 */
typedef struct {
  /*! \brief Strong count in the low 32 bits, weak count in the high 32 bits (atomic access). */
  uint64_t combined_ref_count;
  /*! \brief Runtime type index of the object (>= kTVMFFIStaticObjectBegin). */
  int32_t type_index;
  /*! \brief Unused; kept zero. */
  uint32_t __padding;
  union {
    /*!
     * \brief Called with the header address and a TVMFFIObjectDeleterFlagBitMask value when a
     *        count drops to zero. NULL means the runtime never destroys the object (e.g. it is
     *        owned by an arena). Objects whose header is not at the start of their allocation
     *        must map the header address back themselves.
     */
    void (*deleter)(void* self, int flags);
    /*! \brief Pins the size and alignment of this slot to 8 bytes on every platform. */
    int64_t __ensure_align;
  };
} TVMFFIObject;

/*!
 * \brief The 16-byte value cell behind Any (owning) and AnyView (borrowing). Size 16, align 8.
 *
 *   offset 0  type_index                      a TVMFFITypeIndex value
 *   offset 4  zero_padding / small_str_len
 *   offset 8  8-byte payload (union, see members)
 *
 * Writers zero every unused byte (zero_padding and the unused payload tail), so v_uint64 can be
 * used for hashing and bitwise equality. An owning cell with type_index >= 64 holds one strong
 * reference of v_obj; a view holds nothing. Owning cells never carry the view-only tags
 * kTVMFFIRawStr, kTVMFFIByteArrayPtr and kTVMFFIObjectRValueRef.
 */
typedef struct {
  /*! \brief Type tag of the payload. */
  int32_t type_index;
  union {
    /*! \brief Zero for every tag except kTVMFFISmallStr / kTVMFFISmallBytes. */
    uint32_t zero_padding;
    /*! \brief Content length (0..7) for kTVMFFISmallStr / kTVMFFISmallBytes. */
    uint32_t small_str_len;
  };
  union {
    /*! \brief kTVMFFIInt and kTVMFFIBool (0/1). */
    int64_t v_int64;
    /*! \brief kTVMFFIFloat. */
    double v_float64;
    /*! \brief kTVMFFIOpaquePtr, kTVMFFIDLTensorPtr, kTVMFFIByteArrayPtr, kTVMFFIObjectRValueRef. */
    void* v_ptr;
    /*! \brief kTVMFFIRawStr (borrowed, NUL-terminated). */
    const char* v_c_str;
    /*! \brief Every tag >= kTVMFFIStaticObjectBegin. */
    TVMFFIObject* v_obj;
    /*! \brief kTVMFFIDataType (occupies bytes 8..11; bytes 12..15 are zero). */
    DLDataType v_dtype;
    /*! \brief kTVMFFIDevice. */
    DLDevice v_device;
    /*!
     * \brief kTVMFFISmallStr / kTVMFFISmallBytes: content in v_bytes[0 .. small_str_len),
     *        followed by a NUL at v_bytes[small_str_len].
     */
    char v_bytes[8];
    /*! \brief Raw payload bits (hashing / equality). */
    uint64_t v_uint64;
  };
} TVMFFIAny;

/*!
 * \brief A borrowed byte range (not necessarily NUL-terminated). Size 16, align 8.
 *        `size_t` is deliberate: the struct is 8 bytes on 32-bit targets.
 */
typedef struct {
  /*! \brief First byte (may be NULL when size is 0). */
  const char* data;
  /*! \brief Number of bytes. */
  size_t size;
} TVMFFIByteArray;

/*! \brief A (major, minor, patch) version triple. Size 12, align 4. */
typedef struct {
  /*! \brief Major version. */
  uint32_t major;
  /*! \brief Minor version. */
  uint32_t minor;
  /*! \brief Patch version. */
  uint32_t patch;
} TVMFFIVersion;

/*!
 * \brief Payload of a Shape object (kTVMFFIShape), located at object + 24. Size 16, align 8.
 *        Shapes created by the runtime keep the dimensions inline right after it (object + 40).
 */
typedef struct {
  /*! \brief Array of `size` extents. */
  const int64_t* data;
  /*! \brief Number of dimensions. */
  size_t size;
} TVMFFIShapeCell;

/*!
 * \brief Payload of a sequence object (kTVMFFIArray, kTVMFFIList), located at object + 24.
 *        Size 32, align 8. Elements are owning TVMFFIAny cells, contiguous at `data`.
 */
typedef struct TVMFFISeqCell {
  /*! \brief First element. */
  void* data;
  /*! \brief Number of live elements. */
  int64_t size;
  /*! \brief Number of cells available at `data`. */
  int64_t capacity;
  /*!
   * \brief NULL: the storage lives inside the object allocation (Array). Non-NULL: a separate
   *        buffer, freed by calling this with `data` (List).
   */
  void (*data_deleter)(void*);
} TVMFFISeqCell;

/*!
 * \brief Payload of an Error object (kTVMFFIError), located at object + 24. Size 72, align 8.
 *
 * Errors created by 0.1.0-era code have only the first 56 bytes (kind, message, backtrace,
 * update_backtrace); readers of cause_chain / extra_context must know the error's origin.
 */
typedef struct {
  /*! \brief Error kind, e.g. "ValueError", "RuntimeError", "TypeError", "InternalError". */
  TVMFFIByteArray kind;
  /*! \brief Human-readable message. */
  TVMFFIByteArray message;
  /*! \brief Backtrace text, most recent frame first. */
  TVMFFIByteArray backtrace;
  /*!
   * \brief Changes the stored backtrace of `self` (the error's handle): replaces it or appends
   *        to it according to `update_mode` (a TVMFFIBacktraceUpdateMode value).
   */
  void (*update_backtrace)(TVMFFIObjectHandle self, const TVMFFIByteArray* backtrace,
                           int32_t update_mode);
  /*! \brief NULL, or an owned (+1) Error object that caused this one. */
  TVMFFIObjectHandle cause_chain;
  /*! \brief NULL, or an owned (+1) object with extra context (any type). */
  TVMFFIObjectHandle extra_context;
} TVMFFIErrorCell;

/*!
 * \brief The packed ("safe-call") calling convention.
 *
 * \param handle  For calls through a Function object: the value its cell dictates (see
 *                TVMFFIFunctionCreate); for `__tvm_ffi_<name>` module symbols: NULL.
 * \param args    `num_args` borrowed views; the callee must not release them and may receive
 *                view-only tags.
 * \param num_args Number of arguments.
 * \param result  Initialised by the caller to a non-object value (normally None). On success the
 *                callee has stored an owning value the caller must release.
 * \return 0 on success, -1 with the error in the thread-local slot; -2 (deprecated) if the host
 *         environment already has an error pending.
 */
typedef int (*TVMFFISafeCallType)(void* handle, const TVMFFIAny* args, int32_t num_args,
                                  TVMFFIAny* result);

/*!
 * \brief Payload of a Function object (kTVMFFIFunction), located at object + 24. Size 16, align 8.
 */
typedef struct {
  /*! \brief C entry point; called with the function object's handle as its first argument. */
  TVMFFISafeCallType safe_call;
  /*!
   * \brief Optional C++ fast path (throws C++ exceptions; only usable by code built with the same
   *        toolchain). NULL for functions that were not created from C++.
   */
  void* cpp_call;
} TVMFFIFunctionCell;

/*!
 * \brief Payload of an OpaquePyObject (kTVMFFIOpaquePyObject), located at object + 24.
 *        Size 8, align 8.
 */
typedef struct {
  /*! \brief The foreign handle, e.g. a `PyObject*`. */
  void* handle;
} TVMFFIOpaqueObjectCell;

/*!
 * \brief Reads a field. `field` is the field's address (object address + offset); `result`
 *        receives an owning value. Returns 0 on success, non-zero with the error recorded.
 */
typedef int (*TVMFFIFieldGetter)(void* field, TVMFFIAny* result);

/*!
 * \brief Writes a field. `field` is the field's address; `value` is a borrowed view.
 *        Returns 0 on success, non-zero with the error recorded.
 */
typedef int (*TVMFFIFieldSetter)(void* field, const TVMFFIAny* value);

/*!
 * \brief Creates a new (+1), default-initialised instance of a type; fields are then filled
 *        through their setters. Returns 0 on success, non-zero with the error recorded.
 */
typedef int (*TVMFFIObjectCreator)(TVMFFIObjectHandle* result);

/*!
 * \brief Reflection record of one field of an object type. Size 120, align 8.
 *
 *   0 name, 16 doc, 32 metadata, 48 flags, 56 size, 64 alignment, 72 offset, 80 getter,
 *   88 setter, 96 default_value_or_factory, 112 field_static_type_index (4 bytes tail padding).
 */
typedef struct {
  /*! \brief Field name. */
  TVMFFIByteArray name;
  /*! \brief Docstring; may be empty ({NULL, 0}). */
  TVMFFIByteArray doc;
  /*! \brief Structured metadata as JSON text; may be empty. */
  TVMFFIByteArray metadata;
  /*! \brief Bitwise OR of TVMFFIFieldFlagBitMask values. */
  int64_t flags;
  /*! \brief Size in bytes of the field's storage. */
  int64_t size;
  /*! \brief Alignment in bytes of the field's storage. */
  int64_t alignment;
  /*! \brief Byte offset of the field from the object header. */
  int64_t offset;
  /*! \brief Reads the field. */
  TVMFFIFieldGetter getter;
  /*!
   * \brief Writes the field; present even for read-only fields (used when deserialising).
   *        Without kTVMFFIFieldFlagBitSetterIsFunctionObj a TVMFFIFieldSetter; with it a
   *        Function object handle, called with (OpaquePtr field address, value).
   */
  void* setter;
  union {
    /*!
     * \brief Meaningful only with kTVMFFIFieldFlagBitMaskHasDefault: the default value (a
     *        view), or with kTVMFFIFieldFlagBitMaskDefaultFromFactory a Function `() -> Any`
     *        producing a fresh default per instance.
     */
    TVMFFIAny default_value_or_factory;
    /*! \brief The 0.1.0 name of default_value_or_factory (same storage). */
    TVMFFIAny default_value;
  };
  /*!
   * \brief Statically known type of the field: kTVMFFIAny if unknown, a value tag, a built-in
   *        object index, or kTVMFFIObject for "some (nullable) object".
   */
  int32_t field_static_type_index;
} TVMFFIFieldInfo;

/*!
 * \brief Reflection record of one method of an object type (also used for global functions).
 *        Size 72, align 8: 0 name, 16 doc, 32 metadata, 48 flags, 56 method.
 */
typedef struct {
  /*! \brief Method name. */
  TVMFFIByteArray name;
  /*! \brief Docstring; may be empty. */
  TVMFFIByteArray doc;
  /*! \brief Structured metadata as JSON text; may be empty. */
  TVMFFIByteArray metadata;
  /*!
   * \brief kTVMFFIFieldFlagBitMaskIsStaticMethod for static methods; instance methods receive
   *        `self` as their first argument.
   */
  int64_t flags;
  /*! \brief A view holding the Function object (tag kTVMFFIFunction) implementing the method. */
  TVMFFIAny method;
} TVMFFIMethodInfo;

/*!
 * \brief Extra per-type information. Size 32, align 8: 0 doc, 16 creator, 24 total_size,
 *        28 structural_eq_hash_kind.
 */
typedef struct {
  /*! \brief Type docstring; may be empty. */
  TVMFFIByteArray doc;
  /*! \brief Default constructor used by reflection, or NULL if unsupported. */
  TVMFFIObjectCreator creator;
  /*! \brief sizeof the object when it is fixed, else 0. */
  int32_t total_size;
  /*! \brief Participation in structural equality / hashing. */
  TVMFFISEqHashKind structural_eq_hash_kind;
} TVMFFITypeMetadata;

/*!
 * \brief One named per-type attribute table. Size 16, align 8.
 *        Attributes belong to exact types (no inheritance lookup).
 *
 * The entry of type index t is data[t - begin_index] when begin_index <= t < begin_index +
 * size, otherwise absent (None). The runtime always stores begin_index 0, so 0.1.0 readers that
 * take bytes 8..15 as one `size_t` size read the same number.
 */
typedef struct {
  /*!
   * \brief Values indexed by type index; unset entries are None. The pointer may change when
   *        the column grows, so re-read it instead of caching.
   */
  const TVMFFIAny* data;
  /*! \brief Number of entries. */
  int32_t size;
  /*! \brief Type index of data[0]; always 0 in this runtime. */
  int32_t begin_index;
} TVMFFITypeAttrColumn;

/*!
 * \brief Word stored immediately before an object body made by a TVMFFICustomAllocator
 *        (at body - 8). Size 8, align 8.
 */
typedef struct {
  /*!
   * \brief Reclaims the whole allocation, given the object body; called after the object's
   *        weak lifetime ended. NULL when the object's deleter frees the storage itself.
   */
  void (*delete_space)(void* body);
} TVMFFIObjectAllocHeader;

/*! \brief A process-wide object allocator (TVMFFIGetCustomAllocator). Size 16, align 8. */
typedef struct {
  /*!
   * \brief Returns uninitialised storage of `size` bytes aligned to `alignment` for an object
   *        of `type_index`, preceded by an initialised TVMFFIObjectAllocHeader; or NULL after
   *        raising an error (TVMFFIErrorSetRaised).
   */
  void* (*allocate)(size_t size, size_t alignment, int32_t type_index, void* context);
  /*! \brief Opaque state passed back to `allocate` unchanged. */
  void* context;
} TVMFFICustomAllocator;

/*!
 * \brief Runtime type-table entry. Size 72, align 8:
 *   0 type_index, 4 type_depth, 8 type_key, 24 type_ancestors, 32 type_key_hash,
 *   40 num_fields, 44 num_methods, 48 fields, 56 methods, 64 metadata.
 *
 * Entries are owned by the runtime and live until process exit. `fields` / `methods` may be
 * reallocated when more are registered, so re-read them from the entry.
 */
typedef struct TVMFFITypeInfo {
  /*! \brief The type's index. */
  int32_t type_index;
  /*! \brief Number of ancestors (0 for a root type). */
  int32_t type_depth;
  /*! \brief Unique type key, e.g. "ffi.Array". */
  TVMFFIByteArray type_key;
  /*! \brief `type_depth` entries: [0] is the root, the last one is the direct parent. */
  const struct TVMFFITypeInfo** type_ancestors;
  /*! \brief Hash of `type_key`. */
  uint64_t type_key_hash;
  /*! \brief Number of entries in `fields`. */
  int32_t num_fields;
  /*! \brief Number of entries in `methods`. */
  int32_t num_methods;
  /*! \brief Reflection records of the fields. */
  const TVMFFIFieldInfo* fields;
  /*! \brief Reflection records of the methods. */
  const TVMFFIMethodInfo* methods;
  /*! \brief Extra information; NULL until registered. */
  const TVMFFITypeMetadata* metadata;
} TVMFFITypeInfo;

/* ========================================================================================== */
/* 4. Exported functions                                                                      */
/* ========================================================================================== */

/* ---- 4.1 Version and objects ---------------------------------------------------------- */

/*!
 * \brief Reports the runtime's version ({0, 1, 16} for this ABI). Never fails. This is the one
 *        entry point guaranteed to stay stable across all future versions.
 */
TVM_FFI_DLL void TVMFFIGetVersion(TVMFFIVersion* out_version);

/*! \brief Adds one strong reference to `obj` (non-NULL). Returns 0. */
TVM_FFI_DLL int TVMFFIObjectIncRef(TVMFFIObjectHandle obj);

/*! \brief Drops one strong reference of `obj` (non-NULL); may run its deleter. Returns 0. */
TVM_FFI_DLL int TVMFFIObjectDecRef(TVMFFIObjectHandle obj);

/*!
 * \brief Wraps a foreign handle into a new (+1) object whose TVMFFIOpaqueObjectCell holds it.
 *        Only `type_index == kTVMFFIOpaquePyObject` is accepted. When the object dies,
 *        `deleter(handle)` is called if `deleter` is non-NULL. Safe-call.
 */
TVM_FFI_DLL int TVMFFIObjectCreateOpaque(void* handle, int32_t type_index,
                                         void (*deleter)(void* handle), TVMFFIObjectHandle* out);

/*!
 * \brief Returns the process-wide object allocator; never NULL. The built-in default
 *        allocates `16 + size` bytes aligned to `alignment`, returns base + 16 and stores at
 *        body - 8 a `delete_space` that frees the block. Not synchronised with
 *        TVMFFISetCustomAllocator. Log-and-abort.
 */
TVM_FFI_DLL TVMFFICustomAllocator* TVMFFIGetCustomAllocator(void);

/*!
 * \brief Installs `allocator` (not copied; must outlive the process) as the process-wide object
 *        allocator, or restores the built-in default when NULL. Objects allocated earlier keep
 *        their own delete_space. Returns 0. Safe-call.
 */
TVM_FFI_DLL int TVMFFISetCustomAllocator(TVMFFICustomAllocator* allocator);

/*! \brief Looks up the index of an exact type key; unknown keys fail. Safe-call. */
TVM_FFI_DLL int TVMFFITypeKeyToIndex(const TVMFFIByteArray* type_key, int32_t* out_tindex);

/* ---- 4.2 Functions and the global registry -------------------------------------------- */

/*!
 * \brief Creates a new (+1) Function object around a C callback. Safe-call.
 *
 * If `self` and `deleter` are both NULL, the cell's safe_call is `safe_call` itself, which then
 * receives the function object's handle as first argument. Otherwise the callback receives
 * `self`, and `deleter(self)` (if non-NULL) runs when the function object dies.
 * The cell's cpp_call is NULL in both cases.
 */
TVM_FFI_DLL int TVMFFIFunctionCreate(void* self, TVMFFISafeCallType safe_call,
                                     void (*deleter)(void* self), TVMFFIObjectHandle* out);

/*!
 * \brief Registers `f` (borrowed; the registry takes its own reference) as global function
 *        `name`. Fails if the name exists and `allow_override` is 0. Safe-call.
 */
TVM_FFI_DLL int TVMFFIFunctionSetGlobal(const TVMFFIByteArray* name, TVMFFIObjectHandle f,
                                        int allow_override);

/*!
 * \brief Like TVMFFIFunctionSetGlobal, taking name, doc, metadata, flags and the function
 *        (a view convertible to Function) from `method_info`. Safe-call.
 */
TVM_FFI_DLL int TVMFFIFunctionSetGlobalFromMethodInfo(const TVMFFIMethodInfo* method_info,
                                                      int allow_override);

/*!
 * \brief Looks up a global function. On a hit `*out` is a new (+1) reference; on a miss the
 *        call still succeeds and `*out` is NULL. Safe-call.
 */
TVM_FFI_DLL int TVMFFIFunctionGetGlobal(const TVMFFIByteArray* name, TVMFFIObjectHandle* out);

/*!
 * \brief Calls a Function object: returns `cell->safe_call(func, args, num_args, result)`
 *        unchanged. `args` are views (not modified by well-behaved callees); `result` must be
 *        pre-initialised to a non-object value and holds an owning value after success.
 */
TVM_FFI_DLL int TVMFFIFunctionCall(TVMFFIObjectHandle func, TVMFFIAny* args, int32_t num_args,
                                   TVMFFIAny* result);

/*!
 * \brief Converts a view into an owning value (`*out` is overwritten, not released).
 *        Objects gain a reference; kTVMFFIRawStr becomes a string, kTVMFFIByteArrayPtr becomes
 *        bytes (small forms when <= 7 bytes); kTVMFFIObjectRValueRef moves the object out of
 *        its slot (the slot becomes NULL); other values are copied. Safe-call.
 */
TVM_FFI_DLL int TVMFFIAnyViewToOwnedAny(const TVMFFIAny* any_view, TVMFFIAny* out);

/* ---- 4.3 Errors ----------------------------------------------------------------------- */

/*!
 * \brief Moves the thread's last raised error to the caller (+1) and empties the slot.
 *        `*result` becomes NULL when no error is stored.
 */
TVM_FFI_DLL void TVMFFIErrorMoveFromRaised(TVMFFIObjectHandle* result);

/*!
 * \brief Stores `error` (borrowed; the slot takes its own reference) as the thread's last
 *        raised error, releasing any previous one. NULL clears the slot.
 */
TVM_FFI_DLL void TVMFFIErrorSetRaised(TVMFFIObjectHandle error);

/*!
 * \brief Creates an Error of the given kind and message, with a backtrace captured here, and
 *        stores it as the thread's last raised error.
 */
TVM_FFI_DLL void TVMFFIErrorSetRaisedFromCStr(const char* kind, const char* message);

/*!
 * \brief Like TVMFFIErrorSetRaisedFromCStr with the message being the concatenation of the
 *        non-NULL entries of `message_parts[0 .. num_parts)` (NULL entries are skipped).
 */
TVM_FFI_DLL void TVMFFIErrorSetRaisedFromCStrParts(const char* kind, const char** message_parts,
                                                   int32_t num_parts);

/*!
 * \brief Creates a new (+1) Error holding copies of kind, message and backtrace.
 *        Returns -1 on allocation failure WITHOUT touching the thread's error slot.
 */
TVM_FFI_DLL int TVMFFIErrorCreate(const TVMFFIByteArray* kind, const TVMFFIByteArray* message,
                                  const TVMFFIByteArray* backtrace, TVMFFIObjectHandle* out);

/*!
 * \brief Like TVMFFIErrorCreate, and the new error also holds its own reference to
 *        `cause_chain` (borrowed; NULL or an Error object) and `extra_context` (borrowed; NULL
 *        or any object). Returns -1 without touching the thread's error slot when allocation
 *        fails or `cause_chain` is not an Error.
 */
TVM_FFI_DLL int TVMFFIErrorCreateWithCauseAndExtraContext(
    const TVMFFIByteArray* kind, const TVMFFIByteArray* message, const TVMFFIByteArray* backtrace,
    TVMFFIObjectHandle cause_chain, TVMFFIObjectHandle extra_context, TVMFFIObjectHandle* out);

/* ---- 4.4 DLPack interchange ----------------------------------------------------------- */

/*!
 * \brief Wraps a legacy DLPack tensor into a new (+1) Tensor, taking ownership of `from` on
 *        success (its deleter runs when the Tensor dies). Non-zero `require_alignment` demands
 *        that the data address be a multiple of it; non-zero `require_contiguous` demands a
 *        compact row-major layout. Missing strides are filled in. On failure the caller keeps
 *        ownership. Safe-call.
 */
TVM_FFI_DLL int TVMFFITensorFromDLPack(DLManagedTensor* from, int32_t require_alignment,
                                       int32_t require_contiguous, TVMFFIObjectHandle* out);

/*!
 * \brief Exports a Tensor (borrowed) as a new legacy DLPack tensor that keeps one reference to
 *        the Tensor until its deleter is called (exactly once, by the consumer). Safe-call.
 */
TVM_FFI_DLL int TVMFFITensorToDLPack(TVMFFIObjectHandle from, DLManagedTensor** out);

/*!
 * \brief Versioned counterpart of TVMFFITensorFromDLPack. Additionally rejects tensors flagged
 *        DLPACK_FLAG_BITMASK_IS_SUBBYTE_TYPE_PADDED. Safe-call.
 */
TVM_FFI_DLL int TVMFFITensorFromDLPackVersioned(DLManagedTensorVersioned* from,
                                                int32_t require_alignment,
                                                int32_t require_contiguous,
                                                TVMFFIObjectHandle* out);

/*!
 * \brief Versioned counterpart of TVMFFITensorToDLPack; the result carries version
 *        {DLPACK_MAJOR_VERSION, DLPACK_MINOR_VERSION} and flags 0. Safe-call.
 */
TVM_FFI_DLL int TVMFFITensorToDLPackVersioned(TVMFFIObjectHandle from,
                                              DLManagedTensorVersioned** out);

/*!
 * \brief Creates a new (+1) Tensor that views memory of `source` (borrowed; the view keeps one
 *        reference to it until the view dies). The view's DLTensor is a copy of `*prototype`
 *        (data, device, ndim, dtype, byte_offset taken as given, without validation); its shape
 *        and strides arrays are copied into the view. `prototype->strides` must not be NULL.
 *        Safe-call.
 */
TVM_FFI_DLL int TVMFFITensorCreateUnsafeView(TVMFFIObjectHandle source, const DLTensor* prototype,
                                             TVMFFIObjectHandle* out);

/* ---- 4.5 Strings, bytes and data types ------------------------------------------------ */

/*!
 * \brief Builds an owning string value from bytes: kTVMFFISmallStr when `input->size <= 7`,
 *        otherwise a new kTVMFFIStr object with a NUL-terminated copy. Safe-call.
 */
TVM_FFI_DLL int TVMFFIStringFromByteArray(const TVMFFIByteArray* input, TVMFFIAny* out);

/*!
 * \brief Builds an owning bytes value: kTVMFFISmallBytes when `input->size <= 7`, otherwise a
 *        new kTVMFFIBytes object. Safe-call.
 */
TVM_FFI_DLL int TVMFFIBytesFromByteArray(const TVMFFIByteArray* input, TVMFFIAny* out);

/*!
 * \brief Builds an owning integer from `input->size / 8` native-endian int64 words (two's
 *        complement, least significant first). Values that fit int64 become kTVMFFIInt cells,
 *        others a new kTVMFFIBigInt object in canonical form. `*out` is reset to None first.
 *        A size that is not a multiple of 8 fails with ValueError. Safe-call.
 */
TVM_FFI_DLL int TVMFFIBigIntFromByteArray(const TVMFFIByteArray* input, TVMFFIAny* out);

/*!
 * \brief Borrowed view of the words of an integer value: {&value->v_int64, 8} for kTVMFFIInt
 *        (valid only while that cell lives), the object's words for kTVMFFIBigInt, {NULL, 0}
 *        for anything else. Never fails.
 */
TVM_FFI_DLL TVMFFIByteArray TVMFFIBigIntGetContentByteArray(const TVMFFIAny* value);

/*! \brief Parses a dtype string such as "float16x4", "bool" or "int8". Safe-call. */
TVM_FFI_DLL int TVMFFIDataTypeFromString(const TVMFFIByteArray* str, DLDataType* out);

/*! \brief Formats a dtype as an owning string value (small or heap string). Safe-call. */
TVM_FFI_DLL int TVMFFIDataTypeToString(const DLDataType* dtype, TVMFFIAny* out);

/* ---- 4.6 Type system and reflection --------------------------------------------------- */

/*!
 * \brief Returns the index of type `type_key`, allocating it if the key is new (otherwise all
 *        other arguments are ignored).
 *
 * \param static_type_index The index to use, or a negative value to allocate a dynamic one.
 * \param type_depth Depth of the new type (parent depth + 1; 0 for roots).
 * \param num_child_slots Number of indices to reserve right after this type for its children.
 * \param child_slots_can_overflow Whether children may take indices beyond the reserved slots.
 * \param parent_type_index The parent's index, or -1 for a root type. -2 only looks the key
 *        up: the index of an existing key, else -2; nothing is registered.
 * Log-and-abort.
 */
TVM_FFI_DLL int32_t TVMFFITypeGetOrAllocIndex(const TVMFFIByteArray* type_key,
                                              int32_t static_type_index, int32_t type_depth,
                                              int32_t num_child_slots,
                                              int32_t child_slots_can_overflow,
                                              int32_t parent_type_index);

/*!
 * \brief Returns the runtime-owned type-table entry of `type_index`; never NULL. An index
 *        without an entry terminates the process. Log-and-abort.
 */
TVM_FFI_DLL TVM_FFI_ATTRIBUTE_PURE const TVMFFITypeInfo* TVMFFIGetTypeInfo(int32_t type_index);

/*!
 * \brief Appends (a runtime-owned copy of) a field record to a type. A second field of the same
 *        name on the same type fails with InternalError. Safe-call.
 */
TVM_FFI_DLL int TVMFFITypeRegisterField(int32_t type_index, const TVMFFIFieldInfo* info);

/*! \brief Appends (a runtime-owned copy of) a method record to a type. Safe-call. */
TVM_FFI_DLL int TVMFFITypeRegisterMethod(int32_t type_index, const TVMFFIMethodInfo* info);

/*! \brief Attaches metadata to a type; a second registration fails. Safe-call. */
TVM_FFI_DLL int TVMFFITypeRegisterMetadata(int32_t type_index, const TVMFFITypeMetadata* metadata);

/*!
 * \brief Sets attribute `attr_name` of a type to an owning copy of `attr_value`; setting an
 *        already-set entry fails. `type_index == kTVMFFINone` only creates the column.
 *        Safe-call.
 */
TVM_FFI_DLL int TVMFFITypeRegisterAttr(int32_t type_index, const TVMFFIByteArray* attr_name,
                                       const TVMFFIAny* attr_value);

/*! \brief Returns the attribute column `attr_name`, or NULL if it was never created. */
TVM_FFI_DLL const TVMFFITypeAttrColumn* TVMFFIGetTypeAttrColumn(const TVMFFIByteArray* attr_name);

/* ---- 4.7 Backtraces ------------------------------------------------------------------- */

/*!
 * \brief Captures the current backtrace as text, one `  File "<file>", line <n>, in <func>`
 *        line per frame, most recent first. When `filename` and `func` are non-NULL that
 *        location is the first line. With `cross_ffi_boundary == 0` the walk stops at the first
 *        FFI boundary frame. The result lives in thread-local storage and stays valid until the
 *        next call on the same thread. Never fails.
 */
TVM_FFI_DLL const TVMFFIByteArray* TVMFFIBacktrace(const char* filename, int lineno,
                                                   const char* func, int cross_ffi_boundary);

/* ---- 4.8 One-time handle initialisation ----------------------------------------------- */

/*!
 * \brief Runs `init_func` at most once per `*handle_addr`: returns 0 at once when `*handle_addr`
 *        is non-NULL; otherwise, under a lock, calls `init_func(&result)`, forwards a non-zero
 *        return code, fails with RuntimeError when `result` is NULL, else publishes `result` in
 *        `*handle_addr` and returns 0.
 */
TVM_FFI_DLL int TVMFFIHandleInitOnce(void** handle_addr, int (*init_func)(void** result));

/*!
 * \brief Atomically takes the handle out of `*handle_addr` (leaving NULL) and returns
 *        `deinit_func(handle)`; returns 0 without calling it when the slot was already NULL.
 */
TVM_FFI_DLL int TVMFFIHandleDeinitOnce(void** handle_addr, int (*deinit_func)(void* handle));

#ifdef __cplusplus
} /* extern "C" */
#endif

#undef TVM_FFI_C_ENUM_BEGIN_
#undef TVM_FFI_C_ENUM_END_

/* ========================================================================================== */
/* 5. C++-only inline helpers (not exported; pure address arithmetic on handles)               */
/* ========================================================================================== */

#ifdef __cplusplus

/*! \brief Type index stored in the header that `obj` points to. */
inline int32_t TVMFFIObjectGetTypeIndex(TVMFFIObjectHandle obj) {
  return static_cast<const TVMFFIObject*>(obj)->type_index;
}

/*! \brief Byte range of the inline content of a kTVMFFISmallStr / kTVMFFISmallBytes value. */
inline TVMFFIByteArray TVMFFISmallBytesGetContentByteArray(const TVMFFIAny* value) {
  TVMFFIByteArray bytes;
  bytes.data = value->v_bytes;
  bytes.size = static_cast<size_t>(value->small_str_len);
  return bytes;
}

/*! \brief The byte array of a String or Bytes object (object + 24). */
inline TVMFFIByteArray* TVMFFIBytesGetByteArrayPtr(TVMFFIObjectHandle obj) {
  return reinterpret_cast<TVMFFIByteArray*>(static_cast<char*>(obj) + sizeof(TVMFFIObject));
}

/*! \brief The cell of an Error object (object + 24). */
inline TVMFFIErrorCell* TVMFFIErrorGetCellPtr(TVMFFIObjectHandle obj) {
  return reinterpret_cast<TVMFFIErrorCell*>(static_cast<char*>(obj) + sizeof(TVMFFIObject));
}

/*! \brief The cell of a Function object (object + 24). */
inline TVMFFIFunctionCell* TVMFFIFunctionGetCellPtr(TVMFFIObjectHandle obj) {
  return reinterpret_cast<TVMFFIFunctionCell*>(static_cast<char*>(obj) + sizeof(TVMFFIObject));
}

/*! \brief The cell of an OpaquePyObject (object + 24). */
inline TVMFFIOpaqueObjectCell* TVMFFIOpaqueObjectGetCellPtr(TVMFFIObjectHandle obj) {
  return reinterpret_cast<TVMFFIOpaqueObjectCell*>(static_cast<char*>(obj) + sizeof(TVMFFIObject));
}

/*! \brief The cell of a Shape object (object + 24). */
inline TVMFFIShapeCell* TVMFFIShapeGetCellPtr(TVMFFIObjectHandle obj) {
  return reinterpret_cast<TVMFFIShapeCell*>(static_cast<char*>(obj) + sizeof(TVMFFIObject));
}

/*! \brief The DLTensor embedded in a Tensor object (object + 24). */
inline DLTensor* TVMFFITensorGetDLTensorPtr(TVMFFIObjectHandle obj) {
  return reinterpret_cast<DLTensor*>(static_cast<char*>(obj) + sizeof(TVMFFIObject));
}

/*! \brief Builds a DLDevice from a (device_type, device_id) pair of plain integers. */
inline DLDevice TVMFFIDLDeviceFromIntPair(int32_t device_type, int32_t device_id) {
  DLDevice device;
  device.device_type = static_cast<DLDeviceType>(device_type);
  device.device_id = device_id;
  return device;
}

#endif /* __cplusplus */

#endif /* TVM_FFI_C_API_H_ */
