// SB_PLUGIN: the one line that turns a factory function into a loadable plugin.
//
//   switchboard::Result<std::unique_ptr<switchboard::AgentType>>
//   makeHello(const switchboard::PluginContext& context);
//   SB_PLUGIN(switchboard::AgentType, "example.agent.hello", "1.0.0", makeHello)
//
// It defines the static PluginDescriptor and exports the `switchboard_plugin_v1` alias
// with Boost.DLL. The generated create() runs the factory inside a catch-all, so an
// exception thrown by plugin code becomes a Status and never crosses into the host.
// Put it in exactly one .cpp file per plugin (by convention plugin.cpp), at namespace scope.
#pragma once

#include <boost/dll/alias.hpp>
#include <exception>
#include <memory>
#include <string>

#include "switchboard/plugin.hpp"

namespace switchboard::detail {

template <typename Interface, auto Factory>
PluginObject* createPlugin(const PluginContext& context, Status* status) noexcept {
  try {
    Result<std::unique_ptr<Interface>> made = Factory(context);
    if (!made.ok()) {
      *status = made.status();
      return nullptr;
    }
    if (!*made) {
      *status = Status::internal("plugin factory returned no object");
      return nullptr;
    }
    return made->release();
  } catch (const std::exception& e) {
    *status = Status::internal(std::string("plugin factory threw: ") + e.what());
  } catch (...) {
    *status = Status::internal("plugin factory threw a non-standard exception");
  }
  return nullptr;
}

}  // namespace switchboard::detail

#define SB_PLUGIN(Interface, Name, Version, Factory)                   \
  namespace {                                                          \
  const ::switchboard::PluginDescriptor sb_plugin_descriptor_ = {      \
      sizeof(::switchboard::PluginDescriptor),                         \
      SB_ABI_VERSION,                                                  \
      SB_ABI_TAG,                                                      \
      ::switchboard::pluginKindName(Interface::kKind).data(),          \
      Name,                                                            \
      Version,                                                         \
      &::switchboard::detail::createPlugin<Interface, &Factory>};      \
  const ::switchboard::PluginDescriptor* sb_plugin_entry_() noexcept { \
    return &sb_plugin_descriptor_;                                     \
  }                                                                    \
  }                                                                    \
  BOOST_DLL_ALIAS(sb_plugin_entry_, switchboard_plugin_v1)
