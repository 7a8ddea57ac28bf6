// CallProfile: when a tool may run on the transport's thread.
#include "mcp/server/call_profile.hpp"

#include <gtest/gtest.h>

namespace switchboard::mcp::server {
namespace {

using std::chrono::microseconds;

constexpr microseconds kFast{50};
constexpr microseconds kLong{5000};

void quickCalls(CallProfile& profile, int n) {
  for (int i = 0; i < n; ++i) profile.record(kFast, kFast, 0, false, false);
}

TEST(CallProfile, QualifiesAfterEnoughQuickCallsInARow) {
  CallProfile profile;
  quickCalls(profile, CallProfile::kQuickCallsNeeded - 1);
  EXPECT_FALSE(profile.runsInline());
  quickCalls(profile, 1);
  EXPECT_TRUE(profile.runsInline());
}

TEST(CallProfile, UsingTheContextOrMuchCpuDisqualifiesForGood) {
  CallProfile asks;
  quickCalls(asks, CallProfile::kQuickCallsNeeded);
  asks.record(kFast, kFast, 0, /*used_context=*/true, true);
  quickCalls(asks, 10 * CallProfile::kQuickCallsNeeded);
  EXPECT_FALSE(asks.runsInline());

  CallProfile computes;
  computes.record(kLong, kLong, 0, false, false);
  quickCalls(computes, 10 * CallProfile::kQuickCallsNeeded);
  EXPECT_FALSE(computes.runsInline());
}

TEST(CallProfile, BeingPreemptedIsNotBlocking) {
  CallProfile profile;
  for (int i = 0; i < CallProfile::kQuickCallsNeeded; ++i) {
    profile.record(kLong, kFast, /*voluntary_switches=*/0, false, false);
  }
  EXPECT_TRUE(profile.runsInline());
}

TEST(CallProfile, ABlockedWorkerCallRestartsTheCountAndThreeStrikesDisqualify) {
  CallProfile profile;
  quickCalls(profile, CallProfile::kQuickCallsNeeded - 1);
  profile.record(kLong, kFast, 1, false, false);  // strike 1: met a busy lock
  quickCalls(profile, CallProfile::kQuickCallsNeeded - 1);
  EXPECT_FALSE(profile.runsInline()) << "a blocked call must restart the count";
  quickCalls(profile, 1);
  EXPECT_TRUE(profile.runsInline()) << "one blocked call must not disqualify a quick tool";

  CallProfile sleeper;
  for (int i = 0; i < CallProfile::kMaxStrikes; ++i) sleeper.record(kLong, kFast, 1, false, false);
  quickCalls(sleeper, 10 * CallProfile::kQuickCallsNeeded);
  EXPECT_FALSE(sleeper.runsInline());
}

TEST(CallProfile, ABlockedInlineCallDisqualifiesAtOnce) {
  CallProfile profile;
  quickCalls(profile, CallProfile::kQuickCallsNeeded);
  ASSERT_TRUE(profile.runsInline());
  profile.record(kLong, kFast, 1, false, /*ran_inline=*/true);
  quickCalls(profile, 10 * CallProfile::kQuickCallsNeeded);
  EXPECT_FALSE(profile.runsInline());
}

}  // namespace
}  // namespace switchboard::mcp::server
