// The `switchboard` binary: the command table lives in core/app/cli.hpp.
#include "core/app/cli.hpp"
#include "core/app/demo_command.hpp"

int main(int argc, char** argv) {
  using namespace switchboard::core;
  return runCli(argc, argv, {versionCommand(), pluginsCommand(), serveCommand(), demoCommand()});
}
