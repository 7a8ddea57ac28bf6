#include "core/supervisor/process_supervisor.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "core/supervisor/child_launch.hpp"

namespace switchboard::core {
namespace {

const sigset_t& pipeSignal() {
  static const sigset_t set = [] {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGPIPE);
    return s;
  }();
  return set;
}

std::int64_t nowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

constexpr std::int64_t kDrainUs = 1'000'000;           // pipes held open by escaped grandchildren
constexpr std::size_t kMaxLineBytes = 64 << 20;        // a longer stdout line is delivered in parts
constexpr std::uint64_t kWakeKey = ~std::uint64_t{0};  // epoll key of the eventfd

enum Stream : std::uint64_t { kPidfd = 0, kStdout = 1, kStderr = 2, kStdin = 3 };

void closeFd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// utime + stime (ms) and rss (kB) of one live process, from /proc/<pid>/stat.
bool sampleProc(int pid, double* cpu_ms, std::int64_t* rss_kb) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text)) return false;
  std::size_t paren = text.rfind(')');
  if (paren == std::string::npos) return false;
  std::istringstream fields(text.substr(paren + 2));
  std::vector<std::string> f;
  std::string field;
  while (fields >> field) f.push_back(field);
  if (f.size() < 22) return false;
  static const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  static const std::int64_t page_kb = ::sysconf(_SC_PAGESIZE) / 1024;
  try {
    *cpu_ms = (std::stod(f[11]) + std::stod(f[12])) * 1000.0 / ticks;
    *rss_kb = std::stoll(f[21]) * page_kb;
  } catch (...) {
    return false;
  }
  return true;
}

}  // namespace

// One child, from fork to onExit(). Fields are guarded by Impl::mu_.
struct Child {
  std::uint64_t serial = 0;
  int pid = -1;
  int pidfd = -1;
  int in_fd = -1;
  int out_fd = -1;
  int err_fd = -1;
  std::string owner;
  bool persistent = false;
  std::shared_ptr<ProcessObserver> observer;  // null once the handle is gone
  std::string line;                           // stdout bytes after the last '\n'
  std::string in_queue;
  bool close_stdin_requested = false;
  bool leader_exited = false;
  bool reaped = false;
  bool host_signalled = false;  // the supervisor sent a signal that may end it
  bool in_callback = false;
  std::int64_t kill_at_us = 0;  // SIGKILL due (terminate's grace), 0 = none
  std::int64_t drain_until_us = 0;
  ProcessExit exit;
  ProcessStats stats;
  std::int64_t last_sample_us = 0;
};

struct OwnerTotals {
  std::int64_t started = 0;
  std::int64_t crashes = 0;
  std::int64_t peak_rss_kb = 0;
  double ended_cpu_ms = 0.0;
};

