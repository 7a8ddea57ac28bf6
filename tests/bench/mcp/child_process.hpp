// ChildProcess: a server under test, started with fork/exec from the benchmark tools.
//
// stdin and stdout are always pipes to the parent; stderr goes to its own pipe, into the
// stdout pipe (to read a "listening on ..." line whichever stream it is printed on), or to a
// file (/dev/null by default). The child dies with the parent (PR_SET_PDEATHSIG) so an
// aborted benchmark leaves no servers behind. The object owns the pid and the pipe ends;
// its destructor stops the child the same way terminate() does. Not thread-safe, except
// that the fds may be read and written from other threads while the object lives.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "switchboard/status.hpp"

namespace switchboard::bench {

struct SpawnOptions {
  enum class Stderr { kPipe, kIntoStdout, kFile };
  Stderr stderrMode = Stderr::kFile;
  std::string stderrPath = "/dev/null";  // for kFile; opened for append
};

class ChildProcess {
 public:
  // Starts argv[0] (searched in PATH) with the given arguments. kInvalidArgument for an
  // empty argv, kUnavailable when a pipe or fork fails or exec fails (e.g. no such file).
  static Result<ChildProcess> spawn(const std::vector<std::string>& argv,
                                    const SpawnOptions& options);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&&) = delete;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  int stdinFd() const { return stdin_; }
  int stdoutFd() const { return stdout_; }
  int stderrFd() const { return stderr_; }  // -1 unless Stderr::kPipe
  void closeStdin();

  // The child's resident set size (VmRSS) in KiB. kUnavailable when it cannot be read.
  Result<long> rssKb() const;
  // CPU time the child's live threads have run so far, in ms (sum of the first field of
  // /proc/<pid>/task/*/schedstat). Unlike wall time it does not grow with the machine's load.
  // kUnavailable when it cannot be read.
  Result<double> cpuMs() const;

  // Stops the child: close stdin and wait up to stdinGraceMs for it to exit (a stdio server's
  // clean shutdown), then SIGTERM and wait up to termGraceMs, then SIGKILL. Returns the wait
  // status, or -1 when the child was already reaped.
  int terminate(int stdinGraceMs, int termGraceMs);

 private:
  ChildProcess() = default;
  bool waitFor(int ms, int& waitStatus);

  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
  int stderr_ = -1;
};

}  // namespace switchboard::bench
