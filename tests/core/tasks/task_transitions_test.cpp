// TaskService: readiness, markRunning, setResult, cancel and what happens to dependents.
#include <gtest/gtest.h>

#include "tests/core/tasks/task_test_fixture.hpp"

namespace switchboard::testing {
namespace {

using core::TaskStatus;

TEST_F(TaskServiceTest, ATaskIsReadyWhenAllItsDependenciesAreCompleted) {
  std::string a = mustCreate("a");
  std::string b = mustCreate("b");
  std::string c = mustCreate("c", {a, b});
  EXPECT_EQ(statusOf(c), TaskStatus::kPending);
  EXPECT_FALSE(service_->isReady(c).value());
  EXPECT_TRUE(service_->isReady(a).value());
  ASSERT_TRUE(service_->markRunning(a, "ag_1", "engine").ok());
  ASSERT_TRUE(service_->setResult(a, TaskStatus::kCompleted, "A", "engine").ok());
  EXPECT_EQ(statusOf(c), TaskStatus::kPending);
  EXPECT_EQ(service_->get(c)->status_reason, "waiting for " + b + " (ready)");
  ASSERT_TRUE(
      service_->setResult(b, TaskStatus::kCompleted, "B", "client").ok());  // straight from ready
  EXPECT_EQ(statusOf(c), TaskStatus::kReady);
  EXPECT_TRUE(service_->isReady(c).value());
  EXPECT_EQ(service_->isReady("tk_none").status().code(), StatusCode::kNotFound);
  bool saw_ready_event = false;
  for (const auto& e : events()) {
    saw_ready_event = saw_ready_event || (e.topic == "task/" + c && e.type == "task.status" &&
                                          e.data["to"] == "ready" && e.data["from"] == "pending");
  }
  EXPECT_TRUE(saw_ready_event);
  EXPECT_EQ(stored(c)["status"], "ready");
}

TEST_F(TaskServiceTest, MarkRunningIsLegalOnlyFromReadyAssignedOrFailed) {
  std::string dep = mustCreate("dep");
  std::string pending = mustCreate("pending", {dep});
  Result<core::TaskRecord> r = service_->markRunning(pending, "");
  ASSERT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("pending: waiting for " + dep), std::string::npos)
      << r.status().message();

  Result<core::TaskRecord> running = service_->markRunning(dep, "ag_7", "engine");
  ASSERT_TRUE(running.ok());
  EXPECT_EQ(running->status, TaskStatus::kRunning);
  EXPECT_EQ(running->assigned_agent, "ag_7");
  r = service_->markRunning(dep, "");
  ASSERT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find(
                "is running; only ready, assigned or failed tasks can start running"),
            std::string::npos);
  ASSERT_TRUE(service_->setResult(dep, TaskStatus::kCompleted, "x").ok());
  EXPECT_EQ(service_->markRunning(dep, "").status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(service_->markRunning("tk_none", "").status().code(), StatusCode::kNotFound);

  std::string blocked_dep = mustCreate("bd");
  std::string blocked = mustCreate("blocked", {blocked_dep});
  ASSERT_TRUE(service_->cancel(blocked_dep, "no").ok());
  r = service_->markRunning(blocked, "");
  ASSERT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("blocked: dependency " + blocked_dep + " was cancelled"),
            std::string::npos);
  ASSERT_TRUE(service_->cancel(blocked, "").ok());
  EXPECT_EQ(service_->markRunning(blocked, "").status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(TaskServiceTest, SetResultRecordsRevisionsAndRefusesUnfinishedDependencies) {
  std::string a = mustCreate("a");
  std::string b = mustCreate("b", {a});
  Result<core::TaskRecord> r = service_->setResult(b, TaskStatus::kCompleted, "too early");
  ASSERT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("cannot have a result yet"), std::string::npos);
  EXPECT_EQ(service_->setResult(a, TaskStatus::kRunning, "x").status().code(),
            StatusCode::kInvalidArgument);

  ASSERT_TRUE(service_->markRunning(a, "ag_1").ok());
  ASSERT_TRUE(service_->setResult(a, TaskStatus::kCompleted, {{"v", 1}}, "engine").ok());
  Result<core::TaskRecord> revised =
      service_->setResult(a, TaskStatus::kCompleted, {{"v", 2}}, "reviewer");
  ASSERT_TRUE(revised.ok());
  EXPECT_EQ(revised->result, nlohmann::json({{"v", 2}}));
  ASSERT_EQ(revised->revisions.size(), 3u);  // running, result v1, result v2
  EXPECT_EQ(revised->revisions[1].result, nlohmann::json({{"v", 1}}));
  EXPECT_EQ(revised->revisions[2].by, "reviewer");
  EXPECT_EQ(revised->revisions[2].status, "completed");
  EXPECT_EQ(events().back().type, "task.updated");
  EXPECT_EQ(stored(a)["result"], nlohmann::json({{"v", 2}}));

  std::string c = mustCreate("c");
  ASSERT_TRUE(service_->cancel(c, "stop").ok());
  r = service_->setResult(c, TaskStatus::kCompleted, "late");
  ASSERT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("cancelled"), std::string::npos);
}

