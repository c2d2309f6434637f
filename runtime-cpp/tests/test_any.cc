/*!
 * \file test_any.cc
 * \brief Any / AnyView: storage of every kind, strict vs lenient reads, ownership, the
 *        16-byte cell images of layouts.md §8.1, AnyHash / AnyEqual (§2.5), view-only kinds.
 */
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/memory.h>
#include <tvm/ffi/object.h>
#include <tvm/ffi/optional.h>
#include <tvm/ffi/rvalue_ref.h>
#include <tvm/ffi/string.h>

#if __has_include(<tvm/ffi/dtype.h>)
#include <tvm/ffi/dtype.h>
#define CORETESTS_HAVE_DTYPE 1
#else
#define CORETESTS_HAVE_DTYPE 0
#endif

#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <new>
#include <string>
#include <utility>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;

// ------------------------------------------------------------------------------------------
// helpers
// ------------------------------------------------------------------------------------------

using CellImage = std::array<uint8_t, 16>;

const TVMFFIAny& RawCell(const Any& value) {
  return *details::AnyUnsafe::TVMFFIAnyPtrFromAny(value);
}

CellImage ImageOf(const TVMFFIAny& cell) {
  CellImage image;
  std::memcpy(image.data(), &cell, sizeof(cell));
  return image;
}
CellImage ImageOf(const Any& value) { return ImageOf(RawCell(value)); }
CellImage ImageOf(const AnyView& value) { return ImageOf(value.CopyToTVMFFIAny()); }

/*! \brief "0b000000 02000000 ..." (spaces ignored) -> bytes in memory order. */
CellImage ParseImage(const std::string& hex) {
  std::string digits;
  for (char c : hex) {
    if (c != ' ') digits.push_back(c);
  }
  EXPECT_EQ(digits.size(), 32u) << hex;
  CellImage image{};
  for (size_t i = 0; i < 16 && 2 * i + 1 < digits.size(); ++i) {
    image[i] = static_cast<uint8_t>(std::stoul(digits.substr(2 * i, 2), nullptr, 16));
  }
  return image;
}

std::string HexOf(const CellImage& image) {
  return tvm_ffi_test::HexBytes(image.data(), image.size(), 4);
}

#define EXPECT_IMAGE(actual, expected_hex) EXPECT_EQ(HexOf(actual), HexOf(ParseImage(expected_hex)))

/*! \brief Construct an owning Any over memory full of 0xAB and return its bytes. */
template <typename T>
CellImage ImageOfAnyOverGarbage(T value) {
  alignas(Any) unsigned char storage[sizeof(Any)];
  std::memset(storage, 0xAB, sizeof(storage));
  Any* any = new (storage) Any(std::move(value));
  CellImage image;
  std::memcpy(image.data(), storage, sizeof(storage));
  any->~Any();
  return image;
}

/*! \brief Same for a borrowed AnyView. */
template <typename T>
CellImage ImageOfViewOverGarbage(const T& value) {
  alignas(AnyView) unsigned char storage[sizeof(AnyView)];
  std::memset(storage, 0xAB, sizeof(storage));
  new (storage) AnyView(value);
  CellImage image;
  std::memcpy(image.data(), storage, sizeof(storage));
  return image;
}

// ------------------------------------------------------------------------------------------
// a small user object with a live-instance counter
// ------------------------------------------------------------------------------------------

class CoreAnyCounterObj : public Object {
 public:
  explicit CoreAnyCounterObj(int64_t v) : value(v) { ++live; }
  ~CoreAnyCounterObj() { --live; }
  int64_t value;
  static inline int live = 0;
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("coretests.any.Counter", CoreAnyCounterObj, Object);
};

class CoreAnyCounter : public ObjectRef {
 public:
  explicit CoreAnyCounter(int64_t v) { data_ = make_object<CoreAnyCounterObj>(v); }
  TVM_FFI_DEFINE_OBJECT_REF_METHODS_NULLABLE(CoreAnyCounter, ObjectRef, CoreAnyCounterObj);
};

/*! \brief Same object type family, but a reference that may not be null. */
class CoreAnyCounterNN : public ObjectRef {
 public:
  explicit CoreAnyCounterNN(int64_t v) : ObjectRef(UnsafeInit{}) {
    data_ = make_object<CoreAnyCounterObj>(v);
  }
  TVM_FFI_DEFINE_OBJECT_REF_METHODS_NOTNULLABLE(CoreAnyCounterNN, ObjectRef, CoreAnyCounterObj);
};

enum class CoreAnyColor : int8_t { kRed = -2, kGreen = 0, kBlue = 7 };
enum CoreAnyPlainEnum { kCoreAnyFirst = 1, kCoreAnySecond = 40000 };
enum class CoreAnyWide : uint64_t { kMax = std::numeric_limits<uint64_t>::max() };

// ------------------------------------------------------------------------------------------
// None
// ------------------------------------------------------------------------------------------

TEST(CoreAny, NoneDefaultAndNullptr) {
  Any a;
  EXPECT_EQ(a.type_index(), kTVMFFINone);
  EXPECT_TRUE(a == nullptr);
  EXPECT_FALSE(a != nullptr);
  EXPECT_IMAGE(ImageOf(a), "00000000 00000000 00000000 00000000");
  EXPECT_IMAGE(ImageOfAnyOverGarbage(nullptr), "00000000 00000000 00000000 00000000");
  EXPECT_IMAGE(ImageOfViewOverGarbage(nullptr), "00000000 00000000 00000000 00000000");

  AnyView v;
  EXPECT_EQ(v.type_index(), kTVMFFINone);
  EXPECT_TRUE(v == nullptr);
  EXPECT_EQ(a.GetTypeKey(), "None");

  EXPECT_TRUE(a.as<std::nullptr_t>().has_value());
  EXPECT_FALSE(a.as<int>().has_value());
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `None` to `int`", a.cast<int>());
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `None` to `float`", v.cast<double>());
  // None reads as a null pointer for void* and as an empty nullable reference.
  EXPECT_EQ(a.cast<void*>(), nullptr);
  EXPECT_FALSE(a.cast<CoreAnyCounter>().defined());
  EXPECT_FALSE(a.cast<ObjectRef>().defined());
}

// ------------------------------------------------------------------------------------------
// bool
// ------------------------------------------------------------------------------------------

