// PatternCatalog: the workflow patterns the gateway can run, made from the plugin registry.
//
// A pattern is named by its full plugin name ("switchboard.workflow.dag") or by its last
// component ("dag") when that is unambiguous. Each pattern plugin is instantiated once, on
// first use, with the instance config the gateway's config gives for it ("{}" when none),
// and the object is reused by every execution (and kept loaded by them). resolver() is
// what the engine uses to find the pattern of an execution reloaded from the store.
//
// Ownership: borrows the registry, which must outlive the catalog. Thread safety: every
// method may be called from any thread.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/engine/engine.hpp"
#include "core/plugin_host/plugin_registry.hpp"
#include "switchboard/workflow.hpp"

namespace switchboard::core {

class PatternCatalog {
 public:
  PatternCatalog(PluginRegistry* registry, std::map<std::string, std::string> plugin_configs);

  // Full names of the loaded workflow plugins, sorted.
  std::vector<std::string> names() const;
  // The full name for `name` (full or short). NotFound listing the loaded patterns, or
  // InvalidArgument when a short name matches several.
  Result<std::string> fullName(const std::string& name) const;
  // The pattern object (created on first use). NotFound as fullName(), or the plugin's
  // factory error.
  Result<std::shared_ptr<WorkflowPattern>> pattern(const std::string& name);
  // For EngineConfig::resolver; the catalog must outlive the engine.
  PatternResolver resolver();

 private:
  PluginRegistry* registry_;
  std::map<std::string, std::string> plugin_configs_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<WorkflowPattern>> patterns_;  // guarded by mu_
};

}  // namespace switchboard::core
