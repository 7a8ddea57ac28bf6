// Tool-provider plugins: contribute MCP tools, resources, resource templates and prompts.
//
// Everything crosses as JSON text shaped like the MCP 2025-11-25 types: catalogJson()
// returns {"tools":[Tool...], "resources":[Resource...], "resourceTemplates":[...],
// "prompts":[Prompt...]}; callTool() returns a CallToolResult; readResource() a
// ReadResourceResult; getPrompt() a GetPromptResult; complete() a CompleteResult. The MCP
// layer reshapes results for the era of the client.
//
// Tasks (2026-07-28, extension io.modelcontextprotocol/tasks): a Tool entry of the catalog
// may declare "execution": {"taskSupport": "forbidden" | "optional" | "required"}
// (default forbidden; any other value makes the catalog invalid). The host reads it and
// does not send it to clients. optional: callTool() may turn the call into a task with
// ToolContext::becomeTask(). required: the host calls callTool() only for clients that
// declared the extension on the request (others get -32021), and the call should become a
// task. The host never turns a call into a task by itself.
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

// The message of the Status that clientRequest() returns when the answer must come from
// the client first (2026-07-28 "input_required"); return it unchanged from the call.
inline constexpr std::string_view kInputRequired = "input_required";

// What a running tool call (or prompt rendering) may do besides returning its result.
// Implemented by the host.
class ToolContext {
 public:
  virtual ~ToolContext() = default;
  // Sends a progress notification when the client asked for progress. total < 0: unknown.
  // Values that do not increase are dropped.
  virtual void progress(double progress, double total, std::string_view message) noexcept = 0;
  // Sends a notifications/message log entry (level: "debug" ... "emergency"; data: JSON)
  // when the client asked for logs at that level.
  virtual void log(std::string_view level, std::string_view data_json) noexcept = 0;
  // True once the client cancelled this request; long tools should check it and stop.
  virtual bool cancelled() const noexcept = 0;
  // True when the client declared the capability `method` needs
  // ("sampling/createMessage", "elicitation/create", "roots/list").
  virtual bool clientSupports(std::string_view method) const noexcept = 0;
  // Asks the client something and returns its result JSON. `key` names the question
  // within this call (stable across retries, e.g. "user_name").
  // - 2025 era: sends the request to the client and waits for its answer.
  // - 2026-07-28 era: returns inputResponses[key] from the retried call when present
  //   (InvalidArgument if it is not shaped like the method's result); otherwise records
  //   the question and returns Status(kUnavailable, kInputRequired). Ask every question
  //   you need, then return that Status unchanged: the host answers the client with an
  //   input_required result listing all recorded questions and the requestState.
  // FailedPrecondition when the client lacks the capability (the host then answers
  // -32021 on the 2026-07-28 era when the call fails with it).
  virtual Result<std::string> clientRequest(std::string_view key, std::string_view method,
                                            std::string_view params_json) noexcept = 0;
  // 2026-07-28 multi-round state: the state this call set in the previous round, already
  // verified by the host (tampered states never reach the tool); empty on the first round
  // and always on the 2025 era.
  virtual std::string requestState() const = 0;
  // The state to hand back with the next input_required answer (sealed by the host).
  virtual void setRequestState(std::string_view state) noexcept = 0;
  // Tells the host that catalogJson() changed; it re-reads it and notifies clients.
  virtual void notifyCatalogChanged() noexcept = 0;
  // Turns this call into a task (2026-07-28 Tasks extension): the host answers the client
  // with a CreateTaskResult now, and whatever this callTool() returns later becomes the
  // task's outcome (a CallToolResult: completed, also with isError; an error Status:
  // failed with that JSON-RPC error; Status kCancelled: cancelled). Returns OK once the
  // call is a task (also when it already was); FailedPrecondition when the client cannot
  // take one (it did not declare the extension on this request, or speaks the 2025 era, or
  // the tool's taskSupport is forbidden): carry on and return the result synchronously;
  // ResourceExhausted when the host holds too many tasks.
  // While the call is a task: clientRequest() works as on the 2026-07-28 era, but the
  // questions surface in tasks/get (status input_required) instead of an input_required
  // result; return Status(kUnavailable, kInputRequired) and the host calls callTool()
  // again, with the same arguments, once the client has answered every question
  // (tasks/update); the answers stay available under their keys for the task's lifetime.
  // requestState()/setRequestState() carry state from one such round to the next (kept by
  // the host, never sent to the client). cancelled() turns true on tasks/cancel.
  // progress() and log() send nothing (a task has no stream to send them on). Ask for
  // input the call needs before it becomes a task with clientRequest() first: those rounds
  // stay synchronous input_required results.
  virtual Status becomeTask() noexcept = 0;
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
  // May ask the client for input through `context` like callTool().
  virtual Result<std::string> getPrompt(std::string_view name, std::string_view arguments_json,
                                        ToolContext& context) = 0;
  // ref_json: {"type":"ref/prompt","name":..} or {"type":"ref/resource","uri":..};
  // argument_json: {"name":..,"value":..}; context_json: {"arguments":{..}} or "{}".
  virtual Result<std::string> complete(std::string_view ref_json, std::string_view argument_json,
                                       std::string_view context_json) = 0;
};

}  // namespace switchboard
