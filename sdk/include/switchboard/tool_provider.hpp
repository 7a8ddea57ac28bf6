// Tool-provider plugins: contribute MCP tools, resources, resource templates and prompts.
//
// Everything crosses as JSON text shaped like the MCP 2025-11-25 types: catalogJson()
// returns {"tools":[Tool...], "resources":[Resource...], "resourceTemplates":[...],
// "prompts":[Prompt...]}; callTool() returns a CallToolResult; readResource() a
// ReadResourceResult; getPrompt() a GetPromptResult; complete() a CompleteResult. The MCP
// layer reshapes results for the era of the client.
//
// Ownership: the host owns the provider; a ToolContext lives only during the call it is
// passed to. Thread safety: calls may arrive concurrently from several threads. Methods
// must not throw.
#pragma once

#include <string>
#include <string_view>

#include "switchboard/plugin.hpp"
#include "switchboard/status.hpp"

namespace switchboard {

// What a running tool call may do besides returning its result. Implemented by the host.
class ToolContext {
 public:
  virtual ~ToolContext() = default;
  // Sends a progress notification when the client asked for progress. total < 0: unknown.
  virtual void progress(double progress, double total, std::string_view message) noexcept = 0;
  // Sends a notifications/message log entry (level: "debug" ... "emergency"; data: JSON).
  virtual void log(std::string_view level, std::string_view data_json) noexcept = 0;
  // True once the client cancelled this request; long tools should check it and stop.
  virtual bool cancelled() const noexcept = 0;
  // Asks the client something (method "sampling/createMessage", "elicitation/create",
  // "roots/list") and returns its result JSON. On the 2026-07-28 era this is answered from
  // the inputResponses the client sent with a retried call; when none is there yet the
  // host returns a Status with code kUnavailable and message "input_required", which the
  // tool must return unchanged so the host can ask the client.
  virtual Result<std::string> clientRequest(std::string_view method,
                                            std::string_view params_json) noexcept = 0;
};

class ToolProvider : public PluginObject {
 public:
  static constexpr PluginKind kKind = PluginKind::kTools;

  virtual std::string catalogJson() const = 0;
  // NotFound for an unknown tool; otherwise a CallToolResult (isError for tool failures).
  virtual Result<std::string> callTool(std::string_view name, std::string_view arguments_json,
                                       ToolContext& context) = 0;
  // NotFound for an unknown URI.
  virtual Result<std::string> readResource(std::string_view uri) = 0;
  // NotFound for an unknown prompt; InvalidArgument for missing required arguments.
  virtual Result<std::string> getPrompt(std::string_view name,
                                        std::string_view arguments_json) = 0;
  // ref_json: {"type":"ref/prompt","name":..} or {"type":"ref/resource","uri":..};
  // argument_json: {"name":..,"value":..}; context_json: {"arguments":{..}} or "{}".
  virtual Result<std::string> complete(std::string_view ref_json, std::string_view argument_json,
                                       std::string_view context_json) = 0;
};

}  // namespace switchboard
