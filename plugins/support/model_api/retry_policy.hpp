// Retry rules of the API model agents: which answers are tried again, and how long to wait
// first. 429, 408, 409 and every 5xx (529 "overloaded" included) and transport errors (no
// connection, a connection dropped mid-answer, an attempt timing out) are retried; any other
// status is final. The wait is the server's retry-after-ms or Retry-After (seconds or an
// HTTP date) when it sends one, else exponential backoff with jitter.
//
// Thread safety: pure functions.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace switchboard::plugins {

// http_status 0 = no HTTP answer (a transport error).
bool isRetryable(int http_status);

// The wait the server asked for, in milliseconds: `retry_after_ms` (a number) wins over
// `retry_after` (delta-seconds, or an IMF-fixdate compared with `now`). nullopt when neither
// is usable. A date in the past gives 0.
std::optional<std::int64_t> serverRetryWaitMs(std::string_view retry_after_ms,
                                              std::string_view retry_after,
                                              std::chrono::system_clock::time_point now);

// Backoff before retry number `retry` (1 = the first retry): base * 2^(retry-1), capped at
// 30 s, plus up to a quarter of it of jitter taken from `seed`.
std::int64_t backoffMs(int retry, std::int64_t base_ms, std::uint64_t seed);

}  // namespace switchboard::plugins
