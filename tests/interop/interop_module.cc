/*!
 * \file interop_module.cc
 * \brief The cross-loading test module: ONE source, compiled against the headers of either side
 *        (ours from `packages/tvm-ffi`, or the PyPI peer `apache-tvm-ffi` 0.1.x) and loaded by the
 *        OTHER side's runtime (see ../../ci/interop.py and docs/interop.md).
 *
 * Only the public C++ API of TVM FFI 0.1.0 is used, so the same text builds with both header
 * sets. Everything is exported through `TVM_FFI_DLL_EXPORT_TYPED_FUNC` (symbols
 * `__tvm_ffi_<name>`), except the reflected type `interop.Point` and the global functions
 * `interop.*`, which are registered when the library is loaded (TVM_FFI_STATIC_INIT_BLOCK).
 *
 * Objects created here count their own construction and destruction in `g_counters`; the test
 * driver reads them with `counters()` to prove that whatever crossed the boundary was freed by
 * the runtime of the other side through this module's deleters.
 */
#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/container/shape.h>
#include <tvm/ffi/container/tensor.h>
#include <tvm/ffi/dtype.h>
#include <tvm/ffi/error.h>
#include <tvm/ffi/extra/c_env_api.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/optional.h>
#include <tvm/ffi/reflection/registry.h>
#include <tvm/ffi/string.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace interop {

namespace ffi = ::tvm::ffi;
namespace refl = ::tvm::ffi::reflection;
using ffi::Any;
using ffi::AnyView;
using ffi::Array;
using ffi::Bytes;
using ffi::Function;
using ffi::Map;
using ffi::Optional;
using ffi::Shape;
using ffi::String;
using ffi::Tensor;
using ffi::TensorView;

// ------------------------------------------------------------------------------------------
// Counters of objects created by this module (read by the driver through `counters()`).
// ------------------------------------------------------------------------------------------
enum Counter : int {
  kPointsMade,
  kPointsFreed,
  kClosuresMade,
  kClosuresFreed,
  kNDAllocs,
  kNDFrees,
  kDLPackMade,
  kDLPackDeleted,
  kNumCounters
};
const char* const kCounterNames[kNumCounters] = {"points_made",    "points_freed",  "closures_made",
                                                 "closures_freed", "nd_allocs",     "nd_frees",
                                                 "dlpack_made",    "dlpack_deleted"};
std::atomic<int64_t> g_counters[kNumCounters];

void Bump(Counter c) { g_counters[c].fetch_add(1, std::memory_order_relaxed); }

Map<String, int64_t> Counters() {
  Map<String, int64_t> out;
  for (int i = 0; i < kNumCounters; ++i) {
    out.Set(kCounterNames[i], g_counters[i].load(std::memory_order_relaxed));
  }
  return out;
}

// ------------------------------------------------------------------------------------------
// POD values, strings, bytes, None/Optional
// ------------------------------------------------------------------------------------------
int64_t AddInt(int64_t a, int64_t b) { return a + b; }

int32_t NegateI32(int32_t x) { return -x; }

double MulFloat(double a, double b) { return a * b; }

float HalfF32(float x) { return x / 2.0f; }

bool NotBool(bool x) { return !x; }

// Echo with a suffix, so that the result is a string created on THIS side: short results stay
// small (SmallStr cells), long ones become heap objects allocated by this module.
String StrConcat(String a, String b) { return a + b; }

int64_t StrLen(String s) { return static_cast<int64_t>(s.size()); }

String StrRepeat(String s, int64_t n) {
  std::string out;
  for (int64_t i = 0; i < n; ++i) out.append(s.data(), s.size());
  return String(out);
}

Bytes BytesReverse(Bytes b) {
  std::string s(b.data(), b.size());
  std::string r(s.rbegin(), s.rend());
  return Bytes(r);
}

int64_t BytesSum(Bytes b) {
  int64_t sum = 0;
  for (size_t i = 0; i < b.size(); ++i) sum += static_cast<unsigned char>(b.data()[i]);
  return sum;
}

void ReturnNone() {}

bool IsNone(AnyView x) { return x.type_index() == ffi::TypeIndex::kTVMFFINone; }

