// CallBudget: max_tokens lowered to the token budget and to what the dollar budget buys at
// the output price, and the budget checks on usage.
#include "plugins/support/model_api/call_budget.hpp"

#include <gtest/gtest.h>

namespace switchboard::plugins {
namespace {

ModelSettings priced(double output_per_mtok) {
  ModelSettings s;
  s.max_tokens = 4096;
  ModelPrice p;
  p.input_per_mtok = 3;
  p.output_per_mtok = output_per_mtok;
  s.price = p;
  return s;
}

TEST(CallBudget, MaxTokensIsWhatIsLeftOfTheTokenAndDollarBudgets) {
  AgentRequest r;
  std::string note;
  EXPECT_EQ(CallBudget(r, priced(15)).maxTokens(&note), 4096);
  EXPECT_EQ(note, "");
  r.max_tokens = 500;
  EXPECT_EQ(CallBudget(r, priced(15)).maxTokens(&note), 500);
  r.max_cost_usd = 0.003;  // buys 200 output tokens at $15 per million
  EXPECT_EQ(CallBudget(r, priced(15)).maxTokens(&note), 200);
  EXPECT_NE(note.find("max_tokens lowered to 200"), std::string::npos) << note;
  EXPECT_NE(note.find("prompt's own cost is not known"), std::string::npos) << note;
  r.max_cost_usd = 1e-9;  // less than one token: still asks for one
  EXPECT_EQ(CallBudget(r, priced(15)).maxTokens(nullptr), 1);
  r.max_cost_usd = 100;  // buys more than the other limits
  EXPECT_EQ(CallBudget(r, priced(15)).maxTokens(&note), 500);
  EXPECT_EQ(note, "");
  ModelSettings unpriced = priced(15);
  unpriced.price.reset();  // no price: a dollar budget cannot cap
  r.max_cost_usd = 0.003;
  EXPECT_EQ(CallBudget(r, unpriced).maxTokens(nullptr), 500);
}

TEST(CallBudget, ExceededSaysWhichBudgetAndWhatWasSpent) {
  AgentRequest r;
  Usage u;
  u.input_tokens = 100;
  u.output_tokens = 50;
  u.cost_usd = 0.02;
  EXPECT_EQ(CallBudget(r, priced(15)).exceeded(u), "");
  r.max_tokens = 150;
  EXPECT_EQ(CallBudget(r, priced(15)).exceeded(u), "");
  r.max_tokens = 149;
  EXPECT_EQ(CallBudget(r, priced(15)).exceeded(u), "over the token budget of 149 after using 150");
  r.max_cost_usd = 0.01;
  EXPECT_EQ(CallBudget(r, priced(15)).exceeded(u), "over the budget of $0.01 after spending $0.02");
}

}  // namespace
}  // namespace switchboard::plugins
