#include "core/agents/provider_guard.hpp"

#include <algorithm>

namespace switchboard::core {

struct ProviderGuard::Waiting {
  std::shared_ptr<Agent> inner;
  AgentRequest request;
  std::shared_ptr<AgentCallback> outer;
  bool trial = false;
  std::mutex mu;
  bool started = false;
  bool cancelled = false;
  std::shared_ptr<AgentCall> call;
};

namespace {

constexpr auto kWindow = std::chrono::seconds(60);

bool countsAsFailure(const Status& s) {
  return s.code() == StatusCode::kUnavailable || s.code() == StatusCode::kDeadlineExceeded ||
         s.code() == StatusCode::kInternal;
}

}  // namespace

// Reports the outcome to the guard, then to the host.
class GuardCallback final : public AgentCallback {
 public:
  GuardCallback(std::shared_ptr<ProviderGuard> guard, std::shared_ptr<AgentCallback> outer,
                bool trial, void (*ended)(ProviderGuard&, const Status&, const Usage&, bool))
      : guard_(std::move(guard)), outer_(std::move(outer)), trial_(trial), ended_(ended) {}
  void onProgress(std::string_view m) noexcept override { outer_->onProgress(m); }
  void onUsage(const Usage& u) noexcept override { outer_->onUsage(u); }
  void onDone(AgentReply reply) noexcept override {
    try {
      ended_(*guard_, reply.status, reply.usage, trial_);
    } catch (...) {
    }
    outer_->onDone(std::move(reply));
  }

 private:
  std::shared_ptr<ProviderGuard> guard_;
  std::shared_ptr<AgentCallback> outer_;
  bool trial_;
  void (*ended_)(ProviderGuard&, const Status&, const Usage&, bool);
};

class GuardedCall final : public AgentCall {
 public:
  GuardedCall(std::shared_ptr<ProviderGuard> guard, std::shared_ptr<ProviderGuard::Waiting> w)
      : guard_(std::move(guard)), w_(std::move(w)) {}
  void cancel() noexcept override {
    std::shared_ptr<AgentCall> running;
    bool dequeued = false;
    {
      std::lock_guard guard_lock(guard_->mu_);
      std::lock_guard lock(w_->mu);
      if (w_->started) {
        running = w_->call;
        w_->cancelled = true;
      } else if (!w_->cancelled) {
        w_->cancelled = true;
        auto& q = guard_->queue_;
        q.erase(std::remove(q.begin(), q.end(), w_), q.end());
        dequeued = true;
      }
    }
    if (running) running->cancel();
    if (dequeued) {
      if (w_->trial) guard_->ended(Status::cancelled(""), Usage{}, true);
      AgentReply reply;
      reply.status =
          Status::cancelled("cancelled while waiting for the " + guard_->name_ + " rate limit");
      w_->outer->onDone(std::move(reply));
    }
  }

 private:
  std::shared_ptr<ProviderGuard> guard_;
  std::shared_ptr<ProviderGuard::Waiting> w_;
};

class GuardedAgent final : public Agent {
 public:
  GuardedAgent(std::shared_ptr<ProviderGuard> guard, std::shared_ptr<Agent> inner)
      : guard_(std::move(guard)), inner_(std::move(inner)) {}
  Result<std::unique_ptr<AgentCall>> call(const AgentRequest& request,
                                          std::shared_ptr<AgentCallback> callback) override {
    auto w = std::make_shared<ProviderGuard::Waiting>();
    w->inner = inner_;
    w->request = request;
    w->outer = std::move(callback);
    return guard_->admit(std::move(w));
  }

 private:
  std::shared_ptr<ProviderGuard> guard_;
  std::shared_ptr<Agent> inner_;
};

ProviderGuard::~ProviderGuard() { stop(); }

std::shared_ptr<Agent> ProviderGuard::wrap(std::shared_ptr<Agent> agent) {
  return std::make_shared<GuardedAgent>(shared_from_this(), std::move(agent));
}

void ProviderGuard::stop() {
  std::deque<std::shared_ptr<Waiting>> left;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    left.swap(queue_);
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    if (thread_.get_id() != std::this_thread::get_id()) {
      thread_.join();
    } else {
      thread_.detach();  // stop() from a call the guard thread started: it ends by itself
    }
  }
  for (const auto& w : left) {
    {
      std::lock_guard lock(w->mu);
      if (w->cancelled) continue;
      w->cancelled = true;
    }
    AgentReply reply;
    reply.status = Status::cancelled("the gateway is stopping");
    w->outer->onDone(std::move(reply));
  }
}

nlohmann::json ProviderGuard::state() const {
  std::lock_guard lock(mu_);
  const auto now = Clock::now();
  std::int64_t requests = 0, tokens = 0;
  for (auto t : started_) requests += now - t < kWindow;
  for (const auto& [t, n] : tokens_) tokens += now - t < kWindow ? n : 0;
  const bool open =
      limits_.failure_threshold > 0 && failures_in_a_row_ >= limits_.failure_threshold;
  return {{"provider", name_},
          {"circuit", !open               ? "closed"
                      : now < open_until_ ? "open"
                                          : "half_open"},
          {"failures_in_a_row", failures_in_a_row_},
          {"queued", queue_.size()},
          {"requests_last_minute", requests},
          {"tokens_last_minute", tokens},
          {"requests_per_minute", limits_.requests_per_minute},
          {"tokens_per_minute", limits_.tokens_per_minute}};
}

