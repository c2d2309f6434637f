/*!
 * \file test_reflection.cc
 * \brief Reflection: registry.h (GlobalDef, ObjectDef, TypeAttrDef, metadata JSON), accessor.h
 *        (field/method lookup, getters/setters, attribute columns, field iteration),
 *        creator.h (ObjectCreator) and the global `ffi.MakeObjectFromPackedArgs`.
 */
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/reflection/accessor.h>
#include <tvm/ffi/reflection/creator.h>
#include <tvm/ffi/reflection/registry.h>
#include <tvm/ffi/string.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "test_utils.h"
#include "testing_object.h"

namespace {

using namespace tvm::ffi;
using namespace tvm_ffi_test;
namespace refl = tvm::ffi::reflection;

const TVMFFITypeInfo* InfoOf(int32_t type_index) { return TVMFFIGetTypeInfo(type_index); }

std::string GlobalMetadata(const char* name) {
  return Function::GetGlobalRequired("ffi.GetGlobalFuncMetadata")(name).cast<String>();
}

/*! \brief JSON metadata as stored: {"type_schema":"<escaped schema>"...}. */
std::string SchemaOnlyMetadata(const std::string& schema) {
  return std::string("{\"type_schema\":") + std::string(EscapeStringJSON(String(schema))) + "}";
}

// ------------------------------------------------------------------------------------------
// Registration itself
// ------------------------------------------------------------------------------------------

TEST(ReflectionSetup, TestingObjectsRegisteredWithoutError) {
  EXPECT_EQ(TestingRegistrationError(), "");
}

// ------------------------------------------------------------------------------------------
// Field offsets and field info
// ------------------------------------------------------------------------------------------

TEST(ReflectionField, ByteOffsetIsMeasuredFromTheObjectHeader) {
  ObjectPtr<TIntObj> obj = make_object<TIntObj>(5);
  const char* header = reinterpret_cast<const char*>(details::ObjectUnsafe::GetHeader(obj.get()));
  // Object is the second base of TNumberObj: the header is not at the start of the object.
  EXPECT_EQ(header - reinterpret_cast<const char*>(obj.get()),
            static_cast<std::ptrdiff_t>(sizeof(BasePad)));
  int64_t value_offset = refl::GetFieldByteOffsetToObject(&TIntObj::value);
  EXPECT_EQ(value_offset, reinterpret_cast<const char*>(&obj->value) - header);
  EXPECT_EQ(value_offset, static_cast<int64_t>(sizeof(TVMFFIObject)));
  // A field of the non-object base lies BEFORE the header.
  int64_t pad_offset = refl::GetFieldByteOffsetToObject<TNumberObj, int64_t>(&BasePad::pad_a);
  EXPECT_EQ(pad_offset, -static_cast<int64_t>(sizeof(BasePad)));
  EXPECT_EQ(refl::GetFieldByteOffsetToObject(&TMutableObj::count),
            static_cast<int64_t>(sizeof(TVMFFIObject)));
}

TEST(ReflectionField, InfoOfReadOnlyField) {
  const TVMFFIFieldInfo* info = refl::GetFieldInfo("test.Int", "value");
  EXPECT_EQ(ToStd(info->name), "value");
  EXPECT_EQ(ToStd(info->doc), "the integer value");
  EXPECT_EQ(info->flags, 0);
  EXPECT_EQ(info->size, 8);
  EXPECT_EQ(info->alignment, 8);
  EXPECT_EQ(info->offset, 24);
  EXPECT_EQ(info->field_static_type_index, kTVMFFIInt);
  EXPECT_NE(info->getter, nullptr);
  EXPECT_NE(info->setter, nullptr);  // setters exist for read-only fields too
  EXPECT_EQ(info->default_value_or_factory.type_index, kTVMFFINone);
  EXPECT_EQ(ToStd(info->metadata), R"({"type_schema":"{\"type\":\"int\"}"})");
}

TEST(ReflectionField, InfoOfWritableFieldsWithDefaultsAndMetadata) {
  const TVMFFIFieldInfo* count = refl::GetFieldInfo("test.Mutable", "count");
  EXPECT_EQ(count->flags, kTVMFFIFieldFlagBitMaskWritable | kTVMFFIFieldFlagBitMaskHasDefault);
  EXPECT_EQ(ToStd(count->doc), "a counter");
  EXPECT_EQ(count->default_value_or_factory.type_index, kTVMFFIInt);
  EXPECT_EQ(count->default_value_or_factory.v_int64, 10);
  EXPECT_EQ(ToStd(count->metadata),
            R"({"type_schema":"{\"type\":\"int\"}","min":0,"unit":"items","visible":true})");

  const TVMFFIFieldInfo* name = refl::GetFieldInfo("test.Mutable", "name");
  EXPECT_EQ(name->flags, kTVMFFIFieldFlagBitMaskWritable | kTVMFFIFieldFlagBitMaskHasDefault);
  EXPECT_EQ(AnyView::CopyFromTVMFFIAny(name->default_value_or_factory).cast<String>(), "x");
  EXPECT_EQ(name->doc.size, 0u);
  EXPECT_EQ(name->field_static_type_index, kTVMFFIStr);
  EXPECT_EQ(ToStd(name->metadata), SchemaOnlyMetadata(R"({"type":"ffi.String"})"));

  const TVMFFIFieldInfo* ratio = refl::GetFieldInfo("test.Mutable", "ratio");
  EXPECT_EQ(ratio->flags, 0);  // def_ro, no default
  EXPECT_EQ(ratio->field_static_type_index, kTVMFFIFloat);

  const TVMFFIFieldInfo* note = refl::GetFieldInfo("test.Mutable", "note");
  EXPECT_EQ(ToStd(note->metadata),
            SchemaOnlyMetadata(R"({"type":"Optional","args":[{"type":"ffi.String"}]})"));
  EXPECT_EQ(note->default_value_or_factory.type_index, kTVMFFINone);
  EXPECT_TRUE(note->flags & kTVMFFIFieldFlagBitMaskHasDefault);

  const TVMFFIFieldInfo* number = refl::GetFieldInfo("test.Mutable", "number");
  EXPECT_EQ(number->field_static_type_index, kTVMFFIObject);
  EXPECT_EQ(ToStd(number->metadata), SchemaOnlyMetadata(R"({"type":"test.Number"})"));

  const TVMFFIFieldInfo* items = refl::GetFieldInfo("test.MutableDerived", "items");
  EXPECT_EQ(items->field_static_type_index, kTVMFFIArray);
  EXPECT_EQ(ToStd(items->metadata),
            SchemaOnlyMetadata(R"({"type":"ffi.Array","args":[{"type":"int"}]})"));
  const TVMFFIFieldInfo* extra = refl::GetFieldInfo("test.MutableDerived", "extra");
  EXPECT_EQ(extra->field_static_type_index, kTVMFFIAny);
  EXPECT_EQ(ToStd(extra->metadata), SchemaOnlyMetadata(R"({"type":"Any"})"));
}

TEST(ReflectionField, StructuralFlagsAndKinds) {
  EXPECT_EQ(refl::GetFieldInfo("test.Var", "name")->flags, kTVMFFIFieldFlagBitMaskSEqHashIgnore);
  EXPECT_EQ(refl::GetFieldInfo("test.Func", "params")->flags, kTVMFFIFieldFlagBitMaskSEqHashDef);
  EXPECT_EQ(refl::GetFieldInfo("test.Func", "body")->flags, 0);
  EXPECT_EQ(refl::GetFieldInfo("test.Func", "comment")->flags,
            kTVMFFIFieldFlagBitMaskSEqHashIgnore);
  EXPECT_EQ(InfoOf(TVarObj::RuntimeTypeIndex())->metadata->structural_eq_hash_kind,
            kTVMFFISEqHashKindFreeVar);
  EXPECT_EQ(InfoOf(TFuncObj::RuntimeTypeIndex())->metadata->structural_eq_hash_kind,
            kTVMFFISEqHashKindTreeNode);
  EXPECT_EQ(InfoOf(TIntObj::RuntimeTypeIndex())->metadata->structural_eq_hash_kind,
            kTVMFFISEqHashKindUnsupported);
}

TEST(ReflectionField, LookupFailuresAndInheritedFields) {
  ExpectErrorExact([] { refl::GetFieldInfo("test.Int", "nope"); }, "RuntimeError",
                   "Cannot find field `nope` in type `test.Int`");
  ExpectErrorContains([] { refl::GetFieldInfo("test.NoSuchType", "value"); }, "InternalError",
                      "Cannot find type `test.NoSuchType`");
  // A field registered on an ancestor is found through the derived type.
  EXPECT_EQ(refl::GetFieldInfo("test.MutableDerived", "count"),
            refl::GetFieldInfo("test.Mutable", "count"));
  EXPECT_EQ(refl::GetFieldInfo("test.Int", "pad"), refl::GetFieldInfo("test.Number", "pad"));
}

TEST(ReflectionField, GetterAndSetter) {
  TInt x(42);
  refl::FieldGetter get_value("test.Int", "value");
  refl::FieldSetter set_value("test.Int", "value");
  EXPECT_EQ(get_value(x).cast<int64_t>(), 42);
  set_value(x, 43);
  EXPECT_EQ(x->value, 43);
  EXPECT_EQ(get_value(details::ObjectUnsafe::ObjectPtrFromObjectRef<Object>(x)).cast<int64_t>(),
            43);
  set_value(x.get(), true);  // bool converts to int
  EXPECT_EQ(x->value, 1);
  // Conversion failures are TypeErrors; the field is untouched.
  ExpectErrorExact([&] { set_value(x, "hello"); }, "TypeError",
                   "Cannot convert from type `const char*` to `int`");
  ExpectErrorContains([&] { set_value(x, String("a long string value")); }, "TypeError",
                      "Cannot convert from type `ffi.String` to `int`");
  EXPECT_EQ(x->value, 1);
  ExpectErrorContains([&] { get_value(static_cast<const Object*>(nullptr)); }, "ValueError",
                      "null object");

  // A field before the object header (negative offset) reads the right bytes.
  refl::FieldGetter get_pad("test.Number", "pad");
  EXPECT_EQ(get_pad(x).cast<int64_t>(), 0x5A5A);
}

TEST(ReflectionField, GetterReturnsOwningValues) {
  ObjectPtr<TMutableObj> obj = make_object<TMutableObj>(1, String("a name longer than seven"));
  obj->number = TInt(9);
  refl::FieldGetter get_name("test.Mutable", "name");
  refl::FieldGetter get_number("test.Mutable", "number");
  refl::FieldGetter get_note("test.Mutable", "note");
  Any name = get_name(obj.get());
  EXPECT_EQ(name.type_index(), kTVMFFIStr);
  EXPECT_EQ(name.cast<String>(), "a name longer than seven");
  int before = obj->number.use_count();
  {
    Any number = get_number(obj.get());
    EXPECT_TRUE(number.same_as(obj->number));
    EXPECT_EQ(obj->number.use_count(), before + 1);
  }
  EXPECT_EQ(obj->number.use_count(), before);
  EXPECT_EQ(get_note(obj.get()), nullptr);
}

TEST(ReflectionField, SetterConvertsPerFieldType) {
  ObjectPtr<TMutableObj> obj = make_object<TMutableObj>();
  refl::FieldSetter set_name("test.Mutable", "name");
  refl::FieldSetter set_ratio("test.Mutable", "ratio");
  refl::FieldSetter set_note("test.Mutable", "note");
  refl::FieldSetter set_number("test.Mutable", "number");
  set_name(obj.get(), "abc");
  EXPECT_EQ(obj->name, "abc");
  ExpectErrorExact([&] { set_name(obj.get(), 1); }, "TypeError",
                   "Cannot convert from type `int` to `str`");
  set_ratio(obj.get(), 2);  // int -> double
  EXPECT_EQ(obj->ratio, 2.0);
  set_note(obj.get(), "n");
  EXPECT_EQ(obj->note.value(), "n");
  set_note(obj.get(), nullptr);
  EXPECT_FALSE(obj->note.has_value());
  set_number(obj.get(), TFloat(1.5));
  EXPECT_TRUE(obj->number->IsInstance<TFloatObj>());
  ExpectErrorContains([&] { set_number(obj.get(), "x"); }, "TypeError", "to `test.Number`");
  EXPECT_TRUE(obj->number.defined());
  ExpectErrorContains([&] { set_number(obj.get(), TMutable(make_object<TMutableObj>())); },
                      "TypeError", "Cannot convert from type `test.Mutable` to `test.Number`");
  set_number(obj.get(), nullptr);
  EXPECT_FALSE(obj->number.defined());

  ObjectPtr<TMutableDerivedObj> derived = make_object<TMutableDerivedObj>();
  refl::FieldSetter set_extra("test.MutableDerived", "extra");
  refl::FieldSetter set_items("test.MutableDerived", "items");
  set_extra(derived.get(), "anything");
  EXPECT_EQ(derived->extra.cast<String>(), "anything");
  set_items(derived.get(), Array<Any>{1, 2});
  EXPECT_EQ(derived->items.size(), 2u);
  ExpectErrorContains([&] { set_items(derived.get(), Array<Any>{1, "two"}); }, "TypeError",
                      "Cannot convert from type");
  EXPECT_EQ(derived->items.size(), 2u);
  // Inherited field through the derived object (offset from the header is the same).
  refl::FieldSetter set_count("test.Mutable", "count");
  set_count(derived.get(), 77);
  EXPECT_EQ(derived->count, 77);
}

// ------------------------------------------------------------------------------------------
// Methods
// ------------------------------------------------------------------------------------------

TEST(ReflectionMethod, InstanceMethodsFromMemberPointersAndLambdas) {
  TInt x(10);
  EXPECT_EQ(refl::GetMethod("test.Int", "get_value")(x).cast<int64_t>(), 10);
  EXPECT_EQ(refl::GetMethod("test.Int", "add")(x, 5).cast<int64_t>(), 15);
  EXPECT_EQ(refl::GetMethod("test.Int", "times")(x, 3).cast<int64_t>(), 30);
  TInt sum = refl::GetMethod("test.Int", "plus")(x, TInt(2)).cast<TInt>();
  EXPECT_EQ(sum->value, 12);
  // Non-const member function of an immutable type.
  EXPECT_EQ(refl::GetMethod("test.Int", "add_in_place")(x, 4).cast<int64_t>(), 14);
  EXPECT_EQ(x->value, 14);
  // Mutable type with a non-const member.
  TMutable m(make_object<TMutableObj>(1, String("m")));
  EXPECT_EQ(refl::GetMethod("test.Mutable", "bump")(m, 2).cast<int64_t>(), 3);
  EXPECT_EQ(m->count, 3);
}

TEST(ReflectionMethod, InfoFlagsDocAndSchema) {
  const TVMFFIMethodInfo* get_value = refl::GetMethodInfo("test.Int", "get_value");
  EXPECT_EQ(get_value->flags, 0);
  EXPECT_EQ(ToStd(get_value->doc), "read the value");
  EXPECT_EQ(get_value->method.type_index, kTVMFFIFunction);
  EXPECT_EQ(
      ToStd(get_value->metadata),
      SchemaOnlyMetadata(R"({"type":"ffi.Function","args":[{"type":"int"},{"type":"test.Int"}]})"));
  const TVMFFIMethodInfo* add = refl::GetMethodInfo("test.Int", "add");
  EXPECT_EQ(
      ToStd(add->metadata),
      SchemaOnlyMetadata(
          R"({"type":"ffi.Function","args":[{"type":"int"},{"type":"test.Int"},{"type":"int"}]})"));
  const TVMFFIMethodInfo* from_sum = refl::GetMethodInfo("test.Int", "from_sum");
  EXPECT_EQ(from_sum->flags, kTVMFFIFieldFlagBitMaskIsStaticMethod);
  EXPECT_EQ(ToStd(from_sum->doc), "sum of two ints");
  EXPECT_EQ(
      ToStd(from_sum->metadata),
      std::string("{\"type_schema\":") +
          std::string(EscapeStringJSON(String(
              R"({"type":"ffi.Function","args":[{"type":"test.Int"},{"type":"int"},{"type":"int"}]})"))) +
          ",\"pure\":true}");
  const TVMFFIMethodInfo* no_doc = refl::GetMethodInfo("test.Int", "times");
  EXPECT_EQ(no_doc->doc.size, 0u);
}

TEST(ReflectionMethod, StaticMethods) {
  TInt made = refl::GetMethod("test.Int", "from_sum")(3, 4).cast<TInt>();
  EXPECT_EQ(made->value, 7);
  TMutable named = refl::GetMethod("test.Mutable", "make_named")("nm").cast<TMutable>();
  EXPECT_EQ(named->name, "nm");
  EXPECT_EQ(named->count, 1);
}

TEST(ReflectionMethod, ArgumentErrorsNameTheMethod) {
  Function add = refl::GetMethod("test.Int", "add");
  ExpectErrorContains(
      [&] { add(TInt(1), "x"); }, "TypeError",
      "Mismatched type on argument #1 when calling: `test.Int.add(0: test.Int, 1: int) -> "
      "int`. Expected `int` but got");
  ExpectErrorContains([&] { add(TFloat(1.0), 1); }, "TypeError",
                      "Expected `test.Int` but got `test.Float`");
  ExpectErrorContains(
      [&] { add(TInt(1)); }, "TypeError",
      "Mismatched number of arguments when calling: `test.Int.add(0: test.Int, 1: int) -> "
      "int`. Expected 2 but got 1 arguments");
  ExpectErrorExact([] { refl::GetMethod("test.Int", "nope"); }, "RuntimeError",
                   "Cannot find method `nope` in type `test.Int`");
  ExpectErrorExact([] { refl::GetMethodInfo("test.Float", "get_value"); }, "RuntimeError",
                   "Cannot find method `get_value` in type `test.Float`");
}

TEST(ReflectionMethod, FfiInitOnBaseAndDerived) {
  const TVMFFIMethodInfo* init = refl::GetMethodInfo("test.Int", "__ffi_init__");
  EXPECT_EQ(init->flags, kTVMFFIFieldFlagBitMaskIsStaticMethod);
  EXPECT_EQ(ToStd(init->doc), "Construct from a value");
  EXPECT_EQ(ToStd(init->metadata),
            SchemaOnlyMetadata(
                R"({"type":"ffi.Function","args":[{"type":"ffi.Object"},{"type":"int"}]})"));
  Any made = refl::GetMethod("test.Int", "__ffi_init__")(9);
  EXPECT_EQ(made.type_index(), TIntObj::RuntimeTypeIndex());
  EXPECT_EQ(made.cast<TInt>()->value, 9);
  EXPECT_EQ(made.cast<ObjectRef>().use_count(), 2);  // `made` + the temporary

  Any base = refl::GetMethod("test.Mutable", "__ffi_init__")(5, "five");
  EXPECT_EQ(base.type_index(), TMutableObj::RuntimeTypeIndex());
  EXPECT_EQ(base.as<TMutableObj>()->count, 5);
  EXPECT_EQ(base.as<TMutableObj>()->name, "five");
  Any derived = refl::GetMethod("test.MutableDerived", "__ffi_init__")(6, "six", 1.25);
  EXPECT_EQ(derived.type_index(), TMutableDerivedObj::RuntimeTypeIndex());
  const TMutableDerivedObj* d = derived.as<TMutableDerivedObj>();
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->count, 6);
  EXPECT_EQ(d->name, "six");
  EXPECT_EQ(d->extra.cast<double>(), 1.25);
  EXPECT_NE(derived.as<TMutableObj>(), nullptr);
  // A type without init has no __ffi_init__ (methods are not inherited by lookup).
  ExpectErrorContains([] { refl::GetMethod("test.Complex", "__ffi_init__"); }, "RuntimeError",
                      "Cannot find method `__ffi_init__`");
  ExpectErrorContains([] { refl::GetMethod("test.Int", "__ffi_init__")("x"); }, "TypeError",
                      "test.Int.__ffi_init__(0: int) -> ffi.Object");
}

