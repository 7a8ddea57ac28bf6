// Exports the sequential workflow pattern.
#include <memory>

#include "plugins/workflow/sequential/sequential_workflow.hpp"
#include "switchboard/export.hpp"

namespace switchboard::plugins {
namespace {

Result<std::unique_ptr<WorkflowPattern>> makeSequentialWorkflow(const PluginContext& /*context*/) {
  return std::unique_ptr<WorkflowPattern>(std::make_unique<SequentialWorkflow>());
}

}  // namespace
}  // namespace switchboard::plugins

SB_PLUGIN(switchboard::WorkflowPattern, "switchboard.workflow.sequential", "0.1.0",
          switchboard::plugins::makeSequentialWorkflow)