Optional<int64_t> OptDouble(Optional<int64_t> x) {
  if (!x.has_value()) return Optional<int64_t>(std::nullopt);
  return *x * 2;
}

Optional<String> OptGreet(Optional<String> name) {
  if (!name.has_value()) return Optional<String>(std::nullopt);
  return String("hello ") + *name;
}

// Any in, Any out: whatever the other side sent comes back unchanged.
Any Echo(Any x) { return x; }

// ------------------------------------------------------------------------------------------
// Array and Map
// ------------------------------------------------------------------------------------------
int64_t ArraySum(Array<int64_t> xs) {
  int64_t sum = 0;
  for (int64_t x : xs) sum += x;
  return sum;
}

// A mixed array made here (ints, floats, bools, short and long strings, None, nested array).
Array<Any> ArrayMake() {
  Array<Any> out;
  out.push_back(1);
  out.push_back(2.5);
  out.push_back(true);
  out.push_back(String("abc"));
  out.push_back(String("a string longer than seven bytes"));
  out.push_back(Any(nullptr));
  out.push_back(Array<int64_t>{7, 8, 9});
  return out;
}

// Appends to a copy: the caller's array must be left unchanged (copy-on-write, since the
// argument holds a second reference).
Array<Any> ArrayAppend(Array<Any> xs, Any x) {
  xs.push_back(x);
  return xs;
}

// Capacities seen while push_back grows a fresh array n times (layout contract: 4, 8, 16 ...).
Array<int64_t> ArrayCapacities(int64_t n) {
  Array<int64_t> arr;
  Array<int64_t> caps;
  for (int64_t i = 0; i < n; ++i) {
    arr.push_back(i);
    caps.push_back(static_cast<int64_t>(arr.capacity()));
  }
  return caps;
}

int64_t MapGet(Map<String, int64_t> m, String key) {
  auto it = m.find(key);
  if (it == m.end()) {
    TVM_FFI_THROW(KeyError) << "key '" << key << "' is not in the map";
  }
  return (*it).second;
}

// key_0 .. key_{n-1} -> 0 .. n-1, built by incremental Set (small for n <= 4, dense beyond).
Map<String, int64_t> MapMake(int64_t n) {
  Map<String, int64_t> out;
  for (int64_t i = 0; i < n; ++i) out.Set("key_" + std::to_string(i), i);
  return out;
}

// Keys in iteration order (insertion order on both sides).
Array<String> MapKeys(Map<String, int64_t> m) {
  Array<String> out;
  for (const auto& kv : m) out.push_back(kv.first);
  return out;
}

Map<int64_t, String> MapInvert(Map<String, int64_t> m) {
  Map<int64_t, String> out;
  for (const auto& kv : m) out.Set(kv.second, kv.first);
  return out;
}

// Sets a key on the received map: the caller's map must be unchanged (copy-on-write).
Map<String, int64_t> MapWith(Map<String, int64_t> m, String key, int64_t value) {
  m.Set(key, value);
  return m;
}

// A map whose keys are of every kind that hashes differently (layouts.md §2.5): Int 1, Bool
// true, Float 1.0, a small string, a long string object, Bytes, None, plus 20 filler keys that
// make it dense. The host looks each key up with ITS hash/equality code.
Map<Any, Any> MapMixedKeys() {
  Map<Any, Any> out;
  out.Set(Any(1), String("int"));
  out.Set(Any(true), String("bool"));
  out.Set(Any(1.0), String("float"));
  out.Set(Any(String("abc")), String("small str"));
  out.Set(Any(String("a key longer than 8 bytes")), String("long str"));
  out.Set(Any(Bytes("abc", 3)), String("bytes"));
  out.Set(Any(nullptr), String("none"));
  for (int i = 0; i < 20; ++i) out.Set(Any(String("filler_" + std::to_string(i))), Any(i));
  return out;
}