class ProcessSupervisor::Impl : public std::enable_shared_from_this<ProcessSupervisor::Impl> {
 public:
  Impl() {
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    wake_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (epoll_ >= 0 && wake_ >= 0) {
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.u64 = kWakeKey;
      ::epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &ev);
    }
  }
  ~Impl() {
    closeFd(epoll_);
    closeFd(wake_);
  }

  // The thread starts with the first spawn(), so a gateway that runs no process has none.
  void startOnce() {
    std::call_once(started_,
                   [this] { thread_ = std::thread([self = shared_from_this()] { self->run(); }); });
  }

  void shutdown() {
    std::call_once(started_, [] {});  // no thread starts after this
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    wake();
    if (thread_.joinable()) thread_.join();
  }

  // Waits for a handler call in progress (unless called from it), so that what the old
  // handler used may be destroyed once this returns.
  void setCrashHandler(CrashHandler handler) {
    std::unique_lock lock(mu_);
    if (std::this_thread::get_id() != loop_thread_) {
      callback_done_.wait(lock, [&] { return !handler_running_; });
    }
    crash_handler_ = std::move(handler);
  }

  Result<std::shared_ptr<Child>> spawn(const ProcessSpec& spec,
                                       std::shared_ptr<ProcessObserver> observer);

  // Process handle operations.
  bool writeStdin(const std::shared_ptr<Child>& c, std::string_view bytes) {
    std::lock_guard lock(mu_);
    if (c->in_fd < 0 || c->close_stdin_requested) return false;
    c->in_queue.append(bytes);
    wakeLocked();
    return true;
  }
  void closeStdin(const std::shared_ptr<Child>& c) {
    std::lock_guard lock(mu_);
    c->close_stdin_requested = true;
    wakeLocked();
  }
  void signalGroup(const std::shared_ptr<Child>& c, int sig, std::int64_t kill_after_ms) {
    std::lock_guard lock(mu_);
    if (c->reaped) return;
    c->host_signalled = true;
    ::kill(-c->pid, sig);
    if (kill_after_ms >= 0) {
      std::int64_t due = nowUs() + kill_after_ms * 1000;
      if (c->kill_at_us == 0 || due < c->kill_at_us) c->kill_at_us = due;
      wakeLocked();
    }
  }
  bool running(const std::shared_ptr<Child>& c) {
    std::lock_guard lock(mu_);
    return !c->leader_exited;
  }
  ProcessStats stats(const std::shared_ptr<Child>& c) {
    std::lock_guard lock(mu_);
    return c->stats;
  }
  // The handle is gone: no more callbacks; kill the group if it still runs.
  void detach(const std::shared_ptr<Child>& c) {
    std::shared_ptr<ProcessObserver>
        gone;  // released after the lock: its destructor may detach too
    std::unique_lock lock(mu_);
    if (!c->reaped) {
      c->host_signalled = true;
      ::kill(-c->pid, SIGKILL);
    }
    if (std::this_thread::get_id() != loop_thread_) {
      callback_done_.wait(lock, [&] { return !c->in_callback; });
    }
    gone = std::move(c->observer);
    wakeLocked();
  }

  OwnerResources resources(std::string_view owner) const {
    std::lock_guard lock(mu_);
    OwnerResources r;
    auto totals = owners_.find(owner);
    if (totals != owners_.end()) {
      r.started = totals->second.started;
      r.crashes = totals->second.crashes;
      r.peak_rss_kb = totals->second.peak_rss_kb;
      r.cpu_ms = totals->second.ended_cpu_ms;
    }
    std::int64_t oldest = 0;
    for (const auto& [serial, c] : children_) {
      if (c->owner != owner || c->leader_exited) continue;
      ++r.running;
      r.rss_kb += c->stats.rss_kb;
      r.peak_rss_kb = std::max(r.peak_rss_kb, c->stats.peak_rss_kb);
      r.cpu_ms += c->stats.cpu_ms;
      if (oldest == 0 || (c->last_sample_us != 0 && c->last_sample_us < oldest))
        oldest = c->last_sample_us;
    }
    if (r.running > 0 && oldest != 0) r.last_sample_age_ms = (nowUs() - oldest) / 1000;
    return r;
  }

 private:
  void wake() {
    std::uint64_t one = 1;
    ssize_t ignored = ::write(wake_, &one, sizeof one);
    (void)ignored;
  }
  void wakeLocked() { wake(); }

  void run();
  void addChild(const std::shared_ptr<Child>& c);
  void watch(int fd, const Child& c, Stream stream, std::uint32_t events);
  void onEvent(std::uint64_t key, std::uint32_t events);
  void readStdout(Child& c);
  void readStderr(Child& c);
  void writeStdinNow(Child& c);
  void reap(Child& c);
  void housekeeping();
  void finishIfDone(const std::shared_ptr<Child>& c, std::vector<std::shared_ptr<Child>>& done);
  void report(const std::shared_ptr<Child>& c);
  // Runs `fn(observer)` outside the lock, with the child marked in a callback.
  template <typename Fn>
  void deliver(std::unique_lock<std::mutex>& lock, Child& c, Fn fn) {
    std::shared_ptr<ProcessObserver> observer = c.observer;
    if (!observer) return;
    c.in_callback = true;
    lock.unlock();
    fn(*observer);
    observer.reset();
    lock.lock();
    c.in_callback = false;
    callback_done_.notify_all();
  }
  void killAllAndReap();

  struct SpawnRequest {
    const ChildLaunch* launch;
    std::promise<Result<StartedChild>> done;
  };

  mutable std::mutex mu_;
  std::condition_variable callback_done_;
  std::map<std::uint64_t, std::shared_ptr<Child>> children_;
  std::map<std::string, OwnerTotals, std::less<>> owners_;
  std::deque<SpawnRequest*> spawn_queue_;
  CrashHandler crash_handler_;
  std::uint64_t next_serial_ = 1;
  bool stopping_ = false;
  bool handler_running_ = false;
  int epoll_ = -1;
  int wake_ = -1;
  std::once_flag started_;
  std::atomic<std::thread::id> loop_thread_{};
  std::thread thread_;
  std::unique_lock<std::mutex>* loop_lock_ = nullptr;  // the loop's lock, for deliver()
};

