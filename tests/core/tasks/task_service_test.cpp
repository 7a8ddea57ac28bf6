// TaskService: create, list, get, update, validation, persistence and concurrency.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "tests/core/tasks/task_test_fixture.hpp"

namespace switchboard::testing {
namespace {

using core::TaskPriority;
using core::TaskStatus;

TEST_F(TaskServiceTest, CreateStoresTheTaskAndEmitsAnEvent) {
  core::TaskCreateRequest r;
  r.title = "Write the intro";
  r.description = "Two paragraphs.";
  r.expected_output = "markdown";
  r.priority = TaskPriority::kHigh;
  r.required_capabilities = {"write", "write"};
  Result<core::TaskRecord> t = service_->create(r, "client");
  ASSERT_TRUE(t.ok()) << t.status().toString();
  EXPECT_EQ(t->id.rfind("tk_", 0), 0u);
  EXPECT_EQ(t->status, TaskStatus::kReady);
  EXPECT_EQ(t->required_capabilities, std::vector<std::string>{"write"});
  EXPECT_TRUE(t->result.is_null());
  EXPECT_EQ(stored(t->id)["title"], "Write the intro");
  EXPECT_EQ(stored(t->id)["priority"], "high");
  ASSERT_EQ(events().size(), 1u);
  EXPECT_EQ(events()[0].topic, "task/" + t->id);
  EXPECT_EQ(events()[0].type, "task.created");
  EXPECT_EQ(events()[0].data["task"]["status"], "ready");
}

TEST_F(TaskServiceTest, CreateValidatesItsInput) {
  core::TaskCreateRequest r;
  EXPECT_EQ(service_->create(r).status().code(), StatusCode::kInvalidArgument);
  r.title = std::string(201, 't');
  EXPECT_EQ(service_->create(r).status().code(), StatusCode::kInvalidArgument);
  r.title = "ok";
  r.required_capabilities = {"has space"};
  EXPECT_EQ(service_->create(r).status().code(), StatusCode::kInvalidArgument);
  r.required_capabilities = {};
  r.depends_on = {"tk_nope1", "tk_nope2"};
  Result<core::TaskRecord> t = service_->create(r);
  ASSERT_EQ(t.status().code(), StatusCode::kNotFound);
  EXPECT_NE(t.status().message().find("unknown dependency ids: tk_nope1, tk_nope2"),
            std::string::npos);
  r.depends_on = {};
  r.parent_id = "tk_parent";
  EXPECT_EQ(service_->create(r).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->count("tasks"), 0u);
}

TEST_F(TaskServiceTest, AssignedAgentIsCheckedAndMakesTheTaskAssigned) {
  service_ = makeService({[](const std::string& agent) {
    return agent == "writer" ? Status() : Status::notFound("no agent '" + agent + "'");
  }});
  core::TaskCreateRequest r;
  r.title = "t";
  r.assigned_agent = "ghost";
  Result<core::TaskRecord> t = service_->create(r);
  ASSERT_EQ(t.status().code(), StatusCode::kNotFound);
  EXPECT_NE(t.status().message().find("assigned_agent: no agent 'ghost'"), std::string::npos);
  r.assigned_agent = "writer";
  EXPECT_EQ(service_->create(r)->status, TaskStatus::kAssigned);
}

TEST_F(TaskServiceTest, ListSortsByPriorityThenAgeFiltersAndPages) {
  std::string low = mustCreate("low", {}, TaskPriority::kLow);
  std::string n1 = mustCreate("n1");
  std::string crit = mustCreate("crit", {}, TaskPriority::kCritical);
  std::string n2 = mustCreate("n2", {n1});
  std::string high = mustCreate("high", {}, TaskPriority::kHigh);
  std::string sub = mustCreate("sub", {}, TaskPriority::kNormal, crit);

  std::vector<std::string> order;
  std::string cursor;
  do {
    Result<core::TaskPage> page = service_->list({}, cursor, 2);
    ASSERT_TRUE(page.ok()) << page.status().toString();
    for (const auto& t : page->tasks) order.push_back(t.id);
    cursor = page->next_cursor;
  } while (!cursor.empty());
  EXPECT_EQ(order, (std::vector<std::string>{crit, high, n1, n2, sub, low}));

  core::TaskFilter pending;
  pending.status = TaskStatus::kPending;
  ASSERT_EQ(service_->list(pending, "", 0)->tasks.size(), 1u);
  EXPECT_EQ(service_->list(pending, "", 0)->tasks[0].id, n2);
  core::TaskFilter children;
  children.parent_id = crit;
  ASSERT_EQ(service_->list(children, "", 0)->tasks.size(), 1u);
  core::TaskFilter roots;
  roots.parent_id = "";
  EXPECT_EQ(service_->list(roots, "", 0)->tasks.size(), 5u);
  EXPECT_EQ(service_->get(crit)->subtasks, std::vector<std::string>{sub});
  EXPECT_EQ(service_->list({}, "bogus", 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(service_->get("tk_missing").status().code(), StatusCode::kNotFound);
}

TEST_F(TaskServiceTest, UpdateRecordsARevisionWithTheChangedFields) {
  std::string id = mustCreate("draft");
  core::TaskUpdate u;
  u.title = "final";
  u.priority = TaskPriority::kCritical;
  u.description = "";  // unchanged: not part of the revision
  Result<core::TaskRecord> t = service_->update(id, u, "editor");
  ASSERT_TRUE(t.ok()) << t.status().toString();
  EXPECT_EQ(t->title, "final");
  ASSERT_EQ(t->revisions.size(), 1u);
  EXPECT_EQ(t->revisions[0].by, "editor");
  EXPECT_EQ(t->revisions[0].change, nlohmann::json({{"title", "final"}, {"priority", "critical"}}));
  EXPECT_EQ(stored(id)["revisions"].size(), 1u);
  EXPECT_EQ(events().back().type, "task.updated");
  std::size_t before = events().size();
  EXPECT_EQ(service_->update(id, u, "editor")->revisions.size(), 1u);  // no change, no revision
  EXPECT_EQ(events().size(), before);
  core::TaskUpdate bad;
  bad.title = "";
  EXPECT_EQ(service_->update(id, bad).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(service_->update("tk_none", u).status().code(), StatusCode::kNotFound);
}

TEST_F(TaskServiceTest, DependencyCyclesAndUnknownIdsAreRejectedWithTheIds) {
  std::string a = mustCreate("a");
  std::string b = mustCreate("b", {a});
  std::string c = mustCreate("c", {b});
  core::TaskUpdate u;
  u.depends_on = std::vector<std::string>{c};
  Result<core::TaskRecord> r = service_->update(a, u);
  ASSERT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find(a + " -> " + c + " -> " + b + " -> " + a), std::string::npos)
      << r.status().message();
  u.depends_on = std::vector<std::string>{a};
  EXPECT_EQ(service_->update(a, u).status().code(), StatusCode::kInvalidArgument);
  u.depends_on = std::vector<std::string>{"tk_zzz"};
  r = service_->update(a, u);
  ASSERT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("tk_zzz"), std::string::npos);
  EXPECT_TRUE(service_->get(a)->depends_on.empty());
}

TEST_F(TaskServiceTest, ChangingDependenciesRecomputesTheStatus) {
  std::string a = mustCreate("a");
  std::string b = mustCreate("b");
  EXPECT_EQ(statusOf(b), TaskStatus::kReady);
  core::TaskUpdate u;
  u.depends_on = std::vector<std::string>{a};
  ASSERT_TRUE(service_->update(b, u).ok());
  EXPECT_EQ(statusOf(b), TaskStatus::kPending);
  EXPECT_NE(service_->get(b)->status_reason.find(a + " (ready)"), std::string::npos);
  u.depends_on = std::vector<std::string>{};
  ASSERT_TRUE(service_->update(b, u).ok());
  EXPECT_EQ(statusOf(b), TaskStatus::kReady);
  ASSERT_TRUE(service_->markRunning(b, "ag_x").ok());
  u.depends_on = std::vector<std::string>{a};
  Result<core::TaskRecord> r = service_->update(b, u);
  ASSERT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("only before it runs"), std::string::npos);
}

TEST_F(TaskServiceTest, TasksSurviveARestart) {
  std::string a = mustCreate("a");
  std::string b = mustCreate("b", {a}, TaskPriority::kHigh);
  std::string child = mustCreate("child", {}, TaskPriority::kLow, a);
  ASSERT_TRUE(service_->markRunning(a, "ag_1", "engine").ok());
  ASSERT_TRUE(service_->setResult(a, TaskStatus::kCompleted, {{"text", "done"}}, "engine").ok());
  service_ = makeService();
  Result<std::int64_t> loaded = service_->load();
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(*loaded, 3);
  core::TaskRecord ra = service_->get(a).value();
  EXPECT_EQ(ra.status, TaskStatus::kCompleted);
  EXPECT_EQ(ra.result, nlohmann::json({{"text", "done"}}));
  EXPECT_EQ(ra.revisions.size(), 2u);
  EXPECT_EQ(ra.subtasks, std::vector<std::string>{child});
  EXPECT_EQ(statusOf(b), TaskStatus::kReady);
  EXPECT_EQ(service_->get(b)->priority, TaskPriority::kHigh);
  // The dependency index came back too: cancelling b's dependency chain still works.
  std::string d = mustCreate("d", {b});
  ASSERT_TRUE(service_->cancel(b, "not needed").ok());
  EXPECT_EQ(statusOf(d), TaskStatus::kBlocked);
  store_->putRaw("tasks", "tk_broken", "[]");
  service_ = makeService();
  EXPECT_EQ(service_->load().value(), 4);
}

TEST_F(TaskServiceTest, StoreFailuresAreReported) {
  store_->fail_writes = true;
  core::TaskCreateRequest r;
  r.title = "t";
  EXPECT_EQ(service_->create(r).status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(service_->list({}, "", 0)->tasks.size(), 0u);
  store_->fail_writes = false;
  std::string id = mustCreate("t");
  store_->fail_writes = true;
  Result<core::TaskRecord> c = service_->cancel(id, "x");
  ASSERT_EQ(c.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(c.status().message().find("not stored"), std::string::npos);
}

TEST_F(TaskServiceTest, ManyThreadsCreateAndFinishTasksWithoutLosingAny) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  std::string root = mustCreate("root");
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::string prev = root;
      for (int i = 0; i < kPerThread; ++i) {
        core::TaskCreateRequest r;
        r.title = "t" + std::to_string(t) + "." + std::to_string(i);
        r.depends_on = {prev};
        Result<core::TaskRecord> created = service_->create(r);
        ASSERT_TRUE(created.ok()) << created.status().toString();
        prev = created->id;
        if (i % 10 == 0) (void)service_->list({}, "", 20);
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_TRUE(service_->markRunning(root, "").ok());
  ASSERT_TRUE(service_->setResult(root, TaskStatus::kCompleted, "ok").ok());
  core::TaskFilter ready;
  ready.status = TaskStatus::kReady;
  EXPECT_EQ(service_->list(ready, "", 500)->tasks.size(), static_cast<std::size_t>(kThreads));
  std::set<std::string> ids;
  std::string cursor;
  do {
    Result<core::TaskPage> page = service_->list({}, cursor, 97);
    for (const auto& t : page->tasks) ids.insert(t.id);
    cursor = page->next_cursor;
  } while (!cursor.empty());
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kThreads * kPerThread + 1));
  EXPECT_EQ(store_->count("tasks"), ids.size());
}

}  // namespace
}  // namespace switchboard::testing
