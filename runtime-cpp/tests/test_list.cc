// Tests of ListObj / List<T>: the binary layout (header + TVMFFISeqCell over a separate
// buffer), the growth rule, reference semantics (no copy-on-write), conversions to and from
// Array, the ffi.List* global functions, cycles, and lists created or grown by "another
// binary" (simulated through the C layout: a foreign data_deleter, a foreign reallocation).
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/list.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/extra/json.h>
#include <tvm/ffi/extra/serialization.h>
#include <tvm/ffi/extra/structural_equal.h>
#include <tvm/ffi/extra/structural_hash.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/string.h>

#include <cstdint>
#include <cstring>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;
using tvm_ffi_test::ReadAt;

/*! \brief Byte-level view of a list object through the C layout (TVMFFISeqCell at +24). */
TVMFFISeqCell* SeqCellOf(const ObjectRef& ref) {
  return reinterpret_cast<TVMFFISeqCell*>(reinterpret_cast<char*>(const_cast<Object*>(ref.get())) +
                                          sizeof(TVMFFIObject));
}

Function Global(const char* name) { return Function::GetGlobalRequired(name); }

// ---- layout and registration ----

static_assert(sizeof(ListObj) == 56);
static_assert(sizeof(List<int>) == 8);
static_assert(ListObj::_type_index == 75 && ListObj::_type_final);

TEST(List, LayoutAndTypeRegistration) {
  List<int> list{1, 2, 3};
  EXPECT_EQ(list->type_index(), kTVMFFIList);
  TVMFFISeqCell* cell = SeqCellOf(list);
  EXPECT_EQ(cell->size, 3);
  EXPECT_EQ(cell->capacity, 3);
  EXPECT_NE(cell->data_deleter, nullptr);
  // a separate buffer, not inline after the object
  EXPECT_NE(cell->data, reinterpret_cast<const char*>(list.get()) + 56);
  EXPECT_EQ(reinterpret_cast<TVMFFIAny*>(cell->data)[1].v_int64, 2);

  int32_t index = -1;
  TVMFFIByteArray key{"ffi.List", 8};
  ASSERT_EQ(TVMFFITypeKeyToIndex(&key, &index), 0);
  EXPECT_EQ(index, 75);
  const TVMFFITypeInfo* info = TVMFFIGetTypeInfo(75);
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(std::string(info->type_key.data, info->type_key.size), "ffi.List");
  EXPECT_EQ(info->type_depth, 1);
  EXPECT_EQ(info->type_ancestors[0]->type_index, kTVMFFIObject);
  EXPECT_EQ(Any(list).GetTypeKey(), "ffi.List");
}

TEST(List, EmptyListHasNoBufferButADeleter) {
  List<int> list;
  TVMFFISeqCell* cell = SeqCellOf(list);
  EXPECT_EQ(cell->data, nullptr);
  EXPECT_EQ(cell->capacity, 0);
  EXPECT_EQ(cell->size, 0);
  EXPECT_NE(cell->data_deleter, nullptr);
}

TEST(List, GrowthSequenceAndDeleterKept) {
  List<int> list;
  void (*deleter)(void*) = SeqCellOf(list)->data_deleter;
  std::vector<int64_t> capacities;
  for (int i = 0; i < 10; ++i) {
    list.push_back(i);
    capacities.push_back(list.capacity());
    EXPECT_EQ(SeqCellOf(list)->data_deleter, deleter) << "growth must keep the creator's deleter";
  }
  EXPECT_EQ(capacities, (std::vector<int64_t>{1, 2, 4, 4, 8, 8, 8, 8, 16, 16}));
  for (int i = 0; i < 10; ++i) EXPECT_EQ(list[i], i);
  list.reserve(40);
  EXPECT_EQ(list.capacity(), 40);
  list.reserve(3);  // never shrinks
  EXPECT_EQ(list.capacity(), 40);
  EXPECT_EQ(list.size(), 10);
}

// ---- reference semantics ----

TEST(List, CopiesAliasArraysCopyOnWrite) {
  List<int> a{1, 2};
  List<int> b = a;
  b.push_back(3);
  EXPECT_EQ(a.size(), 3);
  EXPECT_TRUE(a.same_as(b));
  a.Set(0, 10);
  EXPECT_EQ(b[0], 10);
  b.insert(b.begin(), 0);
  EXPECT_EQ(a[0], 0);
  a.erase(a.begin());
  EXPECT_EQ(b.size(), 3);
  b.pop_back();
  EXPECT_EQ(a.size(), 2);
  a.resize(4);
  EXPECT_EQ(b.size(), 4);
  b.clear();
  EXPECT_EQ(a.size(), 0);
  EXPECT_TRUE(a.same_as(b));

  Array<int> x{1, 2};
  Array<int> y = x;
  y.push_back(3);
  EXPECT_EQ(x.size(), 2);
  EXPECT_FALSE(x.same_as(y));
}