void ProviderGuard::pruneLocked(Clock::time_point now) {
  while (!started_.empty() && now - started_.front() >= kWindow) started_.pop_front();
  while (!tokens_.empty() && now - tokens_.front().first >= kWindow) tokens_.pop_front();
}

bool ProviderGuard::fitsLocked(Clock::time_point now, Clock::time_point* retry_at) {
  pruneLocked(now);
  *retry_at = now + kWindow;
  bool fits = true;
  if (limits_.requests_per_minute > 0 &&
      static_cast<std::int64_t>(started_.size()) >= limits_.requests_per_minute) {
    fits = false;
    *retry_at = std::min(*retry_at, started_.front() + kWindow);
  }
  if (limits_.tokens_per_minute > 0) {
    std::int64_t used = 0;
    for (const auto& [t, n] : tokens_) used += n;
    if (used >= limits_.tokens_per_minute && !tokens_.empty()) {
      fits = false;
      *retry_at = std::min(*retry_at, tokens_.front().first + kWindow);
    }
  }
  return fits;
}

Result<std::unique_ptr<AgentCall>> ProviderGuard::admit(std::shared_ptr<Waiting> w) {
  const auto now = Clock::now();
  bool run_now = false;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return Status::unavailable("the gateway is stopping");
    if (limits_.failure_threshold > 0 && failures_in_a_row_ >= limits_.failure_threshold) {
      if (now < open_until_) {
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(open_until_ - now).count();
        return Status::unavailable("the " + name_ + " circuit breaker is open after " +
                                   std::to_string(failures_in_a_row_) +
                                   " failed calls in a row; retry in " + std::to_string(ms) +
                                   " ms");
      }
      if (trial_in_flight_) {
        return Status::unavailable(
            "the " + name_ +
            " circuit breaker is half open and a trial call is running; retry shortly");
      }
      trial_in_flight_ = true;
      w->trial = true;
    }
    Clock::time_point retry_at;
    if (queue_.empty() && fitsLocked(now, &retry_at)) {
      started_.push_back(now);
      run_now = true;
    } else {
      queue_.push_back(w);
      if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    }
  }
  if (run_now) {
    // Started here, so a refusal to start is returned to the caller.
    auto callback =
        std::make_shared<GuardCallback>(shared_from_this(), w->outer, w->trial,
                                        [](ProviderGuard& g, const Status& s, const Usage& u,
                                           bool trial) { g.ended(s, u, trial); });
    Result<std::unique_ptr<AgentCall>> call = w->inner->call(w->request, callback);
    if (!call.ok()) {
      ended(call.status(), Usage{}, w->trial);
      return call.status();
    }
    std::lock_guard lock(w->mu);
    w->started = true;
    w->call = std::move(*call);
  } else {
    wake_.notify_all();
  }
  return std::unique_ptr<AgentCall>(std::make_unique<GuardedCall>(shared_from_this(), w));
}

void ProviderGuard::start(std::shared_ptr<Waiting> w) {
  auto callback = std::make_shared<GuardCallback>(
      shared_from_this(), w->outer, w->trial,
      [](ProviderGuard& g, const Status& s, const Usage& u, bool trial) { g.ended(s, u, trial); });
  Result<std::unique_ptr<AgentCall>> call = w->inner->call(w->request, callback);
  if (!call.ok()) {
    ended(call.status(), Usage{}, w->trial);
    AgentReply reply;
    reply.status = call.status();
    w->outer->onDone(std::move(reply));
    return;
  }
  std::shared_ptr<AgentCall> handle = std::move(*call);
  bool cancel_now = false;
  {
    std::lock_guard lock(w->mu);
    w->started = true;
    w->call = handle;
    cancel_now = w->cancelled;
  }
  if (cancel_now) handle->cancel();
}

void ProviderGuard::ended(const Status& status, const Usage& usage, bool trial) {
  std::lock_guard lock(mu_);
  const auto now = Clock::now();
  if (limits_.tokens_per_minute > 0) tokens_.emplace_back(now, usage.totalTokens());
  if (trial) trial_in_flight_ = false;
  if (status.ok()) {
    failures_in_a_row_ = 0;
  } else if (countsAsFailure(status)) {
    ++failures_in_a_row_;
    if (limits_.failure_threshold > 0 && failures_in_a_row_ >= limits_.failure_threshold) {
      open_until_ = now + std::chrono::milliseconds(limits_.open_ms);
    }
  }
}

void ProviderGuard::run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (queue_.empty()) {
      wake_.wait(lock);
      continue;
    }
    Clock::time_point retry_at;
    const auto now = Clock::now();
    if (!fitsLocked(now, &retry_at)) {
      wake_.wait_until(lock, retry_at);
      continue;
    }
    std::shared_ptr<Waiting> w = queue_.front();
    queue_.pop_front();
    {
      std::lock_guard wl(w->mu);
      if (w->cancelled) continue;
    }
    started_.push_back(now);
    lock.unlock();
    start(std::move(w));
    lock.lock();
  }
}

}  // namespace switchboard::core
