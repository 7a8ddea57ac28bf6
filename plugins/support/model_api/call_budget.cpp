#include "plugins/support/model_api/call_budget.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace switchboard::plugins {

std::string dollars(double usd) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "$%.6g", usd);
  return buf;
}

CallBudget::CallBudget(const AgentRequest& request, const ModelSettings& settings)
    : configured_max_tokens_(settings.max_tokens),
      max_tokens_(std::max<std::int64_t>(request.max_tokens, 0)),
      max_cost_usd_(std::max(request.max_cost_usd, 0.0)),
      output_per_mtok_(settings.price ? settings.price->output_per_mtok : 0.0) {}

std::int64_t CallBudget::maxTokens(std::string* note) const {
  if (note != nullptr) note->clear();
  std::int64_t max = configured_max_tokens_;
  if (max_tokens_ > 0) max = std::min(max, max_tokens_);
  if (max_cost_usd_ > 0 && output_per_mtok_ > 0) {
    const double affordable = std::floor(max_cost_usd_ * 1e6 / output_per_mtok_);
    if (affordable < static_cast<double>(max)) {
      max = std::max<std::int64_t>(static_cast<std::int64_t>(affordable), 1);
      if (note != nullptr) {
        *note = "max_tokens lowered to " + std::to_string(max) + ": what the " +
                dollars(max_cost_usd_) + " left of the budget buys at " +
                dollars(output_per_mtok_) +
                " per million output tokens (the prompt's own cost is not known before the call)";
      }
    }
  }
  return max;
}

std::string CallBudget::exceeded(const Usage& u) const {
  if (max_cost_usd_ > 0 && u.cost_usd > max_cost_usd_) {
    return "over the budget of " + dollars(max_cost_usd_) + " after spending " +
           dollars(u.cost_usd);
  }
  if (max_tokens_ > 0 && u.totalTokens() > max_tokens_) {
    return "over the token budget of " + std::to_string(max_tokens_) + " after using " +
           std::to_string(u.totalTokens());
  }
  return "";
}

}  // namespace switchboard::plugins
