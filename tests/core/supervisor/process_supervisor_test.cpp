// ProcessSupervisor with real children (/bin/sh, cat, sleep): output, stdin, errors, group
// kills, crash reports, rlimits and /proc sampling.
#include "core/supervisor/process_supervisor.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace switchboard::core {
namespace {

using namespace std::chrono_literals;

// Collects what the supervisor reports; waitExit() blocks until onExit().
class Recorder final : public ProcessObserver {
 public:
  void onStdoutLine(std::string_view line) noexcept override {
    std::lock_guard lock(mu_);
    lines_.emplace_back(line);
  }
  void onStderr(std::string_view chunk) noexcept override {
    std::lock_guard lock(mu_);
    stderr_ += chunk;
  }
  void onExit(const ProcessExit& exit, const ProcessStats& stats) noexcept override {
    std::lock_guard lock(mu_);
    exit_ = exit;
    stats_ = stats;
    ++exits_;
    cv_.notify_all();
  }
  bool waitExit(std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return exits_ > 0; });
  }
  std::vector<std::string> lines() {
    std::lock_guard lock(mu_);
    return lines_;
  }
  std::string err() {
    std::lock_guard lock(mu_);
    return stderr_;
  }
  ProcessExit exit() {
    std::lock_guard lock(mu_);
    return exit_;
  }
  ProcessStats stats() {
    std::lock_guard lock(mu_);
    return stats_;
  }
  int exits() {
    std::lock_guard lock(mu_);
    return exits_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> lines_;
  std::string stderr_;
  ProcessExit exit_;
  ProcessStats stats_;
  int exits_ = 0;
};

ProcessSpec shell(const std::string& script) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", script};
  return spec;
}

bool groupAlive(int pgid) { return ::kill(-pgid, 0) == 0 || errno != ESRCH; }

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 3s) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (condition()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return condition();
}

TEST(ProcessSupervisor, DeliversStdoutLinesStderrAndTheExitCode) {
  ProcessSupervisor supervisor;
  auto recorder = std::make_shared<Recorder>();
  auto process =
      supervisor.spawn(shell("printf 'one\\ntwo\\nlast'; echo oops >&2; exit 3"), recorder);
  ASSERT_TRUE(process.ok()) << process.status().toString();
  ASSERT_TRUE(recorder->waitExit());
  EXPECT_EQ(recorder->lines(), (std::vector<std::string>{"one", "two", "last"}));
  EXPECT_EQ(recorder->err(), "oops\n");
  EXPECT_EQ(recorder->exit().exit_code, 3);
  EXPECT_EQ(recorder->exit().signal, 0);
  EXPECT_EQ(recorder->exit().describe(), "exited with code 3");
  EXPECT_FALSE((*process)->running());
}

TEST(ProcessSupervisor, WritesStdinAndClosesIt) {
  ProcessSupervisor supervisor;
  auto recorder = std::make_shared<Recorder>();
  ProcessSpec spec;
  spec.argv = {"cat"};
  spec.pipe_stdin = true;
  auto process = supervisor.spawn(spec, recorder);
  ASSERT_TRUE(process.ok()) << process.status().toString();
  std::string big(200000, 'x');  // more than a pipe holds: exercises the queued writes
  EXPECT_TRUE((*process)->writeStdin("{\"prompt\":\"hi\"}\n"));
  EXPECT_TRUE((*process)->writeStdin(big));
  (*process)->closeStdin();
  EXPECT_FALSE((*process)->writeStdin("late"));
  ASSERT_TRUE(recorder->waitExit());
  ASSERT_EQ(recorder->lines().size(), 2u);
  EXPECT_EQ(recorder->lines()[0], "{\"prompt\":\"hi\"}");
  EXPECT_EQ(recorder->lines()[1], big);
  EXPECT_TRUE(recorder->exit().success());
}

TEST(ProcessSupervisor, StdinIsDevNullByDefault) {
  ProcessSupervisor supervisor;
  auto recorder = std::make_shared<Recorder>();
  auto process = supervisor.spawn(shell("cat; echo end"), recorder);
  ASSERT_TRUE(process.ok());
  ASSERT_TRUE(recorder->waitExit());
  EXPECT_EQ(recorder->lines(), (std::vector<std::string>{"end"}));
}

TEST(ProcessSupervisor, ReportsAMissingOrNonExecutableProgramPrecisely) {
  ProcessSupervisor supervisor;
  ProcessSpec spec;
  spec.argv = {"no-such-program-switchboard"};
  auto missing = supervisor.spawn(spec, std::make_shared<Recorder>());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("no-such-program-switchboard"), std::string::npos);

  std::filesystem::path file = std::filesystem::temp_directory_path() / "sb_not_executable.sh";
  std::ofstream(file) << "echo hi\n";
  ::chmod(file.c_str(), 0644);
  spec.argv = {file.string()};
  auto denied = supervisor.spawn(spec, std::make_shared<Recorder>());
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.status().code(), StatusCode::kPermissionDenied);
  std::filesystem::remove(file);

  spec.argv = {};
  EXPECT_EQ(supervisor.spawn(spec, std::make_shared<Recorder>()).status().code(),
            StatusCode::kInvalidArgument);

  spec = shell("true");
  spec.cwd = "/no/such/dir";
  EXPECT_EQ(supervisor.spawn(spec, std::make_shared<Recorder>()).status().code(),
            StatusCode::kNotFound);
}

