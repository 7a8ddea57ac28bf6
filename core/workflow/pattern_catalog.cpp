#include "core/workflow/pattern_catalog.hpp"

namespace switchboard::core {
namespace {

std::string shortName(const std::string& full) {
  std::string::size_type dot = full.rfind('.');
  return dot == std::string::npos ? full : full.substr(dot + 1);
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    if (!out.empty()) out += ", ";
    out += shortName(name);
  }
  return out.empty() ? "none" : out;
}

}  // namespace

PatternCatalog::PatternCatalog(PluginRegistry* registry,
                               std::map<std::string, std::string> plugin_configs)
    : registry_(registry), plugin_configs_(std::move(plugin_configs)) {}

std::vector<std::string> PatternCatalog::names() const {
  return registry_->usable(PluginKind::kWorkflow);
}

Result<std::string> PatternCatalog::fullName(const std::string& name) const {
  std::vector<std::string> loaded = names();
  std::vector<std::string> matches;
  for (const std::string& full : loaded) {
    if (full == name) return full;
    if (shortName(full) == name) matches.push_back(full);
  }
  if (matches.size() == 1) return matches.front();
  if (matches.size() > 1) {
    std::string text = "pattern '" + name + "' is ambiguous; use one of the full names:";
    for (const std::string& m : matches) text += " " + m;
    return Status::invalidArgument(text);
  }
  return Status::notFound("no workflow pattern '" + name + "'; loaded patterns: " + joined(loaded) +
                          " (workflow_patterns describes them)");
}

Result<std::shared_ptr<WorkflowPattern>> PatternCatalog::pattern(const std::string& name) {
  Result<std::string> full = fullName(name);
  if (!full.ok()) return full.status();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = patterns_.find(*full);
    if (it != patterns_.end()) return it->second;
  }
  auto config = plugin_configs_.find(*full);
  Result<std::shared_ptr<WorkflowPattern>> made = registry_->create<WorkflowPattern>(
      *full, config == plugin_configs_.end() ? std::string("{}") : config->second);
  if (!made.ok()) return made.status();
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = patterns_.emplace(*full, *made);
  return it->second;
}

PatternResolver PatternCatalog::resolver() {
  return [this](const std::string& name) { return pattern(name); };
}

}  // namespace switchboard::core