// ------------------------------------------------------------------------------------------
// Type metadata
// ------------------------------------------------------------------------------------------

TEST(ReflectionTypeMetadata, TotalSizeDocAndCreator) {
  const TVMFFITypeInfo* int_info = InfoOf(TIntObj::RuntimeTypeIndex());
  ASSERT_NE(int_info->metadata, nullptr);
  EXPECT_EQ(int_info->metadata->total_size, static_cast<int32_t>(sizeof(TIntObj)));
  EXPECT_EQ(ToStd(int_info->metadata->doc), "An integer number");
  // TIntObj has no default constructor: the creator uses the UnsafeInit constructor.
  ASSERT_NE(int_info->metadata->creator, nullptr);
  TVMFFIObjectHandle handle = nullptr;
  ASSERT_EQ(int_info->metadata->creator(&handle), 0);
  ObjectPtr<Object> created =
      details::ObjectUnsafe::ObjectPtrFromOwned<Object>(static_cast<TVMFFIObject*>(handle));
  EXPECT_EQ(created->type_index(), TIntObj::RuntimeTypeIndex());
  EXPECT_EQ(created.use_count(), 1);
  EXPECT_EQ(static_cast<const TIntObj*>(created.get())->value, TIntObj::kUnsafeInitValue);

  // Default-constructible: the default constructor is used.
  const TVMFFITypeInfo* mut_info = InfoOf(TMutableObj::RuntimeTypeIndex());
  ASSERT_NE(mut_info->metadata->creator, nullptr);
  ASSERT_EQ(mut_info->metadata->creator(&handle), 0);
  ObjectPtr<Object> mut =
      details::ObjectUnsafe::ObjectPtrFromOwned<Object>(static_cast<TVMFFIObject*>(handle));
  EXPECT_EQ(static_cast<const TMutableObj*>(mut.get())->count, TMutableObj::kCppDefaultCount);
  EXPECT_EQ(mut_info->metadata->total_size, static_cast<int32_t>(sizeof(TMutableObj)));
  EXPECT_EQ(ToStd(mut_info->metadata->doc), "A mutable test object");

  // Neither default nor UnsafeInit constructible: no creator.
  const TVMFFITypeInfo* float_info = InfoOf(TFloatObj::RuntimeTypeIndex());
  ASSERT_NE(float_info->metadata, nullptr);
  EXPECT_EQ(float_info->metadata->creator, nullptr);
  EXPECT_EQ(float_info->metadata->doc.size, 0u);
  EXPECT_EQ(float_info->metadata->total_size, static_cast<int32_t>(sizeof(TFloatObj)));
}