TEST(CoreAny, BoolStorageAndConversions) {
  Any t = true;
  Any f = false;
  EXPECT_EQ(t.type_index(), kTVMFFIBool);
  EXPECT_EQ(f.type_index(), kTVMFFIBool);
  // Bool is stored as exactly 1 / 0 with all other bytes zero.
  EXPECT_IMAGE(ImageOfAnyOverGarbage(true), "02000000 00000000 01000000 00000000");
  EXPECT_IMAGE(ImageOfAnyOverGarbage(false), "02000000 00000000 00000000 00000000");
  EXPECT_IMAGE(ImageOfViewOverGarbage(true), "02000000 00000000 01000000 00000000");

  EXPECT_EQ(t.as<bool>(), std::optional<bool>(true));
  EXPECT_EQ(f.as<bool>(), std::optional<bool>(false));
  // strict: a Bool cell is not an int, and an Int cell is not a bool
  EXPECT_FALSE(t.as<int>().has_value());
  EXPECT_FALSE(Any(1).as<bool>().has_value());
  // lenient: bool <-> int, bool -> float
  EXPECT_EQ(t.cast<int>(), 1);
  EXPECT_EQ(f.cast<int64_t>(), 0);
  EXPECT_EQ(t.cast<double>(), 1.0);
  EXPECT_TRUE(Any(5).cast<bool>());
  EXPECT_TRUE(Any(-1).cast<bool>());
  EXPECT_FALSE(Any(0).cast<bool>());
  EXPECT_EQ(Any(7).try_cast<bool>(), std::optional<bool>(true));
  // a float is never a bool
  EXPECT_FALSE(Any(1.0).try_cast<bool>().has_value());
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `float` to `bool`",
                   Any(1.0).cast<bool>());
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `None` to `bool`", Any().cast<bool>());
  EXPECT_EQ(t.GetTypeKey(), "bool");
  // readers treat any non-zero payload as true
  TVMFFIAny raw{};
  raw.type_index = kTVMFFIBool;
  raw.v_int64 = 2;
  EXPECT_TRUE(AnyView::CopyFromTVMFFIAny(raw).cast<bool>());
}

// ------------------------------------------------------------------------------------------
// integers of every width and integral enums
// ------------------------------------------------------------------------------------------

template <typename T>
void CheckIntRoundTrip(T value) {
  SCOPED_TRACE(std::string("value ") + std::to_string(static_cast<long long>(value)));
  Any any = value;
  EXPECT_EQ(any.type_index(), kTVMFFIInt);
  EXPECT_EQ(RawCell(any).zero_padding, 0u);
  EXPECT_EQ(RawCell(any).v_int64, static_cast<int64_t>(value));
  std::optional<T> strict = any.as<T>();
  ASSERT_TRUE(strict.has_value());
  EXPECT_EQ(*strict, value);
  EXPECT_EQ(any.cast<T>(), value);
  EXPECT_EQ(any.try_cast<T>(), std::optional<T>(value));
  AnyView view = value;
  EXPECT_EQ(view.type_index(), kTVMFFIInt);
  EXPECT_EQ(view.cast<T>(), value);
  EXPECT_EQ(view.as<T>(), std::optional<T>(value));
  // the owning copy of a view keeps the payload
  Any owned = view;
  EXPECT_EQ(ImageOf(owned), ImageOf(view));
}

TEST(CoreAny, EveryIntegralType) {
  CheckIntRoundTrip<char>('a');
  CheckIntRoundTrip<signed char>(-100);
  CheckIntRoundTrip<unsigned char>(250);
  CheckIntRoundTrip<int8_t>(-128);
  CheckIntRoundTrip<uint8_t>(255);
  CheckIntRoundTrip<int16_t>(-32768);
  CheckIntRoundTrip<uint16_t>(65535);
  CheckIntRoundTrip<int32_t>(std::numeric_limits<int32_t>::min());
  CheckIntRoundTrip<uint32_t>(std::numeric_limits<uint32_t>::max());
  CheckIntRoundTrip<int64_t>(std::numeric_limits<int64_t>::min());
  CheckIntRoundTrip<int64_t>(std::numeric_limits<int64_t>::max());
  CheckIntRoundTrip<long>(-123456789L);          // NOLINT(*)
  CheckIntRoundTrip<long long>(987654321012LL);  // NOLINT(*)
  CheckIntRoundTrip<unsigned long>(42UL);        // NOLINT(*)
  CheckIntRoundTrip<size_t>(static_cast<size_t>(1) << 40);
  CheckIntRoundTrip<char16_t>(u'x');
  CheckIntRoundTrip<char32_t>(U'y');
  CheckIntRoundTrip<wchar_t>(L'z');

  // sign extension of narrow negatives, zero extension of unsigned values
  EXPECT_IMAGE(ImageOfAnyOverGarbage(static_cast<int8_t>(-1)),
               "01000000 00000000 ffffffff ffffffff");
  EXPECT_IMAGE(ImageOfAnyOverGarbage(static_cast<uint8_t>(0xFF)),
               "01000000 00000000 ff000000 00000000");
  EXPECT_IMAGE(ImageOfAnyOverGarbage(static_cast<uint32_t>(0xFFFFFFFFu)),
               "01000000 00000000 ffffffff 00000000");
  EXPECT_IMAGE(ImageOfAnyOverGarbage(int64_t{0x0102030405060708}),
               "01000000 00000000 08070605 04030201");
  EXPECT_IMAGE(ImageOfViewOverGarbage(int32_t{-2}), "01000000 00000000 feffffff ffffffff");
  // a uint64 above INT64_MAX does not fit an Int cell: OverflowError instead of wrapping
  // (test_type_traits_delta.cc); INT64_MAX itself is fine
  Any big = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  EXPECT_EQ(RawCell(big).v_int64, std::numeric_limits<int64_t>::max());
  EXPECT_EQ(big.cast<uint64_t>(), static_cast<uint64_t>(std::numeric_limits<int64_t>::max()));
  EXPECT_EQ(big.GetTypeKey(), "int");
}

