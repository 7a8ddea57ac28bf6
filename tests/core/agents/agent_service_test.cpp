// AgentService: create, list, get, update, delete, validation and events.
#include <gtest/gtest.h>

#include "tests/core/agents/agent_test_fixture.hpp"

namespace switchboard::testing {
namespace {

using core::AgentStatus;

TEST_F(AgentServiceTest, CreateStartsTheAgentStoresItAndEmitsAnEvent) {
  core::AgentCreateRequest r = request("writer", {"write", "edit"});
  r.model = "m1";
  r.system_prompt = "You write.";
  r.limits.max_concurrent = 2;
  Result<core::AgentRecord> created = service_->create(r);
  ASSERT_TRUE(created.ok()) << created.status().toString();
  EXPECT_EQ(created->id.rfind("ag_", 0), 0u);
  EXPECT_EQ(created->id.size(), 16u);
  EXPECT_EQ(created->type, "test.agent.fake");
  EXPECT_EQ(created->status, AgentStatus::kIdle);
  EXPECT_EQ(created->limits.max_concurrent, 2);
  EXPECT_FALSE(created->created_at.empty());
  EXPECT_EQ(catalog_.type->created.load(), 1);

  auto json = storedAgent(created->id);
  EXPECT_EQ(json["name"], "writer");
  EXPECT_EQ(json["status"], "idle");
  EXPECT_EQ(json["capabilities"], nlohmann::json({"write", "edit"}));

  auto seen = events();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].topic, "agent/" + created->id);
  EXPECT_EQ(seen[0].type, "agent.created");
  EXPECT_EQ(seen[0].data["agent"]["name"], "writer");
}

TEST_F(AgentServiceTest, CreateWithoutStartStaysCreatedWithoutRuntime) {
  core::AgentCreateRequest r = request("later");
  r.start = false;
  Result<core::AgentRecord> created = service_->create(r);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->status, AgentStatus::kCreated);
  EXPECT_EQ(catalog_.type->created.load(), 0);
  Result<core::AgentHandle> h = service_->resolve(created->id, "");
  EXPECT_EQ(h.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(h.status().message().find("not started"), std::string::npos) << h.status().message();
}

TEST_F(AgentServiceTest, UnknownTypeIsNotFoundAndListsLoadedTypes) {
  core::AgentCreateRequest r = request("x");
  r.type = "nosuch";
  Result<core::AgentRecord> created = service_->create(r);
  ASSERT_EQ(created.status().code(), StatusCode::kNotFound);
  EXPECT_NE(created.status().message().find("unknown agent type 'nosuch'"), std::string::npos);
  EXPECT_NE(created.status().message().find("test.agent.fake"), std::string::npos);
  catalog_.available = false;
  created = service_->create(request("y"));
  EXPECT_NE(created.status().message().find("(none loaded)"), std::string::npos)
      << created.status().message();
}

TEST_F(AgentServiceTest, FullTypeNameIsAccepted) {
  core::AgentCreateRequest r = request("full");
  r.type = "test.agent.fake";
  EXPECT_TRUE(service_->create(r).ok());
}

TEST_F(AgentServiceTest, DuplicateNameIsAlreadyExists) {
  core::AgentRecord first = mustCreate("dup");
  Result<core::AgentRecord> again = service_->create(request("dup"));
  ASSERT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(again.status().message().find(first.id), std::string::npos);
}

TEST_F(AgentServiceTest, ConfigIsValidatedAgainstTheTypeSchema) {
  Result<core::AgentRecord> bad = service_->create(request("c1", {}, {{"bogus", 1}}));
  ASSERT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("config rejected by test.agent.fake"), std::string::npos)
      << bad.status().message();
  bad = service_->create(request("c2", {}, {{"delay_ms", "soon"}}));
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  bad = service_->create(request("c3", {}, nlohmann::json::array()));
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(service_->create(request("c4", {}, {{"reply", "hi"}, {"delay_ms", 5}})).ok());
}

TEST_F(AgentServiceTest, TypeRefusingTheSpecFailsCreate) {
  Result<core::AgentRecord> bad = service_->create(request("r", {}, {{"reject", true}}));
  ASSERT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("rejected"), std::string::npos);
  EXPECT_FALSE(service_->get("r").ok());
}

