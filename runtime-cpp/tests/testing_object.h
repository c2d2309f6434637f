/*!
 * \file testing_object.h
 * \brief Object types shared by the C++ runtime tests, with their reflection registration.
 *
 * Hierarchy (type keys in parentheses):
 *   TNumberObj ("test.Number", 2 reserved child slots, overflow allowed; Object is its
 *               SECOND base, after BasePad, so the header is not at the start of the object)
 *     TIntObj ("test.Int", final)       ref TInt     (nullable)
 *     TFloatObj ("test.Float", final)   ref TFloat   (not nullable)
 *     TComplexObj ("test.Complex")      the third child: it cannot fit in the two slots
 *   TMutableObj ("test.Mutable", mutable; default constructible)  ref TMutable
 *     TMutableDerivedObj ("test.MutableDerived", final)
 *   TPrimExprObj ("test.PrimExpr")  ref TPrimExpr with fallback conversions from
 *                                   bool / int / float / str
 *   TVarObj ("test.Var", FreeVar), TFuncObj ("test.Func", TreeNode)
 *
 * Every translation unit that includes this header runs RegisterTestingObjects() from a
 * static initializer; the registration itself happens once per process. A failure is
 * recorded (TestingRegistrationError()) instead of aborting the test binary.
 */
#ifndef TVM_FFI_TESTS_TESTING_OBJECT_H_
#define TVM_FFI_TESTS_TESTING_OBJECT_H_

#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/memory.h>
#include <tvm/ffi/object.h>
#include <tvm/ffi/optional.h>
#include <tvm/ffi/reflection/registry.h>
#include <tvm/ffi/string.h>

#include <cstdint>
#include <string>
#include <utility>

namespace tvm_ffi_test {

namespace ffi = ::tvm::ffi;

/*! \brief A non-object base placed BEFORE Object in TNumberObj's base list. */
struct BasePad {
  int64_t pad_a = 0x5A5A;
  int64_t pad_b = 0x6B6B;
};

class TNumberObj : public BasePad, public ffi::Object {
 public:
  static constexpr uint32_t _type_child_slots = 2;
  TVM_FFI_DECLARE_OBJECT_INFO("test.Number", TNumberObj, ffi::Object);
};

class TNumber : public ffi::ObjectRef {
 public:
  TVM_FFI_DEFINE_OBJECT_REF_METHODS_NULLABLE(TNumber, ffi::ObjectRef, TNumberObj);
};

class TIntObj : public TNumberObj {
 public:
  /*! \brief What the UnsafeInit constructor (the reflection creator) leaves in `value`. */
  static constexpr int64_t kUnsafeInitValue = -7;

  int64_t value;

  explicit TIntObj(int64_t v) : value(v) {}
  explicit TIntObj(ffi::UnsafeInit) : value(kUnsafeInitValue) {}

  int64_t GetValue() const { return value; }
  int64_t Negate() const noexcept { return -value; }
  /*! \brief A non-const member function on an immutable type. */
  int64_t AddInPlace(int64_t delta) {
    value += delta;
    return value;
  }

  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("test.Int", TIntObj, TNumberObj);
};

class TInt : public TNumber {
 public:
  explicit TInt(int64_t value) : TNumber(ffi::make_object<TIntObj>(value)) {}
  /*! \brief A member function of the reference class. */
  int64_t Add(int64_t other) const { return get()->value + other; }

  TVM_FFI_DEFINE_OBJECT_REF_METHODS_NULLABLE(TInt, TNumber, TIntObj);
};

class TFloatObj : public TNumberObj {
 public:
  double value;
  explicit TFloatObj(double v) : value(v) {}

  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("test.Float", TFloatObj, TNumberObj);
};

class TFloat : public TNumber {
 public:
  explicit TFloat(double value) : TNumber(ffi::UnsafeInit{}) {
    data_ = ffi::make_object<TFloatObj>(value);
  }

  TVM_FFI_DEFINE_OBJECT_REF_METHODS_NOTNULLABLE(TFloat, TNumber, TFloatObj);
};

class TComplexObj : public TNumberObj {
 public:
  double real = 0.0;
  double imag = 0.0;
  TComplexObj() = default;
  TComplexObj(double r, double i) : real(r), imag(i) {}

  // Child slots are inherited as static members: reset them for this (non-final) subclass.
  static constexpr uint32_t _type_child_slots = 0;
  TVM_FFI_DECLARE_OBJECT_INFO("test.Complex", TComplexObj, TNumberObj);
};

class TMutableObj : public ffi::Object {
 public:
  static constexpr int64_t kCppDefaultCount = 3;