TEST(CoreAny, IntConversionsAndFailures) {
  Any i = 3;
  // int -> float is lenient only
  EXPECT_FALSE(i.as<double>().has_value());
  EXPECT_EQ(i.cast<double>(), 3.0);
  EXPECT_EQ(i.cast<float>(), 3.0f);
  EXPECT_EQ(i.try_cast<double>(), std::optional<double>(3.0));
  // float -> int never
  Any d = 2.5;
  EXPECT_FALSE(d.as<int>().has_value());
  EXPECT_FALSE(d.try_cast<int>().has_value());
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `float` to `int`", d.cast<int>());
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `float` to `int`",
                   AnyView(1.0).cast<int64_t>());
  // string -> int never
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `ffi.SmallStr` to `int`",
                   Any(String("12")).cast<int>());
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `ffi.String` to `int`",
                   Any(String("a long string")).cast<int>());
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `const char*` to `int`",
                   AnyView("12").cast<int>());
  // int -> string never
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `int` to `str`", i.cast<String>());
  EXPECT_FALSE(i.try_cast<String>().has_value());
  // int -> Device / void* never
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `int` to `Device`", i.cast<DLDevice>());
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `int` to `void*`", i.cast<void*>());
}

TEST(CoreAny, IntegralEnums) {
  Any blue = CoreAnyColor::kBlue;
  EXPECT_EQ(blue.type_index(), kTVMFFIInt);
  EXPECT_EQ(RawCell(blue).v_int64, 7);
  EXPECT_EQ(blue.cast<CoreAnyColor>(), CoreAnyColor::kBlue);
  EXPECT_EQ(blue.as<CoreAnyColor>(), std::optional<CoreAnyColor>(CoreAnyColor::kBlue));
  EXPECT_EQ(blue.cast<int>(), 7);

  Any red = CoreAnyColor::kRed;
  EXPECT_EQ(RawCell(red).v_int64, -2);
  EXPECT_EQ(red.cast<CoreAnyColor>(), CoreAnyColor::kRed);

  AnyView plain = kCoreAnySecond;
  EXPECT_EQ(plain.type_index(), kTVMFFIInt);
  EXPECT_EQ(plain.cast<int>(), 40000);
  EXPECT_EQ(plain.cast<CoreAnyPlainEnum>(), kCoreAnySecond);
  // an Int converts to the enum, a Bool leniently too
  EXPECT_EQ(Any(1).cast<CoreAnyPlainEnum>(), kCoreAnyFirst);
  EXPECT_EQ(Any(false).cast<CoreAnyColor>(), CoreAnyColor::kGreen);
  EXPECT_FALSE(Any(false).as<CoreAnyColor>().has_value());
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `float` to `int`",
                   Any(1.5).cast<CoreAnyColor>());

  Any wide = CoreAnyWide::kMax;
  EXPECT_EQ(RawCell(wide).v_int64, -1);
  EXPECT_EQ(wide.cast<CoreAnyWide>(), CoreAnyWide::kMax);
}

// ------------------------------------------------------------------------------------------
// float / double
// ------------------------------------------------------------------------------------------

TEST(CoreAny, FloatAndDouble) {
  Any f = 1.5f;
  EXPECT_EQ(f.type_index(), kTVMFFIFloat);
  EXPECT_EQ(RawCell(f).v_float64, 1.5);
  EXPECT_EQ(f.as<float>(), std::optional<float>(1.5f));
  EXPECT_EQ(f.as<double>(), std::optional<double>(1.5));

  Any d = 0.1;
  EXPECT_EQ(d.cast<double>(), 0.1);
  // float is widened to double on the way in
  Any narrow = 0.1f;
  EXPECT_EQ(RawCell(narrow).v_float64, static_cast<double>(0.1f));

  EXPECT_IMAGE(ImageOfAnyOverGarbage(1.0), "03000000 00000000 00000000 0000f03f");
  EXPECT_IMAGE(ImageOfAnyOverGarbage(-2.0f), "03000000 00000000 00000000 000000c0");
  EXPECT_IMAGE(ImageOfViewOverGarbage(0.0), "03000000 00000000 00000000 00000000");
  EXPECT_EQ(d.GetTypeKey(), "float");

  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `ffi.SmallStr` to `float`",
                   Any(String("1.5")).cast<double>());
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `None` to `float`", Any().cast<float>());
}

// ------------------------------------------------------------------------------------------
// void*, DLDevice, DLTensor*
// ------------------------------------------------------------------------------------------

TEST(CoreAny, OpaquePointer) {
  int target = 5;
  void* ptr = &target;
  Any p = ptr;
  EXPECT_EQ(p.type_index(), kTVMFFIOpaquePtr);
  EXPECT_EQ(RawCell(p).v_ptr, ptr);
  EXPECT_EQ(p.cast<void*>(), ptr);
  EXPECT_EQ(p.as<void*>(), std::optional<void*>(ptr));
  EXPECT_EQ(p.GetTypeKey(), "void*");

  // a null void* is still an OpaquePtr cell (not None)
  Any null_ptr = static_cast<void*>(nullptr);
  EXPECT_EQ(null_ptr.type_index(), kTVMFFIOpaquePtr);
  EXPECT_IMAGE(ImageOfAnyOverGarbage(static_cast<void*>(nullptr)),
               "04000000 00000000 00000000 00000000");
  // None reads as nullptr leniently, but not strictly
  EXPECT_FALSE(Any().as<void*>().has_value());
  EXPECT_EQ(Any().cast<void*>(), nullptr);
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `void*` to `int`", p.cast<int>());
}

TEST(CoreAny, Device) {
  DLDevice dev{kDLCUDA, 3};
  Any a = dev;
  EXPECT_EQ(a.type_index(), kTVMFFIDevice);
  DLDevice back = a.cast<DLDevice>();
  EXPECT_EQ(back.device_type, kDLCUDA);
  EXPECT_EQ(back.device_id, 3);
  EXPECT_TRUE(a.as<DLDevice>().has_value());
  EXPECT_IMAGE(ImageOfAnyOverGarbage(dev), "06000000 00000000 02000000 03000000");
  EXPECT_IMAGE(ImageOfViewOverGarbage(DLDevice{kDLCPU, 0}), "06000000 00000000 01000000 00000000");
  EXPECT_EQ(a.GetTypeKey(), "Device");
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `Device` to `int`", a.cast<int>());
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `None` to `Device`",
                   Any().cast<DLDevice>());
}

