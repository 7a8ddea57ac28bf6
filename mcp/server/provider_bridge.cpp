#include "mcp/server/provider_bridge.hpp"

#include "mcp/server/server.hpp"

namespace switchboard::mcp::server {
namespace {

std::string str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The tool's execution.taskSupport (absent: forbidden); nullopt when it is malformed.
std::optional<TaskSupport> taskSupportOf(const Json& tool) {
  auto execution = tool.find("execution");
  if (execution == tool.end()) return TaskSupport::kForbidden;
  if (!execution->is_object()) return std::nullopt;
  auto support = execution->find("taskSupport");
  if (support == execution->end()) return TaskSupport::kForbidden;
  if (!support->is_string()) return std::nullopt;
  return parseTaskSupport(support->get<std::string>());
}

const Json& section(const Json& catalog, const char* key) {
  static const Json kEmpty = Json::array();
  auto it = catalog.find(key);
  return it != catalog.end() && it->is_array() ? *it : kEmpty;
}

}  // namespace

ProviderBridge::ProviderBridge(std::shared_ptr<switchboard::ToolProvider> provider)
    : provider_(std::move(provider)) {}

Status ProviderBridge::sync(Server& server) {
  std::lock_guard lock(mutex_);
  Json catalog = Json::parse(provider_->catalogJson(), nullptr, false);
  if (catalog.is_discarded() || !catalog.is_object()) {
    return Status::invalidArgument("tool provider catalog is not a JSON object");
  }
  for (const char* key : {"tools", "resources", "resourceTemplates", "prompts"}) {
    for (const Json& item : section(catalog, key)) {
      const char* id = std::string_view(key) == "resources"           ? "uri"
                       : std::string_view(key) == "resourceTemplates" ? "uriTemplate"
                                                                      : "name";
      if (!item.is_object() || str(item, id).empty()) {
        return Status::invalidArgument(std::string("tool provider catalog: every entry of \"") +
                                       key + "\" needs a string \"" + id + "\"");
      }
    }
  }
  for (const Json& t : section(catalog, "tools")) {
    if (!taskSupportOf(t)) {
      return Status::invalidArgument("tool provider catalog: tool \"" + str(t, "name") +
                                     "\" has an execution.taskSupport other than forbidden, "
                                     "optional or required");
    }
  }
  auto self = shared_from_this();
  Server* host = &server;
  Registry& registry = server.registry();
  auto provider = provider_;
  auto hook = [self, host] { (void)self->sync(*host); };

  std::string tools_json = section(catalog, "tools").dump();
  if (tools_json != tools_json_) {
    std::set<std::string> names;
    for (const Json& t : section(catalog, "tools")) {
      ToolDef def;
      def.name = str(t, "name");
      def.title = str(t, "title");
      def.description = str(t, "description");
      if (t.contains("inputSchema")) def.input_schema = t["inputSchema"];
      if (t.contains("outputSchema")) def.output_schema = t["outputSchema"];
      if (t.contains("annotations")) def.annotations = t["annotations"];
      if (t.contains("_meta")) def.meta = t["_meta"];
      def.task_support = *taskSupportOf(t);
      std::string name = def.name;
      names.insert(name);
      auto call = [provider, hook, name](const Json& args, RequestContext& context) {
        context.setCatalogChangedHook(hook);
        // No arguments is the common case: skip the serializer's fixed cost.
        return provider->callTool(name, args.empty() ? "{}" : args.dump(), context);
      };
      registry.addTool(
          std::move(def),
          [call](const Json& args, RequestContext& context) {
            return parseCallToolResult(call(args, context));
          },
          call);
    }
    for (const auto& old : tools_) {
      if (!names.count(old)) registry.removeTool(old);
    }
    tools_ = std::move(names);
    tools_json_ = std::move(tools_json);
    server.notifyListChanged(ListKind::kTools);
  }

  std::string resources_json = section(catalog, "resources").dump();
  if (resources_json != resources_json_) {
    std::set<std::string> uris;
    for (const Json& r : section(catalog, "resources")) {
      ResourceDef def{str(r, "uri"),         str(r, "name"),     str(r, "title"),
                      str(r, "description"), str(r, "mimeType"), r.value("annotations", Json())};
      if (def.name.empty()) def.name = def.uri;
      uris.insert(def.uri);
      registry.addResource(std::move(def), [provider](const std::string& uri, RequestContext&) {
        return parseProviderResult(provider->readResource(uri), "ReadResourceResult");
      });
    }
    for (const auto& old : resources_) {
      if (!uris.count(old)) registry.removeResource(old);
    }
    resources_ = std::move(uris);
    resources_json_ = std::move(resources_json);
    server.notifyListChanged(ListKind::kResources);
  }

  std::string templates_json = section(catalog, "resourceTemplates").dump();
  if (templates_json != templates_json_) {
    std::set<std::string> uris;
    for (const Json& t : section(catalog, "resourceTemplates")) {
      ResourceTemplateDef def;
      def.uri_template = str(t, "uriTemplate");
      def.name = str(t, "name").empty() ? def.uri_template : str(t, "name");
      def.title = str(t, "title");
      def.description = str(t, "description");
      def.mime_type = str(t, "mimeType");
      std::string uri_template = def.uri_template;
      def.complete = [provider, uri_template](
                         const Json& argument,
                         const Json& context) -> Result<std::vector<std::string>> {
        Json ref = {{"type", "ref/resource"}, {"uri", uri_template}};
        Result<Json> result = parseProviderResult(
            provider->complete(ref.dump(), argument.dump(), context.dump()), "CompleteResult");
        if (!result.ok()) return result.status();
        std::vector<std::string> values;
        for (const auto& v :
             (*result).value("completion", Json::object()).value("values", Json::array())) {
          if (v.is_string()) values.push_back(v.get<std::string>());
        }
        return values;
      };
      uris.insert(uri_template);
      registry.addResourceTemplate(
          std::move(def), [provider](const std::string& uri, RequestContext&) {
            return parseProviderResult(provider->readResource(uri), "ReadResourceResult");
          });
    }
    for (const auto& old : templates_) {
      if (!uris.count(old)) registry.removeResourceTemplate(old);
    }
    templates_ = std::move(uris);
    templates_json_ = std::move(templates_json);
    server.notifyListChanged(ListKind::kResourceTemplates);
  }

  std::string prompts_json = section(catalog, "prompts").dump();
  if (prompts_json != prompts_json_) {
    std::set<std::string> names;
    for (const Json& p : section(catalog, "prompts")) {
      PromptDef def;
      def.name = str(p, "name");
      def.title = str(p, "title");
      def.description = str(p, "description");
      def.arguments = p.value("arguments", Json::array());
      std::string name = def.name;
      def.complete = [provider, name](const Json& argument,
                                      const Json& context) -> Result<std::vector<std::string>> {
        Json ref = {{"type", "ref/prompt"}, {"name", name}};
        Result<Json> result = parseProviderResult(
            provider->complete(ref.dump(), argument.dump(), context.dump()), "CompleteResult");
        if (!result.ok()) return result.status();
        std::vector<std::string> values;
        for (const auto& v :
             (*result).value("completion", Json::object()).value("values", Json::array())) {
          if (v.is_string()) values.push_back(v.get<std::string>());
        }
        return values;
      };
      names.insert(name);
      registry.addPrompt(std::move(def),
                         [provider, hook, name](const Json& args, RequestContext& context) {
                           context.setCatalogChangedHook(hook);
                           return parseProviderResult(
                               provider->getPrompt(name, args.dump(), context), "GetPromptResult");
                         });
    }
    for (const auto& old : prompts_) {
      if (!names.count(old)) registry.removePrompt(old);
    }
    prompts_ = std::move(names);
    prompts_json_ = std::move(prompts_json);
    server.notifyListChanged(ListKind::kPrompts);
  }
  return Status();
}

}  // namespace switchboard::mcp::server
