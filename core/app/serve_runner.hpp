// runServe(): what `switchboard serve` does once its options are parsed — start the
// Gateway and serve its MCP server over stdio or Streamable HTTP until EOF (stdio) or
// SIGINT/SIGTERM, then shut everything down cleanly.
//
// HTTP: `--http HOST:PORT` (port 0 picks a free port); with neither --stdio nor --http,
// HTTP on the config's http.host and http.port (default 127.0.0.1:8765). A host that is not
// loopback (127.0.0.1, localhost, ::1) is refused unless a bearer token is configured (http.token
// or SWITCHBOARD_HTTP_TOKEN). When the socket is bound it prints exactly
// `listening on http://HOST:PORT/mcp` on stderr, with the real port.
// Exit codes: 0 after a clean shutdown, 2 for bad options or a gateway that cannot start,
// 1 when the transport fails.
//
// Thread safety: call once, from the command line's thread (it blocks SIGINT/SIGTERM in
// that thread and the threads it starts, and waits for them with sigwait).
#pragma once

#include <string>

#include "core/app/cli.hpp"

namespace switchboard::core {

struct ServeSettings {
  bool stdio = false;
  std::string http;  // HOST:PORT; empty unless --http was given
};

int runServe(CommandContext& context, const ServeSettings& settings);

// True for 127.0.0.1 (any 127.x), localhost, ::1 and [::1].
bool isLoopbackHost(const std::string& host);

}  // namespace switchboard::core