TEST(CoreAny, DLTensorPointerIsViewOnly) {
  int64_t shape[1] = {4};
  float data[4] = {0, 1, 2, 3};
  DLTensor tensor{};
  tensor.data = data;
  tensor.device = DLDevice{kDLCPU, 0};
  tensor.ndim = 1;
  tensor.dtype = DLDataType{kDLFloat, 32, 1};
  tensor.shape = shape;

  DLTensor* ptr = &tensor;
  AnyView view = ptr;
  EXPECT_EQ(view.type_index(), kTVMFFIDLTensorPtr);
  EXPECT_EQ(view.CopyToTVMFFIAny().v_ptr, ptr);
  EXPECT_EQ(view.CopyToTVMFFIAny().zero_padding, 0u);
  EXPECT_EQ(view.cast<DLTensor*>(), ptr);
  EXPECT_EQ(view.as<DLTensor*>(), std::optional<DLTensor*>(ptr));
  EXPECT_EQ(view.GetTypeKey(), "DLTensor*");
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `DLTensor*` to `int`", view.cast<int>());
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `int` to `DLTensor*`",
                   Any(1).cast<DLTensor*>());

  // the view-to-owned conversion copies the borrowed pointer verbatim
  Any copied = view;
  EXPECT_EQ(copied.type_index(), kTVMFFIDLTensorPtr);
  EXPECT_EQ(ImageOf(copied), ImageOf(view));

  // an owning Any cannot be built from a raw DLTensor* (it holds no ownership)
  static_assert(!TypeTraits<DLTensor*>::storage_enabled);
  bool caught = false;
  try {
    Any owned = ptr;
    (void)owned;
  } catch (const Error& err) {
    caught = true;
    EXPECT_EQ(err.kind(), "RuntimeError");
    EXPECT_NE(err.message().find("DLTensor*"), std::string::npos) << err.message();
  }
  EXPECT_TRUE(caught);
}

// ------------------------------------------------------------------------------------------
// strings: const char*, std::string, String (small / heap), Bytes
// ------------------------------------------------------------------------------------------

TEST(CoreAny, RawCStringViews) {
  const char* text = "hello";
  AnyView view = text;
  EXPECT_EQ(view.type_index(), kTVMFFIRawStr);
  EXPECT_EQ(view.CopyToTVMFFIAny().v_c_str, text);
  EXPECT_EQ(view.GetTypeKey(), "const char*");
  EXPECT_EQ(view.as<const char*>(), std::optional<const char*>(text));
  // lenient reads: String and std::string
  EXPECT_EQ(view.cast<String>(), "hello");
  EXPECT_EQ(view.cast<std::string>(), "hello");
  // a RawStr cell is not a strict String
  EXPECT_FALSE(view.as<String>().has_value());

  // a literal array is also passed as a borrowed RawStr
  AnyView literal = "abc";
  EXPECT_EQ(literal.type_index(), kTVMFFIRawStr);

  // std::string is passed as a RawStr pointing at its buffer
  std::string s = "from std::string";
  AnyView sv = s;
  EXPECT_EQ(sv.type_index(), kTVMFFIRawStr);
  EXPECT_EQ(sv.CopyToTVMFFIAny().v_c_str, s.c_str());
}

TEST(CoreAny, OwnedStringsFromCharPointersAndStd) {
  // const char* stored in an owning Any becomes a String (size rule)
  Any small = "abc";
  EXPECT_EQ(small.type_index(), kTVMFFISmallStr);
  EXPECT_IMAGE(ImageOf(small), "0b000000 03000000 61626300 00000000");
  Any heap = "abcdefgh";
  EXPECT_EQ(heap.type_index(), kTVMFFIStr);
  EXPECT_EQ(heap.cast<String>(), "abcdefgh");
  EXPECT_EQ(heap.GetTypeKey(), "ffi.String");

  // an rvalue std::string always becomes a heap Str object, even when short
  Any from_std = std::string("ab");
  EXPECT_EQ(from_std.type_index(), kTVMFFIStr);
  EXPECT_EQ(from_std.cast<std::string>(), "ab");
  std::string lvalue = "xy";
  Any from_lvalue = lvalue;  // by-value parameter: also moved into a String
  EXPECT_EQ(from_lvalue.cast<String>(), "xy");
}

TEST(CoreAny, StringCellImages) {
  EXPECT_IMAGE(ImageOfAnyOverGarbage(String("ab")), "0b000000 02000000 61620000 00000000");
  EXPECT_IMAGE(ImageOfAnyOverGarbage(String()), "0b000000 00000000 00000000 00000000");
  EXPECT_IMAGE(ImageOfAnyOverGarbage(String("abcdefg")), "0b000000 07000000 61626364 65666700");
  EXPECT_IMAGE(ImageOfViewOverGarbage(String("ab")), "0b000000 02000000 61620000 00000000");
  EXPECT_IMAGE(ImageOfAnyOverGarbage(Bytes("ab", 2)), "0c000000 02000000 61620000 00000000");
  EXPECT_IMAGE(ImageOfAnyOverGarbage(Bytes("a\0b", 3)), "0c000000 03000000 61006200 00000000");

  String heap("abcdefgh");
  Any a = heap;
  EXPECT_EQ(a.type_index(), kTVMFFIStr);
  EXPECT_EQ(RawCell(a).zero_padding, 0u);
  const TVMFFIByteArray* arr = TVMFFIBytesGetByteArrayPtr(RawCell(a).v_obj);
  EXPECT_EQ(std::string(arr->data, arr->size), "abcdefgh");
  // the cell shares the String's object
  EXPECT_EQ(ImageOf(a), ImageOf(AnyView(heap)));
}

