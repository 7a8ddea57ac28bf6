#include "plugins/support/model_api/model_settings.hpp"

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "plugins/support/json_object.hpp"

namespace switchboard::plugins {
namespace {

using nlohmann::json;

// The agent's value of `key` when it has one, else the plugin's; null when neither does.
const json* pick(const json& agent, const json& plugin, const char* key) {
  if (auto it = agent.find(key); it != agent.end() && !it->is_null()) return &*it;
  if (auto it = plugin.find(key); it != plugin.end() && !it->is_null()) return &*it;
  return nullptr;
}

Status readString(const json& agent, const json& plugin, const char* key, std::string& out) {
  const json* v = pick(agent, plugin, key);
  if (v == nullptr) return {};
  if (!v->is_string()) return Status::invalidArgument(std::string(key) + " must be a string");
  out = v->get<std::string>();
  return {};
}

template <typename Int>
Status readInt(const json& agent, const json& plugin, const char* key, std::int64_t min, Int& out) {
  const json* v = pick(agent, plugin, key);
  if (v == nullptr) return {};
  if (!v->is_number_integer() || v->get<std::int64_t>() < min) {
    return Status::invalidArgument(std::string(key) +
                                   " must be an integer >= " + std::to_string(min));
  }
  out = static_cast<Int>(v->get<std::int64_t>());
  return {};
}

Result<ModelPrice> readPrice(const json& value, const std::string& what) {
  if (!value.is_object()) return Status::invalidArgument(what + " must be an object");
  ModelPrice price;
  for (const auto& [key, field] : value.items()) {
    if (!field.is_number() || field.get<double>() < 0) {
      return Status::invalidArgument(what + "." + key + " must be a number >= 0");
    }
    double d = field.get<double>();
    if (key == "input_per_mtok") {
      price.input_per_mtok = d;
    } else if (key == "output_per_mtok") {
      price.output_per_mtok = d;
    } else if (key == "cache_read_per_mtok") {
      price.cache_read_per_mtok = d;
    } else if (key == "cache_write_per_mtok") {
      price.cache_write_per_mtok = d;
    } else {
      return Status::invalidArgument(what + " has an unknown field " + key);
    }
  }
  return price;
}

std::string envValue(const std::string& name) {
  const char* v = name.empty() ? nullptr : std::getenv(name.c_str());
  return v == nullptr ? std::string() : std::string(v);
}

// The first key found in the documented order; `looked` lists where it was looked for.
std::string resolveKey(const json& agent, const json& plugin, const ModelDefaults& defaults,
                       std::string& looked) {
  for (const json* config : {&agent, &plugin}) {
    const char* whose = config == &agent ? "the agent's" : "the plugin's";
    if (auto it = config->find("api_key");
        it != config->end() && it->is_string() && !it->get<std::string>().empty()) {
      return it->get<std::string>();
    }
    if (auto it = config->find("api_key_env"); it != config->end() && it->is_string()) {
      std::string name = it->get<std::string>();
      looked +=
          std::string(looked.empty() ? "" : ", ") + "$" + name + " (" + whose + " api_key_env)";
      if (std::string v = envValue(name); !v.empty()) return v;
    }
  }
  looked += std::string(looked.empty() ? "" : ", ") + "$" + defaults.api_key_env;
  return envValue(defaults.api_key_env);
}

}  // namespace

double ModelPrice::cost(const Usage& usage) const {
  return (static_cast<double>(usage.input_tokens) * input_per_mtok +
          static_cast<double>(usage.output_tokens) * output_per_mtok +
          static_cast<double>(usage.cache_read_tokens) * cache_read_per_mtok +
          static_cast<double>(usage.cache_creation_tokens) * cache_write_per_mtok) /
         1e6;
}

Result<BaseUrl> BaseUrl::parse(std::string_view url) {
  std::size_t scheme_end = url.find("://");
  std::string_view scheme = scheme_end == std::string_view::npos ? "" : url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") {
    return Status::invalidArgument("base_url must start with http:// or https://, got \"" +
                                   std::string(url) + "\"");
  }
  std::string_view rest = url.substr(scheme_end + 3);
  std::size_t slash = rest.find('/');
  std::string_view host = rest.substr(0, slash);
  if (host.empty() || host.find_first_of("?#@ ") != std::string_view::npos) {
    return Status::invalidArgument("base_url has no valid host: \"" + std::string(url) + "\"");
  }
  BaseUrl base;
  base.origin = std::string(scheme) + "://" + std::string(host);
  if (slash != std::string_view::npos) base.prefix = std::string(rest.substr(slash));
  while (!base.prefix.empty() && base.prefix.back() == '/') base.prefix.pop_back();
  return base;
}

