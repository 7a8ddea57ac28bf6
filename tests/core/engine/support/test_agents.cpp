#include "tests/core/engine/support/test_agents.hpp"

#include <algorithm>

namespace switchboard::testing {

Scheduler::Scheduler() {
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      if (tasks_.empty()) {
        cv_.wait(lock);
        continue;
      }
      auto when = tasks_.top().when;
      if (std::chrono::steady_clock::now() < when) {
        cv_.wait_until(lock, when);
        continue;
      }
      std::function<void()> fn = tasks_.top().fn;
      tasks_.pop();
      lock.unlock();
      fn();
      lock.lock();
    }
  });
}

Scheduler::~Scheduler() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Scheduler::at(std::chrono::steady_clock::time_point when, std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    tasks_.push(Task{when, order_++, std::move(task)});
  }
  cv_.notify_all();
}

struct TestAgent::CallState {
  std::shared_ptr<AgentCallback> callback;
  std::atomic<bool> done{false};
  TestAgent* agent;
  void finish(AgentReply reply) {
    if (done.exchange(true)) return;
    --agent->in_flight_;
    callback->onDone(std::move(reply));
  }
};

class TestAgent::Call : public AgentCall {
 public:
  explicit Call(std::shared_ptr<CallState> state) : state_(std::move(state)) {}
  void cancel() noexcept override {
    if (state_->done.load()) return;
    ++state_->agent->cancels_;
    AgentReply reply;
    reply.status = Status::cancelled("cancelled by the host");
    state_->finish(std::move(reply));
  }

 private:
  std::shared_ptr<CallState> state_;
};

TestAgent::TestAgent(Script script, Scheduler* scheduler)
    : script_(std::move(script)), scheduler_(scheduler) {}

Result<std::unique_ptr<AgentCall>> TestAgent::call(const AgentRequest& request,
                                                   std::shared_ptr<AgentCallback> callback) {
  int attempt;
  {
    std::lock_guard<std::mutex> lock(mu_);
    attempt = ++calls_[request.request_id];
    log_.push_back(request.request_id);
    times_.push_back(std::chrono::steady_clock::now());
  }
  ++total_;
  int now_in = ++in_flight_;
  int seen = max_in_flight_.load();
  while (now_in > seen && !max_in_flight_.compare_exchange_weak(seen, now_in)) {
  }
  Behaviour b = script_(request, attempt);
  auto state = std::make_shared<CallState>();
  state->callback = std::move(callback);
  state->agent = this;
  AgentReply reply;
  reply.status = b.status;
  reply.output_json = b.output_json;
  reply.usage = b.usage;
  if (b.delay_ms <= 0) {
    for (int t = 1; t <= b.usage_ticks; ++t) state->callback->onUsage(b.usage);
    state->finish(std::move(reply));
    return std::unique_ptr<AgentCall>(new Call(state));
  }
  auto start = std::chrono::steady_clock::now();
  for (int t = 1; t <= b.usage_ticks; ++t) {
    Usage part;
    part.input_tokens = b.usage.input_tokens * t / (b.usage_ticks + 1);
    part.output_tokens = b.usage.output_tokens * t / (b.usage_ticks + 1);
    part.cost_usd = b.usage.cost_usd * t / (b.usage_ticks + 1);
    scheduler_->at(start + std::chrono::milliseconds(b.delay_ms * t / (b.usage_ticks + 1)),
                   [state, part] {
                     if (!state->done.load()) state->callback->onUsage(part);
                   });
  }
  scheduler_->at(start + std::chrono::milliseconds(b.delay_ms),
                 [state, reply]() mutable { state->finish(std::move(reply)); });
  return std::unique_ptr<AgentCall>(new Call(state));
}

int TestAgent::callsFor(const std::string& request_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = calls_.find(request_id);
  return it == calls_.end() ? 0 : it->second;
}

std::vector<std::string> TestAgent::requestLog() {
  std::lock_guard<std::mutex> lock(mu_);
  return log_;
}

std::vector<std::chrono::steady_clock::time_point> TestAgent::callTimes() {
  std::lock_guard<std::mutex> lock(mu_);
  return times_;
}

void TestDirectory::add(const std::string& id, std::shared_ptr<Agent> agent,
                        const std::string& capability) {
  std::lock_guard<std::mutex> lock(mu_);
  agents_[id] = std::move(agent);
  if (!capability.empty()) by_capability_[capability] = id;
}

void TestDirectory::setUnavailable(const std::string& id, bool unavailable) {
  std::lock_guard<std::mutex> lock(mu_);
  unavailable_[id] = unavailable;
}

Result<core::AgentHandle> TestDirectory::resolve(const std::string& agent_id,
                                                 const std::string& capability) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string id = agent_id;
  if (id.empty()) {
    auto c = by_capability_.find(capability);
    if (c == by_capability_.end()) return Status::notFound("no agent has capability " + capability);
    id = c->second;
  }
  auto it = agents_.find(id);
  if (it == agents_.end()) return Status::notFound("no agent " + id);
  if (unavailable_[id]) return Status::failedPrecondition("agent " + id + " is paused");
  return core::AgentHandle{id, it->second};
}

void TestDirectory::callFinished(const std::string& agent_id, const Status&, const Usage& usage,
                                 double) {
  std::lock_guard<std::mutex> lock(mu_);
  ++finished_[agent_id];
  usage_[agent_id] += usage;
}

int TestDirectory::finishedCalls(const std::string& agent_id) {
  std::lock_guard<std::mutex> lock(mu_);
  return finished_[agent_id];
}

Usage TestDirectory::usageOf(const std::string& agent_id) {
  std::lock_guard<std::mutex> lock(mu_);
  return usage_[agent_id];
}

}  // namespace switchboard::testing
