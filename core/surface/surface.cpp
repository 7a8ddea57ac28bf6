#include "core/surface/surface.hpp"

#include <set>

namespace switchboard::core {

std::string stringArg(const nlohmann::json& arguments, const char* key) {
  auto it = arguments.find(key);
  if (it == arguments.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

std::int64_t intArg(const nlohmann::json& arguments, const char* key, std::int64_t fallback) {
  auto it = arguments.find(key);
  if (it == arguments.end() || !it->is_number_integer()) return fallback;
  return it->get<std::int64_t>();
}

std::vector<std::string> stringListArg(const nlohmann::json& arguments, const char* key) {
  std::vector<std::string> out;
  auto it = arguments.find(key);
  if (it == arguments.end()) return out;
  for (const nlohmann::json& item : *it) out.push_back(item.get<std::string>());
  return out;
}

ToolOutput pageOutput(const char* key, nlohmann::json items, const std::string& noun,
                      const std::string& next_cursor) {
  std::string text = std::to_string(items.size()) + " " + noun + "(s)";
  nlohmann::json out{{key, std::move(items)}};
  if (!next_cursor.empty()) {
    out["next_cursor"] = next_cursor;
    text += "; more with cursor " + next_cursor;
  }
  return ToolOutput{std::move(out), std::move(text)};
}

Status registerSurface(mcp::server::Server& server, const ToolCatalog& catalog,
                       const SurfaceServices& services) {
  SB_RETURN_IF_ERROR(registerAgentTools(server, catalog, services));
  SB_RETURN_IF_ERROR(registerTaskTools(server, catalog, services));
  SB_RETURN_IF_ERROR(registerWorkflowTools(server, catalog, services));
  SB_RETURN_IF_ERROR(registerExecutionTools(server, catalog, services));
  SB_RETURN_IF_ERROR(registerSystemTools(server, catalog, services));
  // Every schema file must have an adapter: a tool described but not served is a lie.
  for (const std::string& name : catalog.names()) {
    if (!server.registry().tool(name)) {
      return Status::invalidArgument("schemas/tools defines " + name + " but no adapter serves it");
    }
  }
  return Status();
}

}  // namespace switchboard::core