Result<std::shared_ptr<Child>> ProcessSupervisor::Impl::spawn(
    const ProcessSpec& spec, std::shared_ptr<ProcessObserver> observer) {
  if (epoll_ < 0 || wake_ < 0)
    return Status::unavailable("the process supervisor could not start (epoll)");
  Result<ChildLaunch> launch = ChildLaunch::prepare(spec);
  if (!launch.ok()) return launch.status();
  startOnce();
  Result<StartedChild> started = Status::unavailable("the process supervisor is shutting down");
  if (std::this_thread::get_id() == loop_thread_.load()) {
    started = launch->start();  // from a callback: fork right here, on the right thread
  } else {
    SpawnRequest request{&*launch, {}};
    std::future<Result<StartedChild>> result = request.done.get_future();
    {
      std::lock_guard lock(mu_);
      if (stopping_) return Status::unavailable("the process supervisor is shutting down");
      spawn_queue_.push_back(&request);
    }
    wake();
    started = result.get();
  }
  if (!started.ok()) return started.status();
  auto c = std::make_shared<Child>();
  c->pid = started->pid;
  c->pidfd = started->pidfd;
  c->in_fd = started->stdin_fd;
  c->out_fd = started->stdout_fd;
  c->err_fd = started->stderr_fd;
  c->owner = spec.owner;
  c->persistent = spec.persistent;
  c->observer = std::move(observer);
  {
    std::lock_guard lock(mu_);
    addChild(c);
  }
  wake();
  return c;
}

void ProcessSupervisor::Impl::addChild(const std::shared_ptr<Child>& c) {
  c->serial = next_serial_++;
  children_[c->serial] = c;
  ++owners_[c->owner].started;
  watch(c->pidfd, *c, kPidfd, EPOLLIN);
  watch(c->out_fd, *c, kStdout, EPOLLIN);
  watch(c->err_fd, *c, kStderr, EPOLLIN);
  if (c->in_fd >= 0) watch(c->in_fd, *c, kStdin, EPOLLOUT | EPOLLET);
}

void ProcessSupervisor::Impl::watch(int fd, const Child& c, Stream stream, std::uint32_t events) {
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = (c.serial << 2) | stream;
  ::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev);
}

