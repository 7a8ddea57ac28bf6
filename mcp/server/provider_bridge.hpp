// ProviderBridge: serves a plugin's ToolProvider through a Server — its catalog becomes
// registry entries whose handlers forward to the provider with JSON text.
//
// A tool entry's "execution": {"taskSupport": ...} becomes ToolDef::task_support (the
// provider's calls then may become tasks through ToolContext::becomeTask); it is not
// passed on to clients.
//
// sync() re-reads catalogJson() and updates only the sections that changed, sending one
// list_changed per changed section; tool and prompt handlers let the plugin trigger it
// through ToolContext::notifyCatalogChanged(). The bridge keeps the provider (and so its
// library) alive for as long as any of its handlers is registered or running.
//
// Thread safety: sync() may be called from any thread (serialised internally).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "mcp/server/definitions.hpp"
#include "mcp/server/registry.hpp"
#include "switchboard/status.hpp"
#include "switchboard/tool_provider.hpp"

namespace switchboard::mcp::server {

class Server;

class ProviderBridge : public std::enable_shared_from_this<ProviderBridge> {
 public:
  explicit ProviderBridge(std::shared_ptr<switchboard::ToolProvider> provider);

  // InvalidArgument when the catalog is not {"tools":[...], "resources":[...],
  // "resourceTemplates":[...], "prompts":[...]} with named entries, or a tool's
  // execution.taskSupport is not forbidden, optional or required.
  Status sync(Server& server);

 private:
  // What the bridge last registered from one catalog section: its JSON text (to tell
  // whether it changed) and the keys (names or URIs) of its entries.
  struct Section {
    std::string json;
    std::set<std::string> keys;
  };
  // Registers every entry of `entries` (their JSON text is `text`) with `add`, which
  // returns the entry's key, removes what `section` had that is gone, and notifies
  // `kind`'s list_changed. Does nothing when the text is what `section` holds.
  void syncSection(Server& server, const Json& entries, std::string text, Section& section,
                   ListKind kind, const std::function<std::string(const Json&)>& add,
                   const std::function<void(const std::string&)>& remove);

  std::shared_ptr<switchboard::ToolProvider> provider_;
  std::mutex mutex_;
  Section tools_, resources_, templates_, prompts_;
};

}  // namespace switchboard::mcp::server
