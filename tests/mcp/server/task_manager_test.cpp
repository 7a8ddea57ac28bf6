#include "mcp/server/task_manager.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>

namespace switchboard::mcp::server {
namespace {

// A backing that owns the ids it was given.
class FakeBacking : public TaskBacking {
 public:
  explicit FakeBacking(std::set<std::string> ids) : ids_(std::move(ids)) {}
  Result<TaskState> load(const std::string& id) override {
    ++loads;
    if (!ids_.count(id)) return Status::notFound("not mine");
    TaskState s;
    s.task_id = id;
    s.status = TaskStatus::kCompleted;
    s.result = {{"content", nlohmann::json::array()}};
    return s;
  }
  Status cancel(const std::string&) override { return Status(); }
  Status update(const std::string&, const nlohmann::json&) override { return Status(); }
  int loads = 0;

 private:
  std::set<std::string> ids_;
};

TEST(TaskManager, IdsAre128RandomBitsInHex) {
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    std::string id = TaskManager::newId();
    ASSERT_EQ(id.size(), 32u);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 2000u);
}

TEST(TaskManager, RefusesTasksBeyondTheCapUntilSomeExpire) {
  TaskManager manager({2, 60, 100}, nullptr);
  ASSERT_TRUE(manager.create().ok());
  ASSERT_TRUE(manager.create().ok());
  Result<std::shared_ptr<ServerTask>> third = manager.create();
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.status().code(), StatusCode::kResourceExhausted);
  std::this_thread::sleep_for(std::chrono::milliseconds(80));
  EXPECT_TRUE(manager.create().ok());
  EXPECT_EQ(manager.size(), 1u);
}

TEST(TaskManager, KeepsATaskForItsTtlThenForgetsItAndCancelsItsHandler) {
  TaskManager manager({10, 150, 100}, nullptr);
  Result<std::shared_ptr<ServerTask>> task = manager.create();
  ASSERT_TRUE(task.ok());
  std::string id = (*task)->id();
  std::shared_ptr<std::atomic<bool>> cancel = (*task)->cancelFlag();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  Result<TaskState> state = manager.state(id);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->ttl_ms, 150);
  EXPECT_FALSE(cancel->load());
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  state = manager.state(id);
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(cancel->load());
}

TEST(TaskManager, FindsBackedTasksThroughTheBackingsAndRemembersTheOwner) {
  auto mine = std::make_shared<FakeBacking>(std::set<std::string>{"abc"});
  auto other = std::make_shared<FakeBacking>(std::set<std::string>{});
  TaskManager manager({10, 60000, 100}, [&] {
    return std::vector<std::shared_ptr<TaskBacking>>{other, mine};
  });
  Result<TaskManager::Found> found = manager.find("abc");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->backing, mine);
  EXPECT_FALSE(found->task);
  int other_loads = other->loads;
  ASSERT_TRUE(manager.state("abc").ok());
  EXPECT_EQ(other->loads, other_loads);  // remembered: the other backing is not asked again
  Result<TaskState> unknown = manager.state("nobody");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
}

TEST(TaskManager, ShutdownCancelsAndForgetsEveryTask) {
  TaskManager manager({10, 60000, 100}, nullptr);
  Result<std::shared_ptr<ServerTask>> task = manager.create();
  ASSERT_TRUE(task.ok());
  manager.shutdown();
  EXPECT_TRUE((*task)->cancelFlag()->load());
  EXPECT_EQ(manager.size(), 0u);
  // A handler that reaches create() after shutdown gets no task nothing would cancel.
  Result<std::shared_ptr<ServerTask>> late = manager.create();
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(manager.size(), 0u);
}

}  // namespace
}  // namespace switchboard::mcp::server
