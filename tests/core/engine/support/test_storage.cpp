#include "tests/core/engine/support/test_storage.hpp"

#include <nlohmann/json.hpp>
#include <utility>

#include "tests/plugins/support/plugin_loader.hpp"

namespace switchboard::testing {

using plugins::testing::loadPluginForTest;

Result<std::shared_ptr<StorageBackend>> openSqliteStore(const std::string& path,
                                                        const std::string& synchronous) {
  const nlohmann::json config = {{"path", path}, {"synchronous", synchronous}};
  return loadPluginForTest<StorageBackend>("storage", "sqlite", config.dump());
}

MemoryStore::MemoryStore() {
  Result<std::shared_ptr<StorageBackend>> plugin =
      loadPluginForTest<StorageBackend>("storage", "memory");
  if (plugin.ok()) {
    plugin_ = std::move(*plugin);
  } else {
    load_status_ = plugin.status();
  }
}

Status MemoryStore::loaded() const {
  if (plugin_) return Status();
  return Status::failedPrecondition("memory storage plugin not loaded: " + load_status_.toString());
}

Status MemoryStore::apply(const WriteBatch& batch) {
  if (fail_writes) return Status::unavailable("injected write failure");
  SB_RETURN_IF_ERROR(loaded());
  SB_RETURN_IF_ERROR(plugin_->apply(batch));
  ++batches;
  return Status();
}

Result<std::optional<std::string>> MemoryStore::get(const std::string& collection,
                                                    const std::string& id) {
  SB_RETURN_IF_ERROR(loaded());
  return plugin_->get(collection, id);
}

Result<std::vector<Record>> MemoryStore::list(const std::string& collection,
                                              const std::string& after_id, std::int64_t limit) {
  SB_RETURN_IF_ERROR(loaded());
  return plugin_->list(collection, after_id, limit);
}

Result<std::vector<StepRecord>> MemoryStore::steps(const std::string& execution_id) {
  SB_RETURN_IF_ERROR(loaded());
  return plugin_->steps(execution_id);
}

Result<std::vector<EventRecord>> MemoryStore::events(std::int64_t after_id, std::int64_t limit,
                                                     const std::string& topic_prefix) {
  SB_RETURN_IF_ERROR(loaded());
  return plugin_->events(after_id, limit, topic_prefix);
}

Result<std::int64_t> MemoryStore::lastEventId() {
  SB_RETURN_IF_ERROR(loaded());
  return plugin_->lastEventId();
}

}  // namespace switchboard::testing
