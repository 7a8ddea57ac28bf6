// ProcessSupervisor: owns every child process the gateway runs (Host::spawn, process.hpp).
//
// One thread forks, watches and reaps. Forking on that long-lived thread is what makes
// PR_SET_PDEATHSIG mean "die with the gateway" (the signal follows the forking thread).
// Each child leads a process group of its own, gets its rlimits, stdin from /dev/null or a
// pipe, and close-on-exec for everything else. The thread waits with epoll on each child's
// pidfd, stdout and stderr, splits stdout into lines for the observer, samples RSS and CPU
// from /proc every kSampleMs (the liveness heartbeat: a process whose /proc entry is gone
// is dead even before its pidfd says so), and when the leader exits it SIGKILLs what is
// left of the group, reaps the leader with wait4 for its rusage, and reports onExit().
// A crash (a signal the supervisor did not send, or any unasked-for end of a persistent
// process) also goes to the crash handler with the process's owner, within one epoll
// wake-up of the exit.
//
// Thread safety: every method may be called from any thread, including from observer
// callbacks and the crash handler (which run on the supervisor's thread). The destructor
// kills every group still running and reaps them.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "switchboard/process.hpp"
#include "switchboard/status.hpp"

namespace switchboard::core {

// What the supervisor knows about one owner's processes, for agent_get.
struct OwnerResources {
  std::int64_t running = 0;              // processes running now
  std::int64_t started = 0;              // processes started in all
  std::int64_t crashes = 0;              // of them, ended by a crash
  std::int64_t rss_kb = 0;               // resident set of those running, at the last sample
  std::int64_t peak_rss_kb = 0;          // the highest of any one process
  double cpu_ms = 0.0;                   // CPU time of all, running and ended
  std::int64_t last_sample_age_ms = -1;  // how long ago the running ones were last sampled
};

class ProcessSupervisor {
 public:
  static constexpr std::int64_t kSampleMs = 250;
  // Called on the supervisor's thread once per crash; must not block for long.
  using CrashHandler = std::function<void(const std::string& owner, const ProcessExit& exit,
                                          const std::string& detail)>;

  ProcessSupervisor();
  ~ProcessSupervisor();
  ProcessSupervisor(const ProcessSupervisor&) = delete;
  ProcessSupervisor& operator=(const ProcessSupervisor&) = delete;

  void setCrashHandler(CrashHandler handler);

  // Errors: InvalidArgument (empty argv), NotFound (no such program on PATH),
  // PermissionDenied (not executable), Unavailable (fork, pipe or pidfd refused; or the
  // supervisor is shutting down), or the exec error the child reported.
  Result<std::unique_ptr<Process>> spawn(const ProcessSpec& spec,
                                         std::shared_ptr<ProcessObserver> observer) noexcept;

  OwnerResources resources(std::string_view owner) const;

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace switchboard::core
