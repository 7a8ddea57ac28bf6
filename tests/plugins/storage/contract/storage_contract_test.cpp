// The storage contract: every StorageBackend must pass this suite. Backends are loaded from
// the build tree as plugins; the suite is parameterised by plugin short name.
//
// Batch validity (what every backend rejects whole, applying nothing):
//   InvalidArgument: an empty collection, id, execution_id or key; empty json; an event
//     with id <= 0 or an empty topic; event ids that do not increase within the batch;
//     one record key both put and erased.
//   Aborted: the batch's first event id is not greater than the largest stored id.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "switchboard/storage.hpp"
#include "tests/plugins/support/plugin_loader.hpp"
#include "tests/plugins/support/temp_dir.hpp"

namespace switchboard::plugins {
namespace {

using testing::loadPluginForTest;
using testing::TempDirForTest;

// The value of a Result, or a test failure and a default value.
template <typename T>
T must(Result<T> result) {
  if (!result.ok()) {
    ADD_FAILURE() << result.status().toString();
    return T{};
  }
  return std::move(result).value();
}

class StorageContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    store_ = open();
    ASSERT_NE(store_, nullptr);
  }

  bool persistent() const { return GetParam() != "memory"; }

  std::shared_ptr<StorageBackend> open() {
    const std::string config = GetParam() == "sqlite"
                                   ? R"({"path":")" + (dir_.path() / "contract.db").string() + "\"}"
                                   : std::string("{}");
    auto made = loadPluginForTest<StorageBackend>("storage", GetParam(), config, dir_.path());
    EXPECT_TRUE(made.ok()) << made.status().toString();
    return made.ok() ? *made : nullptr;
  }

  void reopen() {
    store_.reset();
    store_ = open();
    ASSERT_NE(store_, nullptr);
  }

  static WriteBatch puts(const std::string& collection, const std::vector<std::string>& ids) {
    WriteBatch batch;
    for (const std::string& id : ids) {
      batch.puts.push_back({collection, id, R"({"id":")" + id + "\"}"});
    }
    return batch;
  }

  std::vector<std::string> ids(const std::vector<Record>& records) {
    std::vector<std::string> out;
    for (const Record& record : records) out.push_back(record.id);
    return out;
  }

  TempDirForTest dir_;
  std::shared_ptr<StorageBackend> store_;
};

TEST_P(StorageContract, PutGetOverwriteAndAbsent) {
  ASSERT_TRUE(store_->apply(puts("agents", {"a1"})).ok());
  auto got = store_->get("agents", "a1");
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(**got, R"({"id":"a1"})");

  WriteBatch overwrite;
  overwrite.puts.push_back({"agents", "a1", R"({"v":2})"});
  ASSERT_TRUE(store_->apply(overwrite).ok());
  EXPECT_EQ(must(store_->get("agents", "a1")).value(), R"({"v":2})");

  auto absent = store_->get("agents", "nope");
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());
  EXPECT_FALSE(store_->get("tasks", "a1")->has_value());  // collections are separate
}

TEST_P(StorageContract, ListPagesInIdOrder) {
  ASSERT_TRUE(store_
                  ->apply(puts("tasks", {"t07", "t03", "t10", "t01", "t05", "t02", "t09", "t04",
                                         "t08", "t06"}))
                  .ok());
  ASSERT_TRUE(store_->apply(puts("agents", {"t00", "t99"})).ok());
  std::vector<std::string> seen;
  std::string after;
  int pages = 0;
  while (true) {
    auto page = store_->list("tasks", after, 3);
    ASSERT_TRUE(page.ok()) << page.status().toString();
    if (page->empty()) break;
    ASSERT_LE(page->size(), 3u);
    for (const Record& record : *page) {
      EXPECT_EQ(record.collection, "tasks");
      seen.push_back(record.id);
    }
    after = page->back().id;
    ++pages;
  }
  EXPECT_EQ(pages, 4);
  EXPECT_EQ(seen, (std::vector<std::string>{"t01", "t02", "t03", "t04", "t05", "t06", "t07", "t08",
                                            "t09", "t10"}));
  EXPECT_TRUE(store_->list("tasks", "", 0)->empty());
  EXPECT_TRUE(store_->list("empty", "", 10)->empty());
  EXPECT_FALSE(store_->list("tasks", "", -1).ok());
}