void ProcessSupervisor::Impl::run() {
  loop_thread_ = std::this_thread::get_id();
  // A write to a child's closed stdin must come back as EPIPE, never as a SIGPIPE that ends
  // the whole process: the signal is blocked in this thread, the only one that writes to
  // children, and one its own write raises is dropped (writeStdinNow).
  ::pthread_sigmask(SIG_BLOCK, &pipeSignal(), nullptr);
  std::unique_lock lock(mu_);
  loop_lock_ = &lock;
  std::vector<epoll_event> events(64);
  std::int64_t next_sample_us = nowUs();
  while (!stopping_) {
    // Forks queued by spawn() on other threads.
    while (!spawn_queue_.empty()) {
      SpawnRequest* request = spawn_queue_.front();
      spawn_queue_.pop_front();
      request->done.set_value(request->launch->start());
    }
    std::int64_t now = nowUs();
    if (now >= next_sample_us) {
      housekeeping();
      next_sample_us = now + kSampleMs * 1000;
    }
    std::int64_t due = next_sample_us;
    for (const auto& [serial, c] : children_) {
      if (c->kill_at_us != 0 && !c->reaped) due = std::min(due, c->kill_at_us);
      if (c->drain_until_us != 0) due = std::min(due, c->drain_until_us);
    }
    int timeout_ms = static_cast<int>(std::max<std::int64_t>(0, (due - now + 999) / 1000));
    lock.unlock();
    int n = ::epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), timeout_ms);
    lock.lock();
    for (int i = 0; i < n; ++i)
      onEvent(events[static_cast<std::size_t>(i)].data.u64,
              events[static_cast<std::size_t>(i)].events);
    now = nowUs();
    std::vector<std::shared_ptr<Child>> done;
    for (auto& [serial, c] : children_) {
      if (c->kill_at_us != 0 && c->kill_at_us <= now && !c->reaped) {
        ::kill(-c->pid, SIGKILL);
        c->kill_at_us = 0;
      }
      if (c->in_fd >= 0 && (!c->in_queue.empty() || c->close_stdin_requested)) writeStdinNow(*c);
      finishIfDone(c, done);
    }
    for (const std::shared_ptr<Child>& c : done) report(c);
  }
  killAllAndReap();
  for (SpawnRequest* request : spawn_queue_) {
    request->done.set_value(Status::unavailable("the process supervisor is shutting down"));
  }
  spawn_queue_.clear();
  loop_lock_ = nullptr;
}

void ProcessSupervisor::Impl::onEvent(std::uint64_t key, std::uint32_t events) {
  if (key == kWakeKey) {
    std::uint64_t count = 0;
    ssize_t ignored = ::read(wake_, &count, sizeof count);
    (void)ignored;
    return;
  }
  auto it = children_.find(key >> 2);
  if (it == children_.end()) return;
  std::shared_ptr<Child> c = it->second;
  switch (static_cast<Stream>(key & 3)) {
    case kPidfd:
      reap(*c);
      break;
    case kStdout:
      readStdout(*c);
      break;
    case kStderr:
      readStderr(*c);
      break;
    case kStdin:
      if ((events & (EPOLLERR | EPOLLHUP)) != 0) {
        ::epoll_ctl(epoll_, EPOLL_CTL_DEL, c->in_fd, nullptr);
        closeFd(c->in_fd);
      } else {
        writeStdinNow(*c);
      }
      break;
  }
}

void ProcessSupervisor::Impl::readStdout(Child& c) {
  char buffer[65536];
  while (c.out_fd >= 0) {
    ssize_t got = ::read(c.out_fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0 && errno == EAGAIN) return;
    if (got <= 0) {  // end of file or error
      ::epoll_ctl(epoll_, EPOLL_CTL_DEL, c.out_fd, nullptr);
      closeFd(c.out_fd);
      if (!c.line.empty()) {
        std::string last = std::move(c.line);
        c.line.clear();
        deliver(*loop_lock_, c, [&](ProcessObserver& o) { o.onStdoutLine(last); });
      }
      return;
    }
    c.line.append(buffer, static_cast<std::size_t>(got));
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (std::size_t nl; (nl = c.line.find('\n', start)) != std::string::npos; start = nl + 1) {
      lines.emplace_back(c.line, start, nl - start);
    }
    c.line.erase(0, start);
    if (c.line.size() > kMaxLineBytes) lines.push_back(std::exchange(c.line, std::string()));
    if (!lines.empty()) {
      deliver(*loop_lock_, c, [&](ProcessObserver& o) {
        for (const std::string& line : lines) o.onStdoutLine(line);
      });
    }
  }
}

void ProcessSupervisor::Impl::readStderr(Child& c) {
  char buffer[16384];
  while (c.err_fd >= 0) {
    ssize_t got = ::read(c.err_fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0 && errno == EAGAIN) return;
    if (got <= 0) {
      ::epoll_ctl(epoll_, EPOLL_CTL_DEL, c.err_fd, nullptr);
      closeFd(c.err_fd);
      return;
    }
    std::string chunk(buffer, static_cast<std::size_t>(got));
    deliver(*loop_lock_, c, [&](ProcessObserver& o) { o.onStderr(chunk); });
  }
}

