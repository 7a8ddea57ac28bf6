// `switchboard version`: the gateway version, the plugin ABI version and toolchain tag.
#include <ostream>

#include "core/app/cli.hpp"
#include "switchboard/version.hpp"

namespace switchboard::core {

CommandSpec versionCommand() {
  return {"version", "Print the version, plugin ABI version and toolchain tag",
          [](CLI::App&) -> CommandRun {
            return [](CommandContext& context) {
              context.out() << "switchboard " << SWITCHBOARD_VERSION << " (abi " << SB_ABI_VERSION
                            << ", " << SB_ABI_TAG << ")\n";
              return 0;
            };
          }};
}

}  // namespace switchboard::core
