// One List / one Dict shared between the runtime and a second binary whose inline container
// code is its own (fixture hidden_containers_lib, built with hidden visibility): each side
// grows storage the other created, and whichever side drops the last reference frees it.
// Under `nox -s sanitize` this is where allocator or deleter mix-ups would show.
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/container/dict.h>
#include <tvm/ffi/container/list.h>
#include <tvm/ffi/extra/module.h>
#include <tvm/ffi/function.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;

std::string FixturePath(const std::string& stem) {
  return std::string(TVM_FFI_TEST_FIXTURE_DIR) + "/fixture_" + stem + ".so";
}

Module Foreign() {
  static Module* mod = new Module(Module::LoadFromFile(FixturePath("hidden_containers_lib")));
  return *mod;
}

int64_t DeleterField(const ObjectRef& ref) {
  void* field = nullptr;
  std::memcpy(&field, reinterpret_cast<const char*>(ref.get()) + 48, sizeof(field));
  return static_cast<int64_t>(reinterpret_cast<intptr_t>(field));
}

TEST(ContainerMixed, TheOtherBinaryHasItsOwnDeleters) {
  int64_t theirs = Foreign()->GetFunction("own_list_deleter").value()().cast<int64_t>();
  EXPECT_NE(theirs, DeleterField(List<int>())) << "the fixture must not share our inline code";
}

TEST(ContainerMixed, ListCreatedThereGrownHereAndBack) {
  Function make_list = Foreign()->GetFunction("make_list").value();
  Function list_extend = Foreign()->GetFunction("list_extend").value();
  Function sum_list = Foreign()->GetFunction("sum_list").value();
  int64_t theirs = Foreign()->GetFunction("own_list_deleter").value()().cast<int64_t>();
  List<int64_t> list = make_list(10).cast<List<int64_t>>();
  // capacities 1, 2, 4, 4, 8, 8, 8, 8, 16, 16 on their side
  EXPECT_EQ(list.capacity(), 16);
  EXPECT_EQ(DeleterField(list), theirs);
  Function append = Function::GetGlobalRequired("ffi.ListAppend");
  for (int64_t i = 10; i < 40; ++i) {
    if (i % 3 == 0) {
      list_extend(list, i, i + 1);  // they grow it
    } else {
      append(list, i);  // we grow it
    }
    ASSERT_EQ(DeleterField(list), theirs) << "growth keeps the creator's deleter";
  }
  ASSERT_EQ(list.size(), 40);
  for (int64_t i = 0; i < 40; ++i) EXPECT_EQ(list[i], i);
  EXPECT_EQ(sum_list(list).cast<int64_t>(), 39 * 40 / 2);
  // and a list of ours, grown by them, keeps our deleter
  List<int64_t> ours{1};
  int64_t our_deleter = DeleterField(ours);
  list_extend(ours, 2, 30);
  EXPECT_EQ(DeleterField(ours), our_deleter);
  EXPECT_EQ(ours.size(), 29);
  EXPECT_EQ(ours[28], 29);
}

TEST(ContainerMixed, DictSwitchedAlternatelyByBothSides) {
  Function make_dict = Foreign()->GetFunction("make_dict").value();
  Function dict_set = Foreign()->GetFunction("dict_set").value();
  Function dict_deleter = Foreign()->GetFunction("dict_deleter").value();
  for (int variant = 0; variant < 2; ++variant) {
    // variant 0: they create it; variant 1: we create it
    Dict<int64_t, int64_t> dict =
        variant == 0 ? make_dict().cast<Dict<int64_t, int64_t>>() : Dict<int64_t, int64_t>();
    const Object* addr = dict.get();
    Function set_item = Function::GetGlobalRequired("ffi.DictSetItem");
    for (int64_t k = 0; k <= 20; ++k) {
      if ((k + variant) % 2 == 0) {
        dict_set(dict, k, k * 10);
      } else {
        set_item(dict, k, k * 10);
      }
      ASSERT_EQ(dict.get(), addr);
      ASSERT_EQ(dict.size(), static_cast<size_t>(k + 1));
      int64_t expected = 0;
      for (const auto& kv : dict) {
        ASSERT_EQ(kv.first, expected);
        ASSERT_EQ(kv.second, expected * 10);
        ++expected;
      }
      if (k == 2) {
        // small of capacity 4: the switching side's owner releaser is installed
        EXPECT_NE(dict_deleter(dict).cast<int64_t>(), 0);
      }
    }
    for (int64_t k = 0; k <= 20; ++k) EXPECT_EQ(dict.at(k), k * 10);
  }
}

// Destruction runs the creator's object deleter on storage the other side may have installed.
TEST(ContainerMixed, DestroyedByTheCreatorAfterTheOtherSideGrewIt) {
  Function make_list = Foreign()->GetFunction("make_list").value();
  Function make_dict = Foreign()->GetFunction("make_dict").value();
  Function dict_set = Foreign()->GetFunction("dict_set").value();
  // theirs, grown by us: their destructor releases our buffer / our dense blocks
  {
    List<int64_t> list = make_list(3).cast<List<int64_t>>();
    list.reserve(100);
    Dict<int64_t, int64_t> dict = make_dict().cast<Dict<int64_t, int64_t>>();
    for (int64_t k = 0; k < 9; ++k) dict.Set(k, k);
  }
  // ours, grown by them: our destructor releases their owner / their dense blocks
  {
    Dict<int64_t, int64_t> dict;
    for (int64_t k = 0; k < 3; ++k) dict_set(dict, k, k);  // their owner releaser
    Dict<int64_t, int64_t> dense;
    for (int64_t k = 0; k < 9; ++k) dict_set(dense, k, k);  // their blocks
    EXPECT_EQ(dict.size(), 3u);
    EXPECT_EQ(dense.size(), 9u);
  }
}

}  // namespace
