// Exports the dag workflow pattern.
#include <memory>

#include "plugins/workflow/dag/dag_workflow.hpp"
#include "switchboard/export.hpp"

namespace switchboard::plugins {
namespace {

Result<std::unique_ptr<WorkflowPattern>> makeDagWorkflow(const PluginContext& /*context*/) {
  return std::unique_ptr<WorkflowPattern>(std::make_unique<DagWorkflow>());
}

}  // namespace
}  // namespace switchboard::plugins

SB_PLUGIN(switchboard::WorkflowPattern, "switchboard.workflow.dag", "0.1.0",
          switchboard::plugins::makeDagWorkflow)