TEST(CoreAny, StringStrictAndLenient) {
  Any s = String("hi");
  EXPECT_EQ(s.as<String>(), std::optional<String>(String("hi")));
  EXPECT_EQ(s.cast<std::string>(), "hi");
  EXPECT_FALSE(s.as<Bytes>().has_value());
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `ffi.SmallStr` to `bytes`",
                   s.cast<Bytes>());
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `ffi.String` to `bytes`",
                   Any(String("0123456789")).cast<Bytes>());

  Any b = Bytes("xyz", 3);
  EXPECT_EQ(b.type_index(), kTVMFFISmallBytes);
  EXPECT_EQ(b.GetTypeKey(), "ffi.SmallBytes");
  EXPECT_EQ(std::string(b.cast<Bytes>()), "xyz");
  EXPECT_EQ(b.cast<std::string>(), "xyz");
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `ffi.SmallBytes` to `str`",
                   b.cast<String>());
  Any heap_bytes = Bytes(std::string(20, 'q'));
  EXPECT_EQ(heap_bytes.type_index(), kTVMFFIBytes);
  EXPECT_EQ(heap_bytes.GetTypeKey(), "ffi.Bytes");
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `ffi.Bytes` to `str`",
                   heap_bytes.cast<String>());
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `ffi.Bytes` to `int`",
                   heap_bytes.cast<int>());
}

// ------------------------------------------------------------------------------------------
// view-only kinds converted to owned values
// ------------------------------------------------------------------------------------------

TEST(CoreAny, RawStrViewToOwnedIsCopied) {
  char buffer[32];
  std::strcpy(buffer, "short");  // NOLINT(*)
  AnyView view = static_cast<const char*>(buffer);
  Any owned = view;
  EXPECT_EQ(owned.type_index(), kTVMFFISmallStr);
  EXPECT_IMAGE(ImageOf(owned), "0b000000 05000000 73686f72 74000000");
  buffer[0] = 'X';  // the owned copy must not alias the caller's buffer
  EXPECT_EQ(owned.cast<String>(), "short");

  std::strcpy(buffer, "a longer text");  // NOLINT(*)
  Any owned_heap = view;
  EXPECT_EQ(owned_heap.type_index(), kTVMFFIStr);
  buffer[0] = 'Y';
  EXPECT_EQ(owned_heap.cast<String>(), "a longer text");
  const TVMFFIByteArray* arr = TVMFFIBytesGetByteArrayPtr(RawCell(owned_heap).v_obj);
  EXPECT_EQ(arr->size, 13u);
  EXPECT_EQ(arr->data[arr->size], '\0');

  // the boundary: 7 bytes small, 8 bytes heap
  EXPECT_EQ(Any(AnyView("1234567")).type_index(), kTVMFFISmallStr);
  EXPECT_EQ(Any(AnyView("12345678")).type_index(), kTVMFFIStr);

  // assignment from a view converts the same way
  Any assigned;
  assigned = AnyView("abc");
  EXPECT_EQ(assigned.type_index(), kTVMFFISmallStr);

  // the C API agrees byte for byte on the small form
  TVMFFIAny raw_view = AnyView("abc").CopyToTVMFFIAny();
  TVMFFIAny out;
  std::memset(&out, 0xCD, sizeof(out));
  ASSERT_EQ(TVMFFIAnyViewToOwnedAny(&raw_view, &out), 0);
  EXPECT_EQ(ImageOf(out), ImageOf(Any(AnyView("abc"))));
  Any adopt = details::AnyUnsafe::MoveTVMFFIAnyToAny(&out);
}

TEST(CoreAny, ByteArrayViewToOwnedBytes) {
  std::string payload("b\0ytes", 6);
  TVMFFIByteArray arr{payload.data(), payload.size()};
  AnyView view = &arr;
  EXPECT_EQ(view.type_index(), kTVMFFIByteArrayPtr);
  EXPECT_EQ(view.GetTypeKey(), "TVMFFIByteArray*");
  EXPECT_EQ(std::string(view.cast<Bytes>()), payload);
  EXPECT_EQ(view.cast<std::string>(), payload);
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `TVMFFIByteArray*` to `str`",
                   view.cast<String>());

  Any owned = view;
  EXPECT_EQ(owned.type_index(), kTVMFFISmallBytes);
  EXPECT_IMAGE(ImageOf(owned), "0c000000 06000000 62007974 65730000");

  std::string big(100, 'z');
  TVMFFIByteArray big_arr{big.data(), big.size()};
  Any owned_big = AnyView(&big_arr);
  EXPECT_EQ(owned_big.type_index(), kTVMFFIBytes);
  big[0] = 'A';
  EXPECT_EQ(std::string(owned_big.cast<Bytes>()), std::string(100, 'z'));
}

// ------------------------------------------------------------------------------------------
// objects: reference counting, typed reads
// ------------------------------------------------------------------------------------------

TEST(CoreAny, ObjectStorageAndRefCounts) {
  int live_before = CoreAnyCounterObj::live;
  {
    CoreAnyCounter ref(11);
    EXPECT_EQ(ref.use_count(), 1);
    {
      Any a = ref;
      EXPECT_EQ(ref.use_count(), 2);
      EXPECT_EQ(a.type_index(), CoreAnyCounterObj::RuntimeTypeIndex());
      EXPECT_GE(a.type_index(), kTVMFFIDynObjectBegin);
      EXPECT_EQ(RawCell(a).v_obj, details::ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(ref));
      EXPECT_EQ(RawCell(a).zero_padding, 0u);
      EXPECT_EQ(a.GetTypeKey(), "coretests.any.Counter");
      EXPECT_TRUE(a.same_as(ref));

      // views do not own
      AnyView v = ref;
      EXPECT_EQ(ref.use_count(), 2);
      AnyView v2 = a;
      EXPECT_EQ(ref.use_count(), 2);
      EXPECT_EQ(ImageOf(v), ImageOf(v2));

      // copies own
      Any b = a;
      EXPECT_EQ(ref.use_count(), 3);
      Any c = v;  // view -> owned: IncRef
      EXPECT_EQ(ref.use_count(), 4);
      c.reset();
      EXPECT_EQ(c.type_index(), kTVMFFINone);
      EXPECT_EQ(ref.use_count(), 3);
      b = Any(1);  // assignment releases the previous object
      EXPECT_EQ(ref.use_count(), 2);

      // typed reads
      std::optional<CoreAnyCounter> back = a.as<CoreAnyCounter>();
      ASSERT_TRUE(back.has_value());
      EXPECT_TRUE(back->same_as(ref));
      EXPECT_EQ(ref.use_count(), 3);
      const CoreAnyCounterObj* raw = a.as<CoreAnyCounterObj>();
      ASSERT_NE(raw, nullptr);
      EXPECT_EQ(raw->value, 11);
      EXPECT_EQ(a.as<StringObj>(), nullptr);
      EXPECT_EQ(a.cast<CoreAnyCounter>()->value, 11);
      EXPECT_TRUE(a.cast<ObjectRef>().same_as(ref));
      EXPECT_EQ(v.as<CoreAnyCounterObj>(), raw);
      EXPECT_FFI_ERROR("TypeError",
                       "Cannot convert from type `coretests.any.Counter` to `ffi.Function`",
                       a.cast<Function>());
      EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `coretests.any.Counter` to `int`",
                       a.cast<int>());
      EXPECT_FALSE(a.try_cast<Function>().has_value());
    }
    EXPECT_EQ(ref.use_count(), 1);
    EXPECT_EQ(CoreAnyCounterObj::live, live_before + 1);
  }
  EXPECT_EQ(CoreAnyCounterObj::live, live_before);
}