TEST_P(StorageContract, IdsCompareBytewise) {
  ASSERT_TRUE(store_->apply(puts("c", {"b", "\xc3\xa9t\xc3\xa9", "a", "B"})).ok());
  EXPECT_EQ(ids(must(store_->list("c", "", 10))),
            (std::vector<std::string>{"B", "a", "b", "\xc3\xa9t\xc3\xa9"}));
}

TEST_P(StorageContract, EraseRemovesRecords) {
  ASSERT_TRUE(store_->apply(puts("tasks", {"t1", "t2", "t3"})).ok());
  WriteBatch erase;
  erase.erases.push_back({"tasks", "t2"});
  erase.erases.push_back({"tasks", "missing"});  // erasing what is absent is not an error
  ASSERT_TRUE(store_->apply(erase).ok());
  EXPECT_FALSE(store_->get("tasks", "t2")->has_value());
  EXPECT_EQ(ids(must(store_->list("tasks", "", 10))), (std::vector<std::string>{"t1", "t3"}));
}

TEST_P(StorageContract, StepUpsertReplacesAndJournalOrdersBySeq) {
  WriteBatch batch;
  batch.steps.push_back({"ex1", "b", 1, R"({"s":"running"})"});
  batch.steps.push_back({"ex1", "a", 2, R"({"s":"running"})"});
  batch.steps.push_back({"ex2", "a", 1, R"({"other":true})"});
  ASSERT_TRUE(store_->apply(batch).ok());
  WriteBatch settle;
  settle.steps.push_back({"ex1", "b", 3, R"({"s":"succeeded"})"});
  ASSERT_TRUE(store_->apply(settle).ok());

  auto journal = store_->steps("ex1");
  ASSERT_TRUE(journal.ok());
  ASSERT_EQ(journal->size(), 2u);
  EXPECT_EQ((*journal)[0].key, "a");
  EXPECT_EQ((*journal)[0].seq, 2);
  EXPECT_EQ((*journal)[1].key, "b");
  EXPECT_EQ((*journal)[1].seq, 3);
  EXPECT_EQ((*journal)[1].json, R"({"s":"succeeded"})");
  EXPECT_EQ((*journal)[1].execution_id, "ex1");
  EXPECT_EQ(store_->steps("ex2")->size(), 1u);
  EXPECT_TRUE(store_->steps("none")->empty());
}

TEST_P(StorageContract, EventsPageAndFilterByTopicPrefix) {
  EXPECT_EQ(must(store_->lastEventId()), 0);
  WriteBatch batch;
  for (int i = 1; i <= 10; ++i) {
    batch.events.push_back(
        {i * 10, i % 2 == 0 ? "execution/ex1" : "agent/a1", "{\"n\":" + std::to_string(i) + "}"});
  }
  ASSERT_TRUE(store_->apply(batch).ok());
  EXPECT_EQ(must(store_->lastEventId()), 100);

  auto first = store_->events(0, 4, "");
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 4u);
  EXPECT_EQ((*first)[0].id, 10);
  EXPECT_EQ((*first)[3].id, 40);
  auto next = store_->events(40, 100, "");
  ASSERT_EQ(next->size(), 6u);
  EXPECT_EQ(next->front().id, 50);
  EXPECT_EQ(next->front().json, "{\"n\":5}");

  auto executions = store_->events(25, 2, "execution/");
  ASSERT_EQ(executions->size(), 2u);
  EXPECT_EQ((*executions)[0].id, 40);
  EXPECT_EQ((*executions)[1].id, 60);
  EXPECT_EQ((*executions)[1].topic, "execution/ex1");
  EXPECT_TRUE(store_->events(100, 10, "")->empty());
  EXPECT_TRUE(store_->events(0, 10, "nothing/")->empty());
  EXPECT_FALSE(store_->events(0, -1, "").ok());
}

TEST_P(StorageContract, StaleEventIdRejectsTheWholeBatch) {
  WriteBatch first;
  first.events.push_back({5, "t", "{}"});
  ASSERT_TRUE(store_->apply(first).ok());

  WriteBatch stale = puts("tasks", {"t1"});
  stale.steps.push_back({"ex", "k", 1, "{}"});
  stale.erases.push_back({"agents", "a"});
  stale.events.push_back({5, "t", "{}"});
  Status status = store_->apply(stale);
  EXPECT_EQ(status.code(), StatusCode::kAborted) << status.toString();
  EXPECT_FALSE(store_->get("tasks", "t1")->has_value());
  EXPECT_TRUE(store_->steps("ex")->empty());
  EXPECT_EQ(must(store_->lastEventId()), 5);
}