TEST(List, ApiMirrorsArray) {
  std::vector<int> values{4, 5, 6};
  List<int> from_vec(values);
  EXPECT_EQ(from_vec.size(), 3);
  List<int> from_range(values.begin(), values.end());
  EXPECT_EQ(from_range.back(), 6);
  List<String> repeated(3, String("x"));
  EXPECT_EQ(repeated.size(), 3);
  EXPECT_EQ(repeated.front(), "x");
  List<int> list{1, 2, 3, 4, 5};
  list.erase(list.begin() + 1, list.begin() + 3);
  EXPECT_EQ(std::vector<int>(list.begin(), list.end()), (std::vector<int>{1, 4, 5}));
  std::vector<int> extra{7, 8};
  list.insert(list.begin() + 1, extra.begin(), extra.end());
  EXPECT_EQ(std::vector<int>(list.begin(), list.end()), (std::vector<int>{1, 7, 8, 4, 5}));
  EXPECT_EQ(std::vector<int>(list.rbegin(), list.rend()), (std::vector<int>{5, 4, 8, 7, 1}));
  list.Assign(extra.begin(), extra.end());
  EXPECT_EQ(list.size(), 2);
  list.emplace_back(9);
  EXPECT_EQ(list.back(), 9);
  // upcast aliases
  List<Any> base = list;
  base.push_back(String("s"));
  EXPECT_EQ(list.size(), 4);
  EXPECT_TRUE(list.GetListObj() == base.GetListObj());
}

TEST(List, ErrorsNameWhatWasWrong) {
  List<int> list{1, 2};
  EXPECT_FFI_ERROR("IndexError", "Index -1 out of bounds 2", list[-1]);
  EXPECT_FFI_ERROR("IndexError", "Index 2 out of bounds 2", list[2]);
  EXPECT_FFI_ERROR("IndexError", "Index 5 out of bounds 2", list.Set(5, 1));
  EXPECT_FFI_ERROR("ValueError", "Cannot resize a sequence to negative size -1", list.resize(-1));
  List<int> empty;
  EXPECT_FFI_ERROR("IndexError", "pop_back on empty sequence", empty.pop_back());
  EXPECT_FFI_ERROR("IndexError", "front() on empty sequence", empty.front());
  EXPECT_FFI_ERROR("IndexError", "back() on empty sequence", empty.back());

  List<int> null_list(UnsafeInit{});
  EXPECT_EQ(null_list.size(), 0);
  EXPECT_FFI_ERROR("IndexError", "cannot index a null list", null_list[0]);
  EXPECT_FFI_ERROR("RuntimeError", "cannot insert to a null list",
                   null_list.insert(null_list.begin(), 1));
  EXPECT_FFI_ERROR("RuntimeError", "cannot pop_back a null list", null_list.pop_back());
  EXPECT_FFI_ERROR("RuntimeError", "cannot erase a null list", null_list.erase(null_list.begin()));
  // push_back on a null handle creates a list of capacity 4
  null_list.push_back(7);
  EXPECT_EQ(null_list.capacity(), 4);
  EXPECT_EQ(null_list[0], 7);
}

// ---- conversions ----

TEST(List, ConversionsWithArray) {
  List<int> list{1, 2};
  Any any = list;
  // List -> Array<int>: always a new array
  Array<int> arr = any.cast<Array<int>>();
  EXPECT_EQ(arr->type_index(), kTVMFFIArray);
  EXPECT_FALSE(arr.same_as(list));
  EXPECT_EQ(arr.size(), 2);
  // List -> List<int>: the same object (strict elements)
  List<int> same = any.cast<List<int>>();
  EXPECT_TRUE(same.same_as(list));
  // Array -> List<int>: a new list, mutations do not reach the array
  Any any_arr = Array<int>{5, 6};
  List<int> copied = any_arr.cast<List<int>>();
  EXPECT_EQ(copied->type_index(), kTVMFFIList);
  copied.push_back(7);
  EXPECT_EQ(any_arr.cast<Array<int>>().size(), 2);
  // List<Any> with convertible elements -> List<double>: a converted copy
  List<Any> ints{1, 2};
  List<double> doubles = Any(ints).cast<List<double>>();
  EXPECT_FALSE(doubles.same_as(ints));
  EXPECT_EQ(doubles[1], 2.0);
  // mismatches name the index
  List<Any> mixed{1, String("x")};
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "List[index 1: ffi.SmallStr]",
                            Any(mixed).cast<List<int>>());
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "Array[index 1: ffi.SmallStr]",
                            Any(mixed).cast<Array<int>>());
  // a List is not a Map
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "ffi.List", Any(List<int>{1, 2}).cast<Map<int, int>>());
  EXPECT_EQ(TypeTraits<List<int>>::TypeStr(), "List<int>");
  EXPECT_EQ(TypeTraits<List<int>>::TypeSchema(), R"({"type":"ffi.List","args":[{"type":"int"}]})");
}