  int64_t count = kCppDefaultCount;
  ffi::String name;
  double ratio = 0.0;
  ffi::Optional<ffi::String> note;
  TNumber number;

  TMutableObj() = default;
  TMutableObj(int64_t c, ffi::String n) : count(c), name(std::move(n)) {}

  int64_t Bump(int64_t by) {
    count += by;
    return count;
  }

  static constexpr bool _type_mutable = true;
  TVM_FFI_DECLARE_OBJECT_INFO("test.Mutable", TMutableObj, ffi::Object);
};

class TMutable : public ffi::ObjectRef {
 public:
  TVM_FFI_DEFINE_OBJECT_REF_METHODS_NULLABLE(TMutable, ffi::ObjectRef, TMutableObj);
};

class TMutableDerivedObj : public TMutableObj {
 public:
  ffi::Any extra;
  ffi::Array<int64_t> items;

  TMutableDerivedObj() = default;
  TMutableDerivedObj(int64_t c, ffi::String n, ffi::Any e)
      : TMutableObj(c, std::move(n)), extra(std::move(e)) {}

  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("test.MutableDerived", TMutableDerivedObj, TMutableObj);
};

class TPrimExprObj : public ffi::Object {
 public:
  ffi::String dtype;
  double value;
  TPrimExprObj(ffi::String d, double v) : dtype(std::move(d)), value(v) {}

  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("test.PrimExpr", TPrimExprObj, ffi::Object);
};

class TPrimExpr : public ffi::ObjectRef {
 public:
  TPrimExpr(ffi::String dtype, double value)
      : ffi::ObjectRef(ffi::make_object<TPrimExprObj>(std::move(dtype), value)) {}

  TVM_FFI_DEFINE_OBJECT_REF_METHODS_NOTNULLABLE(TPrimExpr, ffi::ObjectRef, TPrimExprObj);
};

class TVarObj : public ffi::Object {
 public:
  ffi::String name;
  explicit TVarObj(ffi::String n) : name(std::move(n)) {}

  static constexpr TVMFFISEqHashKind _type_s_eq_hash_kind = kTVMFFISEqHashKindFreeVar;
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("test.Var", TVarObj, ffi::Object);
};

class TVar : public ffi::ObjectRef {
 public:
  explicit TVar(ffi::String name) : ffi::ObjectRef(ffi::make_object<TVarObj>(std::move(name))) {}
  TVM_FFI_DEFINE_OBJECT_REF_METHODS_NOTNULLABLE(TVar, ffi::ObjectRef, TVarObj);
};

class TFuncObj : public ffi::Object {
 public:
  ffi::Array<TVar> params;
  ffi::Array<ffi::Any> body;
  ffi::Optional<ffi::String> comment;

  TFuncObj(ffi::Array<TVar> p, ffi::Array<ffi::Any> b, ffi::Optional<ffi::String> c)
      : params(std::move(p)), body(std::move(b)), comment(std::move(c)) {}

  static constexpr TVMFFISEqHashKind _type_s_eq_hash_kind = kTVMFFISEqHashKindTreeNode;
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("test.Func", TFuncObj, ffi::Object);
};

class TFunc : public ffi::ObjectRef {
 public:
  TFunc(ffi::Array<TVar> params, ffi::Array<ffi::Any> body, ffi::Optional<ffi::String> comment)
      : ffi::ObjectRef(
            ffi::make_object<TFuncObj>(std::move(params), std::move(body), std::move(comment))) {}
  TVM_FFI_DEFINE_OBJECT_REF_METHODS_NOTNULLABLE(TFunc, ffi::ObjectRef, TFuncObj);
};

}  // namespace tvm_ffi_test

namespace tvm {
namespace ffi {

// TPrimExpr opts into the default ObjectRef traits explicitly and then replaces them with a
// full specialisation that also accepts bool / int / float / str values.
template <>
inline constexpr bool use_default_type_traits_v<tvm_ffi_test::TPrimExpr> = true;

template <>
struct TypeTraits<tvm_ffi_test::TPrimExpr>
    : public ObjectRefWithFallbackTraitsBase<tvm_ffi_test::TPrimExpr, StrictBool, int64_t, double,
                                             String> {
  static tvm_ffi_test::TPrimExpr ConvertFallbackValue(StrictBool value) {
    return tvm_ffi_test::TPrimExpr("bool", static_cast<bool>(value) ? 1.0 : 0.0);
  }
  static tvm_ffi_test::TPrimExpr ConvertFallbackValue(int64_t value) {
    return tvm_ffi_test::TPrimExpr("int64", static_cast<double>(value));
  }
  static tvm_ffi_test::TPrimExpr ConvertFallbackValue(double value) {
    return tvm_ffi_test::TPrimExpr("float32", value);
  }
  static tvm_ffi_test::TPrimExpr ConvertFallbackValue(String value) {
    return tvm_ffi_test::TPrimExpr(std::move(value), 0.0);
  }
};

}  // namespace ffi
}  // namespace tvm