TEST(ReflectionTypeMetadata, RegisteringTwiceFails) {
  ExpectErrorContains([] { refl::ObjectDef<TFloatObj> again; }, "RuntimeError",
                      "Overriding test.Float");
}

// ------------------------------------------------------------------------------------------
// Type attributes
// ------------------------------------------------------------------------------------------

TEST(ReflectionTypeAttr, ColumnsHoldPerTypeValues) {
  refl::TypeAttrColumn get_value("test.GetValue");
  Function f_int = get_value[TIntObj::RuntimeTypeIndex()].cast<Function>();
  EXPECT_EQ(f_int(TInt(3)).cast<int64_t>(), 3);
  Function f_float = get_value[TFloatObj::RuntimeTypeIndex()].cast<Function>();
  EXPECT_EQ(f_float(TFloat(2.5)).cast<double>(), 2.5);
  // Exact type only: the parent has nothing.
  EXPECT_EQ(get_value[TNumberObj::RuntimeTypeIndex()], nullptr);
  EXPECT_EQ(get_value[-1], nullptr);
  EXPECT_EQ(get_value[1 << 20], nullptr);
  refl::TypeAttrColumn size("test.size");
  EXPECT_EQ(size[TIntObj::RuntimeTypeIndex()].cast<int64_t>(), 1);
  refl::TypeAttrColumn ensured("test.never_set");
  EXPECT_EQ(ensured[TIntObj::RuntimeTypeIndex()], nullptr);
  ExpectErrorExact([] { refl::TypeAttrColumn missing("test.no_such_column"); }, "RuntimeError",
                   "Cannot find type attribute column `test.no_such_column`");
}