TEST(CoreAny, NullAndNonNullableReferences) {
  CoreAnyCounter null_ref;
  Any a = null_ref;
  // a null reference is written as None, never as an object index with a NULL pointer
  EXPECT_EQ(a.type_index(), kTVMFFINone);
  EXPECT_IMAGE(ImageOf(a), "00000000 00000000 00000000 00000000");
  EXPECT_TRUE(a.as<CoreAnyCounter>().has_value());
  EXPECT_FALSE(a.as<CoreAnyCounter>()->defined());
  // the non-nullable reference type rejects None
  EXPECT_FALSE(a.as<CoreAnyCounterNN>().has_value());
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `None` to `coretests.any.Counter`",
                   a.cast<CoreAnyCounterNN>());
  Any b = CoreAnyCounterNN(5);
  EXPECT_EQ(b.cast<CoreAnyCounterNN>()->value, 5);
  EXPECT_EQ(b.cast<CoreAnyCounter>()->value, 5);
}

TEST(CoreAny, MoveSemantics) {
  CoreAnyCounter ref(3);
  Any a = ref;
  EXPECT_EQ(ref.use_count(), 2);
  Any b = std::move(a);
  EXPECT_EQ(a.type_index(), kTVMFFINone);  // NOLINT(bugprone-use-after-move)
  EXPECT_TRUE(a == nullptr);               // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(ref.use_count(), 2);
  Any c;
  c = std::move(b);
  EXPECT_TRUE(b == nullptr);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(ref.use_count(), 2);

  // moving the value out of an rvalue Any steals the reference
  CoreAnyCounter out = std::move(c).cast<CoreAnyCounter>();
  EXPECT_TRUE(c == nullptr);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(ref.use_count(), 2);
  EXPECT_TRUE(out.same_as(ref));

  Any d = ref;
  std::optional<CoreAnyCounter> moved = std::move(d).as<CoreAnyCounter>();
  ASSERT_TRUE(moved.has_value());
  EXPECT_TRUE(d == nullptr);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(ref.use_count(), 3);

  // a strict mismatch on an rvalue leaves the value in place
  Any e = ref;
  EXPECT_FALSE(std::move(e).as<Function>().has_value());
  EXPECT_TRUE(e.same_as(ref));  // NOLINT(bugprone-use-after-move)

  // strings move out of the cell as well
  Any s = String("a heap allocated string");
  String str = std::move(s).cast<String>();
  EXPECT_TRUE(s == nullptr);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(str, "a heap allocated string");

  // a moved-from AnyView is None
  AnyView v = 5;
  AnyView w = std::move(v);
  EXPECT_EQ(v.type_index(), kTVMFFINone);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(w.cast<int>(), 5);

  // self-swap style operations keep the reference count balanced
  Any x = ref;
  Any y = 2;
  x.swap(y);
  EXPECT_EQ(x.cast<int>(), 2);
  EXPECT_TRUE(y.same_as(ref));
  int count = ref.use_count();
  x = y;
  EXPECT_EQ(ref.use_count(), count + 1);
}

TEST(CoreAny, AsAnyAndObjectPointers) {
  CoreAnyCounter ref(4);
  Any a = ref;
  EXPECT_EQ(ref.use_count(), 2);
  // as<Any>() on an lvalue copies, on an rvalue moves
  std::optional<Any> copy = a.as<Any>();
  ASSERT_TRUE(copy.has_value());
  EXPECT_TRUE(copy->same_as(ref));
  EXPECT_EQ(ref.use_count(), 3);
  std::optional<Any> moved = std::move(a).as<Any>();
  ASSERT_TRUE(moved.has_value());
  EXPECT_TRUE(a == nullptr);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(ref.use_count(), 3);
  EXPECT_TRUE(Any(5).try_cast<Any>().has_value());
  EXPECT_EQ(Any(5).as<Any>()->cast<int>(), 5);

  // const Object* pointers are borrowed views; storing one in an Any takes a reference
  const CoreAnyCounterObj* raw = ref.get();
  AnyView view = raw;
  EXPECT_EQ(view.type_index(), CoreAnyCounterObj::RuntimeTypeIndex());
  EXPECT_EQ(ref.use_count(), 3);
  Any owned = raw;
  EXPECT_EQ(ref.use_count(), 4);
  EXPECT_EQ(owned.cast<const CoreAnyCounterObj*>(), raw);
  EXPECT_EQ(owned.as<const CoreAnyCounterObj*>(), std::optional<const CoreAnyCounterObj*>(raw));
  EXPECT_EQ(owned.cast<const Object*>(), static_cast<const Object*>(raw));
  // reading a raw pointer out of an rvalue Any leaves the reference in the cell
  EXPECT_EQ(std::move(owned).cast<const CoreAnyCounterObj*>(), raw);
  EXPECT_TRUE(owned.same_as(ref));  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(ref.use_count(), 4);
  EXPECT_EQ(Any(ref).cast<const CoreAnyCounterObj*>()->value, 4);
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `int` to `coretests.any.Counter`",
                   Any(1).cast<const CoreAnyCounterObj*>());
  // a null object pointer is None
  EXPECT_EQ(AnyView(static_cast<const CoreAnyCounterObj*>(nullptr)).type_index(), kTVMFFINone);
}

