// LatencyHistogram: counts of call latencies in microseconds, for the MCP benchmark tools.
//
// Resolution is 1 us up to 10 ms and 100 us up to 1 s; slower samples share one overflow
// bucket and are reported as the largest value seen. Percentiles of the coarse range report
// the upper edge of their bucket, so they never understate. Each load thread owns one
// histogram and the results are merged afterwards; the type itself is not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

namespace switchboard::bench {

class LatencyHistogram {
 public:
  LatencyHistogram();

  void record(std::uint64_t micros);
  void merge(const LatencyHistogram& other);

  std::uint64_t count() const { return count_; }
  std::uint64_t max() const { return max_; }
  // The smallest recorded value v such that a fraction q (0..1) of the samples are <= v;
  // 0 when the histogram is empty.
  std::uint64_t percentile(double q) const;

 private:
  static std::size_t bucketOf(std::uint64_t micros);
  std::uint64_t valueOf(std::size_t bucket) const;

  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
  std::uint64_t max_ = 0;
};

}  // namespace switchboard::bench