TEST_F(TaskServiceTest, AFailureBlocksDependentsTransitivelyAndARetryUnblocksThem) {
  std::string a = mustCreate("a");
  std::string b = mustCreate("b", {a});
  std::string c = mustCreate("c", {b});
  ASSERT_TRUE(service_->markRunning(a, "ag_1").ok());
  ASSERT_TRUE(service_->setResult(a, TaskStatus::kFailed, {{"error", "boom"}}).ok());
  EXPECT_EQ(statusOf(b), TaskStatus::kBlocked);
  EXPECT_EQ(service_->get(b)->status_reason, "dependency " + a + " failed");
  EXPECT_EQ(statusOf(c), TaskStatus::kBlocked);
  EXPECT_EQ(service_->get(c)->status_reason,
            "dependency " + b + " is blocked (dependency " + a + " failed)");
  EXPECT_EQ(stored(c)["status"], "blocked");

  ASSERT_TRUE(service_->markRunning(a, "ag_2").ok());  // retry
  EXPECT_EQ(statusOf(b), TaskStatus::kPending);
  EXPECT_EQ(statusOf(c), TaskStatus::kPending);
  ASSERT_TRUE(service_->setResult(a, TaskStatus::kCompleted, "ok").ok());
  EXPECT_EQ(statusOf(b), TaskStatus::kReady);
  EXPECT_EQ(statusOf(c), TaskStatus::kPending);
}

TEST_F(TaskServiceTest, CancelBlocksDependentsWithTheReasonAndCancelsSubtasks) {
  std::string parent = mustCreate("parent");
  std::string kid1 = mustCreate("kid1", {}, core::TaskPriority::kNormal, parent);
  std::string kid2 = mustCreate("kid2", {}, core::TaskPriority::kNormal, parent);
  std::string grandkid = mustCreate("gk", {}, core::TaskPriority::kNormal, kid1);
  std::string after = mustCreate("after", {parent});
  std::string after_kid = mustCreate("after kid", {kid2});
  ASSERT_TRUE(service_->markRunning(kid2, "ag_1").ok());
  ASSERT_TRUE(service_->setResult(kid2, TaskStatus::kCompleted, "done").ok());
  EXPECT_EQ(statusOf(after_kid), TaskStatus::kReady);

  Result<core::TaskRecord> c = service_->cancel(parent, "scope changed", "client");
  ASSERT_TRUE(c.ok()) << c.status().toString();
  EXPECT_EQ(c->status, TaskStatus::kCancelled);
  EXPECT_EQ(c->status_reason, "scope changed");
  EXPECT_EQ(c->revisions.back().by, "client");
  EXPECT_EQ(statusOf(kid1), TaskStatus::kCancelled);
  EXPECT_EQ(service_->get(kid1)->status_reason, "parent task " + parent + " was cancelled");
  EXPECT_EQ(statusOf(grandkid), TaskStatus::kCancelled);
  EXPECT_EQ(statusOf(kid2), TaskStatus::kCompleted);  // finished subtasks stay finished
  EXPECT_EQ(statusOf(after), TaskStatus::kBlocked);
  EXPECT_EQ(service_->get(after)->status_reason, "dependency " + parent + " was cancelled");
  EXPECT_EQ(statusOf(after_kid), TaskStatus::kReady);
  EXPECT_EQ(stored(grandkid)["status"], "cancelled");
  EXPECT_EQ(stored(after)["status"], "blocked");

  Result<core::TaskRecord> again = service_->cancel(parent, "");
  ASSERT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(again.status().message().find(
                "is cancelled; only pending, ready, assigned, running or blocked"),
            std::string::npos);
  EXPECT_EQ(service_->cancel(kid2, "").status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(service_->cancel("tk_none", "").status().code(), StatusCode::kNotFound);
  core::TaskCreateRequest r;
  r.title = "late child";
  r.parent_id = parent;
  EXPECT_EQ(service_->create(r).status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(TaskServiceTest, CancelIsLegalFromEveryUnfinishedStatus) {
  std::string dep = mustCreate("dep");
  std::string pending = mustCreate("pending", {dep});
  std::string ready = mustCreate("ready");
  std::string running = mustCreate("running");
  ASSERT_TRUE(service_->markRunning(running, "a").ok());
  std::string assigned = mustCreate("assigned");
  core::TaskUpdate assign;
  assign.assigned_agent = "someone";
  ASSERT_TRUE(service_->update(assigned, assign).ok());
  EXPECT_EQ(statusOf(assigned), TaskStatus::kAssigned);
  std::string dep2 = mustCreate("dep2");
  std::string blocked = mustCreate("blocked", {dep2});
  ASSERT_TRUE(service_->cancel(dep2, "").ok());
  for (const std::string& id : {pending, ready, running, assigned, blocked}) {
    EXPECT_TRUE(service_->cancel(id, "bulk").ok()) << id;
    EXPECT_EQ(statusOf(id), TaskStatus::kCancelled);
  }
}

}  // namespace
}  // namespace switchboard::testing
