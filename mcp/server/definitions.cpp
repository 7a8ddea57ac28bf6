#include "mcp/server/definitions.hpp"

namespace switchboard::mcp::server {
namespace {

void putIf(Json& out, const char* key, const std::string& value) {
  if (!value.empty()) out[key] = value;
}

}  // namespace

Result<Json> parseProviderResult(Result<std::string> text, const char* what) {
  if (!text.ok()) return text.status();
  Json value = Json::parse(*text, nullptr, false);
  if (value.is_discarded() || !value.is_object()) {
    return Status::internal(std::string("the tool provider returned an invalid ") + what);
  }
  return value;
}

Result<Json> parseCallToolResult(Result<std::string> text) {
  Result<Json> result = parseProviderResult(std::move(text), "CallToolResult");
  if (!result.ok()) return result;
  auto content = result->find("content");
  if (content != result->end() && !content->is_array()) {
    return Status::internal(
        "the tool provider returned a CallToolResult whose content is not an array");
  }
  auto is_error = result->find("isError");
  if (is_error != result->end() && !is_error->is_boolean()) {
    return Status::internal(
        "the tool provider returned a CallToolResult whose isError is not a boolean");
  }
  return result;
}

std::optional<TaskSupport> parseTaskSupport(std::string_view text) {
  if (text == "forbidden") return TaskSupport::kForbidden;
  if (text == "optional") return TaskSupport::kOptional;
  if (text == "required") return TaskSupport::kRequired;
  return std::nullopt;
}

std::string_view taskSupportName(TaskSupport support) {
  switch (support) {
    case TaskSupport::kForbidden:
      return "forbidden";
    case TaskSupport::kOptional:
      return "optional";
    case TaskSupport::kRequired:
      return "required";
  }
  return "forbidden";
}

Json ToolDef::toJson() const {
  Json out = {{"name", name}};
  putIf(out, "title", title);
  putIf(out, "description", description);
  out["inputSchema"] = input_schema.is_object() ? input_schema : Json{{"type", "object"}};
  if (!output_schema.is_null()) out["outputSchema"] = output_schema;
  if (!annotations.is_null()) out["annotations"] = annotations;
  if (!meta.is_null()) out["_meta"] = meta;
  return out;
}

Json ResourceDef::toJson() const {
  Json out = {{"uri", uri}, {"name", name}};
  putIf(out, "title", title);
  putIf(out, "description", description);
  putIf(out, "mimeType", mime_type);
  if (!annotations.is_null()) out["annotations"] = annotations;
  return out;
}

Json ResourceTemplateDef::toJson() const {
  Json out = {{"uriTemplate", uri_template}, {"name", name}};
  putIf(out, "title", title);
  putIf(out, "description", description);
  putIf(out, "mimeType", mime_type);
  return out;
}

bool ResourceTemplateDef::matches(const std::string& uri) const {
  std::size_t t = 0;
  std::size_t u = 0;
  while (t < uri_template.size()) {
    if (uri_template[t] == '{') {
      std::size_t close = uri_template.find('}', t);
      if (close == std::string::npos) return false;
      t = close + 1;
      std::size_t start = u;
      while (u < uri.size() && uri[u] != '/' &&
             (t >= uri_template.size() || uri[u] != uri_template[t])) {
        ++u;
      }
      if (u == start) return false;
    } else {
      if (u >= uri.size() || uri[u] != uri_template[t]) return false;
      ++t;
      ++u;
    }
  }
  return u == uri.size();
}

Json PromptDef::toJson() const {
  Json out = {{"name", name}};
  putIf(out, "title", title);
  putIf(out, "description", description);
  if (arguments.is_array() && !arguments.empty()) out["arguments"] = arguments;
  return out;
}

Json ServerInfo::toJson() const {
  Json out = {{"name", name}, {"version", version}};
  putIf(out, "title", title);
  return out;
}

}  // namespace switchboard::mcp::server
