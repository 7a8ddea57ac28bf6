#include "core/agents/usage_json.hpp"

namespace switchboard::core {

nlohmann::json usageToJson(const Usage& u) {
  return {{"input_tokens", u.input_tokens},
          {"output_tokens", u.output_tokens},
          {"cache_read_tokens", u.cache_read_tokens},
          {"cache_creation_tokens", u.cache_creation_tokens},
          {"total_tokens", u.totalTokens()},
          {"turns", u.turns},
          {"cost_usd", u.cost_usd},
          {"cpu_ms", u.cpu_ms},
          {"peak_rss_kb", u.peak_rss_kb}};
}

Usage usageFromJson(const nlohmann::json& j) {
  Usage u;
  if (!j.is_object()) return u;
  auto integer = [&](const char* key, std::int64_t* out) {
    auto it = j.find(key);
    if (it != j.end() && it->is_number()) *out = it->get<std::int64_t>();
  };
  auto real = [&](const char* key, double* out) {
    auto it = j.find(key);
    if (it != j.end() && it->is_number()) *out = it->get<double>();
  };
  integer("input_tokens", &u.input_tokens);
  integer("output_tokens", &u.output_tokens);
  integer("cache_read_tokens", &u.cache_read_tokens);
  integer("cache_creation_tokens", &u.cache_creation_tokens);
  integer("turns", &u.turns);
  real("cost_usd", &u.cost_usd);
  real("cpu_ms", &u.cpu_ms);
  integer("peak_rss_kb", &u.peak_rss_kb);
  return u;
}

}  // namespace switchboard::core
