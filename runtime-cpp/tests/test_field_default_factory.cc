/*!
 * \file test_field_default_factory.cc
 * \brief Field records whose default comes from a factory Function, or whose setter is a
 *        Function object: reflection creation and FieldSetter use both forms.
 */
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/c_api.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/reflection/accessor.h>
#include <tvm/ffi/reflection/creator.h>
#include <tvm/ffi/reflection/registry.h>
#include <tvm/ffi/string.h>

#include <cstddef>
#include <cstring>
#include <string>

namespace {

using namespace tvm::ffi;  // NOLINT(build/namespaces)
namespace refl = tvm::ffi::reflection;

class FactoryHolderObj : public Object {
 public:
  Any items;  // default: a fresh Array from the factory
  Any tag;    // written through a Function-object setter
  static constexpr bool _type_mutable = true;
  TVM_FFI_DECLARE_OBJECT_INFO_FINAL("test.FactoryHolder", FactoryHolderObj, Object);
};

int g_factory_calls = 0;
int g_function_setter_calls = 0;

TVMFFIFieldInfo AnyFieldInfo(const char* name, int64_t offset) {
  TVMFFIFieldInfo info;
  std::memset(&info, 0, sizeof(info));
  info.name = TVMFFIByteArray{name, std::strlen(name)};
  info.size = sizeof(Any);
  info.alignment = alignof(Any);
  info.offset = offset;
  info.getter = details::ReflectionFieldAccess<Any>::Getter;
  info.field_static_type_index = kTVMFFIAny;
  info.default_value_or_factory.type_index = kTVMFFINone;
  return info;
}

TVM_FFI_STATIC_INIT_BLOCK() {
  refl::ObjectDef<FactoryHolderObj>();
  int32_t index = FactoryHolderObj::RuntimeTypeIndex();
  int64_t base =
      reinterpret_cast<int64_t>(static_cast<Object*>(reinterpret_cast<FactoryHolderObj*>(0x1000)));
  auto offset_of = [base](Any FactoryHolderObj::* member) {
    return reinterpret_cast<int64_t>(&(reinterpret_cast<FactoryHolderObj*>(0x1000)->*member)) -
           base;
  };

  Function factory = Function::FromTyped([]() -> Any {
    ++g_factory_calls;
    return Array<Any>{g_factory_calls};
  });
  TVMFFIFieldInfo items = AnyFieldInfo("items", offset_of(&FactoryHolderObj::items));
  items.flags = kTVMFFIFieldFlagBitMaskWritable | kTVMFFIFieldFlagBitMaskHasDefault |
                kTVMFFIFieldFlagBitMaskDefaultFromFactory;
  items.setter = reinterpret_cast<void*>(details::ReflectionFieldAccess<Any>::Setter);
  items.default_value_or_factory = AnyView(factory).CopyToTVMFFIAny();
  TVM_FFI_CHECK_SAFE_CALL(TVMFFITypeRegisterField(index, &items));

  Function setter = Function::FromPacked([](PackedArgs args, Any* rv) {
    ++g_function_setter_calls;
    Any* field = static_cast<Any*>(args[0].cast<void*>());
    *field = String("set:" + std::string(args[1].cast<String>()));
  });
  TVMFFIFieldInfo tag = AnyFieldInfo("tag", offset_of(&FactoryHolderObj::tag));
  tag.flags = kTVMFFIFieldFlagBitMaskWritable | kTVMFFIFieldFlagBitSetterIsFunctionObj |
              kTVMFFIFieldFlagBitMaskHasDefault;
  tag.setter = details::ObjectUnsafe::TVMFFIObjectPtrFromObjectRef(setter);
  tag.default_value_or_factory = AnyView(String("none")).CopyToTVMFFIAny();
  TVM_FFI_CHECK_SAFE_CALL(TVMFFITypeRegisterField(index, &tag));
}

TEST(FieldDefaultFactory, EachCreatedInstanceGetsAFreshDefault) {
  refl::ObjectCreator creator("test.FactoryHolder");
  int before = g_factory_calls;
  Any first = creator(Map<String, Any>{});
  Any second = creator(Map<String, Any>{});
  EXPECT_EQ(g_factory_calls, before + 2);
  const auto* a = first.cast<ObjectRef>().as<FactoryHolderObj>();
  const auto* b = second.cast<ObjectRef>().as<FactoryHolderObj>();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  Array<Any> items_a = a->items.cast<Array<Any>>();
  Array<Any> items_b = b->items.cast<Array<Any>>();
  EXPECT_FALSE(items_a.same_as(items_b));
  EXPECT_EQ(items_a[0].cast<int>(), before + 1);
  EXPECT_EQ(items_b[0].cast<int>(), before + 2);
  // The default of `tag` went through its Function-object setter.
  EXPECT_EQ(a->tag.cast<String>(), "set:none");
}

TEST(FieldDefaultFactory, GivenValuesSkipTheFactoryAndUseTheFunctionSetter) {
  refl::ObjectCreator creator("test.FactoryHolder");
  int before = g_factory_calls;
  int setter_before = g_function_setter_calls;
  Any obj = creator(Map<String, Any>{{"items", Array<Any>{}}, {"tag", String("x")}});
  EXPECT_EQ(g_factory_calls, before);
  EXPECT_EQ(g_function_setter_calls, setter_before + 1);
  const auto* holder = obj.cast<ObjectRef>().as<FactoryHolderObj>();
  EXPECT_EQ(holder->tag.cast<String>(), "set:x");
  refl::FieldSetter("test.FactoryHolder", "tag")(obj.cast<ObjectRef>(), String("y"));
  EXPECT_EQ(holder->tag.cast<String>(), "set:y");
  EXPECT_EQ(g_function_setter_calls, setter_before + 2);
  // A conversion failure inside the setter surfaces as an error of the setter's kind.
  EXPECT_THROW(refl::FieldSetter("test.FactoryHolder", "tag")(obj.cast<ObjectRef>(), 3), Error);
}

}  // namespace
