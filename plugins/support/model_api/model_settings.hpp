// ModelSettings: one API model agent's settings — the plugin instance config (defaults for
// every agent of the type, with the price table) merged with the agent's own config — read
// once when the agent is created. Shared by the `anthropic` and `openai` agent plugins.
//
// The API key comes from, in order: the agent's `api_key`, the variable named by the
// agent's `api_key_env`, the plugin's `api_key`, the variable named by the plugin's
// `api_key_env`, the type's default variable (ANTHROPIC_API_KEY, OPENAI_API_KEY). It is held
// only here and in request headers: never put in a message, a log line or a reply.
//
// Lives in switchboard_plugin_model_api (a static library those plugins link PRIVATE);
// depends on the SDK headers and nlohmann only. Thread safety: immutable after parse().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "switchboard/agent.hpp"
#include "switchboard/status.hpp"
#include "switchboard/usage.hpp"

namespace switchboard::plugins {

// Dollars per million tokens of each kind.
struct ModelPrice {
  double input_per_mtok = 0.0;
  double output_per_mtok = 0.0;
  double cache_read_per_mtok = 0.0;
  double cache_write_per_mtok = 0.0;

  double cost(const Usage& usage) const;
};

// What differs between the agent types that use ModelSettings.
struct ModelDefaults {
  std::string type_name;     // "anthropic": used in messages
  std::string base_url;      // "https://api.anthropic.com"
  std::string api_key_env;   // "ANTHROPIC_API_KEY"
  bool key_required = true;  // false: local servers take requests without a key
};

// scheme://host[:port] and the path prefix that goes before the API's own path.
struct BaseUrl {
  std::string origin;  // "https://api.openai.com"
  std::string prefix;  // "/v1", or "" (never ends with '/')

  // InvalidArgument unless `url` is http:// or https:// with a host.
  static Result<BaseUrl> parse(std::string_view url);
};

struct ModelSettings {
  std::string type_name;
  BaseUrl base;
  std::string api_key;  // "" only when the type does not require one
  std::string model;
  std::string system_prompt;
  std::int64_t max_tokens = 4096;
  std::string max_tokens_field = "max_tokens";  // OpenAI's newer models: max_completion_tokens
  std::optional<double> temperature;
  std::int64_t timeout_ms = 600000;         // the whole call, every attempt and wait included
  std::int64_t connect_timeout_ms = 10000;  // per attempt
  int max_retries = 3;               // attempts after the first, on 429, 5xx, transport errors
  std::int64_t retry_base_ms = 500;  // backoff: base * 2^(retry-1), capped at 30 s
  std::int64_t max_retry_wait_ms = 60000;  // a longer Retry-After ends the call instead
  std::optional<ModelPrice> price;         // none: cost is reported as 0 and said so
  bool stream = true;                      // ask for a server-sent event stream
  std::int64_t memory_max_turns = 0;       // agent config memory.max_turns; 0 = no memory

  // InvalidArgument when a config is malformed, the base URL is not http(s), no model is
  // named (spec.model or config "model"), or a required key is missing (naming where it was
  // looked for, never a value). `memory` is read from the agent's config only.
  static Result<ModelSettings> parse(const ModelDefaults& defaults, std::string_view plugin_config,
                                     const AgentSpec& spec);
};

}  // namespace switchboard::plugins
