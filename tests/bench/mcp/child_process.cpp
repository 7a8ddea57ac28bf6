#include "tests/bench/mcp/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>
#include <utility>

namespace switchboard::bench {
namespace {

void closeFd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

Status pipeCloexec(int fds[2]) {
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return Status::unavailable(std::string("pipe: ") + std::strerror(errno));
  return {};
}

}  // namespace

Result<ChildProcess> ChildProcess::spawn(const std::vector<std::string>& argv,
                                         const SpawnOptions& options) {
  if (argv.empty()) return Status::invalidArgument("no server command given");
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  int in[2], out[2], err[2] = {-1, -1}, exec[2];
  SB_RETURN_IF_ERROR(pipeCloexec(in));
  SB_RETURN_IF_ERROR(pipeCloexec(out));
  if (options.stderrMode == SpawnOptions::Stderr::kPipe) SB_RETURN_IF_ERROR(pipeCloexec(err));
  SB_RETURN_IF_ERROR(pipeCloexec(exec));
  int errFile = -1;
  if (options.stderrMode == SpawnOptions::Stderr::kFile) {
    errFile = ::open(options.stderrPath.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (errFile < 0) {
      return Status::unavailable("cannot open " + options.stderrPath + ": " + std::strerror(errno));
    }
  }
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) return Status::unavailable(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    // Child: only async-signal-safe calls from here on.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    if (options.stderrMode == SpawnOptions::Stderr::kPipe) ::dup2(err[1], 2);
    if (options.stderrMode == SpawnOptions::Stderr::kIntoStdout) ::dup2(out[1], 2);
    if (options.stderrMode == SpawnOptions::Stderr::kFile) ::dup2(errFile, 2);
    ::execvp(args[0], args.data());
    int e = errno;
    ssize_t ignored = ::write(exec[1], &e, sizeof e);
    (void)ignored;
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  if (err[1] >= 0) ::close(err[1]);
  if (errFile >= 0) ::close(errFile);
  ::close(exec[1]);
  ChildProcess child;
  child.pid_ = pid;
  child.stdin_ = in[1];
  child.stdout_ = out[0];
  child.stderr_ = err[0];
  int execErrno = 0;
  ssize_t n;
  do {
    n = ::read(exec[0], &execErrno, sizeof execErrno);
  } while (n < 0 && errno == EINTR);
  ::close(exec[0]);
  if (n > 0) {
    child.terminate(0, 0);
    return Status::unavailable("cannot run " + argv[0] + ": " + std::strerror(execErrno));
  }
  return child;
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      stdin_(std::exchange(other.stdin_, -1)),
      stdout_(std::exchange(other.stdout_, -1)),
      stderr_(std::exchange(other.stderr_, -1)) {}

ChildProcess::~ChildProcess() {
  terminate(1000, 1000);
  closeFd(stdout_);
  closeFd(stderr_);
}

void ChildProcess::closeStdin() { closeFd(stdin_); }

Result<long> ChildProcess::rssKb() const {
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      try {
        return std::stol(line.substr(6));
      } catch (const std::exception&) {
        break;
      }
    }
  }
  return Status::unavailable("no VmRSS for pid " + std::to_string(pid_));
}

Result<double> ChildProcess::cpuMs() const {
  std::error_code ec;
  std::filesystem::directory_iterator tasks("/proc/" + std::to_string(pid_) + "/task", ec);
  if (ec) return Status::unavailable("no /proc task list for pid " + std::to_string(pid_));
  double ns = 0;
  for (const auto& task : tasks) {
    std::ifstream schedstat(task.path() / "schedstat");
    double runNs = 0;
    if (schedstat >> runNs) ns += runNs;
  }
  return ns / 1e6;
}

bool ChildProcess::waitFor(int ms, int& waitStatus) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  for (;;) {
    pid_t r = ::waitpid(pid_, &waitStatus, WNOHANG);
    if (r == pid_ || (r < 0 && errno != EINTR)) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

int ChildProcess::terminate(int stdinGraceMs, int termGraceMs) {
  if (pid_ < 0) return -1;
  closeStdin();
  int waitStatus = -1;
  if (!waitFor(stdinGraceMs, waitStatus)) {
    ::kill(pid_, SIGTERM);
    if (!waitFor(termGraceMs, waitStatus)) {
      ::kill(pid_, SIGKILL);
      while (::waitpid(pid_, &waitStatus, 0) < 0 && errno == EINTR) {
      }
    }
  }
  pid_ = -1;
  return waitStatus;
}

}  // namespace switchboard::bench
