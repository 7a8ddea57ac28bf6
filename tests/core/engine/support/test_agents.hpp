// In-test agents, an AgentDirectory over them, and a one-thread scheduler for agents
// with latency. A TestAgent answers each request as its Script says: synchronously
// inside call() when the delay is 0 (as a zero-latency scripted agent does), otherwise
// later from the scheduler thread; cancel() answers Cancelled at once.
// Thread safety: everything may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <vector>

#include "core/common/agent_directory.hpp"
#include "switchboard/agent.hpp"

namespace switchboard::testing {

class Scheduler {
 public:
  Scheduler();
  ~Scheduler();  // drops tasks not yet due
  void at(std::chrono::steady_clock::time_point when, std::function<void()> task);

 private:
  struct Task {
    std::chrono::steady_clock::time_point when;
    std::uint64_t order;
    std::function<void()> fn;
    bool operator>(const Task& o) const { return when != o.when ? when > o.when : order > o.order; }
  };
  std::mutex mu_;
  std::condition_variable cv_;
  std::priority_queue<Task, std::vector<Task>, std::greater<Task>> tasks_;
  std::uint64_t order_ = 0;
  bool stop_ = false;
  std::thread thread_;
};

struct Behaviour {
  std::int64_t delay_ms = 0;
  Status status;  // OK = success
  std::string output_json = "{}";
  Usage usage;          // the call's total
  int usage_ticks = 0;  // onUsage reports spread over the delay before onDone
};

class TestAgent : public Agent {
 public:
  // attempt = how many times this request_id has been called, this call included.
  using Script = std::function<Behaviour(const AgentRequest& request, int attempt)>;
  TestAgent(Script script, Scheduler* scheduler);

  Result<std::unique_ptr<AgentCall>> call(const AgentRequest& request,
                                          std::shared_ptr<AgentCallback> callback) override;

  int callsFor(const std::string& request_id);
  std::vector<std::string> requestLog();
  std::vector<std::chrono::steady_clock::time_point> callTimes();
  int cancels() const { return cancels_.load(); }
  int maxInFlight() const { return max_in_flight_.load(); }
  int totalCalls() const { return total_.load(); }

 private:
  struct CallState;
  class Call;
  Script script_;
  Scheduler* scheduler_;
  std::mutex mu_;
  std::map<std::string, int> calls_;
  std::vector<std::string> log_;
  std::vector<std::chrono::steady_clock::time_point> times_;
  std::atomic<int> cancels_{0};
  std::atomic<int> in_flight_{0};
  std::atomic<int> max_in_flight_{0};
  std::atomic<int> total_{0};
};

class TestDirectory : public core::AgentDirectory {
 public:
  void add(const std::string& id, std::shared_ptr<Agent> agent, const std::string& capability = "");
  void setUnavailable(const std::string& id, bool unavailable);
  Result<core::AgentHandle> resolve(const std::string& agent_id,
                                    const std::string& capability) override;
  void callFinished(const std::string& agent_id, const Status& status, const Usage& usage,
                    double wall_ms) override;
  int finishedCalls(const std::string& agent_id);
  Usage usageOf(const std::string& agent_id);

 private:
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<Agent>> agents_;
  std::map<std::string, std::string> by_capability_;
  std::map<std::string, bool> unavailable_;
  std::map<std::string, int> finished_;
  std::map<std::string, Usage> usage_;
};

}  // namespace switchboard::testing