TEST(ProcessSupervisor, SetsEnvironmentAndWorkingDirectory) {
  ProcessSupervisor supervisor;
  auto recorder = std::make_shared<Recorder>();
  ProcessSpec spec = shell("echo \"$SB_TEST_VALUE\"; pwd; echo \"${HOME:-unset}\"");
  spec.env = {"SB_TEST_VALUE=forty two"};
  spec.inherit_env = false;
  spec.cwd = "/tmp";
  auto process = supervisor.spawn(spec, recorder);
  ASSERT_TRUE(process.ok()) << process.status().toString();
  ASSERT_TRUE(recorder->waitExit());
  EXPECT_EQ(recorder->lines(), (std::vector<std::string>{"forty two", "/tmp", "unset"}));
}

TEST(ProcessSupervisor, KillEndsTheWholeProcessGroup) {
  ProcessSupervisor supervisor;
  auto recorder = std::make_shared<Recorder>();
  auto process = supervisor.spawn(shell("sleep 100 & echo started; wait"), recorder);
  ASSERT_TRUE(process.ok());
  ASSERT_TRUE(eventually([&] { return !recorder->lines().empty(); }));
  const int pgid = (*process)->pid();
  (*process)->kill();
  ASSERT_TRUE(recorder->waitExit());
  EXPECT_EQ(recorder->exit().signal, SIGKILL);
  EXPECT_TRUE(recorder->exit().killed_by_host);
  EXPECT_TRUE(eventually([&] { return !groupAlive(pgid); })) << "the background sleep survived";
}

TEST(ProcessSupervisor, KillsWhatTheLeaderLeftBehind) {
  ProcessSupervisor supervisor;
  auto recorder = std::make_shared<Recorder>();
  auto process = supervisor.spawn(shell("sleep 100 >/dev/null 2>&1 & exit 0"), recorder);
  ASSERT_TRUE(process.ok());
  const int pgid = (*process)->pid();
  ASSERT_TRUE(recorder->waitExit());
  EXPECT_TRUE(recorder->exit().success());
  EXPECT_TRUE(eventually([&] { return !groupAlive(pgid); }));
}

TEST(ProcessSupervisor, TerminateEscalatesToKillAfterTheGrace) {
  ProcessSupervisor supervisor;
  auto recorder = std::make_shared<Recorder>();
  auto process =
      supervisor.spawn(shell("trap '' TERM; echo ready; while :; do sleep 0.05; done"), recorder);
  ASSERT_TRUE(process.ok());
  ASSERT_TRUE(eventually([&] { return !recorder->lines().empty(); }));
  auto start = std::chrono::steady_clock::now();
  (*process)->terminate(300);
  ASSERT_TRUE(recorder->waitExit());
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(recorder->exit().signal, SIGKILL);
  EXPECT_TRUE(recorder->exit().killed_by_host);
  EXPECT_GE(took, 250ms);
  EXPECT_LT(took, 3s);
}

TEST(ProcessSupervisor, DestroyingTheHandleKillsTheGroupAndStopsCallbacks) {
  ProcessSupervisor supervisor;
  auto recorder = std::make_shared<Recorder>();
  auto process = supervisor.spawn(shell("while :; do echo tick; sleep 0.01; done"), recorder);
  ASSERT_TRUE(process.ok());
  const int pgid = (*process)->pid();
  ASSERT_TRUE(eventually([&] { return !recorder->lines().empty(); }));
  process->reset();
  std::size_t seen = recorder->lines().size();
  EXPECT_TRUE(eventually([&] { return !groupAlive(pgid); }));
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(recorder->lines().size(), seen);
  EXPECT_EQ(recorder->exits(), 0);
}

TEST(ProcessSupervisor, ReportsACrashToTheHandlerWithinASecond) {
  ProcessSupervisor supervisor;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> crashes;
  supervisor.setCrashHandler(
      [&](const std::string& owner, const ProcessExit& exit, const std::string& detail) {
        std::lock_guard lock(mu);
        crashes.push_back(owner + ": " + exit.describe() + " | " + detail);
        cv.notify_all();
      });
  auto recorder = std::make_shared<Recorder>();
  ProcessSpec spec = shell("sleep 100");
  spec.owner = "agent-7";
  auto process = supervisor.spawn(spec, recorder);
  ASSERT_TRUE(process.ok());
  auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(::kill((*process)->pid(), SIGKILL), 0);  // not sent by the supervisor
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, 1s, [&] { return !crashes.empty(); }));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_EQ(crashes[0].rfind("agent-7: killed by signal 9 |", 0), 0u) << crashes[0];
  EXPECT_FALSE(recorder->exit().killed_by_host);
  EXPECT_EQ(supervisor.resources("agent-7").crashes, 1);
}

