#include "core/plugin_host/manifest.hpp"

#include <fstream>
#include <sstream>

namespace switchboard::core {

std::filesystem::path Manifest::libraryPath(const std::filesystem::path& dir) const {
  return dir / (library + ".so");
}

std::string Manifest::shortName() const {
  std::string::size_type dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(dot + 1);
}

Result<Manifest> Manifest::load(const std::filesystem::path& dir, const SchemaValidator& schema) {
  std::filesystem::path file = dir / "plugin.json";
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::notFound("cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  nlohmann::json document = nlohmann::json::parse(text.str(), nullptr, false);
  if (document.is_discarded()) {
    return Status::invalidArgument("manifest " + file.string() + " is not valid JSON");
  }
  Result<Manifest> manifest = fromJson(document, schema);
  if (!manifest.ok()) return manifest.status().withContext("manifest " + file.string());
  return manifest;
}

Result<Manifest> Manifest::fromJson(const nlohmann::json& document, const SchemaValidator& schema) {
  Status valid = schema.validate(document);
  if (!valid.ok()) return Status::invalidArgument("schema violation: " + valid.message());
  // The schema guarantees every type below, so the typed accessors cannot throw.
  Manifest m;
  m.manifest_version = document.at("manifest_version").get<int>();
  m.name = document.at("name").get<std::string>();
  m.kind = document.at("kind").get<std::string>();
  m.version = document.at("version").get<std::string>();
  m.abi = document.at("abi").get<int>();
  m.library = document.at("library").get<std::string>();
  m.description = document.at("description").get<std::string>();
  m.config_schema = document.value("config_schema", std::string());
  m.default_enabled = document.value("default", true);
  m.status = document.at("status").get<std::string>();
  m.provides = document.value("provides", std::vector<std::string>());
  m.permissions = document.value("permissions", std::vector<std::string>());
  return m;
}

}  // namespace switchboard::core
