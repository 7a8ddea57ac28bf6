// Manifest: a plugin's plugin.json, read and validated against
// schemas/plugin-manifest.schema.json before any of the plugin's code is loaded.
//
// Manifest::load() never throws. It returns NotFound when the folder has no readable
// plugin.json, and InvalidArgument when the file is not JSON or violates the schema (the
// message lists every violation). A Manifest is a plain value.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/plugin_host/schema_validator.hpp"
#include "switchboard/status.hpp"

namespace switchboard::core {

struct Manifest {
  int manifest_version = 1;
  std::string name;     // dotted, e.g. "switchboard.storage.sqlite"
  std::string kind;     // agent | workflow | storage | tools
  std::string version;  // semver
  int abi = 0;
  std::string library;  // base file name without ".so"
  std::string description;
  std::string config_schema;    // relative path; empty when the plugin takes only {}
  bool default_enabled = true;  // "default": false = load only when enabled by name
  std::string status;           // stable | alpha | wip
  std::vector<std::string> provides;
  std::vector<std::string> permissions;

  // The library file inside `dir`: <dir>/<library>.so.
  std::filesystem::path libraryPath(const std::filesystem::path& dir) const;
  // The last dotted component of the name ("conformance" for "switchboard.tools.conformance").
  std::string shortName() const;

  // Reads <dir>/plugin.json and validates it with `schema`.
  static Result<Manifest> load(const std::filesystem::path& dir, const SchemaValidator& schema);
  // Validates and converts an already-parsed manifest document.
  static Result<Manifest> fromJson(const nlohmann::json& document, const SchemaValidator& schema);
};

}  // namespace switchboard::core
