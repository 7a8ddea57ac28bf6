// TaskManager: the server's tasks (2026-07-28 io.modelcontextprotocol/tasks) — the ones it
// keeps in memory (ServerTask) and the ones tools keep themselves (TaskBacking) — found by
// id for tasks/get, tasks/update, tasks/cancel and notifications/tasks.
//
// Ids are 128 random bits from the system CSPRNG (OpenSSL RAND_bytes), in hex: a task id
// is the only thing that grants access to a task, so it must not be guessable. In-memory
// tasks live until createdAt + ttlMs (never shorter); expired ones are dropped (and a
// handler still running sees cancelled()) whenever the manager is used. At most
// `max_tasks` in-memory tasks exist at once; create() refuses more with
// ResourceExhausted. Backed tasks are not held here: an unknown id is looked up in every
// backing that `backings` returns, and the owner is remembered (a bounded cache).
//
// Thread safety: every method is safe from any thread.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "mcp/server/server_task.hpp"
#include "mcp/server/task_backing.hpp"

namespace switchboard::mcp::server {

class TaskManager {
 public:
  struct Options {
    std::size_t max_tasks = 1000;
    std::int64_t ttl_ms = 3600000;
    std::int64_t poll_interval_ms = 500;
  };
  using Backings = std::function<std::vector<std::shared_ptr<TaskBacking>>()>;

  TaskManager(Options options, Backings backings);

  // 32 hex characters from 16 bytes of the CSPRNG.
  static std::string newId();

  // A new in-memory task (status working). ResourceExhausted at the cap.
  Result<std::shared_ptr<ServerTask>> create();
  // Remembers that `backing` owns `task_id`.
  void remember(const std::string& task_id, const std::shared_ptr<TaskBacking>& backing);

  // One task, in memory or backed (exactly one of the two is set).
  struct Found {
    std::shared_ptr<ServerTask> task;
    std::shared_ptr<TaskBacking> backing;
  };
  // NotFound (saying tasks expire) for an id nobody knows; a backing's other errors.
  Result<Found> find(const std::string& task_id);
  // The task's state, wherever it lives.
  Result<TaskState> state(const std::string& task_id);

  // In-memory tasks held now (after dropping expired ones).
  std::size_t size();
  // Cancels every running in-memory task and forgets them all (server shutdown); create()
  // refuses from then on, so no task is made that nothing would cancel.
  void shutdown();

 private:
  void sweepLocked(std::int64_t now_ms, std::vector<std::shared_ptr<ServerTask>>& expired);

  const Options options_;
  const Backings backings_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<ServerTask>> tasks_;
  std::map<std::string, std::weak_ptr<TaskBacking>> owners_;
  std::deque<std::string> owner_order_;  // oldest first, bounds owners_
  bool closed_ = false;                  // set by shutdown()
};

}  // namespace switchboard::mcp::server