TEST(ReflectionTypeAttr, SettingTwiceFails) {
  ExpectErrorContains([] { refl::TypeAttrDef<TIntObj>().attr("test.size", 2); }, "RuntimeError",
                      "TypeAttr `test.size` is already registered for type index " +
                          std::to_string(TIntObj::RuntimeTypeIndex()) + ".");
  refl::TypeAttrColumn size("test.size");
  EXPECT_EQ(size[TIntObj::RuntimeTypeIndex()].cast<int64_t>(), 1);
  // A fresh attribute can be set once, then not again.
  refl::TypeAttrDef<TComplexObj>().attr("test.reflection_once", String("first"));
  ExpectErrorContains([] { refl::TypeAttrDef<TComplexObj>().attr("test.reflection_once", 2); },
                      "RuntimeError",
                      "is already registered for type index " +
                          std::to_string(TComplexObj::RuntimeTypeIndex()) + ".");
  EXPECT_EQ(
      refl::TypeAttrColumn("test.reflection_once")[TComplexObj::RuntimeTypeIndex()].cast<String>(),
      "first");
}

// ------------------------------------------------------------------------------------------
// Field iteration
// ------------------------------------------------------------------------------------------

std::vector<std::string> FieldNames(int32_t type_index) {
  std::vector<std::string> names;
  refl::ForEachFieldInfo(InfoOf(type_index),
                         [&](const TVMFFIFieldInfo* f) { names.push_back(ToStd(f->name)); });
  return names;
}

