// AgentService: construction, persistence, events, create/list/get/update/remove.
// Lifecycle control is in agent_control.cpp, dispatch (resolve, ask) in agent_dispatch.cpp.
#include "core/agents/agent_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <utility>

#include "core/agents/agent_service_internal.hpp"
#include "core/agents/metered_agent.hpp"
#include "core/agents/secret_redaction.hpp"
#include "core/common/ids.hpp"
#include "core/common/stored_records.hpp"
#include "core/plugin_host/plugin_registry.hpp"
#include "core/plugin_host/schema_validator.hpp"

namespace switchboard::core {
namespace {

using nlohmann::json;

constexpr std::int64_t kDefaultPage = 50;
constexpr std::int64_t kMaxPage = 500;
constexpr const char* kCollection = "agents";

std::string joinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "(none loaded)" : out;
}

}  // namespace

Status validateAgentName(const std::string& name) {
  if (name.empty() || name.size() > 64) {
    return Status::invalidArgument("name must be 1 to 64 characters");
  }
  if (!std::isalnum(static_cast<unsigned char>(name[0]))) {
    return Status::invalidArgument("name must start with a letter or digit");
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != ' ' && c != '_' && c != '-' &&
        c != '.') {
      return Status::invalidArgument("name '" + name +
                                     "' may hold only letters, digits, spaces, '_', '-' and '.'");
    }
  }
  if (name.rfind("ag_", 0) == 0)
    return Status::invalidArgument("name must not start with 'ag_' (agent ids do)");
  return Status();
}

Result<std::vector<std::string>> normalizeCapabilities(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  for (const std::string& c : in) {
    if (c.empty() || c.size() > 64)
      return Status::invalidArgument("each capability must be 1 to 64 characters");
    for (char ch : c) {
      if (std::isspace(static_cast<unsigned char>(ch)) ||
          std::iscntrl(static_cast<unsigned char>(ch))) {
        return Status::invalidArgument("capability '" + c + "' must not contain spaces");
      }
    }
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  }
  return out;
}

Result<AgentRecord> applyAgentUpdate(AgentRecord record, const AgentUpdate& u) {
  if (u.name) {
    SB_RETURN_IF_ERROR(validateAgentName(*u.name));
    record.name = *u.name;
  }
  if (u.role) record.role = *u.role;
  if (u.model) record.model = *u.model;
  if (u.system_prompt) record.system_prompt = *u.system_prompt;
  if (u.capabilities) {
    Result<std::vector<std::string>> caps = normalizeCapabilities(*u.capabilities);
    if (!caps.ok()) return caps.status();
    record.capabilities = std::move(*caps);
  }
  if (u.config) {
    if (!u.config->is_object()) return Status::invalidArgument("config must be a JSON object");
    nlohmann::json config = *u.config;
    keepRedactedSecrets(config, record.config);  // a config read back from agent_get
    record.config = std::move(config);
  }
  if (u.limits) record.limits = *u.limits;
  return record;
}

AgentService::AgentService(AgentTypeCatalog* types, std::shared_ptr<StorageBackend> store,
                           EventSink events, AgentServiceOptions options)
    : types_(types),
      store_(std::move(store)),
      outbox_(std::move(events), "agents"),
      options_(options) {
  for (const auto& [provider, limits] : options_.providers) {
    guards_[provider] = std::make_shared<ProviderGuard>(provider, limits);
  }
}

AgentService::~AgentService() {
  for (auto& [provider, guard] : guards_) guard->stop();  // calls waiting for a slot end now
  std::vector<std::shared_ptr<AskCall>> asks;
  {
    std::lock_guard lock(mu_);
    for (auto& [id, entry] : agents_) {
      auto taken = takeAsksLocked(*entry);
      asks.insert(asks.end(), taken.begin(), taken.end());
    }
  }
  cancelAsks(asks);
  Status s = flush();
  if (!s.ok()) spdlog::warn("agents: counters not written at shutdown: {}", s.toString());
}