// Looks keys made HERE up in a map made by the host: "abc" as a small cell and as a heap object
// (std::string&& always makes an object) must find the same entry.
Array<Any> MapProbe(Map<Any, Any> m) {
  Array<Any> keys{Any(1),
                  Any(String("abc")),
                  Any(String(std::string("abc"))),
                  Any(String("a key longer than 8 bytes")),
                  Any(Bytes("abc", 3)),
                  Any(nullptr),
                  Any(2.5),
                  Any(String("missing"))};
  Array<Any> out;
  for (const Any& key : keys) {
    auto it = m.find(key);
    out.push_back(it == m.end() ? Any(String("<missing>")) : (*it).second);
  }
  return out;
}

// A heap string object holding fewer than 8 bytes (the rvalue std::string constructor).
String StrShortObject(String s) { return String(std::string(s.data(), s.size())); }

Bytes BytesShortObject(Bytes b) { return Bytes(std::string(b.data(), b.size())); }

// ------------------------------------------------------------------------------------------
// Shape, DLDevice, DLDataType
// ------------------------------------------------------------------------------------------
Shape ShapeRange(int64_t n) {
  std::vector<int64_t> dims;
  for (int64_t i = 0; i < n; ++i) dims.push_back(i + 1);
  return Shape(dims);
}

int64_t ShapeProduct(Shape s) { return s.Product(); }

DLDevice DeviceNext(DLDevice d) {
  d.device_id += 1;
  return d;
}

Array<int64_t> DeviceParts(DLDevice d) { return Array<int64_t>{d.device_type, d.device_id}; }

// Doubles the lane count: a dtype made here.
DLDataType DTypeWidenLanes(DLDataType t) {
  t.lanes = static_cast<uint16_t>(t.lanes * 2);
  return t;
}

String DTypeToString(DLDataType t) { return ffi::DLDataTypeToString(t); }

DLDataType DTypeFromString(String s) { return ffi::StringToDLDataType(s); }

// ------------------------------------------------------------------------------------------
// Tensors
// ------------------------------------------------------------------------------------------
// Everything a kernel reads from a TensorView: ndim, shape, strides, dtype, device, offset.
Array<Any> TensorInfo(TensorView t) {
  Array<int64_t> shape;
  Array<int64_t> strides;
  for (int32_t i = 0; i < t.ndim(); ++i) {
    shape.push_back(t.size(i));
    strides.push_back(t.stride(i));
  }
  return Array<Any>{Any(t.ndim()),  Any(shape),      Any(strides),
                    Any(t.dtype()), Any(t.device()), Any(static_cast<int64_t>(t.byte_offset()))};
}

double SumF32(TensorView t) {
  TVM_FFI_ICHECK(t.dtype() == DLDataType({kDLFloat, 32, 1})) << "SumF32 needs float32";
  TVM_FFI_ICHECK(t.IsContiguous()) << "SumF32 needs a contiguous tensor";
  const float* data =
      reinterpret_cast<const float*>(static_cast<const char*>(t.data_ptr()) + t.byte_offset());
  double sum = 0;
  for (int64_t i = 0; i < t.numel(); ++i) sum += data[i];
  return sum;
}

// The quick-start kernel: y = x + 1 (float32, 1-D).
void AddOne(TensorView x, TensorView y) {
  TVM_FFI_ICHECK_EQ(x.ndim(), 1) << "x must be a 1-D tensor";
  TVM_FFI_ICHECK(x.dtype() == DLDataType({kDLFloat, 32, 1})) << "x must be float32";
  TVM_FFI_ICHECK_EQ(x.size(0), y.size(0)) << "x and y must have the same size";
  const float* xp = static_cast<const float*>(x.data_ptr());
  float* yp = static_cast<float*>(y.data_ptr());
  for (int64_t i = 0; i < x.size(0); ++i) yp[i] = xp[i] + 1.0f;
}

// Holding a Tensor (not a view): the argument keeps a reference while the call runs.
int64_t TensorUseCount(Tensor t) { return t.use_count(); }

// A malloc-backed allocator made in this module; its frees are counted.
struct CountingAlloc {
  void AllocData(DLTensor* t) {
    size_t bytes = ffi::GetDataSize(*t);
    t->data = std::malloc(bytes == 0 ? 1 : bytes);
    Bump(kNDAllocs);
  }
  void FreeData(DLTensor* t) {
    std::free(t->data);
    Bump(kNDFrees);
  }
};

