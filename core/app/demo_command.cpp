#include "core/app/demo_command.hpp"

#include <spdlog/spdlog.h>
#include <stdlib.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <system_error>
#include <vector>

#include "core/app/demo_report.hpp"
#include "core/app/demo_scenario.hpp"
#include "core/app/gateway.hpp"
#include "core/plugin_host/plugin_registry.hpp"
#include "core/surface/surface.hpp"

namespace switchboard::core {
namespace {

constexpr std::int64_t kDemoTimeoutMs = 120000;

// A folder that is removed on destruction unless it was given by the user.
class DemoDir {
 public:
  static Result<DemoDir> make(const std::string& given) {
    DemoDir dir;
    std::error_code ec;
    if (!given.empty()) {
      dir.path_ = given;
      std::filesystem::create_directories(dir.path_, ec);
      if (ec) return Status::unavailable("cannot create " + given + ": " + ec.message());
      return dir;
    }
    std::string pattern =
        (std::filesystem::temp_directory_path(ec) / "switchboard-demo-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      return Status::unavailable("cannot create a temporary folder for the demo");
    }
    dir.path_ = pattern;
    dir.remove_ = true;
    return dir;
  }
  DemoDir() = default;
  DemoDir(DemoDir&& other) noexcept : path_(std::move(other.path_)), remove_(other.remove_) {
    other.remove_ = false;
  }
  DemoDir& operator=(DemoDir&&) = delete;
  ~DemoDir() {
    if (!remove_) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  bool temporary() const { return remove_; }

 private:
  std::filesystem::path path_;
  bool remove_ = false;
};

// Holds events until the execution id is known, then forwards them to the report; notes
// when the execution's terminal status has been shown.
class ProgressRelay {
 public:
  explicit ProgressRelay(DemoReport& report) : report_(report) {}
  void onEvents(const std::vector<Event>& events) {
    std::lock_guard<std::mutex> lock(mu_);
    if (id_.empty()) {
      pending_.insert(pending_.end(), events.begin(), events.end());
      return;
    }
    forward(events);
  }
  void setExecution(const std::string& id) {
    std::lock_guard<std::mutex> lock(mu_);
    id_ = id;
    forward(pending_);
    pending_.clear();
  }
  // Waits until the terminal status event was printed (events arrive after the commit
  // that waitFor() saw), at most `timeout`.
  void waitForEnd(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    ended_cv_.wait_for(lock, timeout, [this] { return ended_; });
  }

 private:
  void forward(const std::vector<Event>& events) {
    report_.onEvents(id_, events);
    for (const Event& e : events) {
      if (e.topic != "execution/" + id_ || e.type != "execution.status") continue;
      nlohmann::json data = nlohmann::json::parse(e.data_json, nullptr, false);
      if (data.is_discarded() || !data.is_object()) continue;
      std::optional<ExecutionStatus> status =
          parseExecutionStatus(data.value("status", std::string()));
      if (status && isTerminal(*status)) {
        ended_ = true;
        ended_cv_.notify_all();
      }
    }
  }

