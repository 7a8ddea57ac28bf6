// ConformanceTools: the fixtures the official MCP conformance suite
// (@modelcontextprotocol/conformance 0.2.0-alpha.12) calls — tools, resources, a resource
// template, prompts and completions with the exact names, texts and shapes its checks
// look for. It also proves that a plugin can contribute
// MCP tools.
//
// It includes the Tasks-extension fixtures (greet, slow_compute, failing_job,
// protocol_error_job, confirm_delete, multi_input, test_tool_with_task;
// conformance_task_tools.cpp). Not included: test_reconnection (the gateway does not
// implement SSE polling).
//
// Thread safety: every method may be called concurrently; the only mutable state (the
// dynamic tool/prompt toggled by the trigger tools) is atomic.
#pragma once

#include <atomic>
#include <nlohmann/json.hpp>
#include <string>

#include "switchboard/tool_provider.hpp"

namespace switchboard::plugins {

class ConformanceTools : public ToolProvider {
 public:
  std::string catalogJson() const override;
  Result<std::string> callTool(std::string_view name, std::string_view arguments_json,
                               ToolContext& context) override;
  Result<std::string> readResource(std::string_view uri) override;
  Result<std::string> getPrompt(std::string_view name, std::string_view arguments_json,
                                ToolContext& context) override;
  Result<std::string> complete(std::string_view ref_json, std::string_view argument_json,
                               std::string_view context_json) override;

 private:
  std::atomic<bool> dynamic_tool_{false};
  std::atomic<bool> dynamic_prompt_{false};
};

namespace conformance {

using Json = nlohmann::json;

inline constexpr const char* kPng1x1 =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg"
    "==";
inline constexpr const char* kWavSilent =
    "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=";

// The catalog (catalogJson) for the current toggles.
Json catalog(bool dynamic_tool, bool dynamic_prompt);
Json text(const std::string& value);
Json textResult(const std::string& value);
// textResult(value).dump(), written directly: what a tool with a plain text answer returns.
std::string textResultJson(const std::string& value);
// The 2026-07-28 input_required tools; NotFound when `name` is not one of them.
Result<Json> callInputTool(const std::string& name, const Json& arguments, ToolContext& context);
// The 2025-era tools that ask the client (sampling, elicitation); NotFound otherwise.
Result<Json> callClientTool(const std::string& name, const Json& arguments, ToolContext& context);
// The Tasks-extension fixtures; NotFound otherwise.
Result<Json> callTaskTool(const std::string& name, const Json& arguments, ToolContext& context);

}  // namespace conformance
}  // namespace switchboard::plugins
