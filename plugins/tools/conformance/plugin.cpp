// Exports the conformance fixtures tool provider.
#include <memory>

#include "plugins/tools/conformance/conformance_tools.hpp"
#include "switchboard/export.hpp"

namespace switchboard::plugins {
namespace {

Result<std::unique_ptr<ToolProvider>> makeConformanceTools(const PluginContext& /*context*/) {
  return std::unique_ptr<ToolProvider>(std::make_unique<ConformanceTools>());
}

}  // namespace
}  // namespace switchboard::plugins

SB_PLUGIN(switchboard::ToolProvider, "switchboard.tools.conformance", "0.1.0",
          switchboard::plugins::makeConformanceTools)
