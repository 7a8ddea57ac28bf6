// Retry rules of the API model agents: what is retried, the server's wait, the backoff.
#include "plugins/support/model_api/retry_policy.hpp"

#include <gtest/gtest.h>

namespace switchboard::plugins {
namespace {

using std::chrono::system_clock;

TEST(RetryPolicy, RetriesRateLimitsServerErrorsAndTransportErrorsOnly) {
  for (int status : {0, 408, 409, 429, 500, 502, 503, 529})
    EXPECT_TRUE(isRetryable(status)) << status;
  for (int status : {200, 400, 401, 403, 404, 413, 422})
    EXPECT_FALSE(isRetryable(status)) << status;
}

TEST(RetryPolicy, ServerWaitFromMillisecondsSecondsOrADate) {
  system_clock::time_point now =
      system_clock::from_time_t(784111777);            // Sun, 06 Nov 1994 08:49:37 GMT
  EXPECT_EQ(serverRetryWaitMs("250", "7", now), 250);  // retry-after-ms wins
  EXPECT_EQ(serverRetryWaitMs("", "7", now), 7000);
  EXPECT_EQ(serverRetryWaitMs("", " 1.5 ", now), 1500);
  EXPECT_EQ(serverRetryWaitMs("", "Sun, 06 Nov 1994 08:49:40 GMT", now), 3000);
  EXPECT_EQ(serverRetryWaitMs("", "Sun, 06 Nov 1994 08:49:00 GMT", now), 0);  // already past
  EXPECT_FALSE(serverRetryWaitMs("", "", now).has_value());
  EXPECT_FALSE(serverRetryWaitMs("soon", "-3", now).has_value());
  EXPECT_FALSE(serverRetryWaitMs("", "tomorrow", now).has_value());
  EXPECT_EQ(serverRetryWaitMs("", "1e12", now), 24LL * 3600 * 1000);  // capped at a day
}

TEST(RetryPolicy, BackoffDoublesUpToACapWithBoundedDeterministicJitter) {
  for (int retry = 1; retry <= 12; ++retry) {
    std::int64_t plain = std::min<std::int64_t>(500LL << (retry - 1), 30000);
    std::int64_t wait = backoffMs(retry, 500, 42);
    EXPECT_GE(wait, plain) << retry;
    EXPECT_LE(wait, plain + plain / 4) << retry;
    EXPECT_EQ(wait, backoffMs(retry, 500, 42));
  }
  EXPECT_EQ(backoffMs(3, 0, 7), 0);
  bool differs = false;
  for (std::uint64_t seed = 0; seed < 8; ++seed)
    differs |= backoffMs(2, 1000, seed) != backoffMs(2, 1000, 99);
  EXPECT_TRUE(differs);  // jitter spreads agents apart
}

}  // namespace
}  // namespace switchboard::plugins
