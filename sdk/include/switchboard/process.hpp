// Processes: how a plugin runs a child program under the host's supervisor.
//
// A plugin never forks by itself: it asks Host::spawn() (plugin.hpp). The supervisor starts
// the program in a process group of its own, with the requested rlimits, stdin from
// /dev/null or a pipe, and stdout/stderr read by the supervisor's thread. It samples RSS
// and CPU from /proc while the process runs, kills the whole group on kill(), terminate()
// or destruction of the Process, kills what is left of the group when the leader exits,
// and reaps it. Children die with the gateway (PR_SET_PDEATHSIG).
//
// The observer receives stdout line by line, stderr in chunks as they arrive, and exactly
// one onExit() after both reached end of file. After the Process is destroyed no callback
// runs any more (the destructor waits for one in progress, unless it is called from inside
// that callback).
//
// Crashes: a process that dies by a signal the supervisor did not send, or, when
// ProcessSpec::persistent, ends in any way it was not asked to, is reported to the host's
// health monitor for ProcessSpec::owner (the agent's recovery ladder, see agent.hpp).
//
// Thread safety: Process methods may be called from any thread. Observer callbacks come
// from the supervisor's thread, one at a time; they must not block (hand work elsewhere).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard {

struct ProcessLimits {            // 0 = no limit (inherit)
  std::int64_t memory_bytes = 0;  // RLIMIT_AS
  std::int64_t cpu_seconds = 0;   // RLIMIT_CPU
  std::int64_t open_files = 0;    // RLIMIT_NOFILE
};

struct ProcessSpec {
  std::vector<std::string> argv;  // argv[0]: a path, or a name looked up in env's PATH
  std::vector<std::string> env;   // "NAME=value" each; replaces the environment unless inherit_env
  bool inherit_env = true;        // start from the gateway's environment, then apply env
  std::string cwd;                // empty: the gateway's working directory
  std::string owner;              // id of the agent the process works for; "" for none
  bool pipe_stdin = false;        // false: stdin is /dev/null
  bool persistent = false;        // meant to outlive requests: any unasked-for end is a crash
  ProcessLimits limits;
};

struct ProcessStats {
  std::int64_t rss_kb = 0;       // resident set at the last sample (0 once ended)
  std::int64_t peak_rss_kb = 0;  // the highest seen (at the end: the kernel's maxrss)
  double cpu_ms = 0.0;           // user + system time so far (at the end: with reaped children)
};

struct ProcessExit {
  int exit_code = -1;           // the code it exited with, or -1 when a signal ended it
  int signal = 0;               // the signal that ended it, or 0
  bool killed_by_host = false;  // the supervisor sent that signal (kill, terminate, shutdown)

  bool success() const { return exit_code == 0; }
  // "exited with code 1", "killed by signal 9", "killed by signal 9 (sent by the host)".
  std::string describe() const {
    if (signal == 0) return "exited with code " + std::to_string(exit_code);
    return "killed by signal " + std::to_string(signal) +
           (killed_by_host ? " (sent by the host)" : "");
  }
};

// Implemented by the plugin; shared with the supervisor until onExit() or until the
// Process is destroyed. Methods must not throw.
class ProcessObserver {
 public:
  virtual ~ProcessObserver() = default;
  // One line of stdout without its '\n' (also a last line that had none).
  virtual void onStdoutLine(std::string_view line) noexcept = 0;
  virtual void onStderr(std::string_view chunk) noexcept = 0;
  // Exactly once, after stdout and stderr ended; stats are the final figures.
  virtual void onExit(const ProcessExit& exit, const ProcessStats& stats) noexcept = 0;
};

// A running (or ended) child. Destroying it kills the process group if it still runs.
class Process {
 public:
  virtual ~Process() = default;
  virtual int pid() const noexcept = 0;
  // Queues bytes for stdin (pipe_stdin only); false once stdin is closed or the process ended.
  virtual bool writeStdin(std::string_view bytes) noexcept = 0;
  // Closes stdin after the queued bytes are written.
  virtual void closeStdin() noexcept = 0;
  // SIGTERM to the process group now, SIGKILL after grace_ms if anything is left.
  virtual void terminate(std::int64_t grace_ms) noexcept = 0;
  // SIGKILL to the process group now.
  virtual void kill() noexcept = 0;
  virtual bool running() const noexcept = 0;
  virtual ProcessStats stats() const noexcept = 0;
};

}  // namespace switchboard