// A new float32 tensor [0, 1, ..., n-1] + start, allocated here with FromNDAlloc.
Tensor ArangeNDAlloc(int64_t n, double start) {
  Tensor t = Tensor::FromNDAlloc(CountingAlloc(), ffi::Shape({n}), DLDataType({kDLFloat, 32, 1}),
                                 DLDevice({kDLCPU, 0}));
  float* data = static_cast<float*>(t.data_ptr());
  for (int64_t i = 0; i < n; ++i) data[i] = static_cast<float>(start + i);
  return t;
}

// A (rows, cols) int32 tensor on `like`'s device, allocated through the environment allocator
// (TVMFFIEnvTensorAlloc) that the caller's framework installs for the call when `like` comes from
// it (torch), filled with i*cols + j. Fails (an error, not a crash) when no allocator is
// installed (e.g. a numpy argument).
Tensor MatrixEnvAlloc(TensorView like, int64_t rows, int64_t cols) {
  Tensor t = Tensor::FromEnvAlloc(TVMFFIEnvTensorAlloc, ffi::Shape({rows, cols}),
                                  DLDataType({kDLInt, 32, 1}), like.device());
  int32_t* data = static_cast<int32_t*>(t.data_ptr());
  for (int64_t i = 0; i < rows * cols; ++i) data[i] = static_cast<int32_t>(i);
  return t;
}

// A DLPack producer living in this module: the DLManagedTensor's deleter is counted.
struct OwnedBuffer {
  int64_t shape[2];
  double* data;
};

void DeleteManaged(DLManagedTensor* self) {
  OwnedBuffer* buf = static_cast<OwnedBuffer*>(self->manager_ctx);
  std::free(buf->data);
  delete buf;
  delete self;
  Bump(kDLPackDeleted);
}

// A (2, n) float64 tensor [[0..n-1], [n..2n-1]] imported with Tensor::FromDLPack (header code).
// The producer passes NULL strides, so the importer must synthesise compact ones.
Tensor FromDLPackMatrix(int64_t n) {
  OwnedBuffer* buf = new OwnedBuffer();
  buf->shape[0] = 2;
  buf->shape[1] = n;
  buf->data = static_cast<double*>(std::malloc(sizeof(double) * 2 * (n == 0 ? 1 : n)));
  for (int64_t i = 0; i < 2 * n; ++i) buf->data[i] = static_cast<double>(i);
  DLManagedTensor* managed = new DLManagedTensor();
  managed->dl_tensor.data = buf->data;
  managed->dl_tensor.device = DLDevice({kDLCPU, 0});
  managed->dl_tensor.ndim = 2;
  managed->dl_tensor.dtype = DLDataType({kDLFloat, 64, 1});
  managed->dl_tensor.shape = buf->shape;
  managed->dl_tensor.strides = nullptr;
  managed->dl_tensor.byte_offset = 0;
  managed->manager_ctx = buf;
  managed->deleter = DeleteManaged;
  Bump(kDLPackMade);
  return Tensor::FromDLPack(managed);
}

// Exports the caller's tensor through versioned DLPack (header code of this module) and imports
// it again: the new tensor object belongs to this module, shares the data and keeps the
// caller's tensor alive until it dies.
Tensor TensorReimport(Tensor t) { return Tensor::FromDLPackVersioned(t.ToDLPackVersioned()); }

// ------------------------------------------------------------------------------------------
// Functions: callbacks and closures
// ------------------------------------------------------------------------------------------
Any Apply(Function f, Any x) { return f(x); }

// Calls f(i) for i in [0, n) and sums the int results: n cross calls in one go.
int64_t ApplyN(Function f, int64_t n) {
  int64_t sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += f(i).cast<int64_t>();
  return sum;
}

// Calls f with one value of each kind, so that the callee (the other side) converts them.
Any ApplyMixed(Function f) {
  return f(1, 2.5, true, String("short"), String("a long string crossing back"), nullptr,
           Array<int64_t>{1, 2}, DLDevice({kDLCPU, 3}), DLDataType({kDLFloat, 16, 1}));
}

