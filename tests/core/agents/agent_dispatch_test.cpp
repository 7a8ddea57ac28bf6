// AgentService as the engine's AgentDirectory: resolve, callFinished, ask, and many
// threads at once.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "tests/core/agents/agent_test_fixture.hpp"

namespace switchboard::testing {
namespace {

using core::AgentAction;
using core::AgentStatus;
using std::chrono::milliseconds;

TEST_F(AgentServiceTest, ResolveByCapabilityRoundRobinsOverIdleAgents) {
  std::string a = mustCreate("a", {"code"}).id;
  std::string b = mustCreate("b", {"code", "review"}).id;
  std::string c = mustCreate("c", {"code"}).id;
  mustCreate("d", {"other"});
  std::vector<std::string> picked;
  for (int i = 0; i < 6; ++i) {
    Result<core::AgentHandle> h = service_->resolve("", "code");
    ASSERT_TRUE(h.ok()) << h.status().toString();
    ASSERT_TRUE(h->agent);
    picked.push_back(h->agent_id);
    service_->callFinished(h->agent_id, Status(), {}, 1);
  }
  EXPECT_EQ(picked, (std::vector<std::string>{a, b, c, a, b, c}));
  EXPECT_EQ(service_->resolve("", "review")->agent_id, b);
  Result<core::AgentHandle> none = service_->resolve("", "poetry");
  ASSERT_EQ(none.status().code(), StatusCode::kNotFound);
  EXPECT_NE(none.status().message().find("no agent has capability 'poetry'"), std::string::npos);
  EXPECT_EQ(service_->resolve("", "").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(AgentServiceTest, ResolvePrefersIdleAgentsAndHonoursMaxConcurrent) {
  core::AgentCreateRequest r1 = request("one", {"x"});
  r1.limits.max_concurrent = 2;
  core::AgentCreateRequest r2 = request("two", {"x"});
  r2.limits.max_concurrent = 1;
  std::string one = service_->create(r1)->id;
  std::string two = service_->create(r2)->id;
  EXPECT_EQ(service_->resolve("", "x")->agent_id, one);
  EXPECT_EQ(service_->resolve("", "x")->agent_id, two);  // idle beats busy
  EXPECT_EQ(service_->resolve("", "x")->agent_id, one);  // two is full; one has room
  Result<core::AgentHandle> full = service_->resolve("", "x");
  ASSERT_EQ(full.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(full.status().message().find("max_concurrent"), std::string::npos)
      << full.status().message();
  EXPECT_EQ(service_->resolve(two, "").status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(service_->get(one)->status, AgentStatus::kBusy);
  EXPECT_EQ(service_->get(one)->in_flight, 2);
  service_->callFinished(two, Status(), {}, 1);
  EXPECT_EQ(service_->resolve("", "x")->agent_id, two);
}

TEST_F(AgentServiceTest, ResolveExplainsWhyNoAgentCanTakeWork) {
  std::string a = mustCreate("pa", {"x"}).id;
  std::string b = mustCreate("st", {"x"}).id;
  ASSERT_TRUE(service_->control(a, AgentAction::kPause).ok());
  ASSERT_TRUE(service_->control(b, AgentAction::kStop).ok());
  Result<core::AgentHandle> h = service_->resolve("", "x");
  ASSERT_EQ(h.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(h.status().message().find("is paused"), std::string::npos) << h.status().message();
  EXPECT_NE(h.status().message().find("is stopped"), std::string::npos);
  EXPECT_EQ(service_->resolve("pa", "").status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(service_->resolve("nobody", "").status().code(), StatusCode::kNotFound);
  Result<core::AgentHandle> lacks = service_->resolve(mustCreate("plain").id, "x");
  ASSERT_EQ(lacks.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(lacks.status().message().find("lacks capability 'x'"), std::string::npos);
}

TEST_F(AgentServiceTest, BudgetsStopResolveWhenUsedUp) {
  core::AgentCreateRequest r = request("thrifty");
  r.limits.budget.max_tokens = 20;  // each fake call uses 15
  std::string id = service_->create(r)->id;
  ASSERT_TRUE(service_->resolve(id, "").ok());
  service_->callFinished(id, Status(), fakeUsage(), 1);
  ASSERT_TRUE(service_->resolve(id, "").ok());
  service_->callFinished(id, Status(), fakeUsage(), 1);
  Result<core::AgentHandle> h = service_->resolve(id, "");
  ASSERT_EQ(h.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(h.status().message().find("token budget (30 of 20)"), std::string::npos)
      << h.status().message();

  core::AgentUpdate raise;
  raise.limits = core::AgentLimits{};
  raise.limits->budget.max_cost_usd = 0.5;  // 2 calls cost 0.5
  ASSERT_TRUE(service_->update(id, raise).ok());
  EXPECT_EQ(service_->resolve(id, "").status().code(), StatusCode::kResourceExhausted);
  raise.limits->budget = {0, 0, 3};  // turns: 2 used
  ASSERT_TRUE(service_->update(id, raise).ok());
  ASSERT_TRUE(service_->resolve(id, "").ok());
  service_->callFinished(id, Status(), fakeUsage(), 1);
  EXPECT_EQ(service_->resolve(id, "").status().code(), StatusCode::kResourceExhausted);
}

TEST_F(AgentServiceTest, CallFinishedKeepsCountersHealthAndBusyIdle) {
  std::string id = mustCreate("counted").id;
  ASSERT_TRUE(service_->resolve(id, "").ok());
  ASSERT_TRUE(service_->resolve(id, "").ok());
  EXPECT_EQ(service_->get(id)->status, AgentStatus::kBusy);
  service_->callFinished(id, Status(), fakeUsage(), 10);
  EXPECT_EQ(service_->get(id)->status, AgentStatus::kBusy);
  service_->callFinished(id, Status::deadlineExceeded("slow"), fakeUsage(), 20);
  core::AgentRecord a = service_->get(id).value();
  EXPECT_EQ(a.status, AgentStatus::kIdle);
  EXPECT_EQ(a.counters.requests, 2);
  EXPECT_EQ(a.counters.successes, 1);
  EXPECT_EQ(a.counters.failures, 1);
  EXPECT_EQ(a.counters.input_tokens, 20);
  EXPECT_EQ(a.counters.output_tokens, 10);
  EXPECT_DOUBLE_EQ(a.counters.cost_usd, 0.5);
  EXPECT_DOUBLE_EQ(a.counters.wall_ms_total, 30);
  EXPECT_EQ(a.health.consecutive_failures, 1);
  EXPECT_NE(a.health.last_error.find("slow"), std::string::npos);
  ASSERT_TRUE(service_->resolve(id, "").ok());
  service_->callFinished(id, Status::cancelled("stop"), {}, 1);
  EXPECT_EQ(service_->get(id)->counters.cancelled, 1);
  EXPECT_EQ(statusTrail(id), (std::vector<std::string>{"busy", "idle", "busy", "idle"}));
}

TEST_F(AgentServiceTest, BusyEventsCanBeTurnedOff) {
  core::AgentServiceOptions options;
  options.busy_events = false;
  service_ = makeService(options);
  std::string id = mustCreate("quiet").id;
  ASSERT_TRUE(service_->resolve(id, "").ok());
  EXPECT_EQ(service_->get(id)->status, AgentStatus::kBusy);
  service_->callFinished(id, Status(), {}, 1);
  EXPECT_TRUE(statusTrail(id).empty());
  ASSERT_TRUE(service_->control(id, AgentAction::kPause).ok());
  EXPECT_EQ(statusTrail(id), std::vector<std::string>{"paused"});
}

TEST_F(AgentServiceTest, CountersAreWrittenOnFlush) {
  core::AgentServiceOptions options;
  options.counter_flush_interval = std::chrono::hours(1);
  service_ = makeService(options);
  std::string id = mustCreate("lazy").id;
  ASSERT_TRUE(service_->resolve(id, "").ok());
  service_->callFinished(id, Status(), fakeUsage(), 1);
  EXPECT_EQ(storedAgent(id)["counters"]["requests"], 0);
  ASSERT_TRUE(service_->flush().ok());
  EXPECT_EQ(storedAgent(id)["counters"]["requests"], 1);
}

TEST_F(AgentServiceTest, AskReturnsTheReplyAndCountsIt) {
  std::string id = mustCreate("asked", {}, {{"reply", "forty-two"}, {"delay_ms", 20}}).id;
  Result<core::AskResult> r = service_->ask("asked", "question", milliseconds(5000));
  ASSERT_TRUE(r.ok()) << r.status().toString();
  EXPECT_TRUE(r->status.ok()) << r->status.toString();
  EXPECT_EQ(r->agent_id, id);
  EXPECT_EQ(r->text, "forty-two");
  EXPECT_EQ(r->output["text"], "forty-two");
  EXPECT_EQ(r->usage.input_tokens, 10);
  EXPECT_GE(r->wall_ms, 15.0);
  core::AgentRecord a = service_->get(id).value();
  EXPECT_EQ(a.counters.successes, 1);
  EXPECT_EQ(a.status, AgentStatus::kIdle);

  std::string echo = mustCreate("echo").id;
  EXPECT_EQ(service_->ask(echo, "hello", milliseconds(0))->text, "echo: hello");
  std::string bad = mustCreate("bad", {}, {{"fail", true}}).id;
  Result<core::AskResult> failed = service_->ask(bad, "x", milliseconds(0));
  ASSERT_TRUE(failed.ok());
  EXPECT_EQ(failed->status.code(), StatusCode::kInternal);
  EXPECT_EQ(service_->get(bad)->counters.failures, 1);
  EXPECT_EQ(service_->ask("nobody", "x", milliseconds(0)).status().code(), StatusCode::kNotFound);
}

TEST_F(AgentServiceTest, AskTimesOutCancelsTheCallAndSaysSo) {
  std::string id = mustCreate("slow", {}, {{"delay_ms", 10000}}).id;
  auto start = std::chrono::steady_clock::now();
  Result<core::AskResult> r = service_->ask(id, "x", milliseconds(100));
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status.code(), StatusCode::kDeadlineExceeded);
  EXPECT_NE(r->status.message().find("within 100 ms"), std::string::npos);
  EXPECT_LT(took, std::chrono::seconds(3));
  core::AgentRecord a = service_->get(id).value();
  EXPECT_EQ(a.counters.failures, 1);
  EXPECT_EQ(a.in_flight, 0);

  core::AgentUpdate limit;  // the agent's own timeout applies when the caller gives none
  limit.limits = core::AgentLimits{50, 0, {}};
  ASSERT_TRUE(service_->update(id, limit).ok());
  r = service_->ask(id, "x", milliseconds(0));
  EXPECT_EQ(r->status.code(), StatusCode::kDeadlineExceeded);
  EXPECT_NE(r->status.message().find("within 50 ms"), std::string::npos);
}

TEST_F(AgentServiceTest, StopCancelsAskInFlight) {
  std::string id = mustCreate("stoppable", {}, {{"delay_ms", 10000}}).id;
  std::thread stopper([&] {
    while (service_->get(id)->in_flight == 0) std::this_thread::sleep_for(milliseconds(2));
    EXPECT_TRUE(service_->control(id, AgentAction::kStop).ok());
  });
  Result<core::AskResult> r = service_->ask(id, "x", milliseconds(20000));
  stopper.join();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status.code(), StatusCode::kCancelled);
  core::AgentRecord a = service_->get(id).value();
  EXPECT_EQ(a.status, AgentStatus::kStopped);
  EXPECT_EQ(a.counters.cancelled, 1);
}

TEST_F(AgentServiceTest, ManyThreadsCreateResolveAndAskWithoutLosingAnything) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::atomic<int> created{0};
  std::atomic<int> duplicates{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // Every name is tried by two threads: exactly one of them wins.
        std::string name = "w" + std::to_string((t / 2) * kPerThread + i);
        Result<core::AgentRecord> r = service_->create(request(name, {"pool"}));
        if (r.ok()) {
          ++created;
        } else {
          EXPECT_EQ(r.status().code(), StatusCode::kAlreadyExists);
          ++duplicates;
        }
        Result<core::AgentHandle> h = service_->resolve("", "pool");
        if (h.ok()) service_->callFinished(h->agent_id, Status(), fakeUsage(), 1);
        if (i % 5 == 0) {
          Result<core::AskResult> a = service_->ask(name, "hi", milliseconds(5000));
          EXPECT_TRUE(a.ok() && a->status.ok());
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(created.load(), kThreads * kPerThread / 2);
  EXPECT_EQ(duplicates.load(), kThreads * kPerThread / 2);
  ASSERT_TRUE(service_->flush().ok());
  Result<core::AgentPage> all = service_->list({}, "", 500);
  ASSERT_EQ(all->agents.size(), static_cast<std::size_t>(created.load()));
  std::set<std::string> names;
  std::int64_t requests = 0;
  for (const auto& a : all->agents) {
    names.insert(a.name);
    requests += a.counters.requests;
    EXPECT_EQ(a.in_flight, 0);
    EXPECT_EQ(a.status, AgentStatus::kIdle);
  }
  EXPECT_EQ(names.size(), all->agents.size());
  EXPECT_EQ(store_->count("agents"), all->agents.size());
  EXPECT_EQ(requests, kThreads * kPerThread + kThreads * (kPerThread / 5));
}

}  // namespace
}  // namespace switchboard::testing