TEST(ReflectionForEachField, AncestorsFirstInRegistrationOrder) {
  EXPECT_EQ(FieldNames(TMutableObj::RuntimeTypeIndex()),
            (std::vector<std::string>{"count", "name", "ratio", "note", "number"}));
  EXPECT_EQ(
      FieldNames(TMutableDerivedObj::RuntimeTypeIndex()),
      (std::vector<std::string>{"count", "name", "ratio", "note", "number", "extra", "items"}));
  EXPECT_EQ(FieldNames(TIntObj::RuntimeTypeIndex()), (std::vector<std::string>{"pad", "value"}));
  EXPECT_EQ(FieldNames(TNumberObj::RuntimeTypeIndex()), (std::vector<std::string>{"pad"}));
  EXPECT_TRUE(FieldNames(kTVMFFIObject).empty());
}

TEST(ReflectionForEachField, EarlyStop) {
  std::vector<std::string> seen;
  bool stopped = refl::ForEachFieldInfoWithEarlyStop(InfoOf(TMutableDerivedObj::RuntimeTypeIndex()),
                                                     [&](const TVMFFIFieldInfo* f) {
                                                       seen.push_back(ToStd(f->name));
                                                       return ToStd(f->name) == "ratio";
                                                     });
  EXPECT_TRUE(stopped);
  EXPECT_EQ(seen, (std::vector<std::string>{"count", "name", "ratio"}));
  seen.clear();
  stopped = refl::ForEachFieldInfoWithEarlyStop(InfoOf(TIntObj::RuntimeTypeIndex()),
                                                [&](const TVMFFIFieldInfo* f) {
                                                  seen.push_back(ToStd(f->name));
                                                  return false;
                                                });
  EXPECT_FALSE(stopped);
  EXPECT_EQ(seen, (std::vector<std::string>{"pad", "value"}));
}

// ------------------------------------------------------------------------------------------
// ObjectCreator
// ------------------------------------------------------------------------------------------

TEST(ReflectionObjectCreator, FieldsFromMapOrDefaults) {
  refl::ObjectCreator creator("test.Mutable");
  Any made = creator(Map<String, Any>{{"ratio", 0.5}, {"name", "abc"}});
  const TMutableObj* obj = made.as<TMutableObj>();
  ASSERT_NE(obj, nullptr);
  EXPECT_EQ(obj->count, 10);  // reflection default, not the C++ one
  EXPECT_EQ(obj->name, "abc");
  EXPECT_EQ(obj->ratio, 0.5);  // read-only fields are set too
  EXPECT_FALSE(obj->note.has_value());
  EXPECT_EQ(made.cast<ObjectRef>().use_count(), 2);

  refl::ObjectCreator int_creator(InfoOf(TIntObj::RuntimeTypeIndex()));
  Any i = int_creator(Map<String, Any>{{"value", 8}, {"pad", 1}});
  EXPECT_EQ(i.as<TIntObj>()->value, 8);
  EXPECT_EQ(i.as<TIntObj>()->pad_a, 1);
}

