// C API conformance: the raised-error slot, error objects and backtraces
// (abi.md §8 items 11-13 and 25).
#include <gtest/gtest.h>
#include <tvm/ffi/c_api.h>

#include <cstdlib>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include "c_api_test_helpers.h"

namespace {

using namespace tvm_ffi_c_api_test;  // NOLINT(build/namespaces)

TVMFFIObjectHandle NewError(const char* kind, const char* message, const char* backtrace) {
  TVMFFIByteArray k = ByteArrayOf(kind), m = ByteArrayOf(message), b = ByteArrayOf(backtrace);
  TVMFFIObjectHandle out = nullptr;
  EXPECT_EQ(TVMFFIErrorCreate(&k, &m, &b, &out), 0);
  return out;
}

TEST(CAPIError, FailedCallLeavesASoleOwnedErrorInTheSlot) {
  TVMFFIByteArray key = ByteArrayOf("no.such.TypeForErrorTest");
  int32_t index = 0;
  ASSERT_EQ(TVMFFITypeKeyToIndex(&key, &index), -1);
  TVMFFIObjectHandle err = nullptr;
  TVMFFIErrorMoveFromRaised(&err);
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(TVMFFIObjectGetTypeIndex(err), kTVMFFIError);
  EXPECT_EQ(RefCountWord(err), 0x100000001ull);
  EXPECT_EQ(ToStd(TVMFFIErrorGetCellPtr(err)->kind), "InternalError");
  EXPECT_NE(TVMFFIErrorGetCellPtr(err)->update_backtrace, nullptr);
  TVMFFIObjectDecRef(err);
  TVMFFIObjectHandle second = reinterpret_cast<TVMFFIObjectHandle>(0x1);
  TVMFFIErrorMoveFromRaised(&second);
  EXPECT_EQ(second, nullptr);
}

TEST(CAPIError, SetRaisedBorrowsTheError) {
  TVMFFIObjectHandle err = NewError("ValueError", "borrowed", "");
  ASSERT_EQ(RefCountWord(err), 0x100000001ull);
  TVMFFIErrorSetRaised(err);
  EXPECT_EQ(StrongCount(err), 2u);
  TVMFFIObjectHandle taken = nullptr;
  TVMFFIErrorMoveFromRaised(&taken);
  EXPECT_EQ(taken, err);
  EXPECT_EQ(StrongCount(err), 2u);  // the slot's reference moved to us
  TVMFFIObjectDecRef(taken);
  EXPECT_EQ(StrongCount(err), 1u);  // the caller's reference is untouched
  TVMFFIObjectDecRef(err);
}

TEST(CAPIError, SetRaisedReplacesAndNullClears) {
  TVMFFIObjectHandle e1 = NewError("ValueError", "first", "");
  TVMFFIObjectHandle e2 = NewError("TypeError", "second", "");
  TVMFFIErrorSetRaised(e1);
  TVMFFIErrorSetRaised(e2);
  EXPECT_EQ(StrongCount(e1), 1u);  // released by the slot
  EXPECT_EQ(StrongCount(e2), 2u);
  TVMFFIErrorSetRaised(nullptr);
  EXPECT_EQ(StrongCount(e2), 1u);
  EXPECT_FALSE(TakeRaisedError().present);
  TVMFFIObjectDecRef(e1);
  TVMFFIObjectDecRef(e2);
}

TEST(CAPIError, SetRaisedFromCStr) {
  TVMFFIErrorSetRaisedFromCStr("IndexError", "index 3 out of range");
  RaisedError err = TakeRaisedError();
  ASSERT_TRUE(err.present);
  EXPECT_EQ(err.type_index, kTVMFFIError);
  EXPECT_EQ(err.ref_count_word, 0x100000001ull);
  EXPECT_EQ(err.kind, "IndexError");
  EXPECT_EQ(err.message, "index 3 out of range");
}

TEST(CAPIError, SetRaisedFromCStrPartsSkipsNull) {
  const char* parts[] = {"a", nullptr, "bc"};
  TVMFFIErrorSetRaisedFromCStrParts("TypeError", parts, 3);
  RaisedError err = TakeRaisedError();
  ASSERT_TRUE(err.present);
  EXPECT_EQ(err.kind, "TypeError");
  EXPECT_EQ(err.message, "abc");

  TVMFFIErrorSetRaisedFromCStrParts("ValueError", parts, 0);
  err = TakeRaisedError();
  EXPECT_EQ(err.kind, "ValueError");
  EXPECT_EQ(err.message, "");
}

TEST(CAPIError, SlotIsPerThread) {
  TVMFFIErrorSetRaisedFromCStr("RuntimeError", "main thread error");
  bool other_thread_saw_error = true;
  std::thread worker([&]() {
    TVMFFIObjectHandle h = nullptr;
    TVMFFIErrorMoveFromRaised(&h);
    other_thread_saw_error = h != nullptr;
    TVMFFIErrorSetRaisedFromCStr("RuntimeError", "dies with the thread");
  });
  worker.join();
  EXPECT_FALSE(other_thread_saw_error);
  RaisedError err = TakeRaisedError();
  EXPECT_EQ(err.message, "main thread error");
}

TEST(CAPIError, ErrorCreateCopiesAndUpdatesBacktrace) {
  std::string kind = "KeyError";
  std::string message = "missing key";
  std::string backtrace = "  File \"a.cc\", line 1, in f\n";
  TVMFFIByteArray k = ByteArrayOf(kind), m = ByteArrayOf(message), b = ByteArrayOf(backtrace);
  TVMFFIObjectHandle err = nullptr;
  ASSERT_EQ(TVMFFIErrorCreate(&k, &m, &b, &err), 0);
  kind.assign(kind.size(), 'X');
  message.assign(message.size(), 'X');
  backtrace.assign(backtrace.size(), 'X');
  EXPECT_EQ(RefCountWord(err), 0x100000001ull);
  TVMFFIErrorCell* cell = TVMFFIErrorGetCellPtr(err);
  EXPECT_EQ(ToStd(cell->kind), "KeyError");
  EXPECT_EQ(ToStd(cell->message), "missing key");
  EXPECT_EQ(ToStd(cell->backtrace), "  File \"a.cc\", line 1, in f\n");

  TVMFFIByteArray extra = ByteArrayOf("  File \"b.cc\", line 2, in g\n");
  cell->update_backtrace(err, &extra, kTVMFFIBacktraceUpdateModeAppend);
  EXPECT_EQ(ToStd(cell->backtrace),
            "  File \"a.cc\", line 1, in f\n  File \"b.cc\", line 2, in g\n");
  TVMFFIByteArray replacement = ByteArrayOf("  File \"c.cc\", line 3, in h\n");
  cell->update_backtrace(err, &replacement, kTVMFFIBacktraceUpdateModeReplace);
  EXPECT_EQ(ToStd(cell->backtrace), "  File \"c.cc\", line 3, in h\n");
  TVMFFIObjectDecRef(err);
}

TEST(CAPIError, ErrorCreateWithEmptyParts) {
  TVMFFIByteArray empty{nullptr, 0};
  TVMFFIObjectHandle err = nullptr;
  ASSERT_EQ(TVMFFIErrorCreate(&empty, &empty, &empty, &err), 0);
  TVMFFIErrorCell* cell = TVMFFIErrorGetCellPtr(err);
  EXPECT_EQ(cell->kind.size, 0u);
  EXPECT_EQ(cell->message.size, 0u);
  EXPECT_EQ(cell->backtrace.size, 0u);
  TVMFFIObjectDecRef(err);
}

// ---------------------------------------------------------------------------------------------
// Backtrace
// ---------------------------------------------------------------------------------------------
const std::regex kFrameLine(R"re(  File "(.+?)", line (\d+), in (.+))re");

void ExpectWellFormed(const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    EXPECT_TRUE(std::regex_match(line, kFrameLine)) << "bad backtrace line: [" << line << "]";
  }
  if (!text.empty()) {
    EXPECT_EQ(text.back(), '\n');
  }
}

