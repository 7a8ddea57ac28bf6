#include "core/supervisor/child_launch.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

extern char** environ;

namespace switchboard::core {
namespace {

// What the child writes to the error pipe when a step before execve() fails.
struct ChildError {
  int stage;  // kStage*
  int err;    // errno
};
constexpr int kStageChdir = 1;
constexpr int kStageRlimit = 2;
constexpr int kStageExec = 3;
constexpr int kStageSetup = 4;

std::string errnoText(int err) { return std::strerror(err); }

std::string_view envName(std::string_view entry) {
  std::size_t eq = entry.find('=');
  return eq == std::string_view::npos ? entry : entry.substr(0, eq);
}

std::vector<std::string> childEnvironment(const ProcessSpec& spec) {
  std::vector<std::string> env;
  if (spec.inherit_env) {
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) env.emplace_back(*e);
  }
  for (const std::string& entry : spec.env) {
    std::string_view name = envName(entry);
    std::erase_if(env, [&](const std::string& have) { return envName(have) == name; });
    env.push_back(entry);
  }
  return env;
}

std::string envValue(const std::vector<std::string>& env, std::string_view name) {
  for (const std::string& entry : env) {
    if (envName(entry) == name && entry.size() > name.size()) return entry.substr(name.size() + 1);
  }
  return "";
}

// OK and the path of an executable regular file, or why `path` is not one.
Status checkExecutable(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return Status::notFound("no program at " + path);
    return Status::permissionDenied("cannot run " + path + ": " + errnoText(errno));
  }
  if (!S_ISREG(st.st_mode)) return Status::permissionDenied(path + " is not a regular file");
  if (::access(path.c_str(), X_OK) != 0)
    return Status::permissionDenied(path + " is not executable");
  return Status();
}

Result<std::string> resolveProgram(const std::string& name, const std::vector<std::string>& env) {
  if (name.find('/') != std::string::npos) {
    SB_RETURN_IF_ERROR(checkExecutable(name));
    return name;
  }
  std::string path = envValue(env, "PATH");
  if (path.empty()) path = "/usr/local/bin:/usr/bin:/bin";
  Status denied;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(start, end - start);
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + name;
    Status st = checkExecutable(candidate);
    if (st.ok()) return candidate;
    if (st.code() == StatusCode::kPermissionDenied && denied.ok()) denied = st;
    start = end + 1;
  }
  if (!denied.ok()) return denied;
  return Status::notFound("no program named \"" + name + "\" on PATH (" + path + ")");
}

void closeFd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

[[noreturn]] void childFail(int pipe_fd, int stage) {
  ChildError e{stage, errno};
  ssize_t ignored = ::write(pipe_fd, &e, sizeof e);
  (void)ignored;
  ::_exit(127);
}

void setLimit(int resource, std::int64_t value, int pipe_fd) {
  if (value <= 0) return;
  struct rlimit rl {};
  rl.rlim_cur = static_cast<rlim_t>(value);
  rl.rlim_max = static_cast<rlim_t>(value);
  if (::setrlimit(resource, &rl) != 0) childFail(pipe_fd, kStageRlimit);
}

}  // namespace