TEST(ReflectionObjectCreator, Errors) {
  ExpectErrorExact([] { refl::ObjectCreator creator("test.Float"); }, "RuntimeError",
                   "Type `test.Float` does not support reflection creation");
  ExpectErrorExact([] { refl::ObjectCreator creator(InfoOf(kTVMFFIInt)); }, "RuntimeError",
                   "Type `int` does not support reflection creation");
  refl::ObjectCreator creator("test.Mutable");
  ExpectErrorExact([&] { creator(Map<String, Any>{{"name", "abc"}}); }, "TypeError",
                   "Required field `ratio` not set in type `test.Mutable`");
  ExpectErrorExact([&] { creator(Map<String, Any>{{"ratio", 1.0}, {"bogus", 1}}); }, "TypeError",
                   "Type `test.Mutable` does not have field `bogus`");
  ExpectErrorExact([&] { creator(Map<String, Any>{{"ratio", "no"}}); }, "TypeError",
                   "Cannot convert from type `ffi.SmallStr` to `float`");
  // Ancestor fields are filled first: the base's missing field is reported.
  refl::ObjectCreator derived("test.MutableDerived");
  ExpectErrorExact([&] { derived(Map<String, Any>{}); }, "TypeError",
                   "Required field `ratio` not set in type `test.MutableDerived`");
  ExpectErrorExact([&] { derived(Map<String, Any>{{"ratio", 2.0}}); }, "TypeError",
                   "Required field `extra` not set in type `test.MutableDerived`");
  Any ok = derived(Map<String, Any>{{"ratio", 2.0}, {"extra", "e"}, {"count", 4}});
  const TMutableDerivedObj* d = ok.as<TMutableDerivedObj>();
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->count, 4);
  EXPECT_EQ(d->name, "x");
  EXPECT_EQ(d->items.size(), 0u);
  EXPECT_EQ(d->extra.cast<String>(), "e");
}

// ------------------------------------------------------------------------------------------
// ffi.MakeObjectFromPackedArgs
// ------------------------------------------------------------------------------------------

TEST(ReflectionMakeObjectFromPackedArgs, Success) {
  Function make = Function::GetGlobalRequired("ffi.MakeObjectFromPackedArgs");
  Any made = make("test.Mutable", "ratio", 1.5, "count", 4, "note", "a note");
  const TMutableObj* obj = made.as<TMutableObj>();
  ASSERT_NE(obj, nullptr);
  EXPECT_EQ(obj->ratio, 1.5);
  EXPECT_EQ(obj->count, 4);
  EXPECT_EQ(obj->name, "x");
  EXPECT_EQ(obj->note.value(), "a note");
  EXPECT_EQ(made.cast<ObjectRef>().use_count(), 2);

  // By type index.
  Any by_index = make(TIntObj::RuntimeTypeIndex(), "value", 12);
  EXPECT_EQ(by_index.as<TIntObj>()->value, 12);
  EXPECT_EQ(by_index.as<TIntObj>()->pad_a, 0x5A5A);  // reflection default of the base field
  // Containers are stored as given (same object).
  Array<Any> items{1, 2, 3};
  Any derived = make("test.MutableDerived", "ratio", 0.0, "extra", items, "items", items);
  EXPECT_TRUE(derived.as<TMutableDerivedObj>()->extra.same_as(items));
  EXPECT_TRUE(derived.as<TMutableDerivedObj>()->items.same_as(items));

  EXPECT_EQ(GlobalMetadata("ffi.MakeObjectFromPackedArgs"),
            SchemaOnlyMetadata(R"({"type":"ffi.Function"})"));
}

TEST(ReflectionMakeObjectFromPackedArgs, Errors) {
  Function make = Function::GetGlobalRequired("ffi.MakeObjectFromPackedArgs");
  ExpectErrorContains([&] { make("test.Mutable", "ratio"); }, "InternalError", "Check failed");
  ExpectErrorContains([&] { make(); }, "InternalError", "Check failed");
  ExpectErrorContains([&] { make("test.NoSuchType"); }, "InternalError",
                      "Cannot find type `test.NoSuchType`");
  ExpectErrorExact([&] { make(100); }, "ValueError", "Cannot find type info for type_index=100");
  ExpectErrorExact([&] { make(-3); }, "ValueError", "Cannot find type info for type_index=-3");
  ExpectErrorContains([&] { make(1.5); }, "TypeError", "type index (int) or a type key (str)");
  ExpectErrorExact([&] { make("test.Float", "value", 1.0); }, "RuntimeError",
                   "Type `test.Float` does not support reflection creation");
  ExpectErrorExact([&] { make(kTVMFFIInt); }, "RuntimeError",
                   "Type `int` does not support reflection creation");
  ExpectErrorExact([&] { make("test.MutableDerived", "ratio", 1.0); }, "TypeError",
                   "Required field `extra` not set in type `test.MutableDerived`");
  ExpectErrorExact([&] { make("test.Mutable", "ratio", 1.0, "colour", 1); }, "TypeError",
                   "Type `test.Mutable` does not have field `colour`");
  ExpectErrorContains([&] { make("test.Mutable", 1, 2); }, "TypeError", "argument #1 is `int`");
  ExpectErrorContains([&] { make("test.Mutable", "ratio", "bad"); }, "TypeError",
                      "Cannot convert from type");
}

