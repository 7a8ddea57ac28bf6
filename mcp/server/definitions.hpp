// The things a Server serves: tool, resource, resource-template and prompt definitions
// with their handlers, and the server's identity and options.
//
// Handlers run on the server's worker pool (tools/call, prompts/get, resources/read) and
// may run concurrently with each other; they must be thread-safe. A handler may throw:
// the server turns the exception into an isError tool result or an internal error.
//
// Results are the MCP JSON shapes (CallToolResult, ReadResourceResult, GetPromptResult,
// CompleteResult) written as for 2026-07-28/2025-11-25; the server reshapes them for the
// era of each client.
//
// Tasks (the 2026-07-28 io.modelcontextprotocol/tasks extension): a tool's task_support
// says whether its calls may run as tasks. forbidden: never. optional: the handler may
// turn a call into a task (RequestContext::becomeTask / becomeBackedTask) when the client
// declared the extension on that request, and otherwise runs it synchronously. required:
// the call can only run as a task; a client that did not declare the extension gets
// -32021 (2025 era: -32600) before the handler runs. The server never promotes a call on
// its own. Task support is not sent in tools/list: the 2026-07-28 Tool has no field for
// it (the server decides per request), and the 2025-11-25 `execution.taskSupport` belongs
// to the core tasks of that revision, which this server does not implement.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "switchboard/status.hpp"

namespace switchboard::mcp::server {

class RequestContext;
class TaskBacking;

using Json = nlohmann::json;

// Returns a CallToolResult {content, structuredContent?, isError?}. A non-OK Status is a
// JSON-RPC error (InvalidArgument -> -32602, ...), except Status(kUnavailable,
// kInputRequired) after RequestContext::clientRequest asked for input.
using ToolHandler = std::function<Result<Json>(const Json& arguments, RequestContext& context)>;
// The same CallToolResult as JSON text, unchecked (a tool provider plugin's answer): the
// server checks it and, where it can, sends it without rebuilding it
// (ResultShaper::shapeToolResultText).
using ToolTextHandler =
    std::function<Result<std::string>(const Json& arguments, RequestContext& context)>;

// Returns a ReadResourceResult {contents:[...]}; NotFound becomes the era's not-found error.
using ResourceHandler =
    std::function<Result<Json>(const std::string& uri, RequestContext& context)>;
// Returns a GetPromptResult {description?, messages:[...]}.
using PromptHandler = std::function<Result<Json>(const Json& arguments, RequestContext& context)>;
// argument: {name, value}; context: {arguments:{...}} or {}. Returns the values to offer.
using CompletionHandler =
    std::function<Result<std::vector<std::string>>(const Json& argument, const Json& context)>;

// A tool provider's result text as JSON: an object, else Internal naming `what`
// ("CallToolResult", "ReadResourceResult", ...). A non-OK `text` is returned as it is.
Result<Json> parseProviderResult(Result<std::string> text, const char* what);
// A CallToolResult text, checked where the wire and the task machinery rely on it: an
// object whose content, when present, is an array and whose isError is a boolean.
Result<Json> parseCallToolResult(Result<std::string> text);

enum class TaskSupport { kForbidden, kOptional, kRequired };

// "forbidden" | "optional" | "required"; nullopt for anything else.
std::optional<TaskSupport> parseTaskSupport(std::string_view text);
std::string_view taskSupportName(TaskSupport support);

struct ToolDef {
  std::string name;
  std::string title;
  std::string description;
  Json input_schema = Json{{"type", "object"}};
  Json output_schema;  // null: none
  Json annotations;    // null: none
  Json meta;           // null: none
  TaskSupport task_support = TaskSupport::kForbidden;
  // Set when the tool keeps its tasks' state itself (becomeBackedTask); null otherwise.
  std::shared_ptr<TaskBacking> task_backing;
  Json toJson() const;
};

struct ResourceDef {
  std::string uri;
  std::string name;
  std::string title;
  std::string description;
  std::string mime_type;
  Json annotations;
  Json toJson() const;
};

struct ResourceTemplateDef {
  std::string uri_template;  // RFC 6570 level 1: "test://template/{id}/data"
  std::string name;
  std::string title;
  std::string description;
  std::string mime_type;
  CompletionHandler complete;  // optional, for ref/resource completion
  Json toJson() const;
  // True when `uri` matches the template ({var} matches one or more characters except '/').
  bool matches(const std::string& uri) const;
};

struct PromptDef {
  std::string name;
  std::string title;
  std::string description;
  Json arguments = Json::array();  // [{name, title?, description?, required?}]
  CompletionHandler complete;      // optional, for ref/prompt completion
  Json toJson() const;
};

struct ServerInfo {
  std::string name = "switchboard";
  std::string title;
  std::string version = "0.0.0";
  std::string instructions;
  Json toJson() const;
};

struct ServerOptions {
  std::size_t worker_threads = 16;
  std::size_t page_size = 100;                       // items per page of the list methods
  long long cache_ttl_ms = 0;                        // 2026-07-28 ttlMs on cacheable results
  std::chrono::seconds client_request_timeout{300};  // legacy server->client requests
  // Tasks kept in memory (not backed): at most max_tasks at once (expired ones do not
  // count), each kept task_ttl_ms after its creation (its ttlMs), polled at most every
  // task_poll_interval_ms (its pollIntervalMs).
  std::size_t max_tasks = 1000;
  long long task_ttl_ms = 3600000;
  long long task_poll_interval_ms = 500;
};

}  // namespace switchboard::mcp::server