TEST(CAPIBacktrace, FirstLineIsTheGivenLocation) {
  const TVMFFIByteArray* bt = TVMFFIBacktrace("f.cc", 12, "fn", 0);
  ASSERT_NE(bt, nullptr);
  std::string text = ToStd(*bt);
  EXPECT_EQ(text.rfind("  File \"f.cc\", line 12, in fn\n", 0), 0u) << text;
  ExpectWellFormed(text);
  // The returned array stays valid (same thread, no further call).
  EXPECT_EQ(std::string(bt->data, bt->size), text);
}

TEST(CAPIBacktrace, BufferIsThreadLocalAndReusedPerCall) {
  const TVMFFIByteArray* first = TVMFFIBacktrace("one.cc", 1, "one", 0);
  std::string first_text = ToStd(*first);
  std::string other_text;
  std::thread worker([&]() { other_text = ToStd(*TVMFFIBacktrace("two.cc", 2, "two", 1)); });
  worker.join();
  EXPECT_EQ(ToStd(*first), first_text);  // another thread's call does not clobber ours
  EXPECT_EQ(other_text.rfind("  File \"two.cc\", line 2, in two\n", 0), 0u);
  const TVMFFIByteArray* again = TVMFFIBacktrace("three.cc", 3, "three", 0);
  EXPECT_EQ(ToStd(*again).rfind("  File \"three.cc\", line 3, in three\n", 0), 0u);
}

TEST(CAPIBacktrace, WithoutLocationOrWithFullWalk) {
  ExpectWellFormed(ToStd(*TVMFFIBacktrace(nullptr, 0, nullptr, 0)));
  ExpectWellFormed(ToStd(*TVMFFIBacktrace(nullptr, 0, nullptr, 1)));
  ExpectWellFormed(ToStd(*TVMFFIBacktrace("x.cc", 5, "x", 1)));
}

TEST(CAPIBacktrace, TracebackLimitIsHonoured) {
  const char* previous = std::getenv("TVM_TRACEBACK_LIMIT");
  std::string saved = previous != nullptr ? previous : "";
  setenv("TVM_TRACEBACK_LIMIT", "1", 1);
  std::string text = ToStd(*TVMFFIBacktrace("limit.cc", 7, "limited", 1));
  EXPECT_EQ(text, "  File \"limit.cc\", line 7, in limited\n");
  setenv("TVM_TRACEBACK_LIMIT", "0", 1);
  EXPECT_EQ(ToStd(*TVMFFIBacktrace("limit.cc", 7, "limited", 1)), "");
  if (previous != nullptr) {
    setenv("TVM_TRACEBACK_LIMIT", saved.c_str(), 1);
  } else {
    unsetenv("TVM_TRACEBACK_LIMIT");
  }
}

TEST(CAPIBacktrace, RaisedErrorsCarryABacktrace) {
  TVMFFIErrorSetRaisedFromCStr("RuntimeError", "with backtrace");
  RaisedError err = TakeRaisedError();
  ExpectWellFormed(err.backtrace);
  // Frames of the error machinery itself are not reported.
  EXPECT_EQ(err.backtrace.find("TVMFFIErrorSetRaisedFromCStr"), std::string::npos);
  EXPECT_EQ(err.backtrace.find("TVMFFIBacktrace"), std::string::npos);
}

}  // namespace
