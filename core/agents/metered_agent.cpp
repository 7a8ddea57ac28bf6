#include "core/agents/metered_agent.hpp"

#include <algorithm>
#include <cstdio>

namespace switchboard::core {
namespace {

std::string dollars(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "$%.4f", v);
  return buf;
}

// Sits between the agent and the host's callback; cancels the call when the meter says so.
class MeteredCallback final : public AgentCallback {
 public:
  MeteredCallback(std::shared_ptr<AgentCallback> outer, std::shared_ptr<AgentMeter> meter)
      : outer_(std::move(outer)), meter_(std::move(meter)) {}

  void setCall(const std::shared_ptr<AgentCall>& call) {
    bool cancel_now = false;
    {
      std::lock_guard lock(mu_);
      call_ = call;
      cancel_now = !why_.empty();
    }
    if (cancel_now) call->cancel();
  }

  void onProgress(std::string_view message) noexcept override { outer_->onProgress(message); }

  void onUsage(const Usage& so_far) noexcept override {
    try {
      std::string why = meter_->exceeded(so_far);
      std::shared_ptr<AgentCall> to_cancel;
      if (!why.empty()) {
        std::lock_guard lock(mu_);
        if (why_.empty()) {
          why_ = std::move(why);
          to_cancel = call_.lock();
        }
      }
      if (to_cancel) to_cancel->cancel();  // outside the lock: cancel() may call onDone()
    } catch (...) {
    }
    outer_->onUsage(so_far);
  }

  void onDone(AgentReply reply) noexcept override {
    std::string why;
    {
      std::lock_guard lock(mu_);
      why = why_;
    }
    if (!why.empty()) {
      reply.status = Status::resourceExhausted(why + "; the call was stopped");
    } else if (reply.status.ok()) {
      std::string after = meter_->exceeded(reply.usage);  // a reply that crossed it at the end
      if (!after.empty()) reply.status = Status::resourceExhausted(after);
    }
    outer_->onDone(std::move(reply));
  }

 private:
  std::shared_ptr<AgentCallback> outer_;
  std::shared_ptr<AgentMeter> meter_;
  std::mutex mu_;
  std::weak_ptr<AgentCall> call_;  // the MeteredCall owns it
  std::string why_;
};

class MeteredCall final : public AgentCall {
 public:
  MeteredCall(std::unique_ptr<AgentCall> inner, const std::shared_ptr<MeteredCallback>& callback)
      : inner_(std::move(inner)) {
    if (inner_) callback->setCall(inner_);
  }
  void cancel() noexcept override {
    if (inner_) inner_->cancel();
  }

 private:
  std::shared_ptr<AgentCall> inner_;
};

}  // namespace

void AgentMeter::setBudget(const AgentBudget& budget) {
  std::lock_guard lock(mu_);
  budget_ = budget;
}

void AgentMeter::setSpent(const AgentCounters& c) {
  std::lock_guard lock(mu_);
  tokens_ = c.input_tokens + c.output_tokens;
  turns_ = c.turns;
  cost_usd_ = c.cost_usd;
}

std::string AgentMeter::exceeded(const Usage& call) const {
  std::lock_guard lock(mu_);
  const std::int64_t tokens = tokens_ + call.input_tokens + call.output_tokens;
  const double cost = cost_usd_ + call.cost_usd;
  const std::int64_t turns = turns_ + call.turns;
  if (budget_.max_tokens > 0 && tokens > budget_.max_tokens) {
    return "the agent's token budget of " + std::to_string(budget_.max_tokens) + " was exceeded (" +
           std::to_string(tokens) + " tokens spent, " + dollars(cost) + ")";
  }
  if (budget_.max_cost_usd > 0 && cost > budget_.max_cost_usd) {
    return "the agent's cost budget of " + dollars(budget_.max_cost_usd) + " was exceeded (" +
           dollars(cost) + " spent, " + std::to_string(tokens) + " tokens)";
  }
  if (budget_.max_turns > 0 && turns > budget_.max_turns) {
    return "the agent's turn budget of " + std::to_string(budget_.max_turns) + " was exceeded (" +
           std::to_string(turns) + " turns, " + dollars(cost) + " spent)";
  }
  return "";
}

void AgentMeter::applyHints(AgentRequest& request) const {
  std::lock_guard lock(mu_);
  auto lower = [](auto& hint, auto left) {
    if (hint <= 0 || left < hint) hint = left;
  };
  if (budget_.max_cost_usd > 0)
    lower(request.max_cost_usd, std::max(budget_.max_cost_usd - cost_usd_, 1e-9));
  if (budget_.max_tokens > 0)
    lower(request.max_tokens, std::max<std::int64_t>(budget_.max_tokens - tokens_, 1));
  if (budget_.max_turns > 0)
    lower(request.max_turns, std::max<std::int64_t>(budget_.max_turns - turns_, 1));
}

Result<std::unique_ptr<AgentCall>> MeteredAgent::call(const AgentRequest& request,
                                                      std::shared_ptr<AgentCallback> callback) {
  AgentRequest limited = request;
  meter_->applyHints(limited);
  auto metered = std::make_shared<MeteredCallback>(std::move(callback), meter_);
  Result<std::unique_ptr<AgentCall>> call = Status::internal("the agent threw from call()");
  try {
    call = inner_->call(limited, metered);
  } catch (...) {
  }
  if (!call.ok()) return call.status();
  return std::unique_ptr<AgentCall>(std::make_unique<MeteredCall>(std::move(*call), metered));
}

}  // namespace switchboard::core
