#include "core/app/serve_runner.hpp"

#include <malloc.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <ostream>

#include "core/app/gateway.hpp"
#include "mcp/transport/http_transport.hpp"
#include "mcp/transport/stdio_transport.hpp"

namespace switchboard::core {
namespace {

struct HostPort {
  std::string host;
  int port = 0;
};

Result<HostPort> parseListen(const std::string& text) {
  std::string::size_type colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    return Status::invalidArgument("expected HOST:PORT, got '" + text + "'");
  }
  std::string port = text.substr(colon + 1);
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) > 65535) {
    return Status::invalidArgument("port must be 0..65535, got '" + port + "'");
  }
  HostPort out{text.substr(0, colon), std::stoi(port)};
  if (out.host.size() > 2 && out.host.front() == '[' && out.host.back() == ']') {
    out.host = out.host.substr(1, out.host.size() - 2);
  }
  return out;
}

Result<std::unique_ptr<Gateway>> startGateway(CommandContext& context) {
  GatewayOptions options;
  options.config = context.config();
  options.schema_dir = context.schemaDir();
  Result<std::unique_ptr<Gateway>> gateway =
      Gateway::start(context.plugins(/*gateway=*/true), std::move(options));
  // Start-up parses manifests, configs and schemas into temporaries; give the pages they
  // leave free back to the system, so an idle gateway's resident memory is what it holds.
  malloc_trim(0);
  return gateway;
}

int serveHttp(CommandContext& context, const HostPort& listen) {
  const Config& config = context.config();
  if (!isLoopbackHost(listen.host) && config.http.token.empty()) {
    context.err() << "serve: refusing to listen on " << listen.host
                  << " without a token; set http.token in the config or SWITCHBOARD_HTTP_TOKEN, "
                     "or listen on 127.0.0.1\n";
    return 2;
  }
  // SIGINT/SIGTERM are blocked here before any thread starts, so every thread inherits the
  // mask and this thread receives them with sigwait().
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  Result<std::unique_ptr<Gateway>> gateway = startGateway(context);
  if (!gateway.ok()) {
    context.err() << "serve: the gateway did not start: " << gateway.status().toString() << "\n";
    return 2;
  }
  mcp::transport::HttpOptions options;
  options.host = listen.host;
  options.port = listen.port;
  options.bearer_token = config.http.token;
  options.allowed_origins = config.http.allowed_origins;
  options.max_body_bytes = static_cast<std::size_t>(config.http.max_body_bytes);
  mcp::transport::HttpTransport transport((*gateway)->server(), options);
  Result<int> port = transport.start();
  if (!port.ok()) {
    context.err() << "serve: " << port.status().toString() << "\n";
    return port.status().code() == StatusCode::kFailedPrecondition ? 2 : 1;
  }
  std::string host =
      listen.host.find(':') != std::string::npos ? "[" + listen.host + "]" : listen.host;
  context.err() << "listening on http://" << host << ":" << *port << "/mcp" << std::endl;

  int received = 0;
  sigwait(&signals, &received);
  spdlog::info("serve: signal {} received, shutting down", received);
  (*gateway)->interruptWaits();
  transport.stop();
  (*gateway)->shutdown();
  return 0;
}

}  // namespace

bool isLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

int runServe(CommandContext& context, const ServeSettings& settings) {
  if (settings.stdio && !settings.http.empty()) {
    context.err() << "serve: choose one of --stdio or --http HOST:PORT\n";
    return 2;
  }
  if (!settings.stdio && settings.http.empty()) {
    // No transport on the command line: HTTP on the configured http.host and http.port.
    const Config& config = context.config();
    return serveHttp(context, HostPort{config.http.host, config.http.port});
  }
  if (!settings.http.empty()) {
    Result<HostPort> listen = parseListen(settings.http);
    if (!listen.ok()) {
      context.err() << "serve: " << listen.status().message() << "\n";
      return 2;
    }
    return serveHttp(context, *listen);
  }
  Result<std::unique_ptr<Gateway>> gateway = startGateway(context);
  if (!gateway.ok()) {
    context.err() << "serve: the gateway did not start: " << gateway.status().toString() << "\n";
    return 2;
  }
  int code = mcp::transport::runStdio((*gateway)->server());
  (*gateway)->shutdown();
  return code;
}

}  // namespace switchboard::core