  DemoReport& report_;
  std::mutex mu_;
  std::condition_variable ended_cv_;
  bool ended_ = false;
  std::string id_;
  std::vector<Event> pending_;
};

int runIn(CommandContext& context, const DemoOptions& options, const DemoDir& dir) {
  std::ostream& out = context.out();
  std::ostream& err = context.err();
  Config config = context.config();
  config.data_dir = dir.path();
  config.storage.backend = options.storage;
  config.storage.config = nlohmann::json::object();

  // A registry of our own, so plugins see the demo's data folder.
  PluginRegistry registry(nullptr, dir.path(), context.schemaDir() / "plugin-manifest.schema.json");
  PluginSelection selection;
  selection.enable = config.plugins.enable;
  selection.disable = config.plugins.disable;
  for (const auto& [name, value] : config.plugins.config) selection.configs[name] = value.dump();
  selection.on_first_use = gatewayOnFirstUseKinds();
  registry.discover(context.pluginDirs(), selection);

  GatewayOptions gateway_options;
  gateway_options.config = config;
  gateway_options.schema_dir = context.schemaDir();
  Result<std::unique_ptr<Gateway>> started = Gateway::start(registry, gateway_options);
  if (!started.ok()) {
    err << "demo: the gateway did not start: " << started.status().toString() << "\n";
    return 2;
  }
  Gateway& gateway = **started;
  out << "Switchboard demo: storage " << gateway.storageName() << " in " << dir.path().string()
      << (dir.temporary() ? " (temporary)" : "") << "\n";

  Result<DemoScenario> scenario = createDemoScenario(gateway.agents(), gateway.tasks());
  if (!scenario.ok()) {
    err << "demo: " << scenario.status().toString() << "\n";
    return 2;
  }
  out << "Created " << scenario->agent_ids.size() << " scripted agents and "
      << scenario->task_ids.size() << " tasks; running them with the dag pattern, at most "
      << options.max_parallel << " at a time.\n\n";

  RunRequest run;
  run.pattern = "dag";
  run.params = nlohmann::json{{"max_parallel", options.max_parallel}};
  run.agent_ids = scenario->agent_ids;
  run.task_ids = scenario->task_ids;
  run.options.max_concurrency = options.max_parallel;
  run.options.step_timeout_ms = 30000;

  DemoReport report(out, gateway.engine(), gateway.agents(), gateway.tasks());
  report.learnNames();
  ProgressRelay relay(report);
  std::uint64_t subscription = gateway.events().subscribe(
      "execution/",
      [&relay](const std::vector<Event>& events, std::uint64_t) { relay.onEvents(events); });
  Result<std::string> id = gateway.workflows().start(run);
  if (!id.ok()) {
    gateway.events().unsubscribe(subscription);
    err << "demo: the execution did not start: " << id.status().toString() << "\n";
    return 2;
  }
  relay.setExecution(*id);
  Result<ExecutionStatus> ended = gateway.engine().waitFor(*id, kDemoTimeoutMs);
  relay.waitForEnd(std::chrono::milliseconds(2000));
  gateway.events().unsubscribe(subscription);
  if (ended.ok() && !isTerminal(*ended)) {
    (void)gateway.engine().cancel(*id);
    ended = gateway.engine().waitFor(*id, 10000);
    err << "demo: the execution did not end within " << kDemoTimeoutMs / 1000
        << " s and was cancelled\n";
  }
  gateway.workflows().awaitTaskResults(*id);  // the summary shows the tasks' outcomes
  Result<ExecutionStatus> status = report.printSummary(*id);
  if (!status.ok()) {
    err << "demo: " << status.status().toString() << "\n";
    return 1;
  }
  if (*status != ExecutionStatus::kCompleted) {
    err << "demo: the execution ended " << executionStatusName(*status) << ", not completed\n";
    return 1;
  }
  if (!dir.temporary()) out << "\nThe data is kept in " << dir.path().string() << "\n";
  return 0;
}

}  // namespace

int runDemo(CommandContext& context, const DemoOptions& options) {
  Result<DemoDir> dir = DemoDir::make(options.data_dir);
  if (!dir.ok()) {
    context.err() << "demo: " << dir.status().message() << "\n";
    return 2;
  }
  // The gateway and registry inside runIn() are gone before the folder is removed.
  return runIn(context, options, *dir);
}

CommandSpec demoCommand() {
  return {"demo", "Run a complete multi-agent workflow on the embedded defaults and show it",
          [](CLI::App& command) -> CommandRun {
            auto options = std::make_shared<DemoOptions>();
            command.add_option("--data-dir", options->data_dir,
                               "Keep the demo's data here (default: a temporary folder)");
            command.add_option("--storage", options->storage, "Storage backend (sqlite, memory)");
            command.add_option("--max-parallel", options->max_parallel, "Steps at once")
                ->check(CLI::Range(1, 64));
            return [options](CommandContext& context) { return runDemo(context, *options); };
          }};
}

}  // namespace switchboard::core