TEST(ProcessSupervisor, APersistentProcessThatEndsByItselfIsACrash) {
  ProcessSupervisor supervisor;
  std::atomic<int> crashes{0};
  supervisor.setCrashHandler(
      [&](const std::string&, const ProcessExit&, const std::string&) { ++crashes; });
  ProcessSpec spec = shell("exit 0");
  spec.owner = "worker";
  spec.persistent = true;
  auto recorder = std::make_shared<Recorder>();
  auto process = supervisor.spawn(spec, recorder);
  ASSERT_TRUE(process.ok());
  ASSERT_TRUE(recorder->waitExit());
  EXPECT_TRUE(eventually([&] { return crashes.load() == 1; }));

  // Asked to stop: not a crash.
  spec = shell("sleep 100");
  spec.owner = "worker";
  spec.persistent = true;
  auto stopped = std::make_shared<Recorder>();
  auto second = supervisor.spawn(spec, stopped);
  ASSERT_TRUE(second.ok());
  (*second)->terminate(1000);
  ASSERT_TRUE(stopped->waitExit());
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(crashes.load(), 1);
}

TEST(ProcessSupervisor, AppliesRlimits) {
  ProcessSupervisor supervisor;
  auto recorder = std::make_shared<Recorder>();
  ProcessSpec spec = shell("ulimit -v; ulimit -t; ulimit -n");
  spec.limits.memory_bytes = 512ll << 20;
  spec.limits.cpu_seconds = 7;
  spec.limits.open_files = 64;
  auto process = supervisor.spawn(spec, recorder);
  ASSERT_TRUE(process.ok()) << process.status().toString();
  ASSERT_TRUE(recorder->waitExit());
  EXPECT_EQ(recorder->lines(), (std::vector<std::string>{"524288", "7", "64"}));
}

TEST(ProcessSupervisor, SamplesRssAndCpuWhileRunningAndReportsTheTotals) {
  ProcessSupervisor supervisor;
  auto recorder = std::make_shared<Recorder>();
  ProcessSpec spec = shell("i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; sleep 0.6");
  spec.owner = "meter";
  auto process = supervisor.spawn(spec, recorder);
  ASSERT_TRUE(process.ok());
  EXPECT_TRUE(eventually([&] { return (*process)->stats().rss_kb > 0; }));
  OwnerResources live = supervisor.resources("meter");
  EXPECT_EQ(live.running, 1);
  EXPECT_GT(live.rss_kb, 0);
  EXPECT_GE(live.last_sample_age_ms, 0);
  EXPECT_LT(live.last_sample_age_ms, 2 * ProcessSupervisor::kSampleMs + 100);
  ASSERT_TRUE(recorder->waitExit(10s));
  EXPECT_GT(recorder->stats().cpu_ms, 0.0);
  EXPECT_GT(recorder->stats().peak_rss_kb, 0);
  OwnerResources after = supervisor.resources("meter");
  EXPECT_EQ(after.running, 0);
  EXPECT_EQ(after.started, 1);
  EXPECT_GT(after.cpu_ms, 0.0);
}

TEST(ProcessSupervisor, SpawnsFromInsideACallback) {
  ProcessSupervisor supervisor;
  auto second = std::make_shared<Recorder>();
  std::unique_ptr<Process> child;
  struct Chain final : ProcessObserver {
    ProcessSupervisor* supervisor;
    std::shared_ptr<Recorder> next;
    std::unique_ptr<Process>* out;
    void onStdoutLine(std::string_view) noexcept override {}
    void onStderr(std::string_view) noexcept override {}
    void onExit(const ProcessExit&, const ProcessStats&) noexcept override {
      auto p = supervisor->spawn(shell("echo from-callback"), next);
      if (p.ok()) *out = std::move(*p);
    }
  };
  auto chain = std::make_shared<Chain>();
  chain->supervisor = &supervisor;
  chain->next = second;
  chain->out = &child;
  auto first = supervisor.spawn(shell("true"), chain);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second->waitExit());
  EXPECT_EQ(second->lines(), (std::vector<std::string>{"from-callback"}));
}

TEST(ProcessSupervisor, ShutdownKillsEverythingStillRunning) {
  int pgid = 0;
  auto recorder = std::make_shared<Recorder>();
  std::unique_ptr<Process> keep;
  {
    ProcessSupervisor supervisor;
    auto process = supervisor.spawn(shell("sleep 100"), recorder);
    ASSERT_TRUE(process.ok());
    pgid = (*process)->pid();
    keep = std::move(*process);
  }
  EXPECT_EQ(recorder->exits(), 1);
  EXPECT_TRUE(recorder->exit().killed_by_host);
  // Killed members the leader had not reaped linger as zombies until init reaps them.
  EXPECT_TRUE(eventually([&] { return !groupAlive(pgid); }));
  EXPECT_FALSE(keep->running());
  keep.reset();  // after the supervisor: harmless
}

}  // namespace
}  // namespace switchboard::core