TEST(List, FunctionArgumentsAliasOrCopy) {
  Function append = Function::FromTyped([](List<int> list) { list.push_back(99); });
  List<int> list{1};
  append(list);
  EXPECT_EQ(list.size(), 2) << "a List argument is shared with the callee";
  Function takes_array = Function::FromTyped([](Array<int> arr) { return arr.size(); });
  EXPECT_EQ(takes_array(list).cast<int64_t>(), 2);
}

// ---- global functions ----

TEST(List, GlobalFunctions) {
  Any made = Global("ffi.List")(1, String("a"), 3);
  List<Any> list = made.cast<List<Any>>();
  EXPECT_EQ(Global("ffi.ListSize")(list).cast<int64_t>(), 3);
  EXPECT_EQ(Global("ffi.ListGetItem")(list, 1).cast<String>(), "a");
  Global("ffi.ListSetItem")(list, 1, 2);
  Global("ffi.ListAppend")(list, 4);
  Global("ffi.ListInsert")(list, 0, 0);
  EXPECT_EQ(StructuralEqual::Equal(list, List<Any>{0, 1, 2, 3, 4}), true);
  EXPECT_EQ(Global("ffi.ListPop")(list, -1).cast<int>(), 4);
  EXPECT_EQ(Global("ffi.ListPop")(list, 0).cast<int>(), 0);
  Global("ffi.ListErase")(list, 0);
  EXPECT_EQ(list.size(), 2);
  Global("ffi.ListReplaceSlice")(list, 0, 1, List<Any>{7, 8, 9});
  EXPECT_TRUE(StructuralEqual::Equal(list, List<Any>{7, 8, 9, 3}));
  Global("ffi.ListEraseRange")(list, 1, 3);
  EXPECT_TRUE(StructuralEqual::Equal(list, List<Any>{7, 3}));
  Global("ffi.ListReverse")(list);
  EXPECT_TRUE(StructuralEqual::Equal(list, List<Any>{3, 7}));
  // a slice replaced by the list itself
  Global("ffi.ListReplaceSlice")(list, 0, 0, list);
  EXPECT_TRUE(StructuralEqual::Equal(list, List<Any>{3, 7, 3, 7}));
  Global("ffi.ListClear")(list);
  EXPECT_EQ(list.size(), 0);

  EXPECT_FFI_ERROR("IndexError", "pop from empty list", Global("ffi.ListPop")(list, -1));
  EXPECT_FFI_ERROR("IndexError", "Index 3 out of bounds 0", Global("ffi.ListGetItem")(list, 3));
  EXPECT_FFI_ERROR("IndexError", "Insert position 2 out of bounds 0",
                   Global("ffi.ListInsert")(list, 2, 1));
  EXPECT_FFI_ERROR("IndexError", "Slice [0, 1) out of bounds 0",
                   Global("ffi.ListEraseRange")(list, 0, 1));
  // an Array is not silently copied and mutated: the caller would never see the change
  EXPECT_FFI_ERROR_CONTAINS("TypeError", "ffi.Array", Global("ffi.ListAppend")(Array<int>{1}, 2));
}

// ---- cycles ----

TEST(List, SelfContainingListIsDetected) {
  List<Any> list{1};
  list.push_back(list);
  EXPECT_FFI_ERROR("ValueError", "Cycle detected: List contains itself", json::Stringify(list));
  EXPECT_FFI_ERROR("ValueError", "Cycle detected during serialization: a List contains itself",
                   ToJSONGraph(list));
  EXPECT_TRUE(StructuralEqual::Equal(list, list));
  List<Any> other{1};
  other.push_back(other);
  EXPECT_TRUE(StructuralEqual::Equal(list, other));
  EXPECT_EQ(StructuralHash::Hash(list), StructuralHash::Hash(other));
  list.clear();  // break the cycle so both lists are freed
  other.clear();
}

