// Exports the parallel workflow pattern.
#include <memory>

#include "plugins/workflow/parallel/parallel_workflow.hpp"
#include "switchboard/export.hpp"

namespace switchboard::plugins {
namespace {

Result<std::unique_ptr<WorkflowPattern>> makeParallelWorkflow(const PluginContext& /*context*/) {
  return std::unique_ptr<WorkflowPattern>(std::make_unique<ParallelWorkflow>());
}

}  // namespace
}  // namespace switchboard::plugins

SB_PLUGIN(switchboard::WorkflowPattern, "switchboard.workflow.parallel", "0.1.0",
          switchboard::plugins::makeParallelWorkflow)