// ------------------------------------------------------------------------------------------
// GlobalDef
// ------------------------------------------------------------------------------------------

int64_t FreeAdd(int64_t a, int64_t b) { return a + b; }
int64_t NoexceptTwice(int64_t x) noexcept { return 2 * x; }

TEST(ReflectionGlobalDef, TypedFunctionAndExactSchema) {
  refl::GlobalDef().def("testing.reflection_int_str",
                        [](int a, String b) -> int { return a + static_cast<int>(b.size()); });
  Function f = Function::GetGlobalRequired("testing.reflection_int_str");
  EXPECT_EQ(f(1, "abc").cast<int>(), 4);
  EXPECT_EQ(GlobalMetadata("testing.reflection_int_str"),
            "{\"type_schema\":\"{\\\"type\\\":\\\"ffi.Function\\\",\\\"args\\\":[{\\\"type\\\":"
            "\\\"int\\\"},{\\\"type\\\":\\\"int\\\"},{\\\"type\\\":\\\"ffi.String\\\"}]}\"}");
  EXPECT_EQ(
      GlobalMetadata("testing.reflection_int_str"),
      SchemaOnlyMetadata(
          R"({"type":"ffi.Function","args":[{"type":"int"},{"type":"int"},{"type":"ffi.String"}]})"));
  // The registered name appears in argument errors.
  ExpectErrorContains([&] { f("x", "y"); }, "TypeError",
                      "when calling: `testing.reflection_int_str(0: int, 1: str) -> int`");
}

TEST(ReflectionGlobalDef, UserMetadataAndDoc) {
  refl::GlobalDef().def(
      "testing.reflection_meta", [](int64_t x) { return x; }, "identity",
      refl::Metadata{{"bool_attr", true}, {"int_attr", 1}, {"str_attr", "hello"}});
  EXPECT_EQ(GlobalMetadata("testing.reflection_meta"),
            std::string("{\"type_schema\":") +
                std::string(EscapeStringJSON(
                    String(R"({"type":"ffi.Function","args":[{"type":"int"},{"type":"int"}]})"))) +
                ",\"bool_attr\":true,\"int_attr\":1,\"str_attr\":\"hello\"}");
  ExpectErrorExact(
      [] {
        refl::GlobalDef().def(
            "testing.reflection_bad_meta", [](int64_t x) { return x; },
            refl::Metadata{{"ratio", 0.5}});
      },
      "TypeError", "Metadata value of key `ratio` must be int, bool or string, but got `float`");
  EXPECT_FALSE(Function::GetGlobal("testing.reflection_bad_meta").has_value());
  ExpectErrorContains(
      [] {
        refl::GlobalDef().def(
            "testing.reflection_bad_meta2", [](int64_t x) { return x; },
            refl::Metadata{{"type_schema", "mine"}});
      },
      "ValueError", "reserved");
}

TEST(ReflectionGlobalDef, PackedMethodAndFunctionPointer) {
  refl::GlobalDef()
      .def_packed("testing.reflection_count_args",
                  [](PackedArgs args, Any* rv) { *rv = static_cast<int64_t>(args.size()); })
      .def_method("testing.Int_GetValue", &TIntObj::GetValue)
      .def("testing.reflection_ref_method", &TInt::Add)
      .def("testing.reflection_free_add", FreeAdd)
      .def("testing.reflection_prim_dtype", [](TPrimExpr e) { return e->dtype; });
  EXPECT_EQ(Function::GetGlobalRequired("testing.reflection_count_args")(1, "a", 2.0).cast<int>(),
            3);
  EXPECT_EQ(GlobalMetadata("testing.reflection_count_args"),
            SchemaOnlyMetadata(R"({"type":"ffi.Function"})"));
  EXPECT_EQ(Function::GetGlobalRequired("testing.Int_GetValue")(TInt(5)).cast<int64_t>(), 5);
  EXPECT_EQ(
      GlobalMetadata("testing.Int_GetValue"),
      SchemaOnlyMetadata(R"({"type":"ffi.Function","args":[{"type":"int"},{"type":"test.Int"}]})"));
  EXPECT_EQ(Function::GetGlobalRequired("testing.reflection_ref_method")(TInt(5), 6).cast<int>(),
            11);
  EXPECT_EQ(Function::GetGlobalRequired("testing.reflection_free_add")(5, 6).cast<int>(), 11);
  // Fallback conversions of a user TypeTraits specialisation apply to arguments.
  Function dtype = Function::GetGlobalRequired("testing.reflection_prim_dtype");
  EXPECT_EQ(dtype(1).cast<String>(), "int64");
  EXPECT_EQ(dtype(1.5).cast<String>(), "float32");
  EXPECT_EQ(dtype(true).cast<String>(), "bool");
  EXPECT_EQ(dtype("custom").cast<String>(), "custom");
  EXPECT_EQ(dtype(TPrimExpr("int8", 1)).cast<String>(), "int8");
  ExpectErrorContains([&] { dtype(nullptr); }, "TypeError",
                      "Expected `test.PrimExpr` but got `None`");
}

