#include "plugins/agent/command/command_options.hpp"

#include <nlohmann/json.hpp>

namespace switchboard::plugins {
namespace {

using nlohmann::json;

Usage readUsage(const json& u) {
  Usage usage;
  auto num = [&](const char* key, std::int64_t* out) {
    if (auto it = u.find(key);
        it != u.end() && it->is_number_integer() && it->get<std::int64_t>() >= 0) {
      *out = it->get<std::int64_t>();
    }
  };
  num("input_tokens", &usage.input_tokens);
  num("output_tokens", &usage.output_tokens);
  num("cache_read_tokens", &usage.cache_read_tokens);
  num("cache_creation_tokens", &usage.cache_creation_tokens);
  num("turns", &usage.turns);
  if (auto it = u.find("cost_usd"); it != u.end() && it->is_number() && it->get<double>() >= 0) {
    usage.cost_usd = it->get<double>();
  }
  return usage;
}

}  // namespace

Result<CommandOptions> CommandOptions::parse(std::string_view config_json) {
  json config = json::parse(config_json, nullptr, false);
  if (config.is_discarded() || !config.is_object()) {
    return Status::invalidArgument("the command agent's config must be a JSON object");
  }
  CommandOptions o;
  const json* argv = config.contains("argv") ? &config["argv"] : nullptr;
  if (argv == nullptr || !argv->is_array() || argv->empty()) {
    return Status::invalidArgument(
        "config.argv must list the program and its arguments, e.g. [\"python3\", \"worker.py\"]");
  }
  for (const json& arg : *argv) {
    if (!arg.is_string()) return Status::invalidArgument("config.argv must hold strings only");
    o.argv.push_back(arg.get<std::string>());
  }
  if (o.argv[0].empty()) return Status::invalidArgument("config.argv[0] (the program) is empty");
  if (auto it = config.find("env"); it != config.end() && it->is_object()) {
    for (const auto& [name, value] : it->items()) {
      if (name.empty() || name.find('=') != std::string::npos || !value.is_string()) {
        return Status::invalidArgument("config.env: \"" + name +
                                       "\" is not a NAME with a string value");
      }
      o.env.push_back(name + "=" + value.get<std::string>());
    }
  }
  o.inherit_env = config.value("inherit_env", true);
  o.cwd = config.value("cwd", std::string());
  const std::string mode = config.value("mode", std::string("per_request"));
  o.mode = mode == "persistent" ? Mode::kPersistent : Mode::kPerRequest;
  const std::string input = config.value("input", std::string("json"));
  o.input = input == "prompt" ? Input::kPrompt : input == "none" ? Input::kNone : Input::kJson;
  const std::string output = config.value("output", std::string("auto"));
  o.output = output == "json" ? Output::kJson : output == "text" ? Output::kText : Output::kAuto;
  o.max_output_bytes = config.value("max_output_bytes", o.max_output_bytes);
  o.kill_grace_ms = config.value("kill_grace_ms", o.kill_grace_ms);
  if (auto it = config.find("limits"); it != config.end() && it->is_object()) {
    o.limits.memory_bytes = it->value("memory_mb", std::int64_t{0}) << 20;
    o.limits.cpu_seconds = it->value("cpu_seconds", std::int64_t{0});
    o.limits.open_files = it->value("open_files", std::int64_t{0});
  }
  return o;
}

ProcessSpec CommandOptions::processSpec(const std::string& owner) const {
  ProcessSpec spec;
  spec.argv = argv;
  spec.env = env;
  spec.inherit_env = inherit_env;
  spec.cwd = cwd;
  spec.owner = owner;
  spec.pipe_stdin = mode == Mode::kPersistent || input != Input::kNone;
  spec.persistent = mode == Mode::kPersistent;
  spec.limits = limits;
  return spec;
}

std::string CommandOptions::stdinFor(std::string_view input_json) const {
  switch (input) {
    case Input::kNone:
      return "";
    case Input::kPrompt: {
      json in = json::parse(input_json, nullptr, false);
      if (in.is_object() && in.contains("prompt") && in["prompt"].is_string())
        return in["prompt"].get<std::string>();
      return std::string(input_json);
    }
    case Input::kJson:
      break;
  }
  return std::string(input_json) + "\n";
}

Result<ParsedReply> parseCommandOutput(std::string_view text, CommandOptions::Output mode) {
  ParsedReply reply;
  if (mode != CommandOptions::Output::kText) {
    json value = json::parse(text, nullptr, false);
    if (!value.is_discarded()) {
      if (value.is_object()) {
        if (auto it = value.find("usage"); it != value.end() && it->is_object())
          reply.usage = readUsage(*it);
      }
      reply.output_json = value.dump();
      return reply;
    }
    if (mode == CommandOptions::Output::kJson) {
      return Status::invalidArgument("the program's output is not JSON (output: json): " +
                                     tailOf(text, 300));
    }
  }
  std::string_view trimmed = text;
  while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == '\r'))
    trimmed.remove_suffix(1);
  reply.output_json =
      json{{"text", std::string(trimmed)}}.dump(-1, ' ', false, json::error_handler_t::replace);
  return reply;
}

std::string tailOf(std::string_view text, std::size_t max) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r'))
    text.remove_suffix(1);
  if (text.size() > max) return "..." + std::string(text.substr(text.size() - max));
  return std::string(text);
}

}  // namespace switchboard::plugins