namespace tvm_ffi_test {

/*! \brief Empty when the registration succeeded, else the error it raised. */
inline std::string& TestingRegistrationError() {
  static std::string error;
  return error;
}

/*! \brief Register reflection for every test type (once per process). */
inline void RegisterTestingObjects() {
  static bool done = [] {
    namespace refl = ::tvm::ffi::reflection;
    try {
      refl::ObjectDef<TNumberObj>("Base of the test numbers")
          .def_ro("pad", &BasePad::pad_a, refl::DefaultValue(0x5A5A));

      refl::ObjectDef<TIntObj>("An integer number")
          .def_ro("value", &TIntObj::value, "the integer value")
          .def(refl::init<int64_t>(), "Construct from a value")
          .def("get_value", &TIntObj::GetValue, "read the value")
          .def("add", &TInt::Add, "value + other")
          .def("add_in_place", &TIntObj::AddInPlace)
          .def("times", [](const TIntObj* self, int64_t k) { return self->value * k; })
          .def("plus", [](TInt self, TInt other) { return TInt(self->value + other->value); })
          .def_static(
              "from_sum", [](int64_t a, int64_t b) { return TInt(a + b); }, "sum of two ints",
              refl::Metadata{{"pure", true}});

      refl::ObjectDef<TFloatObj>().def_ro("value", &TFloatObj::value).def(refl::init<double>());

      refl::ObjectDef<TComplexObj>()
          .def_ro("real", &TComplexObj::real, refl::DefaultValue(0.0))
          .def_ro("imag", &TComplexObj::imag, refl::DefaultValue(0.0));

      refl::ObjectDef<TMutableObj>("A mutable test object")
          .def_rw("count", &TMutableObj::count, "a counter", refl::DefaultValue(10),
                  refl::Metadata{{"min", 0}, {"unit", "items"}, {"visible", true}})
          .def_rw("name", &TMutableObj::name, refl::DefaultValue("x"))
          .def_ro("ratio", &TMutableObj::ratio)
          .def_rw("note", &TMutableObj::note, refl::DefaultValue(nullptr))
          .def_rw("number", &TMutableObj::number, refl::DefaultValue(nullptr))
          .def(refl::init<int64_t, ffi::String>())
          .def("bump", &TMutableObj::Bump, "add to the counter")
          .def_static("make_named", [](ffi::String name) {
            return TMutable(ffi::make_object<TMutableObj>(1, std::move(name)));
          });

      refl::ObjectDef<TMutableDerivedObj>()
          .def_rw("extra", &TMutableDerivedObj::extra)
          .def_rw("items", &TMutableDerivedObj::items, refl::DefaultValue(ffi::Array<int64_t>()))
          .def(refl::init<int64_t, ffi::String, ffi::Any>());

      refl::ObjectDef<TPrimExprObj>()
          .def_ro("dtype", &TPrimExprObj::dtype)
          .def_ro("value", &TPrimExprObj::value);

      refl::ObjectDef<TVarObj>().def_ro("name", &TVarObj::name,
                                        refl::AttachFieldFlag::SEqHashIgnore());
      refl::ObjectDef<TFuncObj>()
          .def_ro("params", &TFuncObj::params, refl::AttachFieldFlag::SEqHashDef())
          .def_ro("body", &TFuncObj::body)
          .def_ro("comment", &TFuncObj::comment, refl::AttachFieldFlag::SEqHashIgnore());

      refl::TypeAttrDef<TIntObj>().def("test.GetValue", &TIntObj::GetValue).attr("test.size", 1);
      refl::TypeAttrDef<TFloatObj>().def("test.GetValue",
                                         [](const TFloatObj* self) { return self->value; });
      refl::EnsureTypeAttrColumn("test.never_set");
    } catch (const std::exception& err) {
      TestingRegistrationError() = err.what();
    }
    return true;
  }();
  (void)done;
}

TVM_FFI_STATIC_INIT_BLOCK() { RegisterTestingObjects(); }

}  // namespace tvm_ffi_test

#endif  // TVM_FFI_TESTS_TESTING_OBJECT_H_
