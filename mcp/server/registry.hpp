// Registry: the server's catalog — tools, resources, resource templates and prompts with
// their handlers — kept in registration order, with opaque-cursor pagination.
//
// Each add/remove returns whether the list changed, so the Server can send list_changed.
// Lists are snapshots: a handler looked up here stays callable even if it is removed
// while running. Cursors encode a position ("o:<offset>" in base64url-like hex); an
// unreadable cursor is InvalidArgument.
//
// Thread safety: all methods are safe from any thread (one shared_mutex).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "mcp/server/call_profile.hpp"
#include "mcp/server/definitions.hpp"

namespace switchboard::mcp::server {

enum class ListKind { kTools, kResources, kResourceTemplates, kPrompts };

class Registry {
 public:
  struct Tool {
    ToolDef def;
    ToolHandler handler;
    // Set for a tool whose result comes as text; `handler` then parses and checks it.
    ToolTextHandler text_handler;
    // Learned per registration: may calls run on the transport's thread?
    std::shared_ptr<CallProfile> profile = std::make_shared<CallProfile>();
  };
  struct Resource {
    ResourceDef def;
    ResourceHandler handler;
  };
  struct Template {
    ResourceTemplateDef def;
    ResourceHandler handler;
  };
  struct Prompt {
    PromptDef def;
    PromptHandler handler;
  };
  struct Page {
    nlohmann::json items = nlohmann::json::array();
    std::string next_cursor;  // empty: last page
  };

  // Adding a name/URI that exists replaces it. All return true.
  bool addTool(ToolDef def, ToolHandler handler);
  // A tool that answers with JSON text; `handler` is the same call parsed and checked, for
  // the paths that need the result as JSON (tasks).
  bool addTool(ToolDef def, ToolHandler handler, ToolTextHandler text_handler);
  bool addResource(ResourceDef def, ResourceHandler handler);
  bool addResourceTemplate(ResourceTemplateDef def, ResourceHandler handler);
  bool addPrompt(PromptDef def, PromptHandler handler);
  // False when nothing had that name/URI.
  bool removeTool(const std::string& name);
  bool removeResource(const std::string& uri);
  bool removeResourceTemplate(const std::string& uri_template);
  bool removePrompt(const std::string& name);

  std::shared_ptr<const Tool> tool(const std::string& name) const;
  std::shared_ptr<const Resource> resource(const std::string& uri) const;
  std::shared_ptr<const Template> templateFor(const std::string& uri) const;
  std::shared_ptr<const Template> templateByUri(const std::string& uri_template) const;
  std::shared_ptr<const Prompt> prompt(const std::string& name) const;
  // The distinct task backings of the registered tools.
  std::vector<std::shared_ptr<TaskBacking>> taskBackings() const;

  // InvalidArgument for a cursor this registry did not produce.
  Result<Page> list(ListKind kind, const std::string* cursor, std::size_t page_size) const;

 private:
  template <typename T>
  struct Table {
    std::vector<std::shared_ptr<const T>> items;  // in the order added: the listing order
    std::unordered_map<std::string, std::shared_ptr<const T>> by_key;  // the same, by key
    std::shared_ptr<const T> find(const std::string& key) const;
    bool put(const std::string& key, std::shared_ptr<const T> item,
             const std::function<std::string(const T&)>& key_of);
    bool erase(const std::string& key, const std::function<std::string(const T&)>& key_of);
  };
  mutable std::shared_mutex mutex_;
  Table<Tool> tools_;
  Table<Resource> resources_;
  Table<Template> templates_;
  Table<Prompt> prompts_;
};

}  // namespace switchboard::mcp::server