Result<ChildLaunch> ChildLaunch::prepare(const ProcessSpec& spec) {
  if (spec.argv.empty() || spec.argv[0].empty()) {
    return Status::invalidArgument("a process needs a program: argv is empty");
  }
  for (const std::string& arg : spec.argv) {
    if (arg.find('\0') != std::string::npos)
      return Status::invalidArgument("an argument holds a NUL byte");
  }
  ChildLaunch launch;
  launch.env_ = childEnvironment(spec);
  Result<std::string> path = resolveProgram(spec.argv[0], launch.env_);
  if (!path.ok()) return path.status();
  launch.path_ = std::move(*path);
  launch.argv_ = spec.argv;
  if (!spec.cwd.empty()) {
    struct stat st {};
    if (::stat(spec.cwd.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      return Status::notFound("the working directory " + spec.cwd + " does not exist");
    }
  }
  launch.cwd_ = spec.cwd;
  launch.pipe_stdin_ = spec.pipe_stdin;
  launch.limits_ = spec.limits;
  return launch;
}

Result<StartedChild> ChildLaunch::start() const {
  std::vector<char*> argv;
  for (const std::string& a : argv_) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const std::string& e : env_) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1}, status_pipe[2] = {-1, -1};
  auto closeAll = [&] {
    for (int* p : {in, out, err, status_pipe}) {
      closeFd(p[0]);
      closeFd(p[1]);
    }
  };
  bool piped = ::pipe2(out, O_CLOEXEC) == 0 && ::pipe2(err, O_CLOEXEC) == 0 &&
               ::pipe2(status_pipe, O_CLOEXEC) == 0;
  if (piped && pipe_stdin_) {
    piped = ::pipe2(in, O_CLOEXEC) == 0;
  } else if (piped) {
    in[0] = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    piped = in[0] >= 0;
  }
  if (!piped) {
    int e = errno;
    closeAll();
    return Status::unavailable("cannot create pipes for a child process: " + errnoText(e));
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    int e = errno;
    closeAll();
    return Status::unavailable("fork failed: " + errnoText(e));
  }
  if (pid == 0) {
    // The child: async-signal-safe calls only.
    const int report = status_pipe[1];
    if (::setpgid(0, 0) != 0) childFail(report, kStageSetup);
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) childFail(report, kStageSetup);
    if (::getppid() != parent) ::_exit(127);  // the gateway died before prctl
    if (::dup2(in[0], 0) < 0 || ::dup2(out[1], 1) < 0 || ::dup2(err[1], 2) < 0) {
      childFail(report, kStageSetup);
    }
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &dfl, nullptr);
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    if (!cwd_.empty() && ::chdir(cwd_.c_str()) != 0) childFail(report, kStageChdir);
    setLimit(RLIMIT_AS, limits_.memory_bytes, report);
    setLimit(RLIMIT_CPU, limits_.cpu_seconds, report);
    setLimit(RLIMIT_NOFILE, limits_.open_files, report);
    // Everything above 2 (including the report pipe) closes when execve succeeds.
    if (::syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */) != 0) {
      for (int fd = 3; fd < 4096; ++fd) {
        if (fd != report) ::close(fd);
      }
    }
    ::execve(path_.c_str(), argv.data(), envp.data());
    childFail(report, kStageExec);
  }
  // The parent.
  closeFd(in[0]);
  closeFd(out[1]);
  closeFd(err[1]);
  closeFd(status_pipe[1]);
  ChildError child_error{0, 0};
  ssize_t got;
  do {
    got = ::read(status_pipe[0], &child_error, sizeof child_error);
  } while (got < 0 && errno == EINTR);
  closeFd(status_pipe[0]);
  if (got == static_cast<ssize_t>(sizeof child_error)) {
    int wstatus = 0;
    ::waitpid(pid, &wstatus, 0);
    closeAll();
    std::string what = errnoText(child_error.err);
    switch (child_error.stage) {
      case kStageChdir:
        return Status::notFound("cannot enter the working directory " + cwd_ + ": " + what);
      case kStageRlimit:
        return Status::invalidArgument("the process limits were refused: " + what);
      case kStageExec:
        if (child_error.err == ENOENT) return Status::notFound("cannot run " + path_ + ": " + what);
        if (child_error.err == EACCES || child_error.err == ENOEXEC) {
          return Status::permissionDenied("cannot run " + path_ + ": " + what);
        }
        return Status::unavailable("cannot run " + path_ + ": " + what);
      default:
        return Status::unavailable("the child process could not be set up: " + what);
    }
  }
  StartedChild child;
  child.pid = pid;
  child.pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (child.pidfd < 0) {
    int e = errno;
    ::kill(-pid, SIGKILL);
    int wstatus = 0;
    ::waitpid(pid, &wstatus, 0);
    closeAll();
    return Status::unavailable("pidfd_open failed (Linux 5.3 or later is needed): " + errnoText(e));
  }
  ::fcntl(child.pidfd, F_SETFD, FD_CLOEXEC);
  child.stdout_fd = out[0];
  child.stderr_fd = err[0];
  child.stdin_fd = pipe_stdin_ ? in[1] : -1;
  if (!pipe_stdin_) closeFd(in[1]);
  for (int fd : {child.stdout_fd, child.stderr_fd, child.stdin_fd}) {
    if (fd >= 0) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  }
  return child;
}

}  // namespace switchboard::core
