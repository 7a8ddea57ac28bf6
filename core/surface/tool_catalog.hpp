// ToolCatalog: the gateway's MCP tools as schemas/tools/*.json defines them, and the
// wrapper that puts every call through those schemas.
//
// Each file holds one tool: name, title, description, inputSchema, outputSchema and
// annotations. load() reads them all once at start-up and compiles the input schemas (and
// the output schemas when check_output is set: nothing else uses them), so the files are
// the only copy of each shape. add() registers a tool on an mcp Server with a
// handler that (1) validates the arguments against inputSchema and answers a tool error
// (isError, listing each violation and pointing at the schema) when they do not match,
// (2) calls the surface handler, (3) turns a non-OK Status into a tool error carrying its
// message (the services' messages say what to do instead), and (4) wraps a success as
// {content: [{type: text, text}], structuredContent}. When check_output is set (debug
// builds and tests), a structuredContent that does not match outputSchema is logged and
// answered as an internal tool error, so a drifting shape cannot go unnoticed.
//
// Ownership: a ToolCatalog is a value (compiled schemas are shared). Thread safety: const
// methods may be called from any thread; the handlers add() installs are thread-safe.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/plugin_host/schema_validator.hpp"
#include "mcp/server/request_context.hpp"
#include "mcp/server/server.hpp"
#include "switchboard/status.hpp"

namespace switchboard::core {

// What a surface handler returns on success.
struct ToolOutput {
  nlohmann::json structured = nlohmann::json::object();  // matches the tool's outputSchema
  std::string text;                                      // one or two human-readable lines
};

using SurfaceToolHandler = std::function<Result<ToolOutput>(const nlohmann::json& arguments,
                                                            mcp::server::RequestContext& context)>;

class ToolCatalog {
 public:
  struct Entry {
    mcp::server::ToolDef def;
    SchemaValidator input;
    std::optional<SchemaValidator> output;  // compiled only with check_output
  };

  // Reads every *.json in `tools_dir`. NotFound when the folder is missing;
  // InvalidArgument naming the file when one is not a tool definition or a schema does
  // not compile.
  static Result<ToolCatalog> load(const std::filesystem::path& tools_dir, bool check_output);

  // Tool names, sorted.
  std::vector<std::string> names() const;
  // NotFound for a name no file defines.
  Result<Entry> entry(const std::string& name) const;

  // Whether calls of a tool may run as MCP tasks (mcp/server/definitions.hpp).
  struct TaskOptions {
    mcp::server::TaskSupport support = mcp::server::TaskSupport::kForbidden;
    std::shared_ptr<mcp::server::TaskBacking> backing;  // the tool keeps its tasks' state
  };

  // Registers `name` on `server` with the validating wrapper around `handler`.
  // NotFound when no schema file defines `name`.
  Status add(mcp::server::Server& server, const std::string& name,
             SurfaceToolHandler handler) const;
  // The same for a tool whose calls may run as MCP tasks.
  Status add(mcp::server::Server& server, const std::string& name, SurfaceToolHandler handler,
             TaskOptions tasks) const;

  // The CallToolResult of a failed call: {content:[{type:text,text}], isError:true}.
  static nlohmann::json errorResult(const std::string& message);

 private:
  std::map<std::string, Entry> entries_;
  bool check_output_ = false;
};

}  // namespace switchboard::core
