/*!
 * \file test_include_paths.cc
 * \brief Code written against either spelling of the helper headers compiles: the 0.1.0 names
 *        (base_details.h, function_details.h, container/container_details.h) and the later
 *        ones (base_detail.h, function_detail.h, container/container_detail.h), each included
 *        first so that it has to stand on its own.
 */
#include <tvm/ffi/base_detail.h>
#include <tvm/ffi/base_details.h>
#include <tvm/ffi/container/container_detail.h>
#include <tvm/ffi/container/container_details.h>
#include <tvm/ffi/function_detail.h>
#include <tvm/ffi/function_details.h>

#include <gtest/gtest.h>
#include <tvm/ffi/function.h>

#include <string>

namespace {

int Add(int a, int b) { return a + b; }

TEST(IncludePaths, BothSpellingsGiveTheSameDeclarations) {
  // function_detail(s).h: signature introspection.
  EXPECT_EQ(tvm::ffi::details::FunctionInfo<decltype(&Add)>::Sig(), "(0: int, 1: int) -> int");
  // base_detail(s).h: helpers and macros.
  EXPECT_EQ(tvm::ffi::details::StableHashCombine(0, 0), 0x9e3779b9ULL);
  tvm::ffi::Function f = tvm::ffi::Function::FromTyped(Add);
  EXPECT_EQ(f(1, 2).cast<int>(), 3);
}

}  // namespace