// State captured by closures; its destruction is counted.
struct ClosureState {
  int64_t k;
  explicit ClosureState(int64_t k) : k(k) { Bump(kClosuresMade); }
  ClosureState(const ClosureState& other) : k(other.k) { Bump(kClosuresMade); }
  ~ClosureState() { Bump(kClosuresFreed); }
};

Function MakeAdder(int64_t k) {
  auto state = std::make_shared<ClosureState>(k);
  return Function::FromTyped([state](int64_t x) { return x + state->k; }, "adder");
}

// A closure that itself calls back into a function of the other side.
Function Compose(Function f, Function g) {
  return Function::FromTyped([f, g](Any x) -> Any { return f(g(x)); }, "composed");
}

// Global registry access from module code: lookup of a function registered by the host.
Any CallGlobal(String name, Any x) {
  std::optional<Function> f = Function::GetGlobal(name);
  if (!f.has_value()) TVM_FFI_THROW(ValueError) << "no global function '" << name << "'";
  return (*f)(x);
}

// ListGlobalNames goes through the runtime's `ffi.FunctionListGlobalNamesFunctor` protocol.
bool GlobalNamesContain(String name) {
  for (const String& n : Function::ListGlobalNames()) {
    if (n == name) return true;
  }
  return false;
}

// ------------------------------------------------------------------------------------------
// Errors
// ------------------------------------------------------------------------------------------
void ThrowValueError(String msg) { TVM_FFI_THROW(ValueError) << "interop: " << msg; }

int64_t CheckPositive(int64_t x) {
  TVM_FFI_ICHECK(x > 0) << "x must be positive, got " << x;
  return x;
}

// A callback error must come back to the caller with its kind and message intact.
Any CallAndRethrow(Function f) { return f(); }

// Catches the callee's error inside C++ and reports what this side saw.
Array<String> CatchError(Function f) {
  try {
    f();
  } catch (const ffi::Error& err) {
    return Array<String>{err.kind(), err.message()};
  }
  return Array<String>{};
}

// ------------------------------------------------------------------------------------------
// A reflected object type, its factory and a global registered at load time
// ------------------------------------------------------------------------------------------
// Not final and without reserved child slots: instance checks for subclasses take the overflow
// path through the HOST runtime's type table (TVMFFIGetTypeInfo ancestors).
class PointObj : public ffi::Object {
 public:
  int64_t x;
  double y;
  String label;  // writable from the host (def_rw): the setter runs this module's code

  PointObj(int64_t x, double y, String label) : x(x), y(y), label(std::move(label)) {
    Bump(kPointsMade);
  }
  ~PointObj() { Bump(kPointsFreed); }

  double Norm() const { return std::sqrt(static_cast<double>(x) * x + y * y); }
  String Describe(String prefix) const { return prefix + label + "(" + std::to_string(x) + ")"; }

  static constexpr bool _type_mutable = true;
  TVM_FFI_DECLARE_OBJECT_INFO("interop.Point", PointObj, ffi::Object);
};

class Point3DObj : public PointObj {
 public:
  double z;
  Point3DObj(int64_t x, double y, double z, String label)
      : PointObj(x, y, std::move(label)), z(z) {}
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("interop.Point3D", Point3DObj, PointObj);
};

class Point : public ffi::ObjectRef {
 public:
  Point(int64_t x, double y, String label) {
    data_ = ffi::make_object<PointObj>(x, y, std::move(label));
  }
  TVM_FFI_DEFINE_OBJECT_REF_METHODS_NULLABLE(Point, ffi::ObjectRef, PointObj);
};

Point MakePoint(int64_t x, double y, String label) { return Point(x, y, std::move(label)); }

ffi::ObjectRef MakePoint3D(int64_t x, double y, double z, String label) {
  return ffi::ObjectRef(ffi::make_object<Point3DObj>(x, y, z, std::move(label)));
}

// Takes a Point: a Point3D made anywhere passes the inline instance check.
int64_t PointX(Point p) { return p->x; }

// The most derived type key as this module's header code sees it.
String TypeKeyOf(ffi::ObjectRef obj) { return String(obj->GetTypeKey()); }

