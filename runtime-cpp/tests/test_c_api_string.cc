// C API conformance: String/Bytes creation thresholds and view-to-owned conversion
// (abi.md §8 items 8 and 20).
#include <gtest/gtest.h>
#include <tvm/ffi/c_api.h>

#include <cstring>
#include <string>

#include "c_api_test_helpers.h"

namespace {

using namespace tvm_ffi_c_api_test;  // NOLINT(build/namespaces)

using CreateFn = int (*)(const TVMFFIByteArray*, TVMFFIAny*);

void CheckSmall(CreateFn create, int32_t small_index, const std::string& text) {
  TVMFFIByteArray input{text.data(), text.size()};
  TVMFFIAny out;
  std::memset(&out, 0xAB, sizeof(out));
  ASSERT_EQ(create(&input, &out), 0);
  EXPECT_EQ(out.type_index, small_index);
  EXPECT_EQ(out.small_str_len, text.size());
  EXPECT_EQ(std::string(out.v_bytes, out.small_str_len), text);
  EXPECT_EQ(out.v_bytes[text.size()], '\0');
  // Bytes after the NUL are zero (equality/hash use the raw payload).
  for (size_t i = text.size(); i < 8; ++i) EXPECT_EQ(out.v_bytes[i], '\0') << i;
}

void CheckObject(CreateFn create, int32_t object_index, const std::string& text) {
  TVMFFIByteArray input{text.data(), text.size()};
  TVMFFIAny out = NoneAny();
  ASSERT_EQ(create(&input, &out), 0);
  ASSERT_EQ(out.type_index, object_index);
  EXPECT_EQ(out.zero_padding, 0u);
  TVMFFIObjectHandle obj = out.v_obj;
  EXPECT_EQ(TVMFFIObjectGetTypeIndex(obj), object_index);
  EXPECT_EQ(RefCountWord(obj), 0x100000001ull);
  const TVMFFIByteArray* arr = TVMFFIBytesGetByteArrayPtr(obj);
  EXPECT_EQ(arr->data, static_cast<const char*>(obj) + 40);
  EXPECT_EQ(arr->size, text.size());
  EXPECT_EQ(std::string(arr->data, arr->size), text);
  EXPECT_EQ(arr->data[arr->size], '\0');
  TVMFFIObjectDecRef(obj);
}

TEST(CAPIString, SmallStringThreshold) {
  CheckSmall(TVMFFIStringFromByteArray, kTVMFFISmallStr, "");
  CheckSmall(TVMFFIStringFromByteArray, kTVMFFISmallStr, "a");
  CheckSmall(TVMFFIStringFromByteArray, kTVMFFISmallStr, "1234567");
  CheckObject(TVMFFIStringFromByteArray, kTVMFFIStr, "12345678");
  CheckObject(TVMFFIStringFromByteArray, kTVMFFIStr, std::string(1000, 'z'));
}

TEST(CAPIString, SmallBytesThreshold) {
  CheckSmall(TVMFFIBytesFromByteArray, kTVMFFISmallBytes, "");
  CheckSmall(TVMFFIBytesFromByteArray, kTVMFFISmallBytes, std::string("a\0b", 3));
  CheckSmall(TVMFFIBytesFromByteArray, kTVMFFISmallBytes, "1234567");
  CheckObject(TVMFFIBytesFromByteArray, kTVMFFIBytes, "12345678");
  CheckObject(TVMFFIBytesFromByteArray, kTVMFFIBytes, std::string("with\0nul\0inside", 15));
}

TEST(CAPIString, EmptyInputWithNullData) {
  TVMFFIByteArray input{nullptr, 0};
  TVMFFIAny out = NoneAny();
  ASSERT_EQ(TVMFFIStringFromByteArray(&input, &out), 0);
  EXPECT_EQ(out.type_index, kTVMFFISmallStr);
  EXPECT_EQ(out.small_str_len, 0u);
}

TEST(CAPIAnyViewToOwned, RawStrBecomesString) {
  TVMFFIAny view = RawStrAny("hi");
  TVMFFIAny out = NoneAny();
  ASSERT_EQ(TVMFFIAnyViewToOwnedAny(&view, &out), 0);
  EXPECT_EQ(out.type_index, kTVMFFISmallStr);
  EXPECT_EQ(StrContent(out), "hi");

  TVMFFIAny long_view = RawStrAny("a string that needs a heap object");
  ASSERT_EQ(TVMFFIAnyViewToOwnedAny(&long_view, &out), 0);
  ASSERT_EQ(out.type_index, kTVMFFIStr);
  EXPECT_EQ(StrContent(out), "a string that needs a heap object");
  EXPECT_EQ(RefCountWord(out.v_obj), 0x100000001ull);
  ReleaseAny(&out);
}

TEST(CAPIAnyViewToOwned, ByteArrayPtrBecomesBytes) {
  TVMFFIByteArray small{"\x01\x02", 2};
  TVMFFIAny view = NoneAny();
  view.type_index = kTVMFFIByteArrayPtr;
  view.v_ptr = &small;
  TVMFFIAny out = NoneAny();
  ASSERT_EQ(TVMFFIAnyViewToOwnedAny(&view, &out), 0);
  EXPECT_EQ(out.type_index, kTVMFFISmallBytes);
  EXPECT_EQ(StrContent(out), std::string("\x01\x02", 2));

  std::string big(64, 'b');
  TVMFFIByteArray large{big.data(), big.size()};
  view.v_ptr = &large;
  ASSERT_EQ(TVMFFIAnyViewToOwnedAny(&view, &out), 0);
  ASSERT_EQ(out.type_index, kTVMFFIBytes);
  EXPECT_EQ(StrContent(out), big);
  ReleaseAny(&out);
}

TEST(CAPIAnyViewToOwned, ObjectIsIncRefd) {
  TVMFFIByteArray text = ByteArrayOf("object string content");
  TVMFFIAny str = NoneAny();
  ASSERT_EQ(TVMFFIStringFromByteArray(&text, &str), 0);
  TVMFFIAny out = NoneAny();
  ASSERT_EQ(TVMFFIAnyViewToOwnedAny(&str, &out), 0);
  EXPECT_EQ(out.type_index, kTVMFFIStr);
  EXPECT_EQ(out.v_obj, str.v_obj);
  EXPECT_EQ(StrongCount(str.v_obj), 2u);
  ReleaseAny(&out);
  EXPECT_EQ(StrongCount(str.v_obj), 1u);
  ReleaseAny(&str);
}

TEST(CAPIAnyViewToOwned, RValueRefMovesAndNullsTheSlot) {
  TVMFFIByteArray text = ByteArrayOf("moved string content");
  TVMFFIAny str = NoneAny();
  ASSERT_EQ(TVMFFIStringFromByteArray(&text, &str), 0);
  TVMFFIObject* slot = str.v_obj;
  TVMFFIAny view = NoneAny();
  view.type_index = kTVMFFIObjectRValueRef;
  view.v_ptr = &slot;
  TVMFFIAny out = NoneAny();
  ASSERT_EQ(TVMFFIAnyViewToOwnedAny(&view, &out), 0);
  EXPECT_EQ(slot, nullptr);
  EXPECT_EQ(out.type_index, kTVMFFIStr);
  EXPECT_EQ(out.v_obj, str.v_obj);
  EXPECT_EQ(StrongCount(out.v_obj), 1u);  // ownership moved, no extra reference

  // The slot is empty now: a second conversion fails.
  TVMFFIAny again = NoneAny();
  EXPECT_EQ(TVMFFIAnyViewToOwnedAny(&view, &again), -1);
  RaisedError err = TakeRaisedError();
  ASSERT_TRUE(err.present);
  EXPECT_EQ(err.kind, "InternalError");
  EXPECT_EQ(err.message, "RValueRef already moved");
  ReleaseAny(&out);
}

TEST(CAPIAnyViewToOwned, PodValuesAreCopiedVerbatim) {
  DLTensor tensor;
  std::memset(&tensor, 0, sizeof(tensor));
  TVMFFIAny views[4] = {IntAny(-5), NoneAny(), NoneAny(), NoneAny()};
  views[1].type_index = kTVMFFIDLTensorPtr;
  views[1].v_ptr = &tensor;
  views[2].type_index = kTVMFFIFloat;
  views[2].v_float64 = 2.5;
  views[3].type_index = kTVMFFIDevice;
  views[3].v_device = DLDevice{kDLCUDA, 3};
  for (const TVMFFIAny& view : views) {
    TVMFFIAny out = NoneAny();
    ASSERT_EQ(TVMFFIAnyViewToOwnedAny(&view, &out), 0);
    EXPECT_EQ(std::memcmp(&out, &view, sizeof(TVMFFIAny)), 0) << view.type_index;
  }
}

}  // namespace