TEST(CoreAny, NullCharPointersAreRejected) {
  // a null C string can neither be viewed nor stored (it would crash every reader)
  const char* null_str = nullptr;
  EXPECT_FFI_ERROR("InternalError", "Check not null: src ", AnyView(null_str).type_index());
  EXPECT_FFI_ERROR("InternalError", "Check not null: src ", Any owned = null_str);
  Function f = Function::FromTyped([](String s) { return s; });
  EXPECT_FFI_ERROR("InternalError", "Check not null: src ", f(null_str));
  TVMFFIByteArray* null_bytes = nullptr;
  EXPECT_FFI_ERROR("InternalError", "Check not null: src ", AnyView(null_bytes).type_index());
  EXPECT_FFI_ERROR("InternalError", "Check not null: src ", Any owned = null_bytes);
}

TEST(CoreAny, SameAs) {
  Any a = 1;
  Any b = 1;
  Any c = true;
  EXPECT_TRUE(a.same_as(b));
  EXPECT_FALSE(a.same_as(c));
  Any s1 = String("abcdefghijk");
  Any s2 = String("abcdefghijk");
  EXPECT_FALSE(s1.same_as(s2));  // different objects
  Any s3 = s1;
  EXPECT_TRUE(s1.same_as(s3));
  EXPECT_TRUE(Any().same_as(ObjectRef()));
  EXPECT_FALSE(a.same_as(ObjectRef()));
}

// ------------------------------------------------------------------------------------------
// Optional and Function through Any
// ------------------------------------------------------------------------------------------

TEST(CoreAny, OptionalValues) {
  Any none = Optional<int>();
  EXPECT_EQ(none.type_index(), kTVMFFINone);
  Any three = Optional<int>(3);
  EXPECT_EQ(three.type_index(), kTVMFFIInt);
  EXPECT_EQ(three.cast<int>(), 3);
  EXPECT_FALSE(none.cast<Optional<int>>().has_value());
  EXPECT_EQ(three.cast<Optional<int>>().value(), 3);
  EXPECT_EQ(Any(true).cast<Optional<int>>().value(), 1);
  EXPECT_FALSE(Any(true).as<Optional<int>>().has_value());
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `ffi.SmallStr` to `Optional<int>`",
                   Any(String("x")).cast<Optional<int>>());

  Any str = Optional<String>(String("abc"));
  EXPECT_EQ(str.type_index(), kTVMFFISmallStr);
  EXPECT_EQ(str.cast<Optional<String>>().value(), "abc");
  EXPECT_EQ(Any(Optional<String>()).type_index(), kTVMFFINone);

  CoreAnyCounter ref(9);
  Any obj = Optional<CoreAnyCounter>(ref);
  EXPECT_TRUE(obj.same_as(ref));
  EXPECT_EQ(ref.use_count(), 2);
  EXPECT_EQ(Any(Optional<CoreAnyCounter>()).type_index(), kTVMFFINone);
  Optional<CoreAnyCounter> back = obj.cast<Optional<CoreAnyCounter>>();
  EXPECT_TRUE(back.has_value());
  EXPECT_EQ(back.value()->value, 9);
}

TEST(CoreAny, FunctionValues) {
  Function f = Function::FromTyped([](int x) { return x * 2; });
  Any a = f;
  EXPECT_EQ(a.type_index(), kTVMFFIFunction);
  EXPECT_EQ(a.GetTypeKey(), "ffi.Function");
  EXPECT_EQ(f.use_count(), 2);
  EXPECT_EQ(a.cast<Function>()(21).cast<int>(), 42);
  TypedFunction<int(int)> typed = a.cast<TypedFunction<int(int)>>();
  EXPECT_EQ(typed(4), 8);
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `ffi.Function` to `str`",
                   a.cast<String>());
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `int` to `(0: int) -> int`",
                   Any(1).cast<TypedFunction<int(int)>>());
  EXPECT_FALSE(Any().cast<Function>().defined());
}

// ------------------------------------------------------------------------------------------
// DataType (only when dtype.h exists)
// ------------------------------------------------------------------------------------------

#if CORETESTS_HAVE_DTYPE
TEST(CoreAny, DataTypeImage) {
  DLDataType dtype{kDLFloat, 32, 1};
  EXPECT_IMAGE(ImageOfAnyOverGarbage(dtype), "05000000 00000000 02200100 00000000");
  EXPECT_IMAGE(ImageOfViewOverGarbage(dtype), "05000000 00000000 02200100 00000000");
  Any a = dtype;
  EXPECT_EQ(a.type_index(), kTVMFFIDataType);
  DLDataType back = a.cast<DLDataType>();
  EXPECT_EQ(back.code, kDLFloat);
  EXPECT_EQ(back.bits, 32);
  EXPECT_EQ(back.lanes, 1);
}
#endif

// ------------------------------------------------------------------------------------------
// AnyHash / AnyEqual (layouts.md §2.5)
// ------------------------------------------------------------------------------------------

TEST(CoreAny, StableHashBytesVectors) {
  EXPECT_EQ(details::StableHashBytes("abc", 3), 6513249u);
  EXPECT_EQ(details::StableHashBytes("hello world", 11), 1085901259u);
  EXPECT_EQ(details::StableHashBytes("", 0), 0u);
  // the combine step
  EXPECT_EQ(details::StableHashCombine(0, 0), 0x9e3779b9u);
}

TEST(CoreAny, AnyHashVectors) {
  // the spec's vectors, including heap "abc" strings/bytes hashing like the small forms
  ASSERT_NO_FATAL_FAILURE(tvm_ffi_test::ExpectAnyHashSpecVectors());

  AnyHash hash;
  Any heap_empty = String(std::string());
  ASSERT_EQ(heap_empty.type_index(), kTVMFFIStr);
  EXPECT_EQ(hash(heap_empty), hash(Any(String(""))));
  // every small length hashes consistently between the two forms
  for (size_t n = 0; n <= 7; ++n) {
    std::string text = std::string("1234567").substr(0, n);
    EXPECT_EQ(hash(Any(String(text))), hash(Any(String(std::string(text))))) << n;
    EXPECT_EQ(hash(Any(Bytes(text))), hash(Any(Bytes(std::string(text))))) << n;
  }
  // a RawStr view is hashed after conversion to an owned String
  EXPECT_EQ(hash(AnyView("abc")), 0x9e9aec2bu);
  // objects hash by identity
  CoreAnyCounter ref(1);
  Any obj = ref;
  uint64_t expected = details::StableHashCombine(
      static_cast<uint64_t>(obj.type_index()),
      reinterpret_cast<uint64_t>(details::ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(ref)));
  EXPECT_EQ(hash(obj), expected);
}

