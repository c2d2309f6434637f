/*!
 * \file test_type_traits_delta.cc
 * \brief Conversion rules that changed after 0.1.0: 64-bit unsigned integers above INT64_MAX
 *        raise OverflowError, and a string converts to DLDevice ("cuda:1").
 */
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/string.h>

#include <cstdint>
#include <limits>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;

TEST(TypeTraitsDelta, UInt64AboveInt64MaxOverflows) {
  const char* expected =
      "Integer value 18446744073709551615 is too large to fit in int64_t. Consider explicitly "
      "casting to int64_t first if this is intentional.";
  EXPECT_FFI_ERROR("OverflowError", expected, Any(std::numeric_limits<uint64_t>::max()));
  EXPECT_FFI_ERROR("OverflowError", expected,
                   Any(static_cast<unsigned long long>(~0ull)));  // NOLINT(runtime/int)
  EXPECT_FFI_ERROR_CONTAINS("OverflowError", "Integer value 9223372036854775808 is too large",
                            AnyView(uint64_t{1} << 63));
  Function f = Function::FromTyped([](int64_t x) { return x; });
  EXPECT_FFI_ERROR_CONTAINS("OverflowError", "too large to fit in int64_t", f(~uint64_t{0}));
  // Values that fit keep working, 32-bit unsigned included.
  EXPECT_EQ(Any(uint64_t{42}).cast<int64_t>(), 42);
  EXPECT_EQ(Any(std::numeric_limits<uint32_t>::max()).cast<int64_t>(), 4294967295LL);
}

TEST(TypeTraitsDelta, DeviceFromString) {
  auto dev = [](const char* text) { return Any(String(text)).cast<DLDevice>(); };
  EXPECT_EQ(dev("cuda:1").device_type, kDLCUDA);
  EXPECT_EQ(dev("cuda:1").device_id, 1);
  EXPECT_EQ(dev("cpu").device_type, kDLCPU);
  EXPECT_EQ(dev("cpu").device_id, 0);
  EXPECT_EQ(dev("metal").device_type, kDLMetal);
  EXPECT_EQ(dev("mps").device_type, kDLMetal);
  EXPECT_EQ(dev("wgpu").device_type, kDLWebGPU);
  EXPECT_EQ(dev("webgpu:3").device_id, 3);
  EXPECT_EQ(dev("rocm:2147483647").device_id, 2147483647);
  EXPECT_EQ(dev("trn").device_type, kDLTrn);
  EXPECT_EQ(dev("cuda:2 (ignored text)").device_id, 2);
  // A heap string (longer than 7 bytes) too.
  EXPECT_EQ(dev("hexagon:12").device_type, kDLHexagon);
  for (const char* bad :
       {"cuda:x", "cuda:1:2", "", "foo", "cuda:", ":1", "cuda:2147483648", "cuda_host", "CUDA"}) {
    EXPECT_FALSE(Any(String(bad)).try_cast<DLDevice>().has_value()) << bad;
  }
  EXPECT_FFI_ERROR("TypeError", "Cannot convert from type `ffi.SmallStr` to `Device`",
                   Any(String("foo")).cast<DLDevice>());
  // Strict reads still want a Device cell.
  EXPECT_FALSE(Any(String("cpu")).as<DLDevice>().has_value());
  Function f = Function::FromTyped([](DLDevice d) { return static_cast<int>(d.device_type); });
  EXPECT_EQ(f("cuda:0").cast<int>(), static_cast<int>(kDLCUDA));
}

}  // namespace
