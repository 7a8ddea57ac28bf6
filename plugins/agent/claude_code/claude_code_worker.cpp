#include "plugins/agent/claude_code/claude_code_worker.hpp"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <system_error>

namespace switchboard::plugins {
namespace {

class RunCall final : public AgentCall {
 public:
  explicit RunCall(std::weak_ptr<ClaudeRun> run) : run_(std::move(run)) {}
  void cancel() noexcept override {
    if (auto run = run_.lock()) run->cancel();
  }

 private:
  std::weak_ptr<ClaudeRun> run_;
};

}  // namespace

ClaudeCodeWorker::ClaudeCodeWorker(Host* host, std::string agent_id, ClaudeOptions options,
                                   std::shared_ptr<DeadlineTimer> timer)
    : state_(std::make_shared<State>()) {
  state_->host = host;
  state_->agent_id = std::move(agent_id);
  state_->options = std::make_shared<const ClaudeOptions>(std::move(options));
  state_->timer = std::move(timer);
}

ClaudeCodeWorker::~ClaudeCodeWorker() {
  std::shared_ptr<ClaudeRun> current;
  std::deque<std::shared_ptr<ClaudeRun>> queue;
  {
    std::lock_guard lock(state_->mu);
    state_->closed = true;
    current = std::move(state_->current);
    queue.swap(state_->queue);
  }
  if (current) current->abandon();
  for (const std::shared_ptr<ClaudeRun>& run : queue) run->abandon();
  const std::optional<WorktreeOptions>& worktree = state_->options->worktree;
  std::error_code ec;
  if (worktree && std::filesystem::exists(worktree->path, ec)) {
    state_->host->log(LogLevel::kInfo,
                      "claude_code: agent " + state_->agent_id + " leaves its git worktree " +
                          worktree->path + " (branch " + worktree->branch + " of " +
                          worktree->repository +
                          ") in place with whatever it holds; to remove it: git -C " +
                          worktree->repository + " worktree remove " + worktree->path);
  }
}

bool ClaudeCodeWorker::worktreeReady(const State& state) {
  if (!state.options->worktree || !state.worktree_ready) return false;
  std::error_code ec;
  return std::filesystem::exists(std::filesystem::path(state.options->worktree->path) / ".git", ec);
}

Result<std::unique_ptr<AgentCall>> ClaudeCodeWorker::call(const AgentRequest& request,
                                                          std::shared_ptr<AgentCallback> callback) {
  try {
    if (!callback) return Status::invalidArgument("call() needs a callback");
    const ClaudeOptions& options = *state_->options;
    // Checks the request now (the command line is built again at the start, with the
    // session the agent has then).
    Result<ClaudeInvocation> checked = options.invocation(request, "");
    if (!checked.ok()) return checked.status();

    std::weak_ptr<State> weak_state = state_;
    auto run = std::make_shared<ClaudeRun>(
        request, std::move(callback), checked->timeout_ms, options.kill_grace_ms,
        [weak_state](const ClaudeRun* ended, const RunOutcome& outcome) {
          if (auto state = weak_state.lock()) runEnded(state, ended, outcome);
        });
    run->armDeadline(state_->timer);

    std::string session;
    bool worktree_ready = false;
    {
      std::lock_guard lock(state_->mu);
      if (state_->closed) return Status::unavailable("the agent is shutting down");
      if (state_->current) {
        state_->queue.push_back(run);
        return std::unique_ptr<AgentCall>(std::make_unique<RunCall>(run));
      }
      state_->current = run;
      session = state_->session;
      worktree_ready = worktreeReady(*state_);
    }
    Status started =
        run->start(state_->host, state_->options, session, state_->agent_id, worktree_ready);
    if (!started.ok()) {
      {
        std::lock_guard lock(state_->mu);
        if (state_->current == run) state_->current = nullptr;
      }
      runEnded(state_, run.get(), RunOutcome{});  // starts what queued meanwhile
      return started;
    }
    return std::unique_ptr<AgentCall>(std::make_unique<RunCall>(run));
  } catch (const std::exception& e) {
    return Status::internal(std::string("claude_code: ") + e.what());
  }
}

void ClaudeCodeWorker::runEnded(const std::shared_ptr<State>& state, const ClaudeRun* run,
                                const RunOutcome& outcome) {
  std::shared_ptr<ClaudeRun> next;
  std::string resume;
  bool worktree_ready = false;
  {
    std::lock_guard lock(state->mu);
    if (outcome.forget) state->session.clear();
    if (!outcome.session.empty()) state->session = outcome.session;
    if (outcome.worktree_ready) state->worktree_ready = true;
    if (state->current.get() == run) state->current = nullptr;
    auto queued =
        std::find_if(state->queue.begin(), state->queue.end(),
                     [run](const std::shared_ptr<ClaudeRun>& r) { return r.get() == run; });
    if (queued != state->queue.end()) state->queue.erase(queued);
    if (state->closed || state->current || state->queue.empty()) return;
    next = state->queue.front();
    state->queue.pop_front();
    state->current = next;
    resume = state->session;
    worktree_ready = worktreeReady(*state);
  }
  next->startOrFail(state->host, state->options, resume, state->agent_id, worktree_ready);
}

}  // namespace switchboard::plugins
