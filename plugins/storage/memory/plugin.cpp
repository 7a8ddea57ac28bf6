// Exports the memory storage backend.
#include <memory>

#include "plugins/storage/memory/memory_storage.hpp"
#include "switchboard/export.hpp"

namespace switchboard::plugins {
namespace {

Result<std::unique_ptr<StorageBackend>> makeMemoryStorage(const PluginContext& /*context*/) {
  return std::unique_ptr<StorageBackend>(std::make_unique<MemoryStorage>());
}

}  // namespace
}  // namespace switchboard::plugins

SB_PLUGIN(switchboard::StorageBackend, "switchboard.storage.memory", "0.1.0",
          switchboard::plugins::makeMemoryStorage)
