#include "core/surface/tool_catalog.hpp"

#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>
#include <system_error>

namespace switchboard::core {
namespace {

using nlohmann::json;

Result<json> readJsonFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return Status::notFound("cannot read " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  json doc = json::parse(text.str(), nullptr, false);
  if (doc.is_discarded()) return Status::invalidArgument(path.string() + ": not valid JSON");
  return doc;
}

Result<ToolCatalog::Entry> parseEntry(const std::filesystem::path& path, const json& doc,
                                      bool check_output) {
  const std::string origin = path.string();
  if (!doc.is_object() || !doc.contains("name") || !doc["name"].is_string() ||
      !doc.contains("inputSchema") || !doc["inputSchema"].is_object() ||
      !doc.contains("outputSchema") || !doc["outputSchema"].is_object()) {
    return Status::invalidArgument(origin +
                                   ": a tool file needs name, inputSchema and outputSchema");
  }
  Result<SchemaValidator> input =
      SchemaValidator::fromText(doc["inputSchema"].dump(), origin + "#/inputSchema");
  if (!input.ok()) return input.status();
  std::optional<SchemaValidator> output;
  if (check_output) {
    Result<SchemaValidator> compiled =
        SchemaValidator::fromText(doc["outputSchema"].dump(), origin + "#/outputSchema");
    if (!compiled.ok()) return compiled.status();
    output = std::move(*compiled);
  }
  mcp::server::ToolDef def;
  def.name = doc["name"].get<std::string>();
  def.title = doc.value("title", "");
  def.description = doc.value("description", "");
  def.input_schema = doc["inputSchema"];
  def.output_schema = doc["outputSchema"];
  if (doc.contains("annotations")) def.annotations = doc["annotations"];
  return ToolCatalog::Entry{std::move(def), std::move(*input), std::move(output)};
}

}  // namespace

Result<ToolCatalog> ToolCatalog::load(const std::filesystem::path& tools_dir, bool check_output) {
  std::error_code ec;
  if (!std::filesystem::is_directory(tools_dir, ec)) {
    return Status::notFound("tool schema folder " + tools_dir.string() + " does not exist");
  }
  ToolCatalog catalog;
  catalog.check_output_ = check_output;
  for (const auto& item : std::filesystem::directory_iterator(tools_dir, ec)) {
    if (item.path().extension() != ".json") continue;
    Result<json> doc = readJsonFile(item.path());
    if (!doc.ok()) return doc.status();
    Result<Entry> entry = parseEntry(item.path(), *doc, check_output);
    if (!entry.ok()) return entry.status();
    std::string name = entry->def.name;
    if (!catalog.entries_.emplace(name, std::move(*entry)).second) {
      return Status::invalidArgument(item.path().string() + ": tool '" + name +
                                     "' is defined twice");
    }
  }
  if (ec) return Status::unavailable("cannot list " + tools_dir.string() + ": " + ec.message());
  return catalog;
}

std::vector<std::string> ToolCatalog::names() const {
  std::vector<std::string> out;
  for (const auto& [name, entry] : entries_) out.push_back(name);
  return out;
}

Result<ToolCatalog::Entry> ToolCatalog::entry(const std::string& name) const {
  auto it = entries_.find(name);
  if (it == entries_.end()) return Status::notFound("no schema file defines tool '" + name + "'");
  return it->second;
}

json ToolCatalog::errorResult(const std::string& message) {
  return json{{"content", json::array({json{{"type", "text"}, {"text", message}}})},
              {"isError", true}};
}

Status ToolCatalog::add(mcp::server::Server& server, const std::string& name,
                        SurfaceToolHandler handler) const {
  return add(server, name, std::move(handler), TaskOptions{});
}

Status ToolCatalog::add(mcp::server::Server& server, const std::string& name,
                        SurfaceToolHandler handler, TaskOptions tasks) const {
  auto it = entries_.find(name);
  if (it == entries_.end()) return Status::notFound("no schema file defines tool '" + name + "'");
  const Entry& entry = it->second;
  std::optional<SchemaValidator> output = check_output_ ? entry.output : std::nullopt;
  mcp::server::ToolDef def = entry.def;
  def.task_support = tasks.support;
  def.task_backing = std::move(tasks.backing);
  server.addTool(
      std::move(def),
      [tool = entry.def.name, input = entry.input, output = std::move(output),
       handler = std::move(handler)](const json& arguments,
                                     mcp::server::RequestContext& context) -> Result<json> {
        std::vector<std::string> violations = input.violations(arguments);
        if (!violations.empty()) {
          std::string text = "invalid arguments for " + tool + ": ";
          for (std::size_t i = 0; i < violations.size(); ++i) {
            if (i > 0) text += "; ";
            text += violations[i];
          }
          text += ". Fix them and call again; tools/list shows the inputSchema of " + tool + ".";
          return errorResult(text);
        }
        Result<ToolOutput> result = handler(arguments, context);
        if (!result.ok()) {
          const Status& status = result.status();
          if (status.code() == StatusCode::kInternal || status.code() == StatusCode::kDataLoss ||
              status.code() == StatusCode::kUnavailable) {
            return errorResult(status.toString());
          }
          return errorResult(status.message().empty() ? status.toString() : status.message());
        }
        if (output) {
          std::vector<std::string> bad = output->violations(result->structured);
          if (!bad.empty()) {
            std::string text =
                "internal error: the result of " + tool + " does not match its outputSchema: ";
            for (std::size_t i = 0; i < bad.size(); ++i) {
              if (i > 0) text += "; ";
              text += bad[i];
            }
            spdlog::error("surface: {}", text);
            return errorResult(text);
          }
        }
        std::string text = result->text.empty() ? result->structured.dump() : result->text;
        // Built by assignment: a braced list would deep-copy structuredContent.
        json call_result = json::object();
        call_result["content"] = json::array({json{{"type", "text"}, {"text", std::move(text)}}});
        call_result["structuredContent"] = std::move(result->structured);
        return call_result;
      });
  return Status();
}

}  // namespace switchboard::core
