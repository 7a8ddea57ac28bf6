// CommandOptions: one command agent's settings (agent_config.schema.json), read once when
// the agent is created, and the two conversions every mode needs: the ProcessSpec to start
// and the reply made from what the program printed.
//
// Thread safety: immutable after parse().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "switchboard/agent.hpp"
#include "switchboard/process.hpp"
#include "switchboard/status.hpp"

namespace switchboard::plugins {

struct CommandOptions {
  enum class Mode { kPerRequest, kPersistent };
  enum class Input { kJson, kPrompt, kNone };
  enum class Output { kJson, kText, kAuto };

  std::vector<std::string> argv;
  std::vector<std::string> env;  // NAME=value
  bool inherit_env = true;
  std::string cwd;
  Mode mode = Mode::kPerRequest;
  Input input = Input::kJson;
  Output output = Output::kAuto;
  std::int64_t max_output_bytes = 16 << 20;
  std::int64_t kill_grace_ms = 1000;
  ProcessLimits limits;

  // InvalidArgument when config_json is not an object of the agent config schema's shape.
  static Result<CommandOptions> parse(std::string_view config_json);

  ProcessSpec processSpec(const std::string& owner) const;
  // What per_request mode writes to stdin for `input_json` (empty for Input::kNone).
  std::string stdinFor(std::string_view input_json) const;
};

// The reply made from a program's output (the whole stdout, or one line): output_json and
// the usage the program reported in a top-level "usage" object, if any. InvalidArgument when
// Output::kJson and the text is not JSON.
struct ParsedReply {
  std::string output_json;
  Usage usage;
};
Result<ParsedReply> parseCommandOutput(std::string_view text, CommandOptions::Output mode);

// The last `max` bytes of `text`, trimmed, for error messages ("" when empty).
std::string tailOf(std::string_view text, std::size_t max = 2000);

}  // namespace switchboard::plugins