// 1 if `obj` is a Point3D, 0 if it is another Point, -1 otherwise (inline `as<>` checks).
int64_t ClassifyPoint(ffi::ObjectRef obj) {
  if (obj.as<Point3DObj>() != nullptr) return 1;
  if (obj.as<PointObj>() != nullptr) return 0;
  return -1;
}

// use_count of any object as seen from this side (the AnyView argument holds no reference).
int64_t UseCount(AnyView x) {
  const ffi::Object* obj = x.as<ffi::Object>();
  TVM_FFI_ICHECK(obj != nullptr) << "UseCount needs an object";
  return static_cast<int64_t>(obj->use_count());
}

TVM_FFI_STATIC_INIT_BLOCK() {
  refl::ObjectDef<PointObj>()
      .def_ro("x", &PointObj::x)
      .def_ro("y", &PointObj::y)
      .def_rw("label", &PointObj::label)
      .def(refl::init<int64_t, double, String>())
      .def("norm", &PointObj::Norm)
      .def("describe", &PointObj::Describe)
      .def_static("origin", []() { return Point(0, 0.0, "origin"); });
  refl::ObjectDef<Point3DObj>()
      .def_ro("z", &Point3DObj::z)
      .def(refl::init<int64_t, double, double, String>());
  refl::GlobalDef()
      .def("interop.global_add", [](int64_t a, int64_t b) { return a + b; })
      .def("interop.make_point", MakePoint);
}

}  // namespace interop

TVM_FFI_DLL_EXPORT_TYPED_FUNC(counters, interop::Counters);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(add_int, interop::AddInt);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(negate_i32, interop::NegateI32);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(mul_float, interop::MulFloat);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(half_f32, interop::HalfF32);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(not_bool, interop::NotBool);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(str_concat, interop::StrConcat);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(str_len, interop::StrLen);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(str_repeat, interop::StrRepeat);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(bytes_reverse, interop::BytesReverse);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(bytes_sum, interop::BytesSum);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(return_none, interop::ReturnNone);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(is_none, interop::IsNone);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(opt_double, interop::OptDouble);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(opt_greet, interop::OptGreet);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(echo, interop::Echo);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(array_sum, interop::ArraySum);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(array_make, interop::ArrayMake);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(array_append, interop::ArrayAppend);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(array_capacities, interop::ArrayCapacities);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(map_get, interop::MapGet);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(map_make, interop::MapMake);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(map_keys, interop::MapKeys);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(map_invert, interop::MapInvert);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(map_with, interop::MapWith);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(shape_range, interop::ShapeRange);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(shape_product, interop::ShapeProduct);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(device_next, interop::DeviceNext);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(device_parts, interop::DeviceParts);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(dtype_widen_lanes, interop::DTypeWidenLanes);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(dtype_to_string, interop::DTypeToString);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(dtype_from_string, interop::DTypeFromString);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(tensor_info, interop::TensorInfo);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(sum_f32, interop::SumF32);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(add_one, interop::AddOne);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(tensor_use_count, interop::TensorUseCount);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(arange_ndalloc, interop::ArangeNDAlloc);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(matrix_env_alloc, interop::MatrixEnvAlloc);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(from_dlpack_matrix, interop::FromDLPackMatrix);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(apply, interop::Apply);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(apply_n, interop::ApplyN);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(apply_mixed, interop::ApplyMixed);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(make_adder, interop::MakeAdder);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(compose, interop::Compose);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(throw_value_error, interop::ThrowValueError);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(check_positive, interop::CheckPositive);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(call_and_rethrow, interop::CallAndRethrow);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(catch_error, interop::CatchError);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(make_point, interop::MakePoint);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(make_point3d, interop::MakePoint3D);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(point_x, interop::PointX);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(type_key_of, interop::TypeKeyOf);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(classify_point, interop::ClassifyPoint);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(map_mixed_keys, interop::MapMixedKeys);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(map_probe, interop::MapProbe);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(str_short_object, interop::StrShortObject);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(bytes_short_object, interop::BytesShortObject);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(tensor_reimport, interop::TensorReimport);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(call_global, interop::CallGlobal);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(global_names_contain, interop::GlobalNamesContain);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(use_count, interop::UseCount);