Result<std::int64_t> AgentService::load() {
  std::int64_t loaded = 0;
  auto add_page = [&](const std::vector<Record>& page) {
    std::lock_guard lock(mu_);
    for (const Record& rec : page) {
      json j = json::parse(rec.json, nullptr, false);
      Result<AgentRecord> agent = agentFromStoredJson(j);
      if (!agent.ok()) {
        spdlog::warn("agents: skipping stored record {}: {}", rec.id, agent.status().toString());
        continue;
      }
      if (agents_.count(agent->id) || names_.count(agent->name)) {
        spdlog::warn("agents: skipping stored record {}: id or name already loaded", rec.id);
        continue;
      }
      auto entry = std::make_unique<Entry>();
      entry->record = std::move(*agent);
      entry->last_write = std::chrono::steady_clock::now();
      names_[entry->record.name] = entry->record.id;
      agents_[entry->record.id] = std::move(entry);
      ++loaded;
    }
  };
  SB_RETURN_IF_ERROR(forEachStoredPage(*store_, kCollection, kMaxPage, add_page));
  return loaded;
}

Result<std::string> AgentService::resolveTypeName(const std::string& type) const {
  std::vector<std::string> names = types_->agentTypeNames();
  std::vector<std::string> matches;
  for (const std::string& n : names) {
    if (n == type) return n;
    if (n.size() > type.size() && n.compare(n.size() - type.size(), type.size(), type) == 0 &&
        n[n.size() - type.size() - 1] == '.') {
      matches.push_back(n);
    }
  }
  if (matches.size() == 1 && !type.empty()) return matches.front();
  if (matches.size() > 1) {
    return Status::invalidArgument("agent type '" + type + "' is ambiguous: " + joinNames(matches));
  }
  return Status::notFound("unknown agent type '" + type +
                          "'; loaded agent types: " + joinNames(names));
}

Status AgentService::validateConfig(const std::string& type_name, const json& config) {
  if (!config.is_object()) return Status::invalidArgument("config must be a JSON object");
  Result<std::shared_ptr<AgentType>> type = types_->agentType(type_name);
  if (!type.ok()) return type.status();
  std::string schema;
  try {
    schema = (*type)->agentConfigSchema();
  } catch (...) {
    return Status::internal("agent type " + type_name + " threw from agentConfigSchema()");
  }
  rememberSecrets(type_name, schema);
  Result<SchemaValidator> validator =
      SchemaValidator::fromText(schema, type_name + " agent config schema");
  if (!validator.ok()) {
    return Status::internal("agent type " + type_name +
                            " has an unusable config schema: " + validator.status().message());
  }
  return validator->validate(config).withContext("config rejected by " + type_name);
}

Result<std::shared_ptr<Agent>> AgentService::makeRuntime(const AgentRecord& record) {
  Result<std::shared_ptr<AgentType>> type = types_->agentType(record.type);
  if (!type.ok()) return type.status();
  try {
    rememberSecrets(record.type, (*type)->agentConfigSchema());
  } catch (...) {
  }
  AgentSpec spec{record.id,    record.name,          record.role,
                 record.model, record.system_prompt, record.config.dump()};
  Result<std::unique_ptr<Agent>> made = [&]() -> Result<std::unique_ptr<Agent>> {
    try {
      return (*type)->createAgent(spec);
    } catch (...) {
      return Status::internal("agent type " + record.type + " threw from createAgent()");
    }
  }();
  if (!made.ok()) return made.status();
  if (!*made) return Status::internal("agent type " + record.type + " returned no agent");
  std::shared_ptr<AgentMeter> meter;
  {
    std::lock_guard lock(mu_);
    meter = meterLocked(record.id);
  }
  meter->setBudget(record.limits.budget);
  std::shared_ptr<Agent> runtime = holdWith(*type, std::move(*made));
  const std::string provider = record.type.substr(record.type.rfind('.') + 1);
  if (auto guard = guards_.find(provider); guard != guards_.end())
    runtime = guard->second->wrap(std::move(runtime));
  return std::shared_ptr<Agent>(std::make_shared<MeteredAgent>(std::move(runtime), meter));
}