TEST_F(AgentServiceTest, BadNamesCapabilitiesAndLimitsAreInvalidArgument) {
  for (const std::string& name :
       std::vector<std::string>{"", " lead", "ag_x", "semi;colon", std::string(65, 'a')}) {
    EXPECT_EQ(service_->create(request(name)).status().code(), StatusCode::kInvalidArgument)
        << name;
  }
  EXPECT_EQ(service_->create(request("ok", {"has space"})).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(service_->create(request("ok", {""})).status().code(), StatusCode::kInvalidArgument);
  core::AgentCreateRequest r = request("ok");
  r.limits.budget.max_tokens = -1;
  Result<core::AgentRecord> bad = service_->create(r);
  ASSERT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("limits.budget.max_tokens"), std::string::npos);
  EXPECT_TRUE(service_->create(request("Code Reviewer-2.b", {"review", "review"})).ok());
  EXPECT_EQ(service_->get("Code Reviewer-2.b")->capabilities, std::vector<std::string>{"review"});
}

TEST_F(AgentServiceTest, LimitsFromJsonRejectsUnknownKeysAndWrongTypes) {
  EXPECT_TRUE(core::limitsFromJson({{"timeout_ms", 10}, {"budget", {{"max_cost_usd", 1.5}}}}).ok());
  EXPECT_EQ(core::limitsFromJson({{"timeout", 10}}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(core::limitsFromJson({{"timeout_ms", 1.5}}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(core::limitsFromJson({{"budget", {{"max_turns", "3"}}}}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(core::limitsFromJson(nlohmann::json::array()).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(AgentServiceTest, GetFindsByIdOrName) {
  core::AgentRecord a = mustCreate("finder");
  EXPECT_EQ(service_->get(a.id)->name, "finder");
  EXPECT_EQ(service_->get("finder")->id, a.id);
  Result<core::AgentRecord> missing = service_->get("nobody");
  ASSERT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("agent_list"), std::string::npos);
}

TEST_F(AgentServiceTest, ListFiltersAndPagesInCreationOrder) {
  std::vector<std::string> ids;
  for (int i = 0; i < 7; ++i) {
    core::AgentCreateRequest r =
        request("a" + std::to_string(i),
                i % 2 ? std::vector<std::string>{"odd"} : std::vector<std::string>{"even"});
    r.role = i < 3 ? "planner" : "worker";
    ids.push_back(service_->create(r)->id);
  }
  ASSERT_TRUE(service_->control("a6", core::AgentAction::kPause).ok());

  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    Result<core::AgentPage> page = service_->list({}, cursor, 3);
    ASSERT_TRUE(page.ok());
    for (const auto& a : page->agents) seen.push_back(a.id);
    cursor = page->next_cursor;
    ++pages;
  } while (!cursor.empty());
  EXPECT_EQ(seen, ids);
  EXPECT_EQ(pages, 3);

  core::AgentFilter odd;
  odd.capability = "odd";
  EXPECT_EQ(service_->list(odd, "", 0)->agents.size(), 3u);
  core::AgentFilter planners;
  planners.role = "planner";
  EXPECT_EQ(service_->list(planners, "", 0)->agents.size(), 3u);
  core::AgentFilter paused;
  paused.status = AgentStatus::kPaused;
  auto p = service_->list(paused, "", 0);
  ASSERT_EQ(p->agents.size(), 1u);
  EXPECT_EQ(p->agents[0].name, "a6");
  EXPECT_EQ(service_->list({}, "garbage", 0).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(AgentServiceTest, UpdateChangesFieldsAndRecreatesTheRuntimeOnSpecChanges) {
  core::AgentRecord a = mustCreate("upd", {"x"});
  std::shared_ptr<Agent> before = service_->resolve(a.id, "")->agent;
  service_->callFinished(a.id, Status(), {}, 1);

  core::AgentUpdate caps;
  caps.capabilities = std::vector<std::string>{"y", "z"};
  caps.limits = core::AgentLimits{100, 3, {}};
  Result<core::AgentRecord> u = service_->update("upd", caps);
  ASSERT_TRUE(u.ok()) << u.status().toString();
  EXPECT_EQ(u->capabilities, (std::vector<std::string>{"y", "z"}));
  EXPECT_EQ(u->limits.max_concurrent, 3);
  EXPECT_EQ(service_->resolve(a.id, "")->agent, before);  // not a runtime change
  service_->callFinished(a.id, Status(), {}, 1);

  core::AgentUpdate prompt;
  prompt.system_prompt = "new prompt";
  prompt.config = nlohmann::json{{"reply", "changed"}};
  u = service_->update(a.id, prompt);
  ASSERT_TRUE(u.ok()) << u.status().toString();
  EXPECT_EQ(u->system_prompt, "new prompt");
  EXPECT_NE(service_->resolve(a.id, "")->agent, before);
  service_->callFinished(a.id, Status(), {}, 1);
  EXPECT_EQ(catalog_.type->created.load(), 2);
  Result<core::AskResult> asked = service_->ask(a.id, "hi", std::chrono::seconds(5));
  ASSERT_TRUE(asked.ok());
  EXPECT_EQ(asked->text, "changed");

  auto stored = storedAgent(a.id);
  EXPECT_EQ(stored["system_prompt"], "new prompt");
  int updates = 0;
  for (const auto& e : events()) updates += e.type == "agent.updated" ? 1 : 0;
  EXPECT_EQ(updates, 2);
}

TEST_F(AgentServiceTest, UpdateRejectsBadChangesAndLeavesTheAgentAsItWas) {
  core::AgentRecord a = mustCreate("keep");
  mustCreate("taken");
  core::AgentUpdate rename;
  rename.name = "taken";
  EXPECT_EQ(service_->update(a.id, rename).status().code(), StatusCode::kAlreadyExists);
  core::AgentUpdate bad_config;
  bad_config.config = nlohmann::json{{"nope", true}};
  EXPECT_EQ(service_->update(a.id, bad_config).status().code(), StatusCode::kInvalidArgument);
  core::AgentUpdate rejected;
  rejected.config = nlohmann::json{{"reject", true}};
  EXPECT_EQ(service_->update(a.id, rejected).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(service_->get(a.id)->config, nlohmann::json::object());
  EXPECT_EQ(service_->update("ghost", rename).status().code(), StatusCode::kNotFound);

  rename.name = "renamed";
  ASSERT_TRUE(service_->update(a.id, rename).ok());
  EXPECT_TRUE(service_->get("renamed").ok());
  EXPECT_FALSE(service_->get("keep").ok());
  EXPECT_TRUE(service_->create(request("keep")).ok());  // the old name is free again
}

TEST_F(AgentServiceTest, DeleteIsRefusedWhileBusyUnlessForced) {
  core::AgentRecord a = mustCreate("del");
  ASSERT_TRUE(service_->resolve(a.id, "").ok());
  Status refused = service_->remove(a.id, false);
  ASSERT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("busy with 1 call"), std::string::npos) << refused.message();
  EXPECT_TRUE(service_->remove("del", true).ok());
  EXPECT_EQ(service_->get(a.id).status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(store_->get("agents", a.id)->has_value());
  service_->callFinished(a.id, Status(), {}, 1);  // a late report for a deleted agent is ignored
  EXPECT_EQ(service_->remove(a.id, false).code(), StatusCode::kNotFound);
  EXPECT_EQ(events().back().type, "agent.deleted");

  core::AgentRecord b = mustCreate("del2");
  EXPECT_TRUE(service_->remove(b.id, false).ok());
}

TEST_F(AgentServiceTest, CreateIsUndoneWhenTheStoreRefusesIt) {
  store_->fail_writes = true;
  Result<core::AgentRecord> r = service_->create(request("nostore"));
  ASSERT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("not created"), std::string::npos);
  EXPECT_EQ(service_->get("nostore").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(events().empty());
  store_->fail_writes = false;
  EXPECT_TRUE(service_->create(request("nostore")).ok());
}

}  // namespace
}  // namespace switchboard::testing
