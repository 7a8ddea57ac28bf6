#include "tests/bench/mcp/latency_histogram.hpp"

#include <algorithm>
#include <cmath>

namespace switchboard::bench {
namespace {

constexpr std::uint64_t kFineLimit = 10'000;       // 1 us buckets below this
constexpr std::uint64_t kCoarseStep = 100;         // then 100 us buckets
constexpr std::uint64_t kCoarseLimit = 1'000'000;  // up to 1 s
constexpr std::size_t kBucketCount =
    kFineLimit + (kCoarseLimit - kFineLimit) / kCoarseStep + 1;  // + overflow

}  // namespace

LatencyHistogram::LatencyHistogram() : buckets_(kBucketCount, 0) {}

std::size_t LatencyHistogram::bucketOf(std::uint64_t micros) {
  if (micros < kFineLimit) return static_cast<std::size_t>(micros);
  if (micros < kCoarseLimit) {
    return static_cast<std::size_t>(kFineLimit + (micros - kFineLimit) / kCoarseStep);
  }
  return kBucketCount - 1;
}

std::uint64_t LatencyHistogram::valueOf(std::size_t bucket) const {
  if (bucket < kFineLimit) return bucket;
  if (bucket + 1 < kBucketCount) {
    return kFineLimit + (bucket - kFineLimit + 1) * kCoarseStep - 1;
  }
  return max_;
}

void LatencyHistogram::record(std::uint64_t micros) {
  ++buckets_[bucketOf(micros)];
  ++count_;
  max_ = std::max(max_, micros);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (std::size_t i = 0; i < buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

std::uint64_t LatencyHistogram::percentile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
  rank = std::max<std::uint64_t>(rank, 1);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) return std::min(valueOf(i), max_);
  }
  return max_;
}

}  // namespace switchboard::bench