json AgentService::providerStates() const {
  json out = json::array();
  for (const auto& [name, guard] : guards_) out.push_back(guard->state());
  return out;
}

std::shared_ptr<AgentMeter> AgentService::meterLocked(const std::string& id) {
  std::shared_ptr<AgentMeter>& meter = meters_[id];
  if (!meter) {
    meter = std::make_shared<AgentMeter>();
    auto it = agents_.find(id);
    if (it != agents_.end()) {
      meter->setBudget(it->second->record.limits.budget);
      meter->setSpent(it->second->record.counters);
    }
  }
  return meter;
}

Result<AgentRecord> AgentService::create(const AgentCreateRequest& request) {
  SB_RETURN_IF_ERROR(validateAgentName(request.name));
  Result<std::vector<std::string>> caps = normalizeCapabilities(request.capabilities);
  if (!caps.ok()) return caps.status();
  Result<AgentLimits> limits = limitsFromJson(limitsToJson(request.limits));
  if (!limits.ok()) return limits.status();
  Result<std::string> type = resolveTypeName(request.type);
  if (!type.ok()) return type.status();
  {
    std::lock_guard lock(mu_);
    if (names_.count(request.name)) {
      return Status::alreadyExists("an agent named '" + request.name + "' exists already (" +
                                   names_[request.name] + ")");
    }
  }
  SB_RETURN_IF_ERROR(validateConfig(*type, request.config));

  auto entry = std::make_unique<Entry>();
  AgentRecord& r = entry->record;
  r.id = newId("ag_");
  r.name = request.name;
  r.role = request.role;
  r.type = *type;
  r.model = request.model;
  r.system_prompt = request.system_prompt;
  r.capabilities = std::move(*caps);
  r.config = request.config;
  r.limits = *limits;
  r.created_at = r.updated_at = nowRfc3339();
  if (request.start) {
    Result<std::shared_ptr<Agent>> runtime = makeRuntime(r);
    if (!runtime.ok())
      return runtime.status().withContext("agent type " + r.type + " cannot create it");
    entry->runtime = std::move(*runtime);
    r.status = AgentStatus::kIdle;
  }
  const std::string id = r.id;
  {
    std::lock_guard lock(mu_);
    if (names_.count(request.name)) {
      return Status::alreadyExists("an agent named '" + request.name + "' exists already (" +
                                   names_[request.name] + ")");
    }
    names_[request.name] = id;
    agents_[id] = std::move(entry);
  }
  Status written = persist({id});
  AgentRecord view;
  {
    std::lock_guard lock(mu_);
    auto it = agents_.find(id);
    if (!written.ok()) {
      if (it != agents_.end()) {
        names_.erase(it->second->record.name);
        agents_.erase(it);
      }
      return written.withContext("agent not created: the store refused it");
    }
    if (it == agents_.end())
      return Status::notFound("agent " + id + " was deleted while being created");
    view = viewLocked(*it->second);
    eventLocked(*it->second, "agent.created");
  }
  outbox_.drain();
  return view;
}

Result<AgentPage> AgentService::list(const AgentFilter& filter, const std::string& cursor,
                                     std::int64_t limit) const {
  if (!cursor.empty() && cursor.rfind("ag_", 0) != 0) {
    return Status::invalidArgument("cursor '" + cursor + "' is not a cursor from agent_list");
  }
  if (limit <= 0) limit = kDefaultPage;
  limit = std::min(limit, kMaxPage);
  AgentPage page;
  std::lock_guard lock(mu_);
  for (auto it = agents_.upper_bound(cursor); it != agents_.end(); ++it) {
    const Entry& e = *it->second;
    if (filter.status && e.shown() != *filter.status) continue;
    if (!filter.role.empty() && e.record.role != filter.role) continue;
    if (!filter.capability.empty() &&
        std::find(e.record.capabilities.begin(), e.record.capabilities.end(), filter.capability) ==
            e.record.capabilities.end()) {
      continue;
    }
    if (static_cast<std::int64_t>(page.agents.size()) == limit) {
      page.next_cursor = page.agents.back().id;
      break;
    }
    page.agents.push_back(viewLocked(e));
  }
  return page;
}

