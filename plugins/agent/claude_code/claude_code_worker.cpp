#include "plugins/agent/claude_code/claude_code_worker.hpp"

#include <algorithm>
#include <exception>

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
  state_->options = std::move(options);
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
}

Result<std::unique_ptr<AgentCall>> ClaudeCodeWorker::call(const AgentRequest& request,
                                                          std::shared_ptr<AgentCallback> callback) {
  try {
    if (!callback) return Status::invalidArgument("call() needs a callback");
    const ClaudeOptions& options = state_->options;
    // Checks the request now (the command line is built again at the start, with the
    // session the agent has then).
    Result<ClaudeInvocation> checked = options.invocation(request, "");
    if (!checked.ok()) return checked.status();

    std::weak_ptr<State> weak_state = state_;
    auto run = std::make_shared<ClaudeRun>(
        request, std::move(callback), checked->timeout_ms, options.kill_grace_ms,
        [weak_state](const ClaudeRun* ended, const std::string& session, bool forget) {
          if (auto state = weak_state.lock()) runEnded(state, ended, session, forget);
        });
    run->armDeadline(state_->timer);

    std::string session;
    {
      std::lock_guard lock(state_->mu);
      if (state_->closed) return Status::unavailable("the agent is shutting down");
      if (state_->current) {
        state_->queue.push_back(run);
        return std::unique_ptr<AgentCall>(std::make_unique<RunCall>(run));
      }
      state_->current = run;
      session = state_->session;
    }
    Status started = run->start(state_->host, options, session, state_->agent_id);
    if (!started.ok()) {
      {
        std::lock_guard lock(state_->mu);
        if (state_->current == run) state_->current = nullptr;
      }
      runEnded(state_, run.get(), "", false);  // starts what queued meanwhile
      return started;
    }
    return std::unique_ptr<AgentCall>(std::make_unique<RunCall>(run));
  } catch (const std::exception& e) {
    return Status::internal(std::string("claude_code: ") + e.what());
  }
}

void ClaudeCodeWorker::runEnded(const std::shared_ptr<State>& state, const ClaudeRun* run,
                                const std::string& session, bool forget) {
  std::shared_ptr<ClaudeRun> next;
  std::string resume;
  {
    std::lock_guard lock(state->mu);
    if (forget) state->session.clear();
    if (!session.empty()) state->session = session;
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
  }
  next->startOrFail(state->host, state->options, resume, state->agent_id);
}

}  // namespace switchboard::plugins
