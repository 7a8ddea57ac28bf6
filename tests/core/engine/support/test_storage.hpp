// Storage for the engine and event tests: the real bundled storage plugins, loaded from the
// build tree through the plugin host (tests/plugins/support/plugin_loader.hpp).
// openSqliteStore() gives the sqlite plugin on a file; MemoryStore is the memory plugin behind
// a thin wrapper that adds what the plugin cannot give: write-failure injection
// (fail_writes makes apply() fail with Unavailable) and a count of applied batches.
// Thread safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "switchboard/storage.hpp"

namespace switchboard::testing {

// The sqlite plugin on `path` (created when missing); `synchronous` is "normal" or "full".
Result<std::shared_ptr<StorageBackend>> openSqliteStore(const std::string& path,
                                                        const std::string& synchronous = "normal");

class MemoryStore : public StorageBackend {
 public:
  // Loads the memory plugin; when it cannot, every call returns FailedPrecondition with the
  // loader's error (so the test's first storage check fails and says why).
  MemoryStore();

  Status apply(const WriteBatch& batch) override;
  Result<std::optional<std::string>> get(const std::string& collection,
                                         const std::string& id) override;
  Result<std::vector<Record>> list(const std::string& collection, const std::string& after_id,
                                   std::int64_t limit) override;
  Result<std::vector<StepRecord>> steps(const std::string& execution_id) override;
  Result<std::vector<EventRecord>> events(std::int64_t after_id, std::int64_t limit,
                                          const std::string& topic_prefix) override;
  Result<std::int64_t> lastEventId() override;

  std::atomic<bool> fail_writes{false};
  std::atomic<std::int64_t> batches{0};

 private:
  Status loaded() const;

  std::shared_ptr<StorageBackend> plugin_;
  Status load_status_;
};

}  // namespace switchboard::testing