TEST(List, JSONAndGraphRoundTrip) {
  List<Any> list{1, String("a"), List<Any>{2.5}};
  EXPECT_EQ(json::Stringify(list), R"([1,"a",[2.5]])");
  Any back = FromJSONGraph(ToJSONGraph(list));
  EXPECT_EQ(back.type_index(), kTVMFFIList);
  EXPECT_TRUE(StructuralEqual::Equal(back, list));
  EXPECT_NE(StructuralHash::Hash(list),
            StructuralHash::Hash(Array<Any>{1, String("a"), Array<Any>{2.5}}));
  EXPECT_FALSE(StructuralEqual::Equal(list, Array<Any>{1, String("a"), List<Any>{2.5}}));
}

// ---- lists created or grown by another binary ----

/*! \brief A "foreign" creator's deleter: counts calls, releases with the global operator. */
int g_foreign_deleter_calls = 0;
void ForeignDeleter(void* data) {
  ++g_foreign_deleter_calls;
  ::operator delete(data);
}

TEST(List, RuntimeGrowsAListKeepingTheCreatorsDeleter) {
  g_foreign_deleter_calls = 0;
  {
    List<int> list;
    // make the list look as if another binary created it (its own deleter, its own buffer)
    TVMFFISeqCell* cell = SeqCellOf(list);
    cell->data_deleter = ForeignDeleter;
    cell->data = ::operator new(2 * sizeof(TVMFFIAny));
    cell->capacity = 2;
    for (int i = 0; i < 2; ++i) {
      new (static_cast<Any*>(cell->data) + i) Any(i);
      ++cell->size;
    }
    // the runtime appends past the capacity
    Function append = Global("ffi.ListAppend");
    for (int i = 2; i < 10; ++i) append(list, i);
    EXPECT_EQ(cell->data_deleter, ForeignDeleter);
    EXPECT_EQ(cell->capacity, 16);
    // buffers of capacity 2, 4 and 8 were released through the creator's deleter
    EXPECT_EQ(g_foreign_deleter_calls, 3);
    for (int i = 0; i < 10; ++i) EXPECT_EQ(list[i], i);
  }
  // destruction releases the last buffer through the same deleter
  EXPECT_EQ(g_foreign_deleter_calls, 4);
}

TEST(List, ForeignGrowthIsReadCorrectly) {
  // the list is ours; "another binary" grows it by the shared algorithm, with its own
  // buffer from the global operator new, and frees the old one through our deleter
  List<int> list{1, 2, 3};
  TVMFFISeqCell* cell = SeqCellOf(list);
  void* old = cell->data;
  void* fresh = ::operator new(8 * sizeof(TVMFFIAny));
  std::memcpy(fresh, old, 3 * sizeof(TVMFFIAny));  // cells are relocated bitwise
  cell->data_deleter(old);
  cell->data = fresh;
  cell->capacity = 8;
  static_cast<TVMFFIAny*>(fresh)[3] = TVMFFIAny{kTVMFFIInt, {0}, {4}};
  cell->size = 4;
  EXPECT_EQ(Global("ffi.ListSize")(list).cast<int64_t>(), 4);
  EXPECT_EQ(Global("ffi.ListGetItem")(list, 3).cast<int>(), 4);
  Global("ffi.ListAppend")(list, 5);
  EXPECT_EQ(cell->data, fresh) << "room was left: no reallocation";
  EXPECT_EQ(list.size(), 5);
}

TEST(List, BufferWithoutDeleterIsAClearError) {
  List<int> list{1};
  TVMFFISeqCell* cell = SeqCellOf(list);
  void (*deleter)(void*) = cell->data_deleter;
  cell->data_deleter = nullptr;  // a producer that broke the storage contract
  EXPECT_FFI_ERROR("RuntimeError", "cannot grow an ffi.List whose buffer has no data_deleter",
                   list.push_back(2));
  EXPECT_EQ(list.size(), 1);
  EXPECT_EQ(list[0], 1);
  cell->data_deleter = deleter;
}

TEST(List, ElementsAreReleasedOnDestruction) {
  List<int> inner{1};
  {
    List<Any> outer;
    for (int i = 0; i < 5; ++i) outer.push_back(inner);
    EXPECT_EQ(inner.use_count(), 6);
  }
  EXPECT_EQ(inner.use_count(), 1);
}

}  // namespace
