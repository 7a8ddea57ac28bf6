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

// Completion for a resource template or prompt: asks the provider with `ref` and keeps
// the string values of its CompleteResult.
CompletionHandler completer(std::shared_ptr<switchboard::ToolProvider> provider, Json ref) {
  return [provider = std::move(provider), ref = std::move(ref)](
             const Json& argument, const Json& context) -> Result<std::vector<std::string>> {
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
  auto read = [provider](const std::string& uri, RequestContext&) {
    return parseProviderResult(provider->readResource(uri), "ReadResourceResult");
  };

  const Json& tools = section(catalog, "tools");
  syncSection(
      server, tools, tools.dump(), tools_, ListKind::kTools,
      [&](const Json& t) {
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
        return name;
      },
      [&](const std::string& name) { registry.removeTool(name); });

  const Json& resources = section(catalog, "resources");
  syncSection(
      server, resources, resources.dump(), resources_, ListKind::kResources,
      [&](const Json& r) {
        ResourceDef def{str(r, "uri"),         str(r, "name"),     str(r, "title"),
                        str(r, "description"), str(r, "mimeType"), r.value("annotations", Json())};
        if (def.name.empty()) def.name = def.uri;
        std::string uri = def.uri;
        registry.addResource(std::move(def), read);
        return uri;
      },
      [&](const std::string& uri) { registry.removeResource(uri); });

  const Json& templates = section(catalog, "resourceTemplates");
  syncSection(
      server, templates, templates.dump(), templates_, ListKind::kResourceTemplates,
      [&](const Json& t) {
        ResourceTemplateDef def;
        def.uri_template = str(t, "uriTemplate");
        def.name = str(t, "name").empty() ? def.uri_template : str(t, "name");
        def.title = str(t, "title");
        def.description = str(t, "description");
        def.mime_type = str(t, "mimeType");
        def.complete = completer(provider, {{"type", "ref/resource"}, {"uri", def.uri_template}});
        std::string uri_template = def.uri_template;
        registry.addResourceTemplate(std::move(def), read);
        return uri_template;
      },
      [&](const std::string& uri) { registry.removeResourceTemplate(uri); });

  const Json& prompts = section(catalog, "prompts");
  syncSection(
      server, prompts, prompts.dump(), prompts_, ListKind::kPrompts,
      [&](const Json& p) {
        PromptDef def;
        def.name = str(p, "name");
        def.title = str(p, "title");
        def.description = str(p, "description");
        def.arguments = p.value("arguments", Json::array());
        std::string name = def.name;
        def.complete = completer(provider, {{"type", "ref/prompt"}, {"name", name}});
        registry.addPrompt(
            std::move(def), [provider, hook, name](const Json& args, RequestContext& context) {
              context.setCatalogChangedHook(hook);
              return parseProviderResult(provider->getPrompt(name, args.dump(), context),
                                         "GetPromptResult");
            });
        return name;
      },
      [&](const std::string& name) { registry.removePrompt(name); });
  return Status();
}

void ProviderBridge::syncSection(Server& server, const Json& entries, std::string text,
                                 Section& section, ListKind kind,
                                 const std::function<std::string(const Json&)>& add,
                                 const std::function<void(const std::string&)>& remove) {
  if (text == section.json) return;
  std::set<std::string> keys;
  for (const Json& entry : entries) keys.insert(add(entry));
  for (const std::string& old : section.keys) {
    if (!keys.count(old)) remove(old);
  }
  section.keys = std::move(keys);
  section.json = std::move(text);
  server.notifyListChanged(kind);
}

}  // namespace switchboard::mcp::server
