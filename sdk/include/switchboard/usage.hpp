// Usage: what one agent call consumed. Reported while work streams and when it ends,
// recorded per step and rolled up per agent, task and execution by the host.
#pragma once

#include <cstdint>

namespace switchboard {

struct Usage {
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  std::int64_t cache_read_tokens = 0;
  std::int64_t cache_creation_tokens = 0;
  std::int64_t turns = 0;  // model turns (or requests) made
  double cost_usd = 0.0;
  // Resources of the processes the call ran (0 for agents that run none).
  double cpu_ms = 0.0;           // user + system CPU time
  std::int64_t peak_rss_kb = 0;  // the highest resident set of one process

  std::int64_t totalTokens() const {
    return input_tokens + output_tokens + cache_read_tokens + cache_creation_tokens;
  }
  Usage& operator+=(const Usage& other) {
    input_tokens += other.input_tokens;
    output_tokens += other.output_tokens;
    cache_read_tokens += other.cache_read_tokens;
    cache_creation_tokens += other.cache_creation_tokens;
    turns += other.turns;
    cost_usd += other.cost_usd;
    cpu_ms += other.cpu_ms;
    if (other.peak_rss_kb > peak_rss_kb) peak_rss_kb = other.peak_rss_kb;
    return *this;
  }
};

}  // namespace switchboard