TEST(ReflectionGlobalDef, FunctionsTypedFunctionsAndNoexceptCallables) {
  refl::GlobalDef()
      .def("testing.reflection_noexcept_free", NoexceptTwice)
      .def_method("testing.reflection_noexcept_member", &TIntObj::Negate)
      .def("testing.reflection_wrapped_function",
           Function::FromTyped([](int64_t x) { return x + 100; }))
      .def("testing.reflection_typed_function",
           TypedFunction<int64_t(int64_t)>([](int64_t x) { return x - 100; }));
  EXPECT_EQ(Function::GetGlobalRequired("testing.reflection_noexcept_free")(4).cast<int>(), 8);
  EXPECT_EQ(
      GlobalMetadata("testing.reflection_noexcept_free"),
      SchemaOnlyMetadata(R"({"type":"ffi.Function","args":[{"type":"int"},{"type":"int"}]})"));
  EXPECT_EQ(Function::GetGlobalRequired("testing.reflection_noexcept_member")(TInt(4)).cast<int>(),
            -4);
  EXPECT_EQ(
      GlobalMetadata("testing.reflection_noexcept_member"),
      SchemaOnlyMetadata(R"({"type":"ffi.Function","args":[{"type":"int"},{"type":"test.Int"}]})"));
  EXPECT_EQ(Function::GetGlobalRequired("testing.reflection_wrapped_function")(1).cast<int>(), 101);
  EXPECT_EQ(GlobalMetadata("testing.reflection_wrapped_function"),
            SchemaOnlyMetadata(R"({"type":"ffi.Function"})"));
  EXPECT_EQ(Function::GetGlobalRequired("testing.reflection_typed_function")(1).cast<int>(), -99);
  EXPECT_EQ(
      GlobalMetadata("testing.reflection_typed_function"),
      SchemaOnlyMetadata(R"({"type":"ffi.Function","args":[{"type":"int"},{"type":"int"}]})"));
}

TEST(ReflectionGlobalDef, DuplicateRegistrationFails) {
  refl::GlobalDef().def("testing.reflection_dup", []() { return 1; });
  ExpectErrorContains([] { refl::GlobalDef().def("testing.reflection_dup", []() { return 2; }); },
                      "RuntimeError",
                      "Global Function `testing.reflection_dup` is already registered");
  EXPECT_EQ(Function::GetGlobalRequired("testing.reflection_dup")().cast<int>(), 1);
}

// ------------------------------------------------------------------------------------------
// Instance checks across the test hierarchy (child slots and overflow)
// ------------------------------------------------------------------------------------------

TEST(ReflectionHierarchy, ChildSlotsAndOverflow) {
  int32_t number = TNumberObj::RuntimeTypeIndex();
  std::vector<int32_t> children = {TIntObj::RuntimeTypeIndex(), TFloatObj::RuntimeTypeIndex(),
                                   TComplexObj::RuntimeTypeIndex()};
  int in_slots = 0;
  for (int32_t child : children) {
    EXPECT_GT(child, number);
    if (child <= number + 2) ++in_slots;
    const TVMFFITypeInfo* info = InfoOf(child);
    EXPECT_EQ(info->type_depth, 2);
    EXPECT_EQ(info->type_ancestors[1]->type_index, number);
    EXPECT_EQ(info->type_ancestors[0]->type_index, kTVMFFIObject);
  }
  // Two children fit in the two reserved slots; the third overflowed.
  EXPECT_EQ(in_slots, 2);

  TNumber i = TInt(1);
  TNumber f = TFloat(2.0);
  ObjectRef c(make_object<TComplexObj>(1.0, 2.0));
  ObjectRef m(make_object<TMutableObj>());
  for (const ObjectRef& num : {static_cast<ObjectRef>(i), static_cast<ObjectRef>(f), c}) {
    EXPECT_TRUE(num->IsInstance<TNumberObj>()) << num.GetTypeKey();
    EXPECT_TRUE(num->IsInstance<Object>());
    EXPECT_NE(num.as<TNumberObj>(), nullptr);
    EXPECT_TRUE(num.as<TNumber>().has_value());
  }
  EXPECT_FALSE(m->IsInstance<TNumberObj>());
  EXPECT_EQ(m.as<TNumberObj>(), nullptr);
  EXPECT_FALSE(m.as<TNumber>().has_value());
  EXPECT_TRUE(i->IsInstance<TIntObj>());
  EXPECT_FALSE(i->IsInstance<TFloatObj>());
  EXPECT_FALSE(c->IsInstance<TIntObj>());
  EXPECT_EQ(f.as<TIntObj>(), nullptr);
  EXPECT_EQ(f.as<TFloatObj>()->value, 2.0);
  EXPECT_FALSE(f.as<TInt>().has_value());
  EXPECT_TRUE(f.as<TFloat>().has_value());
  EXPECT_TRUE(c.as<TNumber>().has_value());
  // The base object itself and unrelated types.
  ObjectRef base(make_object<TNumberObj>());
  EXPECT_TRUE(base->IsInstance<TNumberObj>());
  EXPECT_FALSE(base->IsInstance<TIntObj>());
  EXPECT_FALSE(base->IsInstance<TComplexObj>());
  ObjectRef derived(make_object<TMutableDerivedObj>());
  EXPECT_TRUE(derived->IsInstance<TMutableObj>());
  EXPECT_FALSE(derived->IsInstance<TNumberObj>());
  // Through Any: typed casts follow the same rules.
  Any any_c = c;
  EXPECT_TRUE(any_c.as<TNumber>().has_value());
  EXPECT_FALSE(any_c.as<TInt>().has_value());
  EXPECT_TRUE(any_c.try_cast<TNumber>().has_value());
  ExpectErrorContains([&] { any_c.cast<TInt>(); }, "TypeError",
                      "Cannot convert from type `test.Complex` to `test.Int`");
}

TEST(ReflectionHierarchy, NullabilityOfReferenceTypes) {
  Any none;
  EXPECT_TRUE(none.try_cast<TInt>().has_value());  // nullable
  EXPECT_FALSE(none.try_cast<TInt>()->defined());
  EXPECT_FALSE(none.try_cast<TFloat>().has_value());  // not nullable
  ExpectErrorContains([&] { none.cast<TFloat>(); }, "TypeError",
                      "Cannot convert from type `None` to `test.Float`");
}

}  // namespace
