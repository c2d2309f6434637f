// Micro-benchmarks of the C++ call path and of Any conversions.
#include <benchmark/benchmark.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/string.h>

namespace {

using tvm::ffi::Any;
using tvm::ffi::Function;
using tvm::ffi::String;

// f() on a typed function with no arguments, through the packed (safe_call) path.
void BM_PackedCallTyped0(benchmark::State& state) {
  Function f = Function::FromTyped([]() {});
  for (auto _ : state) {
    Any r = f();
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_PackedCallTyped0);

// f(1, 2, 3) on a typed function taking three ints.
void BM_PackedCallTyped3Int(benchmark::State& state) {
  Function f = Function::FromTyped([](int64_t a, int64_t b, int64_t c) { return a + b + c; });
  int64_t x = 1;
  for (auto _ : state) {
    benchmark::DoNotOptimize(x);
    Any r = f(x, 2, 3);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_PackedCallTyped3Int);

// The same call through a function fetched from the global registry.
void BM_GlobalTyped3Int(benchmark::State& state) {
  Function::SetGlobal(
      "bench.add3", Function::FromTyped([](int64_t a, int64_t b, int64_t c) { return a + b + c; }),
      true);
  Function f = Function::GetGlobalRequired("bench.add3");
  for (auto _ : state) {
    Any r = f(1, 2, 3);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_GlobalTyped3Int);

void BM_AnyFromInt(benchmark::State& state) {
  int64_t x = 42;
  for (auto _ : state) {
    benchmark::DoNotOptimize(x);
    Any a = x;
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_AnyFromInt);

void BM_AnyToInt(benchmark::State& state) {
  Any a = int64_t(42);
  for (auto _ : state) {
    benchmark::DoNotOptimize(a);
    int64_t v = a.cast<int64_t>();
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_AnyToInt);

// String <-> Any for a short (inline) and a long (heap) string.
void BM_AnyFromString(benchmark::State& state) {
  String s(std::string(static_cast<size_t>(state.range(0)), 'x'));
  for (auto _ : state) {
    Any a = s;
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_AnyFromString)->Arg(5)->Arg(64);

void BM_AnyToString(benchmark::State& state) {
  Any a = String(std::string(static_cast<size_t>(state.range(0)), 'x'));
  for (auto _ : state) {
    String s = a.cast<String>();
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_AnyToString)->Arg(5)->Arg(64);

}  // namespace
