// tvm/ffi/reflection/access_path.h and the reflection registered for it.
#include <gtest/gtest.h>
#include <tvm/ffi/any.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/reflection/access_path.h>
#include <tvm/ffi/reflection/accessor.h>
#include <tvm/ffi/string.h>

#include <string>
#include <vector>

#include "test_utils.h"

namespace {

using namespace tvm::ffi;  // NOLINT(build/namespaces)
using tvm::ffi::reflection::AccessKind;
using tvm::ffi::reflection::AccessPath;
using tvm::ffi::reflection::AccessPathObj;
using tvm::ffi::reflection::AccessPathPair;
using tvm::ffi::reflection::AccessStep;
using tvm::ffi::reflection::AccessStepObj;

TEST(AccessPath, TypeKeys) {
  AccessPath root = AccessPath::Root();
  EXPECT_EQ(root->GetTypeKey(), "ffi.reflection.AccessPath");
  EXPECT_EQ(AccessStep::Attr("x")->GetTypeKey(), "ffi.reflection.AccessStep");
  EXPECT_GE(AccessPathObj::RuntimeTypeIndex(), kTVMFFIDynObjectBegin);
  const TVMFFITypeInfo* info = TVMFFIGetTypeInfo(AccessStepObj::RuntimeTypeIndex());
  ASSERT_NE(info->metadata, nullptr);
  EXPECT_EQ(info->metadata->structural_eq_hash_kind, kTVMFFISEqHashKindConstTreeNode);
}

TEST(AccessPath, StepConstructors) {
  AccessStep a = AccessStep::Attr("field");
  EXPECT_EQ(a->kind, AccessKind::kAttr);
  EXPECT_EQ(std::string(a->key.cast<String>()), "field");
  EXPECT_EQ(AccessStep::AttrMissing("f")->kind, AccessKind::kAttrMissing);
  AccessStep i = AccessStep::ArrayItem(3);
  EXPECT_EQ(i->kind, AccessKind::kArrayItem);
  EXPECT_EQ(i->key.cast<int64_t>(), 3);
  EXPECT_EQ(AccessStep::ArrayItemMissing(7)->kind, AccessKind::kArrayItemMissing);
  AccessStep m = AccessStep::MapItem(String("k"));
  EXPECT_EQ(m->kind, AccessKind::kMapItem);
  AccessStep mm = AccessStep::MapItemMissing();
  EXPECT_EQ(mm->kind, AccessKind::kMapItemMissing);
  EXPECT_EQ(mm->key.type_index(), kTVMFFINone);
  EXPECT_EQ(static_cast<int>(AccessKind::kMapItemMissing), 5);
}

TEST(AccessPath, StepEqual) {
  EXPECT_TRUE(AccessStep::Attr("x")->StepEqual(AccessStep::Attr("x")));
  // Keys compare by content, across the small and heap string forms.
  EXPECT_TRUE(AccessStep::Attr("a rather long field name")
                  ->StepEqual(AccessStep::Attr(std::string("a rather long field name"))));
  EXPECT_FALSE(AccessStep::Attr("x")->StepEqual(AccessStep::Attr("y")));
  EXPECT_FALSE(AccessStep::Attr("x")->StepEqual(AccessStep::AttrMissing("x")));
  EXPECT_TRUE(AccessStep::ArrayItem(1)->StepEqual(AccessStep::ArrayItem(1)));
  EXPECT_FALSE(AccessStep::ArrayItem(1)->StepEqual(AccessStep::ArrayItem(2)));
  EXPECT_FALSE(AccessStep::ArrayItem(1)->StepEqual(AccessStep::MapItem(1)));
}

TEST(AccessPath, RootAndExtend) {
  AccessPath root = AccessPath::Root();
  EXPECT_EQ(root->depth, 0);
  EXPECT_FALSE(root->parent.has_value());
  EXPECT_FALSE(root->step.has_value());
  EXPECT_FALSE(root->GetParent().has_value());
  EXPECT_EQ(root->ToSteps().size(), 0);

  AccessPath p = root->Attr("body")->ArrayItem(2)->MapItem(String("key"))->AttrMissing("x");
  EXPECT_EQ(p->depth, 4);
  Array<AccessStep> steps = p->ToSteps();
  ASSERT_EQ(steps.size(), 4);
  EXPECT_EQ(steps[0]->kind, AccessKind::kAttr);
  EXPECT_EQ(std::string(steps[0]->key.cast<String>()), "body");
  EXPECT_EQ(steps[1]->kind, AccessKind::kArrayItem);
  EXPECT_EQ(steps[1]->key.cast<int64_t>(), 2);
  EXPECT_EQ(steps[2]->kind, AccessKind::kMapItem);
  EXPECT_EQ(steps[3]->kind, AccessKind::kAttrMissing);

  Optional<AccessPath> parent = p->GetParent();
  ASSERT_TRUE(parent.has_value());
  EXPECT_EQ(parent.value()->depth, 3);
  EXPECT_EQ(parent.value()->step.value()->kind, AccessKind::kMapItem);
  // Extending does not modify the original path.
  AccessPath q = parent.value()->ArrayItemMissing(9);
  EXPECT_EQ(p->depth, 4);
  EXPECT_EQ(q->step.value()->kind, AccessKind::kArrayItemMissing);
  EXPECT_EQ(root->MapItemMissing(String("gone"))->step.value()->kind, AccessKind::kMapItemMissing);
  EXPECT_EQ(root->Extend(AccessStep::Attr("y"))->depth, 1);
}

TEST(AccessPath, FromStepsRoundTrip) {
  AccessPath p = AccessPath::Root()->Attr("a")->ArrayItem(0)->Attr("b");
  AccessPath q = AccessPath::FromSteps(p->ToSteps());
  EXPECT_FALSE(p.same_as(q));
  EXPECT_TRUE(p->PathEqual(q));
  std::vector<AccessStep> steps = {AccessStep::Attr("a"), AccessStep::ArrayItem(0)};
  AccessPath r = AccessPath::FromSteps(steps.begin(), steps.end());
  EXPECT_EQ(r->depth, 2);
  EXPECT_TRUE(r->IsPrefixOf(p));
}

TEST(AccessPath, PathEqualAndPrefix) {
  AccessPath root = AccessPath::Root();
  AccessPath a = root->Attr("a");
  AccessPath ab = a->ArrayItem(1);
  AccessPath ab2 = root->Attr("a")->ArrayItem(1);
  AccessPath ac = a->ArrayItem(2);
  EXPECT_TRUE(ab->PathEqual(ab2));
  EXPECT_FALSE(ab->PathEqual(ac));
  EXPECT_FALSE(ab->PathEqual(a));
  EXPECT_TRUE(root->PathEqual(AccessPath::Root()));
  EXPECT_TRUE(root->IsPrefixOf(ab));
  EXPECT_TRUE(a->IsPrefixOf(ab2));
  EXPECT_TRUE(ab->IsPrefixOf(ab2));  // a path is a prefix of itself
  EXPECT_FALSE(ab->IsPrefixOf(a));
  EXPECT_FALSE(ac->IsPrefixOf(ab));
  EXPECT_FALSE(root->Attr("b")->IsPrefixOf(ab));
}

TEST(AccessPath, PairIsATuple) {
  AccessPathPair pair(AccessPath::Root()->Attr("x"), AccessPath::Root()->Attr("y"));
  EXPECT_EQ(std::string(pair.get<0>()->step.value()->key.cast<String>()), "x");
  EXPECT_EQ(std::string(pair.get<1>()->step.value()->key.cast<String>()), "y");
  Any as_any = pair;
  EXPECT_EQ(as_any.type_index(), kTVMFFIArray);
  auto back = as_any.cast<AccessPathPair>();
  EXPECT_TRUE(back.get<0>().same_as(pair.get<0>()));
}

TEST(AccessPath, ReflectedFields) {
  AccessPath p = AccessPath::Root()->ArrayItem(5);
  reflection::FieldGetter depth("ffi.reflection.AccessPath", "depth");
  reflection::FieldGetter step("ffi.reflection.AccessPath", "step");
  reflection::FieldGetter parent("ffi.reflection.AccessPath", "parent");
  EXPECT_EQ(depth(p).cast<int64_t>(), 1);
  Any s = step(p);
  ASSERT_EQ(s.GetTypeKey(), "ffi.reflection.AccessStep");
  EXPECT_EQ(parent(p).GetTypeKey(), "ffi.reflection.AccessPath");
  EXPECT_EQ(parent(AccessPath::Root()).type_index(), kTVMFFINone);
  reflection::FieldGetter kind("ffi.reflection.AccessStep", "kind");
  reflection::FieldGetter key("ffi.reflection.AccessStep", "key");
  EXPECT_EQ(kind(s.cast<AccessStep>()).cast<int64_t>(), 1);
  EXPECT_EQ(key(s.cast<AccessStep>()).cast<int64_t>(), 5);
}

TEST(AccessPath, ReflectedMethods) {
  const char* key = "ffi.reflection.AccessPath";
  Function root_fn = reflection::GetMethod(key, "_root");
  AccessPath root = root_fn().cast<AccessPath>();
  EXPECT_EQ(root->depth, 0);
  AccessPath p = reflection::GetMethod(key, "_attr")(root, "f").cast<AccessPath>();
  p = reflection::GetMethod(key, "_array_item")(p, 3).cast<AccessPath>();
  p = reflection::GetMethod(key, "_map_item")(p, String("k")).cast<AccessPath>();
  p = reflection::GetMethod(key, "_extend")(p, AccessStep::Attr("g")).cast<AccessPath>();
  EXPECT_EQ(p->depth, 4);
  AccessPath expected = root->Attr("f")->ArrayItem(3)->MapItem(String("k"))->Attr("g");
  EXPECT_TRUE(reflection::GetMethod(key, "_path_equal")(p, expected).cast<bool>());
  EXPECT_TRUE(reflection::GetMethod(key, "_is_prefix_of")(root, p).cast<bool>());
  EXPECT_FALSE(reflection::GetMethod(key, "_is_prefix_of")(p, root).cast<bool>());
  Array<AccessStep> steps = reflection::GetMethod(key, "_to_steps")(p).cast<Array<AccessStep>>();
  EXPECT_EQ(steps.size(), 4);
  EXPECT_EQ(
      reflection::GetMethod(key, "_attr_missing")(root, "m").cast<AccessPath>()->step.value()->kind,
      AccessKind::kAttrMissing);
  EXPECT_EQ(reflection::GetMethod(key, "_array_item_missing")(root, 1)
                .cast<AccessPath>()
                ->step.value()
                ->kind,
            AccessKind::kArrayItemMissing);
  EXPECT_EQ(reflection::GetMethod(key, "_map_item_missing")(root, nullptr)
                .cast<AccessPath>()
                ->step.value()
                ->kind,
            AccessKind::kMapItemMissing);
  // Wrong argument types are reported, not crashed on.
  tvm_ffi_test::ExpectErrorKind(
      [&] { reflection::GetMethod(key, "_array_item")(root, "not an int"); }, "TypeError");
}

}  // namespace
