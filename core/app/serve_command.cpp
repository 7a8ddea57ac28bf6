// `switchboard serve --stdio | --http HOST:PORT`: the MCP server. Its options are parsed
// here; runServe() (serve_runner.hpp) does the work.
#include <iostream>
#include <memory>
#include <string>

#include "core/app/cli.hpp"
#include "core/app/serve_runner.hpp"

namespace switchboard::core {
namespace {

// "HOST:PORT" with a non-empty host and a port in 0..65535; empty string when valid.
std::string checkListen(const std::string& text) {
  std::string::size_type colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    return "expected HOST:PORT, got '" + text + "'";
  }
  std::string port = text.substr(colon + 1);
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) > 65535) {
    return "port must be 0..65535, got '" + port + "'";
  }
  return {};
}

}  // namespace

CommandSpec serveCommand() {
  return {"serve", "Serve MCP over stdio or Streamable HTTP", [](CLI::App& command) -> CommandRun {
            auto options = std::make_shared<ServeSettings>();
            CLI::Option* stdio = command.add_flag("--stdio", options->stdio,
                                                  "One JSON-RPC message per line on stdin/stdout");
            command
                .add_option(
                    "--http", options->http,
                    "Streamable HTTP on HOST:PORT (default: the config's http.host:http.port)")
                ->check(CLI::Validator(checkListen, "HOST:PORT"))
                ->excludes(stdio);
            return [options](CommandContext& context) { return runServe(context, *options); };
          }};
}

}  // namespace switchboard::core
