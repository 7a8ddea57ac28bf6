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

#include <memory>
#include <mutex>
#include <set>
#include <string>

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
  std::shared_ptr<switchboard::ToolProvider> provider_;
  std::mutex mutex_;
  std::string tools_json_, resources_json_, templates_json_, prompts_json_;
  std::set<std::string> tools_, resources_, templates_, prompts_;
};

}  // namespace switchboard::mcp::server
