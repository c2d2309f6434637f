// C API conformance: DLPack import/export of Tensor objects (abi.md §8 item 21).
#include <gtest/gtest.h>
#include <tvm/ffi/c_api.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "c_api_test_helpers.h"

namespace {

using namespace tvm_ffi_c_api_test;  // NOLINT(build/namespaces)

/*! \brief A producer-owned managed tensor that counts its deleter calls. */
template <typename TManaged>
struct Producer {
  TManaged managed;
  std::vector<int64_t> shape;
  std::vector<int64_t> strides;
  alignas(256) float storage[64];
  int deleter_calls = 0;

  Producer(std::vector<int64_t> shape_in, std::vector<int64_t> strides_in)
      : shape(std::move(shape_in)), strides(std::move(strides_in)) {
    std::memset(&managed, 0, sizeof(managed));
    managed.dl_tensor.data = storage;
    managed.dl_tensor.device = DLDevice{kDLCPU, 0};
    managed.dl_tensor.ndim = static_cast<int32_t>(shape.size());
    managed.dl_tensor.dtype = DLDataType{kDLFloat, 32, 1};
    managed.dl_tensor.shape = shape.empty() ? nullptr : shape.data();
    managed.dl_tensor.strides = strides.empty() ? nullptr : strides.data();
    managed.dl_tensor.byte_offset = 0;
    managed.manager_ctx = this;
    managed.deleter = [](TManaged* self) {
      static_cast<Producer*>(self->manager_ctx)->deleter_calls++;
    };
  }
};

using VersionedProducer = Producer<DLManagedTensorVersioned>;
using LegacyProducer = Producer<DLManagedTensor>;

TEST(CAPIDLPack, VersionedImportTakesOwnershipAndFillsStrides) {
  VersionedProducer producer({2, 3}, {});
  producer.managed.version = DLPackVersion{1, 2};
  TVMFFIObjectHandle tensor = nullptr;
  ASSERT_EQ(TVMFFITensorFromDLPackVersioned(&producer.managed, 0, 0, &tensor), 0);
  EXPECT_EQ(TVMFFIObjectGetTypeIndex(tensor), kTVMFFITensor);
  EXPECT_EQ(RefCountWord(tensor), 0x100000001ull);
  const DLTensor* dl = TVMFFITensorGetDLTensorPtr(tensor);
  EXPECT_EQ(dl->data, producer.storage);
  EXPECT_EQ(dl->ndim, 2);
  EXPECT_EQ(dl->shape, producer.shape.data());  // shape stays in producer memory
  ASSERT_NE(dl->strides, nullptr);
  EXPECT_EQ(dl->strides[0], 3);
  EXPECT_EQ(dl->strides[1], 1);
  EXPECT_EQ(dl->dtype.code, kDLFloat);
  EXPECT_EQ(dl->dtype.bits, 32);
  EXPECT_EQ(dl->device.device_type, kDLCPU);
  EXPECT_EQ(producer.deleter_calls, 0);
  TVMFFIObjectIncRef(tensor);
  TVMFFIObjectDecRef(tensor);
  EXPECT_EQ(producer.deleter_calls, 0);
  TVMFFIObjectDecRef(tensor);
  EXPECT_EQ(producer.deleter_calls, 1);
}

TEST(CAPIDLPack, ProducerStridesAreKept) {
  VersionedProducer producer({2, 3}, {1, 2});  // column major
  TVMFFIObjectHandle tensor = nullptr;
  ASSERT_EQ(TVMFFITensorFromDLPackVersioned(&producer.managed, 0, 0, &tensor), 0);
  EXPECT_EQ(TVMFFITensorGetDLTensorPtr(tensor)->strides, producer.strides.data());
  TVMFFIObjectDecRef(tensor);
  EXPECT_EQ(producer.deleter_calls, 1);
}

TEST(CAPIDLPack, ScalarTensorHasNoStrides) {
  VersionedProducer producer({}, {});
  TVMFFIObjectHandle tensor = nullptr;
  ASSERT_EQ(TVMFFITensorFromDLPackVersioned(&producer.managed, 64, 1, &tensor), 0);
  EXPECT_EQ(TVMFFITensorGetDLTensorPtr(tensor)->ndim, 0);
  TVMFFIObjectDecRef(tensor);
  EXPECT_EQ(producer.deleter_calls, 1);
}

TEST(CAPIDLPack, LegacyImport) {
  LegacyProducer producer({4}, {});
  TVMFFIObjectHandle tensor = nullptr;
  ASSERT_EQ(TVMFFITensorFromDLPack(&producer.managed, 64, 1, &tensor), 0);
  const DLTensor* dl = TVMFFITensorGetDLTensorPtr(tensor);
  ASSERT_NE(dl->strides, nullptr);
  EXPECT_EQ(dl->strides[0], 1);
  TVMFFIObjectDecRef(tensor);
  EXPECT_EQ(producer.deleter_calls, 1);
}

TEST(CAPIDLPack, MisalignedInputFailsWithoutCallingTheDeleter) {
  VersionedProducer producer({4}, {});
  producer.managed.dl_tensor.data = reinterpret_cast<char*>(producer.storage) + 4;
  TVMFFIObjectHandle tensor = nullptr;
  EXPECT_EQ(TVMFFITensorFromDLPackVersioned(&producer.managed, 64, 0, &tensor), -1);
  EXPECT_EQ(tensor, nullptr);
  RaisedError err = TakeRaisedError();
  EXPECT_EQ(err.kind, "RuntimeError");
  EXPECT_EQ(err.message, "FromDLPack: Data is not aligned to 64 bytes.");
  EXPECT_EQ(producer.deleter_calls, 0);

  // data + byte_offset is what counts on CPU.
  producer.managed.dl_tensor.byte_offset = 60;
  ASSERT_EQ(TVMFFITensorFromDLPackVersioned(&producer.managed, 64, 0, &tensor), 0);
  TVMFFIObjectDecRef(tensor);
  EXPECT_EQ(producer.deleter_calls, 1);

  LegacyProducer legacy({4}, {});
  legacy.managed.dl_tensor.byte_offset = 8;
  EXPECT_EQ(TVMFFITensorFromDLPack(&legacy.managed, 16, 0, &tensor), -1);
  EXPECT_EQ(TakeRaisedError().message, "FromDLPack: Data is not aligned to 16 bytes.");
  EXPECT_EQ(legacy.deleter_calls, 0);
}

TEST(CAPIDLPack, NonDirectAddressDevicesOnlyCheckTheByteOffset) {
  VersionedProducer producer({4}, {});
  producer.managed.dl_tensor.device = DLDevice{kDLVulkan, 0};
  producer.managed.dl_tensor.data = reinterpret_cast<void*>(0x3);  // an opaque handle
  TVMFFIObjectHandle tensor = nullptr;
  ASSERT_EQ(TVMFFITensorFromDLPackVersioned(&producer.managed, 64, 0, &tensor), 0);
  TVMFFIObjectDecRef(tensor);
  producer.managed.dl_tensor.byte_offset = 32;
  EXPECT_EQ(TVMFFITensorFromDLPackVersioned(&producer.managed, 64, 0, &tensor), -1);
  EXPECT_EQ(TakeRaisedError().message, "FromDLPack: Data is not aligned to 64 bytes.");
  EXPECT_EQ(producer.deleter_calls, 1);
}

TEST(CAPIDLPack, NonContiguousInputFailsWithoutCallingTheDeleter) {
  VersionedProducer producer({2, 3}, {1, 2});
  TVMFFIObjectHandle tensor = nullptr;
  EXPECT_EQ(TVMFFITensorFromDLPackVersioned(&producer.managed, 0, 1, &tensor), -1);
  RaisedError err = TakeRaisedError();
  EXPECT_EQ(err.kind, "RuntimeError");
  EXPECT_EQ(err.message, "FromDLPack: Tensor is not contiguous.");
  EXPECT_EQ(producer.deleter_calls, 0);

  LegacyProducer legacy({2, 3}, {4, 1});
  EXPECT_EQ(TVMFFITensorFromDLPack(&legacy.managed, 0, 1, &tensor), -1);
  EXPECT_EQ(TakeRaisedError().message, "FromDLPack: Tensor is not contiguous.");
  EXPECT_EQ(legacy.deleter_calls, 0);
}

TEST(CAPIDLPack, ExtentOneDimensionsDoNotBreakContiguity) {
  VersionedProducer producer({2, 1, 3}, {3, 100, 1});
  TVMFFIObjectHandle tensor = nullptr;
  ASSERT_EQ(TVMFFITensorFromDLPackVersioned(&producer.managed, 0, 1, &tensor), 0);
  TVMFFIObjectDecRef(tensor);
  EXPECT_EQ(producer.deleter_calls, 1);
}

TEST(CAPIDLPack, LyingProducerFieldsAreRejectedWithoutCallingTheDeleter) {
  TVMFFIObjectHandle tensor = nullptr;
  auto expect_rejected = [&tensor](VersionedProducer* producer, const char* message) {
    EXPECT_EQ(TVMFFITensorFromDLPackVersioned(&producer->managed, 0, 0, &tensor), -1);
    EXPECT_EQ(tensor, nullptr);
    RaisedError err = TakeRaisedError();
    EXPECT_EQ(err.kind, "ValueError");
    EXPECT_EQ(err.message, message);
    EXPECT_EQ(producer->deleter_calls, 0);
  };
  VersionedProducer null_shape({2, 3}, {});
  null_shape.managed.dl_tensor.shape = nullptr;
  expect_rejected(&null_shape, "FromDLPack: shape is NULL for a tensor of ndim 2");

  VersionedProducer negative_ndim({2}, {});
  negative_ndim.managed.dl_tensor.ndim = -1;
  expect_rejected(&negative_ndim, "FromDLPack: invalid ndim -1");

  VersionedProducer negative_extent({2, -3}, {});
  expect_rejected(&negative_extent, "FromDLPack: negative extent -3 in dimension 1");

  VersionedProducer newer_major({2}, {});
  newer_major.managed.version.major = DLPACK_MAJOR_VERSION + 1;
  expect_rejected(&newer_major,
                  (std::string("FromDLPack: unsupported DLPack major version ") +
                   std::to_string(DLPACK_MAJOR_VERSION + 1) + " (this runtime supports " +
                   std::to_string(DLPACK_MAJOR_VERSION) + ")")
                      .c_str());

  // NULL itself is an error too, not a crash.
  EXPECT_EQ(TVMFFITensorFromDLPackVersioned(nullptr, 0, 0, &tensor), -1);
  EXPECT_EQ(TakeRaisedError().kind, "ValueError");
}

TEST(CAPIDLPack, SubbytePaddedFlagIsRejected) {
  VersionedProducer producer({8}, {});
  producer.managed.flags = DLPACK_FLAG_BITMASK_IS_SUBBYTE_TYPE_PADDED;
  TVMFFIObjectHandle tensor = nullptr;
  EXPECT_EQ(TVMFFITensorFromDLPackVersioned(&producer.managed, 0, 0, &tensor), -1);
  RaisedError err = TakeRaisedError();
  EXPECT_EQ(err.kind, "RuntimeError");
  EXPECT_EQ(err.message, "Subbyte type padded is not yet supported");
  EXPECT_EQ(producer.deleter_calls, 0);
  // Read-only / is-copied flags are accepted.
  producer.managed.flags = DLPACK_FLAG_BITMASK_READ_ONLY | DLPACK_FLAG_BITMASK_IS_COPIED;
  ASSERT_EQ(TVMFFITensorFromDLPackVersioned(&producer.managed, 0, 0, &tensor), 0);
  TVMFFIObjectDecRef(tensor);
  EXPECT_EQ(producer.deleter_calls, 1);
}

TEST(CAPIDLPack, VersionedExportHoldsAReferenceUntilTheConsumerDeletes) {
  VersionedProducer producer({2, 3}, {});
  TVMFFIObjectHandle tensor = nullptr;
  ASSERT_EQ(TVMFFITensorFromDLPackVersioned(&producer.managed, 0, 0, &tensor), 0);
  DLManagedTensorVersioned* exported = nullptr;
  ASSERT_EQ(TVMFFITensorToDLPackVersioned(tensor, &exported), 0);
  ASSERT_NE(exported, nullptr);
  EXPECT_EQ(exported->version.major, 1u);
  EXPECT_EQ(exported->version.minor, 3u);
  EXPECT_EQ(exported->flags, 0u);
  EXPECT_EQ(exported->manager_ctx, tensor);
  EXPECT_EQ(StrongCount(tensor), 2u);
  const DLTensor* dl = TVMFFITensorGetDLTensorPtr(tensor);
  EXPECT_EQ(std::memcmp(&exported->dl_tensor, dl, sizeof(DLTensor)), 0);

  TVMFFIObjectDecRef(tensor);  // drop our reference: the consumer keeps the tensor alive
  EXPECT_EQ(producer.deleter_calls, 0);
  EXPECT_EQ(exported->dl_tensor.strides[0], 3);
  exported->deleter(exported);
  EXPECT_EQ(producer.deleter_calls, 1);
}

TEST(CAPIDLPack, LegacyExportRoundTrip) {
  VersionedProducer producer({5}, {});
  TVMFFIObjectHandle tensor = nullptr;
  ASSERT_EQ(TVMFFITensorFromDLPackVersioned(&producer.managed, 0, 0, &tensor), 0);
  DLManagedTensor* exported = nullptr;
  ASSERT_EQ(TVMFFITensorToDLPack(tensor, &exported), 0);
  EXPECT_EQ(exported->manager_ctx, tensor);
  EXPECT_EQ(StrongCount(tensor), 2u);
  // Import the exported tensor again: a second Tensor object owning the export.
  TVMFFIObjectHandle again = nullptr;
  ASSERT_EQ(TVMFFITensorFromDLPack(exported, 0, 1, &again), 0);
  EXPECT_EQ(TVMFFITensorGetDLTensorPtr(again)->data, producer.storage);
  TVMFFIObjectDecRef(tensor);
  EXPECT_EQ(producer.deleter_calls, 0);
  TVMFFIObjectDecRef(again);  // releases the export, which releases the first tensor
  EXPECT_EQ(producer.deleter_calls, 1);
}

TEST(CAPIDLPack, ExportRejectsNonTensors) {
  TVMFFIObjectHandle opaque = nullptr;
  ASSERT_EQ(TVMFFIObjectCreateOpaque(nullptr, kTVMFFIOpaquePyObject, nullptr, &opaque), 0);
  DLManagedTensorVersioned* exported = nullptr;
  EXPECT_EQ(TVMFFITensorToDLPackVersioned(opaque, &exported), -1);
  EXPECT_EQ(exported, nullptr);
  EXPECT_TRUE(TakeRaisedError().present);
  TVMFFIObjectDecRef(opaque);
}

}  // namespace
