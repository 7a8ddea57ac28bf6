// Secret redaction: what the gateway shows of an agent's config. Agent configs may hold
// API keys and tokens; the record keeps them (the runtime needs them), every view of it
// (tool results, resources, events, logs) shows "[redacted]" instead.
//
// A value is secret when its key is marked "writeOnly": true anywhere in the agent type's
// config schema, or when its name says so (api_key, apikey, access_key, secret, password,
// or ending in "token"; "..._env" keys name a variable and are not secret). Nested objects
// (e.g. an "env" map or "headers") are searched too.
//
// Thread safety: free functions, no shared state.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>

namespace switchboard::core {

inline constexpr const char* kRedacted = "[redacted]";

// Every property name marked "writeOnly": true in `schema` (searched recursively).
std::set<std::string> writeOnlyKeys(const nlohmann::json& schema);
bool isSecretKey(std::string_view key, const std::set<std::string>& write_only);
// Replaces every secret value in `config` (recursively) with kRedacted.
void redactSecrets(nlohmann::json& config, const std::set<std::string>& write_only);
// Where `incoming` (e.g. a config read back from agent_get and edited) holds kRedacted,
// puts back the value `stored` has at the same place.
void keepRedactedSecrets(nlohmann::json& incoming, const nlohmann::json& stored);

}  // namespace switchboard::core