Result<AgentRecord> AgentService::get(const std::string& id_or_name) const {
  std::lock_guard lock(mu_);
  const Entry* e = findLocked(id_or_name);
  if (!e) return Status::notFound("no agent '" + id_or_name + "'; agent_list shows the agents");
  return viewLocked(*e);
}

std::vector<std::string> AgentService::agentTypes() const { return types_->agentTypeNames(); }

AgentService::Entry* AgentService::findLocked(const std::string& id_or_name) {
  auto it = agents_.find(id_or_name);
  if (it != agents_.end()) return it->second.get();
  auto name = names_.find(id_or_name);
  if (name == names_.end()) return nullptr;
  it = agents_.find(name->second);
  return it == agents_.end() ? nullptr : it->second.get();
}

const AgentService::Entry* AgentService::findLocked(const std::string& id_or_name) const {
  return const_cast<AgentService*>(this)->findLocked(id_or_name);
}

void AgentService::rememberSecrets(const std::string& type_name, const std::string& schema_text) {
  json schema = json::parse(schema_text, nullptr, false);
  std::set<std::string> keys =
      schema.is_discarded() ? std::set<std::string>() : writeOnlyKeys(schema);
  std::lock_guard lock(mu_);
  write_only_[type_name] = std::move(keys);
}

AgentRecord AgentService::viewLocked(const Entry& entry) const {
  AgentRecord view = entry.record;
  auto secrets = write_only_.find(view.type);
  redactSecrets(view.config,
                secrets == write_only_.end() ? std::set<std::string>() : secrets->second);
  view.status = entry.shown();
  view.in_flight = entry.in_flight;
  return view;
}

void AgentService::eventLocked(const Entry& entry, const std::string& type) {
  outbox_.push("agent/" + entry.record.id, type, json{{"agent", toJson(viewLocked(entry))}});
}

void AgentService::statusEventLocked(const Entry& entry, AgentStatus from,
                                     const std::string& reason) {
  json data{{"agent", toJson(viewLocked(entry))},
            {"from", agentStatusName(from)},
            {"to", agentStatusName(entry.shown())},
            {"reason", reason}};
  outbox_.push("agent/" + entry.record.id, "agent.status", std::move(data));
}

Result<AgentRecord> AgentService::commitChange(AgentRecord view,
                                               const std::vector<std::shared_ptr<AskCall>>& asks) {
  cancelAsks(asks);
  Status written = persist({view.id});
  outbox_.drain();
  if (!written.ok()) return written.withContext("agent " + view.id + " changed but not stored");
  return view;
}

Status AgentService::persist(const std::vector<std::string>& ids) {
  std::lock_guard write_lock(write_mu_);
  WriteBatch batch;
  {
    // Snapshot the latest state under write_mu_, so writes never go back in time.
    std::lock_guard lock(mu_);
    for (const std::string& id : ids) {
      auto it = agents_.find(id);
      if (it == agents_.end()) {
        batch.erases.push_back({kCollection, id});
        continue;
      }
      batch.puts.push_back({kCollection, id, toStoredJson(it->second->record).dump()});
      it->second->counters_dirty = false;
      it->second->last_write = std::chrono::steady_clock::now();
    }
  }
  Status s;
  try {
    s = store_->apply(batch);
  } catch (...) {
    s = Status::internal("the store threw while writing agents");
  }
  if (!s.ok()) {
    std::lock_guard lock(mu_);
    for (const std::string& id : ids) {
      if (auto it = agents_.find(id); it != agents_.end()) it->second->counters_dirty = true;
    }
  }
  return s;
}

std::vector<std::shared_ptr<AgentService::AskCall>> AgentService::takeAsksLocked(Entry& entry) {
  std::vector<std::shared_ptr<AskCall>> out(entry.asks.begin(), entry.asks.end());
  entry.asks.clear();
  return out;
}

void AgentService::cancelAsks(const std::vector<std::shared_ptr<AskCall>>& calls) {
  for (const auto& call : calls) call->cancel();
}

}  // namespace switchboard::core
