// Exports the SQLite storage backend. Instance config: see config.schema.json.
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <system_error>

#include "plugins/storage/sqlite/sqlite_storage.hpp"
#include "switchboard/export.hpp"

namespace switchboard::plugins {
namespace {

Result<std::unique_ptr<StorageBackend>> makeSqliteStorage(const PluginContext& context) {
  nlohmann::json config = nlohmann::json::parse(context.config_json, nullptr, false);
  if (config.is_discarded() || !config.is_object()) {
    return Status::invalidArgument("sqlite storage: config must be a JSON object");
  }
  SqliteStorage::Options options;
  const std::filesystem::path data_dir(context.data_dir);
  if (auto path = config.find("path"); path != config.end() && path->is_string()) {
    options.path = path->get<std::string>();
    if (options.path != ":memory:" && std::filesystem::path(options.path).is_relative()) {
      options.path = (data_dir / options.path).string();
    }
  } else if (!data_dir.empty()) {
    options.path = (data_dir / "switchboard.db").string();
  } else {
    return Status::invalidArgument(
        "sqlite storage: no \"path\" configured and the gateway has no data directory");
  }
  if (auto sync = config.find("synchronous"); sync != config.end() && sync->is_string()) {
    options.synchronous_full = sync->get<std::string>() == "full";
  }
  if (auto busy = config.find("busy_timeout_ms");
      busy != config.end() && busy->is_number_integer()) {
    options.busy_timeout_ms = busy->get<int>();
  }
  if (options.path != ":memory:") {
    std::error_code error;
    const auto parent = std::filesystem::path(options.path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, error);
    if (error) {
      return Status::unavailable("sqlite storage: cannot create " + parent.string() + ": " +
                                 error.message());
    }
  }
  Result<std::unique_ptr<SqliteStorage>> storage = SqliteStorage::open(options);
  if (!storage.ok()) return storage.status().withContext("sqlite storage");
  return std::unique_ptr<StorageBackend>(std::move(*storage));
}

}  // namespace
}  // namespace switchboard::plugins

SB_PLUGIN(switchboard::StorageBackend, "switchboard.storage.sqlite", "0.1.0",
          switchboard::plugins::makeSqliteStorage)
