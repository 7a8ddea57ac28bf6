#include "core/events/event_hub.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/core/engine/support/test_storage.hpp"

namespace switchboard::core {
namespace {

using Clock = std::chrono::steady_clock;

TEST(EventHub, IdsIncreaseAndContinueAfterReopen) {
  testing::MemoryStore store;
  {
    EventHub hub(&store);
    ASSERT_TRUE(hub.open().ok());
    ASSERT_TRUE(hub.publish("agent/a1", "agent.created", "{\"x\":1}").ok());
    ASSERT_TRUE(hub.publish("task/t1", "task.created", "{}").ok());
    EXPECT_EQ(hub.lastId(), 2);
  }
  EventHub hub(&store);
  ASSERT_TRUE(hub.open().ok());
  ASSERT_TRUE(hub.publish("agent/a1", "agent.updated", "{}").ok());
  Result<std::vector<Event>> all = hub.history(0, 100, "");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[2].id, 3);
  EXPECT_EQ((*all)[0].type, "agent.created");
  EXPECT_EQ((*all)[0].data_json, "{\"x\":1}");
  nlohmann::json j = nlohmann::json::parse((*all)[0].toJson());
  EXPECT_EQ(j["topic"], "agent/a1");
  EXPECT_EQ(j["data"]["x"], 1);
  Result<std::vector<Event>> agents = hub.history(0, 100, "agent/");
  ASSERT_TRUE(agents.ok());
  EXPECT_EQ(agents->size(), 2u);
  Result<std::vector<Event>> after = hub.history(1, 1, "");
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].id, 2);
}

TEST(EventHub, PendingEventsCommitWithTheBatchAndDeliverByPrefix) {
  testing::MemoryStore store;
  EventHub hub(&store);
  ASSERT_TRUE(hub.open().ok());
  std::mutex mu;
  std::vector<std::int64_t> got;
  hub.subscribe("execution/ex1", [&](const std::vector<Event>& events, std::uint64_t missed) {
    EXPECT_EQ(missed, 0u);
    std::lock_guard<std::mutex> lock(mu);
    for (const Event& e : events) got.push_back(e.id);
  });
  WriteBatch batch;
  batch.puts.push_back(Record{"executions", "ex1", "{}"});
  std::vector<Event> staged;
  staged.push_back(EventHub::pending("execution/ex1", "step.settled", "{}"));
  staged.push_back(EventHub::pending("execution/ex2", "step.settled", "{}"));
  staged.push_back(EventHub::pending("execution/ex1", "execution.status", "{}"));
  ASSERT_TRUE(hub.commit(&store, batch, staged).ok());
  EXPECT_EQ(batch.events.size(), 3u);
  EXPECT_EQ(hub.history(0, 10, "").value().size(), 3u);
  EXPECT_TRUE(store.get("executions", "ex1").value().has_value());
  for (int i = 0; i < 200; ++i) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (got.size() == 2) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(got, (std::vector<std::int64_t>{1, 3}));
}

TEST(EventHub, SlowSubscriberNeverBlocksThePublisherAndLearnsWhatItMissed) {
  EventHub hub(nullptr, /*max_queue_per_subscriber=*/10);
  std::atomic<std::uint64_t> missed{0};
  std::atomic<int> received{0};
  std::atomic<std::int64_t> last_id{0};
  hub.subscribe("", [&](const std::vector<Event>& events, std::uint64_t m) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    missed += m;
    received += static_cast<int>(events.size());
    last_id = events.back().id;
  });
  auto t0 = Clock::now();
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(hub.publish("agent/x", "tick", "{}").ok());
  auto elapsed = Clock::now() - t0;
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count(), 90);
  for (int i = 0; i < 300 && last_id < 1000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(last_id.load(), 1000);
  EXPECT_GT(missed.load(), 0u);
  EXPECT_EQ(received.load() + static_cast<int>(missed.load()), 1000);
}

TEST(EventHub, UnsubscribeWaitsForARunningCallbackAndWorksFromInsideOne) {
  EventHub hub(nullptr);
  std::atomic<bool> in_callback{false};
  std::atomic<bool> callback_done{false};
  std::uint64_t slow = hub.subscribe("", [&](const std::vector<Event>&, std::uint64_t) {
    in_callback = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    callback_done = true;
  });
  ASSERT_TRUE(hub.publish("task/1", "x", "{}").ok());
  while (!in_callback) std::this_thread::yield();
  hub.unsubscribe(slow);
  EXPECT_TRUE(callback_done.load());

  std::atomic<int> calls{0};
  std::uint64_t self = 0;
  self = hub.subscribe("", [&](const std::vector<Event>&, std::uint64_t) {
    ++calls;
    hub.unsubscribe(self);
  });
  ASSERT_TRUE(hub.publish("task/1", "x", "{}").ok());
  for (int i = 0; i < 100 && calls == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ASSERT_TRUE(hub.publish("task/1", "x", "{}").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(hub.history(0, 1, "").status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace switchboard::core