Result<ModelSettings> ModelSettings::parse(const ModelDefaults& defaults,
                                           std::string_view plugin_config, const AgentSpec& spec) {
  Result<json> plugin = parseJsonObject(plugin_config, "the plugin config");
  if (!plugin.ok()) return plugin.status();
  Result<json> agent = parseJsonObject(spec.config_json, "the agent config");
  if (!agent.ok()) return agent.status();
  const json& a = *agent;
  const json& p = *plugin;

  ModelSettings s;
  s.type_name = defaults.type_name;
  s.system_prompt = spec.system_prompt;
  std::string base_url = defaults.base_url;
  for (Status st :
       {readString(a, p, "base_url", base_url), readString(a, p, "model", s.model),
        readString(a, p, "max_tokens_field", s.max_tokens_field),
        readInt(a, p, "max_tokens", 1, s.max_tokens), readInt(a, p, "timeout_ms", 1, s.timeout_ms),
        readInt(a, p, "connect_timeout_ms", 1, s.connect_timeout_ms),
        readInt(a, p, "max_retries", 0, s.max_retries),
        readInt(a, p, "retry_base_ms", 0, s.retry_base_ms),
        readInt(a, p, "max_retry_wait_ms", 0, s.max_retry_wait_ms)}) {
    if (!st.ok()) return st;
  }
  if (!spec.model.empty()) s.model = spec.model;
  if (s.model.empty()) {
    return Status::invalidArgument("a " + defaults.type_name +
                                   " agent needs a model (the agent's model or config \"model\")");
  }
  Result<BaseUrl> base = BaseUrl::parse(base_url);
  if (!base.ok()) return base.status();
  s.base = std::move(*base);
  if (const json* v = pick(a, p, "stream"); v != nullptr) {
    if (!v->is_boolean()) return Status::invalidArgument("stream must be true or false");
    s.stream = v->get<bool>();
  }
  if (auto m = a.find("memory"); m != a.end() && !m->is_null()) {
    auto turns = m->is_object() ? m->find("max_turns") : m->end();
    if (!m->is_object() || turns == m->end() || !turns->is_number_integer() ||
        turns->get<std::int64_t>() < 1 || m->size() != 1) {
      return Status::invalidArgument("memory must be {\"max_turns\": an integer >= 1}");
    }
    s.memory_max_turns = turns->get<std::int64_t>();
  }
  if (const json* t = pick(a, p, "temperature"); t != nullptr) {
    if (!t->is_number()) return Status::invalidArgument("temperature must be a number");
    s.temperature = t->get<double>();
  }

  if (auto it = a.find("price"); it != a.end()) {
    Result<ModelPrice> price = readPrice(*it, "price");
    if (!price.ok()) return price.status();
    s.price = *price;
  } else if (auto prices = p.find("prices"); prices != p.end()) {
    if (!prices->is_object()) return Status::invalidArgument("prices must be an object");
    if (auto mine = prices->find(s.model); mine != prices->end()) {
      Result<ModelPrice> price = readPrice(*mine, "prices." + s.model);
      if (!price.ok()) return price.status();
      s.price = *price;
    }
  }

  std::string looked;
  s.api_key = resolveKey(a, p, defaults, looked);
  if (s.api_key.empty() && defaults.key_required) {
    return Status::invalidArgument("a " + defaults.type_name +
                                   " agent needs an API key: none in api_key, and none set in " +
                                   looked);
  }
  return s;
}

}  // namespace switchboard::plugins
