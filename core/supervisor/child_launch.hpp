// ChildLaunch: everything needed to start one child, prepared before fork() so that the
// child runs only async-signal-safe calls between fork() and execve().
//
// prepare() resolves the program (PATH from the child's own environment), builds the argv
// and envp arrays and checks the working directory; start() forks, sets up the child (own
// process group, PR_SET_PDEATHSIG, stdio, signal dispositions, rlimits, close-on-exec for
// every other descriptor) and waits on a close-on-exec pipe until the child has exec'd or
// reported why it could not.
//
// Thread safety: a ChildLaunch is used by one thread. start() must run on the thread whose
// exit should kill the child (PR_SET_PDEATHSIG follows the forking thread).
#pragma once

#include <string>
#include <vector>

#include "switchboard/process.hpp"
#include "switchboard/status.hpp"

namespace switchboard::core {

struct StartedChild {
  int pid = -1;
  int pidfd = -1;
  int stdin_fd = -1;   // write end, non-blocking; -1 unless ProcessSpec::pipe_stdin
  int stdout_fd = -1;  // read ends, non-blocking
  int stderr_fd = -1;
};

class ChildLaunch {
 public:
  // InvalidArgument (empty argv, NUL in an argument), NotFound (no such program or working
  // directory), PermissionDenied (not executable).
  static Result<ChildLaunch> prepare(const ProcessSpec& spec);

  // Unavailable when a pipe, fork or pidfd is refused; the child's own error (e.g.
  // PermissionDenied from execve, NotFound from chdir) when it could not exec. Every
  // descriptor is closed again on failure.
  Result<StartedChild> start() const;

  const std::string& program() const { return path_; }

 private:
  std::string path_;
  std::vector<std::string> argv_;
  std::vector<std::string> env_;
  std::string cwd_;
  bool pipe_stdin_ = false;
  ProcessLimits limits_;
};

}  // namespace switchboard::core
