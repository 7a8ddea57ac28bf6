// What each loader fixture (fixtures/<folder>) must produce: its state and a fragment of
// its error that no other fixture's error contains.
#pragma once

#include <string>
#include <vector>

#include "switchboard/version.hpp"

namespace switchboard::testing {

struct FixtureExpectation {
  std::string folder;
  std::string name;   // plugin name as listed
  std::string state;  // loaded | failed | disabled
  std::string error;  // fragment of the error ("" for loaded)
};

inline const std::vector<FixtureExpectation>& fixtureExpectations() {
  static const std::vector<FixtureExpectation> kAll = {
      {"good", "fixture.agent.good", "loaded", ""},
      {"good_copy", "fixture.agent.good", "failed",
       "duplicate plugin name 'fixture.agent.good': already found in"},
      {"bad_manifest", "bad_manifest", "failed",
       "schema violation: /: Object contains a property that could not be validated using "
       "'properties' or 'additionalProperties' constraints: 'colour'"},
      {"wrong_abi_manifest", "fixture.agent.wrong_abi_manifest", "failed",
       "manifest declares ABI 99, this host has ABI " + std::to_string(SB_ABI_VERSION)},
      {"wrong_abi_descriptor", "fixture.agent.wrong_abi_descriptor", "failed",
       "library built against ABI 99, this host has ABI " + std::to_string(SB_ABI_VERSION)},
      {"wrong_tag", "fixture.agent.wrong_tag", "failed",
       "toolchain tag 'gcc-0/libstdc++-old/c++20' differs from the host's"},
      {"wrong_struct_size", "fixture.agent.wrong_struct_size", "failed",
       "descriptor struct_size 8 differs from the host's"},
      {"missing_entry", "fixture.agent.missing_entry", "failed",
       "missing entry point 'switchboard_plugin_v1' in fixture_missing_entry.so"},
      {"unresolved_symbol", "fixture.agent.unresolved_symbol", "failed",
       "undefined symbol: sb_fixture_missing_symbol"},
      {"factory_throws", "fixture.agent.factory_throws", "failed",
       "factory of fixture.agent.factory_throws failed: plugin factory threw: fixture factory "
       "exploded"},
      {"factory_error", "fixture.agent.factory_error", "failed",
       "factory of fixture.agent.factory_error failed: fixture factory refused"},
      {"name_mismatch", "fixture.agent.name_mismatch", "failed",
       "descriptor name 'fixture.agent.other' differs from the manifest's "
       "'fixture.agent.name_mismatch'"},
      {"kind_mismatch", "fixture.agent.kind_mismatch", "failed",
       "descriptor kind 'workflow' differs from the manifest's 'agent'"},
      {"version_mismatch", "fixture.agent.version_mismatch", "failed",
       "descriptor version '9.9.9' differs from the manifest's '1.0.0'"},
      {"config_rejected", "fixture.agent.config_rejected", "failed",
       "config of plugin 'fixture.agent.config_rejected' rejected by its schema: /: Missing "
       "required property 'greeting'"},
      {"missing_library", "fixture.agent.missing_library", "failed", "library file not found: "},
      {"disabled_by_default", "fixture.agent.disabled_by_default", "disabled",
       "not loaded by default; enable it with --plugins disabled_by_default"},
  };
  return kAll;
}

}  // namespace switchboard::testing
