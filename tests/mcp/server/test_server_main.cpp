// mcp_test_server: a small MCP server for tests and the e2e harness, before (and besides)
// the real `switchboard serve`. It serves a few demo tools and, with --plugin, a
// ToolProvider plugin folder such as <build>/plugins/tools_conformance.
//
//   mcp_test_server --stdio [--plugin DIR]
//   mcp_test_server --http 127.0.0.1:0 [--plugin DIR] [--token T]
//
// HTTP mode prints "PORT <n>" on stdout once listening and serves until SIGTERM/SIGINT.
#include <signal.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/dll/shared_library.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>

#include "mcp/server/server.hpp"
#include "mcp/transport/http_transport.hpp"
#include "mcp/transport/stdio_transport.hpp"
#include "switchboard/plugin.hpp"

namespace sb = switchboard;
namespace server = switchboard::mcp::server;
namespace transport = switchboard::mcp::transport;

namespace {

class StderrHost : public sb::Host {
 public:
  void log(sb::LogLevel, std::string_view message) noexcept override {
    std::fprintf(stderr, "plugin: %.*s\n", static_cast<int>(message.size()), message.data());
  }
  sb::Result<std::unique_ptr<sb::Process>> spawn(
      const sb::ProcessSpec&, std::shared_ptr<sb::ProcessObserver>) noexcept override {
    return sb::Status::unavailable("this test server runs no processes");
  }
};

sb::Result<std::shared_ptr<sb::ToolProvider>> loadProvider(const std::string& dir) {
  static StderrHost host;
  try {
    std::string path = dir + "/switchboard_tools_conformance.so";
    auto library = std::make_shared<boost::dll::shared_library>(
        path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    auto& entry = library->get_alias<const sb::PluginDescriptor*()>(sb::kPluginEntryPoint);
    const sb::PluginDescriptor* descriptor = entry();
    if (std::string(descriptor->kind) != "tools")
      return sb::Status::invalidArgument("not a tools plugin");
    sb::PluginContext context{"{}", dir, "/tmp", &host};
    sb::Status status;
    sb::PluginObject* object = descriptor->create(context, &status);
    if (object == nullptr) return status;
    // The plugin made a ToolProvider (its kind says so); the deleter keeps the library.
    auto* provider = static_cast<sb::ToolProvider*>(object);
    return std::shared_ptr<sb::ToolProvider>(provider,
                                             [library](sb::ToolProvider* p) { delete p; });
  } catch (const std::exception& e) {
    return sb::Status::unavailable(std::string("cannot load plugin: ") + e.what());
  }
}

void addDemoTools(server::Server& srv) {
  server::ToolDef echo;
  echo.name = "echo";
  echo.description = "Returns its text argument, as text and as structured content.";
  echo.input_schema = {
      {"type", "object"}, {"properties", {{"text", {{"type", "string"}}}}}, {"required", {"text"}}};
  echo.output_schema = {{"type", "object"}, {"properties", {{"text", {{"type", "string"}}}}}};
  echo.annotations = {{"readOnlyHint", true}};
  srv.addTool(echo,
              [](const server::Json& args, server::RequestContext&) -> sb::Result<server::Json> {
                if (!args.contains("text") || !args["text"].is_string()) {
                  return server::Json{
                      {"content", {{{"type", "text"}, {"text", "text (string) is required"}}}},
                      {"isError", true}};
                }
                return server::Json{{"structuredContent", {{"text", args["text"]}}}};
              });
  server::ToolDef slow;
  slow.name = "slow";
  slow.description =
      "Sleeps `ms` milliseconds (default 2000) in 10 steps with progress; cancellable.";
  slow.input_schema = {{"type", "object"}, {"properties", {{"ms", {{"type", "integer"}}}}}};
  srv.addTool(
      slow, [](const server::Json& args, server::RequestContext& ctx) -> sb::Result<server::Json> {
        int ms = args.value("ms", 2000);
        for (int i = 0; i < 10; ++i) {
          if (ctx.cancelled()) return sb::Status::cancelled("cancelled");
          ctx.progress(i, 10, "");
          std::this_thread::sleep_for(std::chrono::milliseconds(ms / 10));
        }
        return server::Json{{"content", {{{"type", "text"}, {"text", "done"}}}}};
      });
  server::ToolDef boom;
  boom.name = "boom";
  boom.description = "Throws an exception (the server must survive).";
  srv.addTool(boom, [](const server::Json&, server::RequestContext&) -> sb::Result<server::Json> {
    throw std::runtime_error("boom");
  });
  server::ToolDef add;
  add.name = "add_tool";
  add.description = "Registers a tool named by `name` (sends tools/list_changed).";
  add.input_schema = {{"type", "object"}, {"properties", {{"name", {{"type", "string"}}}}}};
  srv.addTool(
      add, [&srv](const server::Json& args, server::RequestContext&) -> sb::Result<server::Json> {
        server::ToolDef def;
        def.name = args.value("name", "dynamic");
        def.description = "Added at run time.";
        srv.addTool(def,
                    [](const server::Json&, server::RequestContext&) -> sb::Result<server::Json> {
                      return server::Json{{"content", {{{"type", "text"}, {"text", "dynamic"}}}}};
                    });
        return server::Json{{"content", {{{"type", "text"}, {"text", "added"}}}}};
      });
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_default_logger(spdlog::stderr_logger_mt("mcp_test_server"));
  std::string http;
  std::string plugin;
  std::string token;
  bool stdio = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--stdio")
      stdio = true;
    else if (arg == "--http" && i + 1 < argc)
      http = argv[++i];
    else if (arg == "--plugin" && i + 1 < argc)
      plugin = argv[++i];
    else if (arg == "--token" && i + 1 < argc)
      token = argv[++i];
    else {
      std::fprintf(stderr, "usage: %s --stdio|--http HOST:PORT [--plugin DIR] [--token T]\n",
                   argv[0]);
      return 2;
    }
  }
  server::ServerInfo info;
  info.name = "mcp-test-server";
  info.version = "0.1.0";
  server::Server srv(info);
  if (!plugin.empty()) {
    auto provider = loadProvider(plugin);
    if (!provider.ok()) {
      std::fprintf(stderr, "%s\n", provider.status().toString().c_str());
      return 1;
    }
    sb::Status added = srv.addToolProvider(*provider);
    if (!added.ok()) {
      std::fprintf(stderr, "%s\n", added.toString().c_str());
      return 1;
    }
  } else {
    addDemoTools(srv);
  }
  if (stdio) return transport::runStdio(srv);
  if (http.empty()) {
    std::fprintf(stderr, "one of --stdio or --http is required\n");
    return 2;
  }
  auto colon = http.rfind(':');
  transport::HttpOptions options;
  options.host = http.substr(0, colon);
  options.port = colon == std::string::npos ? 0 : std::stoi(http.substr(colon + 1));
  options.bearer_token = token;
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  transport::HttpTransport transport(srv, options);
  sb::Result<int> port = transport.start();
  if (!port.ok()) {
    std::fprintf(stderr, "%s\n", port.status().toString().c_str());
    return 1;
  }
  std::printf("PORT %d\n", *port);
  std::fflush(stdout);
  int received = 0;
  sigwait(&signals, &received);
  transport.stop();
  srv.shutdown();
  return 0;
}
