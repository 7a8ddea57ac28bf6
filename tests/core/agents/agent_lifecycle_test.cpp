// AgentService: every lifecycle action from every status, legal or not.
#include <gtest/gtest.h>

#include <map>

#include "tests/core/agents/agent_test_fixture.hpp"

namespace switchboard::testing {
namespace {

using core::AgentAction;
using core::AgentStatus;

class AgentLifecycleTest : public AgentServiceTest {
 protected:
  // A fresh agent shown in `status`.
  std::string agentIn(AgentStatus status) {
    std::string name = "ag-" + std::to_string(++counter_);
    core::AgentCreateRequest r = request(name);
    r.start = status != AgentStatus::kIdle && status != AgentStatus::kBusy &&
                      status != AgentStatus::kPaused && status != AgentStatus::kStopped &&
                      status != AgentStatus::kFailed
                  ? false
                  : true;
    if (status == AgentStatus::kError) r.config = {{"reject", true}};
    std::string id = service_->create(r)->id;
    switch (status) {
      case AgentStatus::kBusy:
        EXPECT_TRUE(service_->resolve(id, "").ok());
        break;
      case AgentStatus::kPaused:
        EXPECT_TRUE(service_->control(id, AgentAction::kPause).ok());
        break;
      case AgentStatus::kStopped:
        EXPECT_TRUE(service_->control(id, AgentAction::kStop).ok());
        break;
      case AgentStatus::kFailed:
        EXPECT_TRUE(service_->markFailed(id, "gave up").ok());
        break;
      case AgentStatus::kError: {
        EXPECT_EQ(service_->control(id, AgentAction::kStart).status().code(),
                  StatusCode::kInvalidArgument);
        core::AgentUpdate fix;  // repaired config, so a later start/restart can work
        fix.config = nlohmann::json::object();
        EXPECT_TRUE(service_->update(id, fix).ok());
        break;
      }
      default:
        break;
    }
    EXPECT_EQ(service_->get(id)->status, status);
    return id;
  }
  int counter_ = 0;
};

TEST_F(AgentLifecycleTest, EveryActionFromEveryStatus) {
  const std::map<AgentStatus, std::map<AgentAction, AgentStatus>> legal = {
      {AgentStatus::kCreated, {{AgentAction::kStart, AgentStatus::kIdle}}},
      {AgentStatus::kIdle,
       {{AgentAction::kPause, AgentStatus::kPaused},
        {AgentAction::kStop, AgentStatus::kStopped},
        {AgentAction::kRestart, AgentStatus::kIdle}}},
      {AgentStatus::kBusy,
       {{AgentAction::kPause, AgentStatus::kPaused},
        {AgentAction::kStop, AgentStatus::kStopped},
        {AgentAction::kRestart, AgentStatus::kBusy}}},
      {AgentStatus::kPaused,
       {{AgentAction::kResume, AgentStatus::kIdle},
        {AgentAction::kStop, AgentStatus::kStopped},
        {AgentAction::kRestart, AgentStatus::kIdle}}},
      {AgentStatus::kStopped,
       {{AgentAction::kStart, AgentStatus::kIdle}, {AgentAction::kRestart, AgentStatus::kIdle}}},
      {AgentStatus::kError,
       {{AgentAction::kStop, AgentStatus::kStopped}, {AgentAction::kRestart, AgentStatus::kIdle}}},
      {AgentStatus::kFailed,
       {{AgentAction::kStop, AgentStatus::kStopped}, {AgentAction::kRestart, AgentStatus::kIdle}}},
  };
  const std::map<AgentStatus, std::string> legal_text = {
      {AgentStatus::kCreated, "legal from created: start"},
      {AgentStatus::kIdle, "legal from idle: pause, stop, restart"},
      {AgentStatus::kBusy, "legal from busy: pause, stop, restart"},
      {AgentStatus::kPaused, "legal from paused: resume, stop, restart"},
      {AgentStatus::kStopped, "legal from stopped: start, restart"},
      {AgentStatus::kError, "legal from error: stop, restart"},
      {AgentStatus::kFailed, "legal from failed: stop, restart"},
  };
  for (const auto& [from, actions] : legal) {
    for (AgentAction action : {AgentAction::kStart, AgentAction::kStop, AgentAction::kPause,
                               AgentAction::kResume, AgentAction::kRestart}) {
      SCOPED_TRACE(std::string(core::agentStatusName(from)) + " -" +
                   std::string(core::agentActionName(action)) + "->");
      std::string id = agentIn(from);
      std::size_t events_before = events().size();
      Result<core::AgentRecord> r = service_->control(id, action, "test");
      auto it = actions.find(action);
      if (it == actions.end()) {
        ASSERT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
        EXPECT_NE(r.status().message().find(legal_text.at(from)), std::string::npos)
            << r.status().message();
        EXPECT_NE(r.status().message().find("cannot " + std::string(core::agentActionName(action))),
                  std::string::npos);
        EXPECT_EQ(service_->get(id)->status, from);
        EXPECT_EQ(events().size(), events_before);
      } else {
        ASSERT_TRUE(r.ok()) << r.status().toString();
        EXPECT_EQ(r->status, it->second);
        EXPECT_EQ(service_->get(id)->status, it->second);
        EXPECT_EQ(storedAgent(id)["status"],
                  it->second == AgentStatus::kBusy ? "idle" : core::agentStatusName(it->second));
        ASSERT_GT(events().size(), events_before);
        EXPECT_EQ(events().back().type, "agent.status");
        EXPECT_EQ(events().back().data["from"], core::agentStatusName(from));
        EXPECT_EQ(events().back().data["reason"], "test");
      }
    }
  }
}

TEST_F(AgentLifecycleTest, UnknownAgentIsNotFound) {
  EXPECT_EQ(service_->control("ghost", AgentAction::kStart).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->markFailed("ghost", "x").status().code(), StatusCode::kNotFound);
}

TEST_F(AgentLifecycleTest, FailedStartPutsTheAgentInErrorWithTheReason) {
  core::AgentCreateRequest r = request("broken", {}, {{"reject", true}});
  r.start = false;
  std::string id = service_->create(r)->id;
  Result<core::AgentRecord> started = service_->control(id, AgentAction::kStart);
  ASSERT_EQ(started.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(started.status().message().find("now in error"), std::string::npos);
  core::AgentRecord a = service_->get(id).value();
  EXPECT_EQ(a.status, AgentStatus::kError);
  EXPECT_NE(a.status_reason.find("rejected"), std::string::npos);
  EXPECT_NE(a.health.last_error.find("rejected"), std::string::npos);
  Result<core::AgentHandle> h = service_->resolve(id, "");
  ASSERT_EQ(h.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(h.status().message().find("in error"), std::string::npos);
  EXPECT_EQ(statusTrail(id), std::vector<std::string>{"error"});
}

TEST_F(AgentLifecycleTest, PausedAgentFinishesItsCallsAndTakesNoNewOnes) {
  std::string id = mustCreate("p").id;
  ASSERT_TRUE(service_->resolve(id, "").ok());
  ASSERT_TRUE(service_->control(id, AgentAction::kPause).ok());
  EXPECT_EQ(service_->resolve(id, "").status().code(), StatusCode::kFailedPrecondition);
  service_->callFinished(id, Status(), fakeUsage(), 3);
  core::AgentRecord a = service_->get(id).value();
  EXPECT_EQ(a.status, AgentStatus::kPaused);
  EXPECT_EQ(a.in_flight, 0);
  EXPECT_EQ(a.counters.successes, 1);
  ASSERT_TRUE(service_->control(id, AgentAction::kResume).ok());
  EXPECT_TRUE(service_->resolve(id, "").ok());
  EXPECT_EQ(statusTrail(id), (std::vector<std::string>{"busy", "paused", "idle", "busy"}));
}

TEST_F(AgentLifecycleTest, RestartMakesANewRuntimeAndClearsConsecutiveFailures) {
  std::string id = mustCreate("r").id;
  std::shared_ptr<Agent> first = service_->resolve(id, "")->agent;
  service_->callFinished(id, Status::internal("boom"), {}, 1);
  EXPECT_EQ(service_->get(id)->health.consecutive_failures, 1);
  ASSERT_TRUE(service_->control(id, AgentAction::kRestart).ok());
  EXPECT_EQ(service_->get(id)->health.consecutive_failures, 0);
  EXPECT_NE(service_->resolve(id, "")->agent, first);
}

TEST_F(AgentLifecycleTest, ConsecutiveFailuresPutTheAgentInErrorWhenConfigured) {
  core::AgentServiceOptions options;
  options.error_after_failures = 2;
  service_ = makeService(options);
  std::string id = mustCreate("flaky").id;
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(service_->resolve(id, "").ok());
    service_->callFinished(id, Status::internal("boom " + std::to_string(i)), {}, 1);
  }
  core::AgentRecord a = service_->get(id).value();
  EXPECT_EQ(a.status, AgentStatus::kError);
  EXPECT_NE(a.status_reason.find("2 failed calls in a row"), std::string::npos) << a.status_reason;
  EXPECT_EQ(storedAgent(id)["status"], "error");
  ASSERT_TRUE(service_->control(id, AgentAction::kRestart).ok());
  EXPECT_TRUE(service_->resolve(id, "").ok());
}

}  // namespace
}  // namespace switchboard::testing
