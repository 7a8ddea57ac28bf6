// CallBudget: what is left of the budgets one request carries (AgentRequest max_tokens and
// max_cost_usd, 0 = none) applied to one API model call: the max_tokens to ask for, and
// whether the usage so far — while the answer streams, and when it ends — is over a budget.
//
// max_tokens is the configured one, lowered to the token budget and to what the dollar
// budget buys at the model's output price. The prompt's own price is not counted in that cap:
// its token count is not known before the call (the stream checks it as soon as it is).
//
// Thread safety: immutable after construction.
#pragma once

#include <cstdint>
#include <string>

#include "plugins/support/model_api/model_settings.hpp"
#include "switchboard/agent.hpp"
#include "switchboard/usage.hpp"

namespace switchboard::plugins {

class CallBudget {
 public:
  CallBudget(const AgentRequest& request, const ModelSettings& settings);

  // The max_tokens to send. `note` (may be null) gets a sentence when the dollar budget
  // lowered it, "" otherwise.
  std::int64_t maxTokens(std::string* note) const;
  // Why `usage` (tokens and cost) is over a budget: "over the token budget of 80 after using
  // 150"; "" when it is not.
  std::string exceeded(const Usage& usage) const;

 private:
  std::int64_t configured_max_tokens_;
  std::int64_t max_tokens_;  // 0 = no token budget
  double max_cost_usd_;      // 0 = no dollar budget
  double output_per_mtok_;   // 0 = no price
};

// "$0.0123"
std::string dollars(double usd);

}  // namespace switchboard::plugins