void ProcessSupervisor::Impl::writeStdinNow(Child& c) {
  while (c.in_fd >= 0 && !c.in_queue.empty()) {
    ssize_t put = ::write(c.in_fd, c.in_queue.data(), c.in_queue.size());
    if (put < 0 && errno == EINTR) continue;
    if (put < 0 && errno == EAGAIN) return;  // EPOLLOUT (edge-triggered) calls again
    if (put < 0) {                           // EPIPE: the child closed its stdin
      if (errno == EPIPE) {
        const struct timespec now {};
        (void)::sigtimedwait(&pipeSignal(), nullptr, &now);  // the SIGPIPE it raised
      }
      c.in_queue.clear();
      ::epoll_ctl(epoll_, EPOLL_CTL_DEL, c.in_fd, nullptr);
      closeFd(c.in_fd);
      return;
    }
    c.in_queue.erase(0, static_cast<std::size_t>(put));
  }
  if (c.in_fd >= 0 && c.in_queue.empty() && c.close_stdin_requested) {
    ::epoll_ctl(epoll_, EPOLL_CTL_DEL, c.in_fd, nullptr);
    closeFd(c.in_fd);
  }
}

void ProcessSupervisor::Impl::reap(Child& c) {
  if (c.reaped) return;
  c.leader_exited = true;
  ::kill(-c.pid, SIGKILL);  // whatever the leader left behind in its group
  int wstatus = 0;
  struct rusage usage {};
  pid_t got;
  do {
    got = ::wait4(c.pid, &wstatus, 0, &usage);
  } while (got < 0 && errno == EINTR);
  c.reaped = true;
  ::epoll_ctl(epoll_, EPOLL_CTL_DEL, c.pidfd, nullptr);
  closeFd(c.pidfd);
  if (got == c.pid && WIFEXITED(wstatus)) {
    c.exit.exit_code = WEXITSTATUS(wstatus);
  } else if (got == c.pid && WIFSIGNALED(wstatus)) {
    c.exit.signal = WTERMSIG(wstatus);
    c.exit.killed_by_host = c.host_signalled;
  }
  if (got == c.pid) {
    c.stats.peak_rss_kb = std::max<std::int64_t>(c.stats.peak_rss_kb, usage.ru_maxrss);
    c.stats.cpu_ms = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
                     static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
  }
  c.stats.rss_kb = 0;
  c.drain_until_us = nowUs() + kDrainUs;
}

void ProcessSupervisor::Impl::housekeeping() {
  std::int64_t now = nowUs();
  for (auto& [serial, c] : children_) {
    if (c->leader_exited) continue;
    double cpu = 0;
    std::int64_t rss = 0;
    if (sampleProc(c->pid, &cpu, &rss)) {
      c->stats.cpu_ms = cpu;
      c->stats.rss_kb = rss;
      c->stats.peak_rss_kb = std::max(c->stats.peak_rss_kb, rss);
      c->last_sample_us = now;
    }
  }
}

void ProcessSupervisor::Impl::finishIfDone(const std::shared_ptr<Child>& c,
                                           std::vector<std::shared_ptr<Child>>& done) {
  if (!c->reaped) return;
  bool drained = c->out_fd < 0 && c->err_fd < 0;
  if (!drained && nowUs() < c->drain_until_us) return;
  // Pipes still open past the drain time belong to processes that left the group.
  if (c->out_fd >= 0) readStdout(*c);
  for (int* fd : {&c->out_fd, &c->err_fd, &c->in_fd}) {
    if (*fd >= 0) {
      ::epoll_ctl(epoll_, EPOLL_CTL_DEL, *fd, nullptr);
      closeFd(*fd);
    }
  }
  done.push_back(c);
}

