// AgentService: what survives a restart of the gateway (a new service on the same store).
#include <gtest/gtest.h>

#include <set>

#include "tests/core/agents/agent_test_fixture.hpp"

namespace switchboard::testing {
namespace {

using core::AgentAction;
using core::AgentStatus;

TEST_F(AgentServiceTest, AgentsAndCountersSurviveARestart) {
  std::string busy = mustCreate("busy", {"x"}, {{"reply", "again"}}).id;
  std::string paused = mustCreate("paused").id;
  std::string created = [&] {
    core::AgentCreateRequest r = request("created");
    r.start = false;
    return service_->create(r)->id;
  }();
  ASSERT_TRUE(service_->control(paused, AgentAction::kPause, "by test").ok());
  ASSERT_TRUE(service_->resolve(busy, "").ok());
  ASSERT_TRUE(service_->resolve(busy, "").ok());
  service_->callFinished(busy, Status(), fakeUsage(), 7);
  // One call is still in flight when the gateway goes away.
  service_.reset();

  service_ = makeService();
  Result<std::int64_t> loaded = service_->load();
  ASSERT_TRUE(loaded.ok()) << loaded.status().toString();
  EXPECT_EQ(*loaded, 3);
  core::AgentRecord b = service_->get("busy").value();
  EXPECT_EQ(b.id, busy);
  EXPECT_EQ(b.status, AgentStatus::kIdle);  // nothing is in flight after a restart
  EXPECT_EQ(b.in_flight, 0);
  EXPECT_EQ(b.counters.requests, 1);
  EXPECT_EQ(b.counters.input_tokens, 10);
  EXPECT_EQ(b.capabilities, std::vector<std::string>{"x"});
  EXPECT_EQ(b.config, nlohmann::json({{"reply", "again"}}));
  core::AgentRecord p = service_->get(paused).value();
  EXPECT_EQ(p.status, AgentStatus::kPaused);
  EXPECT_EQ(p.status_reason, "by test");
  EXPECT_EQ(service_->get(created)->status, AgentStatus::kCreated);

  // Runtimes come back lazily, on first use.
  int made = catalog_.type->created.load();
  Result<core::AskResult> r = service_->ask("busy", "hi", std::chrono::seconds(5));
  ASSERT_TRUE(r.ok()) << r.status().toString();
  EXPECT_EQ(r->text, "again");
  EXPECT_EQ(catalog_.type->created.load(), made + 1);
  EXPECT_TRUE(service_->get("busy")->counters.requests == 2);
  EXPECT_EQ(service_->create(request("busy")).status().code(), StatusCode::kAlreadyExists);
}

TEST_F(AgentServiceTest, ReloadedAgentWhoseTypeIsGoneGoesToError) {
  std::string id = mustCreate("orphan").id;
  service_ = makeService();
  ASSERT_TRUE(service_->load().ok());
  catalog_.available = false;
  Result<core::AgentHandle> h = service_->resolve(id, "");
  ASSERT_EQ(h.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(h.status().message().find("could not be started"), std::string::npos)
      << h.status().message();
  EXPECT_EQ(service_->get(id)->status, AgentStatus::kError);
  EXPECT_EQ(storedAgent(id)["status"], "error");
  catalog_.available = true;
  ASSERT_TRUE(service_->control(id, AgentAction::kRestart).ok());
  EXPECT_TRUE(service_->resolve(id, "").ok());
}

TEST_F(AgentServiceTest, ResolveByCapabilityAfterARestartMakesRuntimesAsNeeded) {
  std::set<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.insert(mustCreate("pool" + std::to_string(i), {"x"}).id);
  // One of them cannot get a runtime any more: it drops out, the others serve.
  std::string broken = *ids.begin();
  core::AgentUpdate reject;
  reject.config = nlohmann::json{{"reject", true}};
  ASSERT_TRUE(service_->control(broken, AgentAction::kStop).ok());
  ASSERT_TRUE(service_->update(broken, reject).ok());
  store_->putRaw("agents", broken, [&] {
    nlohmann::json j = storedAgent(broken);
    j["status"] = "idle";
    return j.dump();
  }());
  service_ = makeService();
  ASSERT_EQ(service_->load().value(), 5);
  std::set<std::string> served;
  for (int i = 0; i < 8; ++i) {
    Result<core::AgentHandle> h = service_->resolve("", "x");
    ASSERT_TRUE(h.ok()) << h.status().toString();
    served.insert(h->agent_id);
    service_->callFinished(h->agent_id, Status(), {}, 1);
  }
  EXPECT_EQ(served.size(), 4u);
  EXPECT_FALSE(served.count(broken));
  EXPECT_EQ(service_->get(broken)->status, AgentStatus::kError);
}

TEST_F(AgentServiceTest, UnreadableStoredRecordsAreSkipped) {
  mustCreate("good");
  store_->putRaw("agents", "ag_broken1", "{not json");
  store_->putRaw("agents", "ag_broken2",
                 R"({"id": "ag_broken2", "name": "n", "type": "t", "status": "busy"})");
  service_ = makeService();
  Result<std::int64_t> loaded = service_->load();
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(*loaded, 1);
  EXPECT_TRUE(service_->get("good").ok());
}

TEST_F(AgentServiceTest, DeletedAgentsStayDeletedAfterARestart) {
  std::string id = mustCreate("gone").id;
  ASSERT_TRUE(service_->remove(id, false).ok());
  service_ = makeService();
  ASSERT_TRUE(service_->load().ok());
  EXPECT_EQ(service_->get(id).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(service_->create(request("gone")).ok());
}

}  // namespace
}  // namespace switchboard::testing
