// Micro-benchmarks of the containers' hot operations.
#include <benchmark/benchmark.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/dict.h>
#include <tvm/ffi/container/list.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/string.h>

#include <string>
#include <vector>

namespace {

using tvm::ffi::Array;
using tvm::ffi::Dict;
using tvm::ffi::List;
using tvm::ffi::Map;
using tvm::ffi::String;

// Lookup of an existing string key in a map of N entries (small map at 4, dense above).
void BM_MapLookupString(benchmark::State& state) {
  const int64_t n = state.range(0);
  Map<String, int64_t> m;
  std::vector<String> keys;
  for (int64_t i = 0; i < n; ++i) {
    keys.emplace_back("key_" + std::to_string(i));
    m.Set(keys.back(), i);
  }
  size_t i = 0;
  for (auto _ : state) {
    int64_t v = m.at(keys[i]);
    benchmark::DoNotOptimize(v);
    if (++i == keys.size()) i = 0;
  }
}
BENCHMARK(BM_MapLookupString)->Arg(10)->Arg(10000);

// The same lookup in a Dict (same storage and algorithms, in-place discipline).
void BM_DictLookupString(benchmark::State& state) {
  const int64_t n = state.range(0);
  Dict<String, int64_t> d;
  std::vector<String> keys;
  for (int64_t i = 0; i < n; ++i) {
    keys.emplace_back("key_" + std::to_string(i));
    d.Set(keys.back(), i);
  }
  size_t i = 0;
  for (auto _ : state) {
    int64_t v = d.at(keys[i]);
    benchmark::DoNotOptimize(v);
    if (++i == keys.size()) i = 0;
  }
}
BENCHMARK(BM_DictLookupString)->Arg(10)->Arg(10000);

// push_back into a unique array (amortised growth), per element.
void BM_ArrayPushBack(benchmark::State& state) {
  for (auto _ : state) {
    Array<int64_t> arr;
    for (int64_t i = 0; i < 1000; ++i) arr.push_back(i);
    benchmark::DoNotOptimize(arr);
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_ArrayPushBack);

// push_back into a list (separate buffer, growth x2 from capacity 0), per element.
void BM_ListPushBack(benchmark::State& state) {
  for (auto _ : state) {
    List<int64_t> list;
    for (int64_t i = 0; i < 1000; ++i) list.push_back(i);
    benchmark::DoNotOptimize(list);
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_ListPushBack);

}  // namespace
