// CallProfile: when a tool may run on the transport's thread.
#include "mcp/server/call_profile.hpp"

#include <gtest/gtest.h>

namespace switchboard::mcp::server {
namespace {

using std::chrono::microseconds;

constexpr microseconds kFast{50};
constexpr microseconds kLong{5000};

void quickCalls(CallProfile& profile, int n) {
  for (int i = 0; i < n; ++i) profile.record(kFast, kFast, 0, false);
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
  asks.record(kFast, kFast, 0, /*used_context=*/true);
  quickCalls(asks, 10 * CallProfile::kQuickCallsNeeded);
  EXPECT_FALSE(asks.runsInline());

  CallProfile computes;
  computes.record(kLong, kLong, 0, false);
  quickCalls(computes, 10 * CallProfile::kQuickCallsNeeded);
  EXPECT_FALSE(computes.runsInline());
}

TEST(CallProfile, BeingPreemptedIsNotBlocking) {
  CallProfile profile;
  for (int i = 0; i < CallProfile::kQuickCallsNeeded; ++i) {
    profile.record(kLong, kFast, /*voluntary_switches=*/0, false);
  }
  EXPECT_TRUE(profile.runsInline());
}

TEST(CallProfile, ABlockedWorkerCallRestartsTheCountAndThreeStrikesDisqualify) {
  CallProfile profile;
  quickCalls(profile, CallProfile::kQuickCallsNeeded - 1);
  profile.record(kLong, kFast, 1, false);  // strike 1: met a busy lock
  quickCalls(profile, CallProfile::kQuickCallsNeeded - 1);
  EXPECT_FALSE(profile.runsInline()) << "a blocked call must restart the count";
  quickCalls(profile, 1);
  EXPECT_TRUE(profile.runsInline()) << "one blocked call must not disqualify a quick tool";

  CallProfile sleeper;
  for (int i = 0; i < CallProfile::kMaxStrikes; ++i) sleeper.record(kLong, kFast, 1, false);
  quickCalls(sleeper, 10 * CallProfile::kQuickCallsNeeded);
  EXPECT_FALSE(sleeper.runsInline());
}

TEST(CallProfile, AQualifiedToolThatBlocksGoesBackToThePoolAndIsOutAfterThreeStrikes) {
  CallProfile profile;
  quickCalls(profile, CallProfile::kQuickCallsNeeded);
  ASSERT_TRUE(profile.runsInline());
  profile.record(kLong, kFast, 1, false);  // blocked while running inline
  EXPECT_FALSE(profile.runsInline()) << "a blocking call must send the tool back to the pool";
  quickCalls(profile, CallProfile::kQuickCallsNeeded);
  EXPECT_TRUE(profile.runsInline());
  profile.record(kLong, kFast, 1, false);
  quickCalls(profile, CallProfile::kQuickCallsNeeded);
  ASSERT_TRUE(profile.runsInline());
  profile.record(kLong, kFast, 1, false);  // third strike
  quickCalls(profile, 10 * CallProfile::kForgiveAfter);
  EXPECT_FALSE(profile.runsInline()) << "three strikes are for good";
}

TEST(CallProfile, QuickCallsInARowForgiveAStrike) {
  // A quick tool under heavy load meets a busy lock now and then: two strikes far apart
  // must not add up with a third.
  CallProfile profile;
  for (int strike = 0; strike < 10; ++strike) {
    profile.record(kLong, kFast, 1, false);
    quickCalls(profile, CallProfile::kForgiveAfter);
    ASSERT_TRUE(profile.runsInline()) << "after strike " << strike + 1;
  }
  // Forgiveness needs the calls in a row: a strike restarts the count.
  CallProfile sleeper;
  for (int strike = 0; strike < CallProfile::kMaxStrikes; ++strike) {
    sleeper.record(kLong, kFast, 1, false);
    quickCalls(sleeper, CallProfile::kForgiveAfter - 1);
  }
  quickCalls(sleeper, 10 * CallProfile::kForgiveAfter);
  EXPECT_FALSE(sleeper.runsInline());
}

TEST(CallProfile, AQualifiedToolIsTimedByTheWallClockWithSamplesAndChecks) {
  CallProfile profile;
  for (int i = 0; i < CallProfile::kQuickCallsNeeded; ++i) {
    ASSERT_TRUE(profile.wantsFullMeasure()) << "a tool still qualifying is measured in full";
    profile.record(kFast, kFast, 0, false);
  }
  ASSERT_TRUE(profile.runsInline());
  int full = 0;
  for (int i = 0; i < 10 * CallProfile::kSampleEvery; ++i) {
    if (profile.wantsFullMeasure()) {
      ++full;
      profile.record(kFast, kFast, 0, false);
    } else {
      profile.recordWall(kFast, false);
    }
  }
  EXPECT_EQ(full, 10) << "one call in kSampleEvery on a thread is measured in full";
  EXPECT_TRUE(profile.runsInline());

  // A long call timed by the wall clock alone: the next one is measured in full, and if it
  // blocked the tool goes back to the pool.
  while (profile.wantsFullMeasure()) profile.record(kFast, kFast, 0, false);
  profile.recordWall(kLong, false);
  EXPECT_TRUE(profile.runsInline()) << "a long call alone may have been preempted";
  ASSERT_TRUE(profile.wantsFullMeasure());
  profile.record(kLong, kFast, 1, false);
  EXPECT_FALSE(profile.runsInline());
  EXPECT_TRUE(profile.wantsFullMeasure()) << "a tool with a strike is measured in full";

  // Using the context is seen without a full measurement.
  CallProfile asks;
  quickCalls(asks, CallProfile::kQuickCallsNeeded);
  while (asks.wantsFullMeasure()) asks.record(kFast, kFast, 0, false);
  asks.recordWall(kFast, /*used_context=*/true);
  EXPECT_FALSE(asks.runsInline());
}

}  // namespace
}  // namespace switchboard::mcp::server