TEST_P(StorageContract, MalformedElementsRejectTheWholeBatch) {
  ASSERT_TRUE(store_->apply(puts("keep", {"k"})).ok());
  std::vector<WriteBatch> bad(6, puts("tasks", {"t1"}));
  bad[0].puts.push_back({"tasks", "", "{}"});
  bad[1].steps.push_back({"ex", "", 1, "{}"});
  bad[2].events = {{3, "t", "{}"}, {2, "t", "{}"}};
  bad[3].erases.push_back({"tasks", "t1"});
  bad[4].events.push_back({0, "t", "{}"});
  bad[5].puts.push_back({"tasks", "t2", ""});
  for (std::size_t i = 0; i < bad.size(); ++i) {
    Status status = store_->apply(bad[i]);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << i << ": " << status.toString();
  }
  EXPECT_FALSE(store_->get("tasks", "t1")->has_value());
  EXPECT_EQ(must(store_->lastEventId()), 0);
  EXPECT_TRUE(store_->get("keep", "k")->has_value());
  EXPECT_TRUE(store_->apply(WriteBatch()).ok());  // an empty batch is fine
}

TEST_P(StorageContract, ConcurrentWritersLoseNothing) {
  constexpr int kThreads = 4;
  constexpr int kBatches = 150;
  std::atomic<int> aborted_retries{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kBatches; ++i) {
        const std::string id = std::to_string(t) + "-" + std::to_string(1000 + i);
        while (true) {
          WriteBatch batch = puts("c", {id});
          batch.steps.push_back({"ex" + std::to_string(t), id, i, "{}"});
          auto last = store_->lastEventId();
          if (!last.ok()) return;
          batch.events.push_back({*last + 1, "w/" + std::to_string(t), "{}"});
          Status status = store_->apply(batch);
          if (status.ok()) break;
          if (status.code() != StatusCode::kAborted && status.code() != StatusCode::kUnavailable) {
            ADD_FAILURE() << status.toString();
            return;
          }
          ++aborted_retries;
          EXPECT_TRUE(store_->get("c", id).ok());  // reads interleave with writes
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  EXPECT_EQ(store_->list("c", "", 100000)->size(), std::size_t{kThreads * kBatches});
  auto events = store_->events(0, 100000, "");
  ASSERT_EQ(events->size(), std::size_t{kThreads * kBatches});
  for (std::size_t i = 0; i < events->size(); ++i) EXPECT_EQ((*events)[i].id, std::int64_t(i + 1));
  for (int t = 0; t < kThreads; ++t) {
    auto journal = store_->steps("ex" + std::to_string(t));
    ASSERT_EQ(journal->size(), std::size_t{kBatches});
    for (int i = 0; i < kBatches; ++i) EXPECT_EQ((*journal)[i].seq, i);
  }
}

TEST_P(StorageContract, LargeValuesRoundTrip) {
  const std::string big = "{\"text\":\"" + std::string(1 << 20, 'x') + "\u00e9\"}";
  WriteBatch batch;
  batch.puts.push_back({"big", "one", big});
  ASSERT_TRUE(store_->apply(batch).ok());
  EXPECT_EQ(must(store_->get("big", "one")).value(), big);
}

TEST_P(StorageContract, ReopenKeepsEverything) {
  if (!persistent()) GTEST_SKIP() << GetParam() << " keeps nothing across instances by design";
  WriteBatch batch = puts("agents", {"a1", "a2"});
  batch.steps.push_back({"ex", "s1", 7, R"({"done":true})"});
  batch.events.push_back({42, "agent/a1", "{}"});
  ASSERT_TRUE(store_->apply(batch).ok());
  WriteBatch erase;
  erase.erases.push_back({"agents", "a2"});
  ASSERT_TRUE(store_->apply(erase).ok());
  reopen();
  EXPECT_EQ(ids(must(store_->list("agents", "", 10))), (std::vector<std::string>{"a1"}));
  ASSERT_EQ(store_->steps("ex")->size(), 1u);
  EXPECT_EQ(store_->steps("ex")->front().seq, 7);
  EXPECT_EQ(must(store_->lastEventId()), 42);
  EXPECT_EQ(store_->events(0, 10, "agent/")->front().id, 42);
}

INSTANTIATE_TEST_SUITE_P(Backends, StorageContract, ::testing::Values("memory", "sqlite"),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           return param.param;
                         });

}  // namespace
}  // namespace switchboard::plugins