TEST(CoreAny, AnyEqualRules) {
  AnyEqual eq;
  Any small_abc = String("abc");
  Any heap_abc = String(std::string("abc"));
  ASSERT_EQ(small_abc.type_index(), kTVMFFISmallStr);
  ASSERT_EQ(heap_abc.type_index(), kTVMFFIStr);
  EXPECT_TRUE(eq(small_abc, heap_abc));
  EXPECT_TRUE(eq(heap_abc, small_abc));
  EXPECT_TRUE(eq(heap_abc, Any(String(std::string("abc")))));  // two heap objects
  EXPECT_FALSE(eq(heap_abc, Any(String(std::string("abd")))));
  EXPECT_FALSE(eq(small_abc, Any(String("ab"))));
  Any long1 = String("a long string value");
  Any long2 = String("a long string value");
  EXPECT_TRUE(eq(long1, long2));
  EXPECT_FALSE(eq(long1, Any(String("a long string valuf"))));
  // empty strings in both forms
  EXPECT_TRUE(eq(Any(String("")), Any(String(std::string()))));

  // String never equals Bytes, in any form
  Any small_bytes = Bytes("abc", 3);
  Any heap_bytes = Bytes(std::string("abc"));
  EXPECT_FALSE(eq(small_abc, small_bytes));
  EXPECT_FALSE(eq(heap_abc, heap_bytes));
  EXPECT_FALSE(eq(small_abc, heap_bytes));
  EXPECT_FALSE(eq(heap_abc, small_bytes));
  EXPECT_TRUE(eq(small_bytes, heap_bytes));
  EXPECT_TRUE(eq(heap_bytes, small_bytes));

  // 1, true and 1.0 are three different keys
  EXPECT_FALSE(eq(Any(1), Any(true)));
  EXPECT_FALSE(eq(Any(1), Any(1.0)));
  EXPECT_FALSE(eq(Any(true), Any(1.0)));
  EXPECT_TRUE(eq(Any(1), Any(int64_t{1})));
  EXPECT_TRUE(eq(Any(1.0), Any(1.0f)));
  // floats compare by bit pattern
  EXPECT_FALSE(eq(Any(0.0), Any(-0.0)));
  EXPECT_TRUE(eq(Any(), Any(nullptr)));
  EXPECT_FALSE(eq(Any(), Any(0)));

  // objects compare by identity
  CoreAnyCounter r1(1);
  CoreAnyCounter r2(1);
  EXPECT_TRUE(eq(Any(r1), Any(r1)));
  EXPECT_FALSE(eq(Any(r1), Any(r2)));
}

// ------------------------------------------------------------------------------------------
// RValueRef
// ------------------------------------------------------------------------------------------

TEST(CoreAny, RValueRefViewIsMovedIntoAny) {
  CoreAnyCounter ref(21);
  const TVMFFIObject* header = details::ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(ref);
  RValueRef<CoreAnyCounter> rref(std::move(ref));
  EXPECT_FALSE(ref.defined());  // NOLINT(bugprone-use-after-move)
  AnyView view = rref;
  EXPECT_EQ(view.type_index(), kTVMFFIObjectRValueRef);
  EXPECT_EQ(view.GetTypeKey(), "ObjectRValueRef");

  Any owned = view;
  EXPECT_EQ(owned.type_index(), CoreAnyCounterObj::RuntimeTypeIndex());
  EXPECT_EQ(RawCell(owned).v_obj, header);
  CoreAnyCounter back = owned.cast<CoreAnyCounter>();
  EXPECT_EQ(back.use_count(), 2);  // `owned` + `back`: nothing left in the rvalue slot

  EXPECT_FFI_ERROR("InternalError", "RValueRef already moved", Any again = view);
  Any assigned;
  EXPECT_FFI_ERROR("InternalError", "RValueRef already moved", assigned = view);
}

TEST(CoreAny, RValueRefTypedConversion) {
  CoreAnyCounter ref(5);
  RValueRef<CoreAnyCounter> rref(std::move(ref));
  AnyView view = rref;
  // a wrong target type leaves the slot untouched
  EXPECT_FALSE(view.try_cast<RValueRef<Function>>().has_value());
  std::optional<RValueRef<CoreAnyCounter>> taken = view.try_cast<RValueRef<CoreAnyCounter>>();
  ASSERT_TRUE(taken.has_value());
  CoreAnyCounter value = *std::move(*taken);
  EXPECT_EQ(value->value, 5);
  EXPECT_EQ(value.use_count(), 1);
  // the slot is empty now
  EXPECT_FALSE(view.try_cast<RValueRef<CoreAnyCounter>>().has_value());
  EXPECT_FFI_ERROR("TypeError",
                   "Cannot convert from type `ObjectRValueRef<moved>` to "
                   "`RValueRef<coretests.any.Counter>`",
                   view.cast<RValueRef<CoreAnyCounter>>());
}

TEST(CoreAny, RValueRefAsFunctionArgument) {
  Function take = Function::FromTyped([](RValueRef<CoreAnyCounter> arg) -> int {
    CoreAnyCounter value = *std::move(arg);
    return value.use_count();
  });
  CoreAnyCounter ref(1);
  // passing a plain reference copies it
  EXPECT_EQ(take(ref).cast<int>(), 2);
  EXPECT_TRUE(ref.defined());
  // passing an rvalue reference hands the only reference over
  EXPECT_EQ(take(RValueRef<CoreAnyCounter>(std::move(ref))).cast<int>(), 1);

  Function wrong = Function::FromTyped([](RValueRef<Function>) {}, "wrong");
  CoreAnyCounter other(2);
  RValueRef<CoreAnyCounter> rref(std::move(other));
  EXPECT_FFI_ERROR("TypeError",
                   "Mismatched type on argument #0 when calling: "
                   "`wrong(0: RValueRef<ffi.Function>) -> void`. Expected "
                   "`RValueRef<ffi.Function>` but got `RValueRef<coretests.any.Counter>`",
                   wrong(rref));
}

}  // namespace