void ProcessSupervisor::Impl::report(const std::shared_ptr<Child>& c) {
  children_.erase(c->serial);
  OwnerTotals& totals = owners_[c->owner];
  totals.ended_cpu_ms += c->stats.cpu_ms;
  totals.peak_rss_kb = std::max(totals.peak_rss_kb, c->stats.peak_rss_kb);
  const bool crashed =
      (c->exit.signal != 0 && !c->exit.killed_by_host) || (c->persistent && !c->host_signalled);
  if (crashed) ++totals.crashes;
  ProcessExit exit = c->exit;
  ProcessStats stats = c->stats;
  deliver(*loop_lock_, *c, [&](ProcessObserver& o) { o.onExit(exit, stats); });
  // Dropped with the lock released: the observer's destructor may destroy Process handles.
  std::shared_ptr<ProcessObserver> gone = std::move(c->observer);
  CrashHandler handler;
  if (crashed && !c->owner.empty() && crash_handler_) {
    handler = crash_handler_;
    handler_running_ = true;
  }
  const std::string owner = c->owner;
  const int pid = c->pid;
  loop_lock_->unlock();
  gone.reset();
  if (handler) {
    try {
      handler(owner, exit, "process " + std::to_string(pid) + " " + exit.describe());
    } catch (const std::exception& e) {
      spdlog::error("supervisor: the crash handler failed: {}", e.what());
    }
    handler = nullptr;
  }
  loop_lock_->lock();
  if (handler_running_) {
    handler_running_ = false;
    callback_done_.notify_all();
  }
}

void ProcessSupervisor::Impl::killAllAndReap() {
  std::vector<std::shared_ptr<Child>> all;
  for (auto& [serial, c] : children_) {
    if (!c->reaped) {
      c->host_signalled = true;
      ::kill(-c->pid, SIGKILL);
      reap(*c);
    }
    c->drain_until_us = 0;
    all.push_back(c);
  }
  std::vector<std::shared_ptr<Child>> done;
  for (const std::shared_ptr<Child>& c : all) finishIfDone(c, done);
  for (const std::shared_ptr<Child>& c : done) report(c);
}

namespace {

class SupervisedProcess final : public Process {
 public:
  SupervisedProcess(std::shared_ptr<ProcessSupervisor::Impl> impl, std::shared_ptr<Child> child)
      : impl_(std::move(impl)), child_(std::move(child)) {}
  ~SupervisedProcess() override { impl_->detach(child_); }

  int pid() const noexcept override { return child_->pid; }
  bool writeStdin(std::string_view bytes) noexcept override {
    try {
      return impl_->writeStdin(child_, bytes);
    } catch (...) {
      return false;
    }
  }
  void closeStdin() noexcept override { impl_->closeStdin(child_); }
  void terminate(std::int64_t grace_ms) noexcept override {
    impl_->signalGroup(child_, SIGTERM, std::max<std::int64_t>(grace_ms, 0));
  }
  void kill() noexcept override { impl_->signalGroup(child_, SIGKILL, -1); }
  bool running() const noexcept override { return impl_->running(child_); }
  ProcessStats stats() const noexcept override { return impl_->stats(child_); }

 private:
  std::shared_ptr<ProcessSupervisor::Impl> impl_;
  std::shared_ptr<Child> child_;
};

}  // namespace

ProcessSupervisor::ProcessSupervisor() : impl_(std::make_shared<Impl>()) {}

ProcessSupervisor::~ProcessSupervisor() { impl_->shutdown(); }

void ProcessSupervisor::setCrashHandler(CrashHandler handler) {
  impl_->setCrashHandler(std::move(handler));
}

Result<std::unique_ptr<Process>> ProcessSupervisor::spawn(
    const ProcessSpec& spec, std::shared_ptr<ProcessObserver> observer) noexcept {
  try {
    Result<std::shared_ptr<Child>> child = impl_->spawn(spec, std::move(observer));
    if (!child.ok()) return child.status();
    return std::unique_ptr<Process>(std::make_unique<SupervisedProcess>(impl_, std::move(*child)));
  } catch (const std::exception& e) {
    return Status::unavailable(std::string("cannot start a process: ") + e.what());
  }
}

OwnerResources ProcessSupervisor::resources(std::string_view owner) const {
  return impl_->resources(owner);
}

}  // namespace switchboard::core
