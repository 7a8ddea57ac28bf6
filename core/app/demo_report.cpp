#include "core/app/demo_report.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

namespace switchboard::core {
namespace {

using nlohmann::json;

constexpr int kBarWidth = 30;
constexpr std::size_t kMaxResultLines = 30;

std::string format(const char* fmt, auto... args) {
  char buffer[512];
  std::snprintf(buffer, sizeof(buffer), fmt, args...);
  return buffer;
}

std::string clip(const std::string& text, std::size_t width) {
  if (text.size() <= width) return text;
  return text.substr(0, width - 3) + "...";
}

}  // namespace

DemoReport::DemoReport(std::ostream& out, Engine& engine, AgentService& agents, TaskService& tasks)
    : out_(out), engine_(engine), agents_(agents), tasks_(tasks) {}

void DemoReport::learnNames() {
  std::lock_guard<std::mutex> lock(mu_);
  Result<AgentPage> agents = agents_.list(AgentFilter{}, "", 500);
  if (agents.ok()) {
    for (const AgentRecord& a : agents->agents) agent_names_[a.id] = a.name;
  }
  Result<TaskPage> tasks = tasks_.list(TaskFilter{}, "", 500);
  if (tasks.ok()) {
    for (const TaskRecord& t : tasks->tasks) task_titles_[t.id] = t.title;
  }
  started_ = std::chrono::steady_clock::now();
}

std::string DemoReport::agentName(const std::string& id) const {
  auto it = agent_names_.find(id);
  return it == agent_names_.end() ? id : it->second;
}

std::string DemoReport::stepLabel(const StepSnapshot& step) const {
  auto it = task_titles_.find(step.task_id);
  return it == task_titles_.end() ? step.key : it->second;
}

void DemoReport::onEvents(const std::string& execution_id, const std::vector<Event>& events) {
  const std::string topic = "execution/" + execution_id;
  std::lock_guard<std::mutex> lock(mu_);
  for (const Event& event : events) {
    if (event.topic != topic) continue;
    json data = json::parse(event.data_json, nullptr, false);
    if (data.is_discarded() || !data.is_object()) continue;
    double offset =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    std::string status = data.value("status", std::string());
    if (event.type == "execution.status") {
      out_ << format("  +%6.2fs  execution %s", offset, status.c_str());
      std::string error = data.value("error", std::string());
      if (!error.empty()) out_ << ": " << error;
      out_ << "\n";
      continue;
    }
    if (event.type.rfind("step.", 0) != 0) continue;
    std::string key = data.value("key", std::string());
    Result<ExecutionSnapshot> snap = engine_.get(execution_id, true);
    if (!snap.ok()) continue;
    auto step = std::find_if(snap->steps.begin(), snap->steps.end(),
                             [&](const StepSnapshot& s) { return s.key == key; });
    if (step == snap->steps.end()) continue;
    std::string verb = status == "running"             ? "start"
                       : status == "succeeded"         ? "done"
                       : event.type == "step.retrying" ? "retry"
                                                       : status;
    std::string line =
        format("  +%6.2fs  %-9s %-26s %-13s", offset, verb.c_str(),
               clip(stepLabel(*step), 26).c_str(), agentName(step->agent_id).c_str());
    if (status == "succeeded" && step->ended_at_ms >= step->started_at_ms) {
      line += format(" %5lld ms  %5lld tokens  $%.4f",
                     static_cast<long long>(step->ended_at_ms - step->started_at_ms),
                     static_cast<long long>(step->usage.input_tokens + step->usage.output_tokens),
                     step->usage.cost_usd);
    } else if (!step->error.empty() && status != "running") {
      line += " " + step->error;
    }
    out_ << line << "\n";
  }
  out_.flush();
}

Result<ExecutionStatus> DemoReport::printSummary(const std::string& execution_id) {
  Result<ExecutionSnapshot> snap = engine_.get(execution_id, true);
  if (!snap.ok()) return snap.status();
  std::lock_guard<std::mutex> lock(mu_);
  const ExecutionSnapshot& e = *snap;
  out_ << "\nResult\n";
  double seconds = e.ended_at_ms > e.started_at_ms
                       ? static_cast<double>(e.ended_at_ms - e.started_at_ms) / 1000.0
                       : 0.0;
  out_ << format("  execution %s (%s) %s in %.2f s: %lld steps, %lld succeeded, %lld failed\n",
                 e.id.c_str(), e.pattern.c_str(),
                 std::string(executionStatusName(e.status)).c_str(), seconds,
                 static_cast<long long>(e.counts.total), static_cast<long long>(e.counts.succeeded),
                 static_cast<long long>(e.counts.failed + e.counts.timed_out));
  if (!e.error.empty()) out_ << "  reason: " << e.error << "\n";
  if (!e.result_json.empty()) {
    json result = json::parse(e.result_json, nullptr, false);
    std::istringstream lines(result.is_discarded() ? e.result_json : result.dump(2));
    std::string line;
    std::size_t count = 0;
    while (std::getline(lines, line)) {
      if (++count > kMaxResultLines) {
        out_ << "  ... (execution_get shows the whole result)\n";
        break;
      }
      out_ << "  " << line << "\n";
    }
  }
  printTimeline(e);
  printAgents();
  out_ << format("\nTotal: %lld input + %lld output tokens, $%.4f\n",
                 static_cast<long long>(e.usage.input_tokens),
                 static_cast<long long>(e.usage.output_tokens), e.usage.cost_usd);
  out_.flush();
  return e.status;
}

void DemoReport::printTimeline(const ExecutionSnapshot& e) {
  std::vector<const StepSnapshot*> steps;
  for (const StepSnapshot& s : e.steps) {
    if (s.started_at_ms > 0) steps.push_back(&s);
  }
  std::sort(steps.begin(), steps.end(), [](const StepSnapshot* a, const StepSnapshot* b) {
    return a->started_at_ms < b->started_at_ms;
  });
  std::int64_t origin = e.started_at_ms > 0 ? e.started_at_ms : e.created_at_ms;
  std::int64_t span = 1;
  for (const StepSnapshot* s : steps) span = std::max(span, s->ended_at_ms - origin);
  out_ << "\nTimeline (ms from the execution's start)\n";
  out_ << format("  %-3s %-26s %-13s %6s %6s %6s  %-*s  %s\n", "#", "step", "agent", "start", "end",
                 "dur", kBarWidth + 2, "", "overlapped with");
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const StepSnapshot& s = *steps[i];
    std::int64_t start = s.started_at_ms - origin;
    std::int64_t end = (s.ended_at_ms > 0 ? s.ended_at_ms : s.started_at_ms) - origin;
    std::string bar(kBarWidth, '.');
    int from = static_cast<int>(start * kBarWidth / span);
    int to = std::max(from + 1, static_cast<int>(end * kBarWidth / span));
    for (int c = from; c < to && c < kBarWidth; ++c) bar[c] = '#';
    std::string overlaps;
    for (std::size_t j = 0; j < steps.size(); ++j) {
      const StepSnapshot& o = *steps[j];
      if (j == i || o.ended_at_ms <= 0 || s.ended_at_ms <= 0) continue;
      if (o.started_at_ms < s.ended_at_ms && s.started_at_ms < o.ended_at_ms) {
        overlaps += (overlaps.empty() ? "#" : ", #") + std::to_string(j + 1);
      }
    }
    out_ << format("  %-3zu %-26s %-13s %6lld %6lld %6lld  |%s|  %s\n", i + 1,
                   clip(stepLabel(s), 26).c_str(), clip(agentName(s.agent_id), 13).c_str(),
                   static_cast<long long>(start), static_cast<long long>(end),
                   static_cast<long long>(end - start), bar.c_str(),
                   overlaps.empty() ? "-" : overlaps.c_str());
  }
  // Peak parallelism: sweep the start (+1) and end (-1) points; ends sort before starts.
  std::vector<std::pair<std::int64_t, int>> points;
  for (const StepSnapshot* s : steps) {
    if (s->ended_at_ms <= 0) continue;
    points.emplace_back(s->started_at_ms, 1);
    points.emplace_back(s->ended_at_ms, -1);
  }
  std::sort(points.begin(), points.end());
  int running = 0;
  int peak = 0;
  for (const auto& [at, delta] : points) {
    running += delta;
    peak = std::max(peak, running);
  }
  out_ << format("  peak parallelism: %d step(s) at once (max_concurrency %d)\n", peak,
                 e.options.max_concurrency);
}

void DemoReport::printAgents() {
  out_ << "\nAgents\n";
  out_ << format("  %-13s %-11s %8s %4s %6s %8s %8s %9s\n", "agent", "role", "requests", "ok",
                 "failed", "in tok", "out tok", "cost");
  AgentCounters total;
  Result<AgentPage> page = agents_.list(AgentFilter{}, "", 500);
  if (!page.ok()) {
    out_ << "  (agents unavailable: " << page.status().message() << ")\n";
    return;
  }
  for (const AgentRecord& a : page->agents) {
    const AgentCounters& c = a.counters;
    out_ << format("  %-13s %-11s %8lld %4lld %6lld %8lld %8lld  $%.4f\n", clip(a.name, 13).c_str(),
                   clip(a.role, 11).c_str(), static_cast<long long>(c.requests),
                   static_cast<long long>(c.successes), static_cast<long long>(c.failures),
                   static_cast<long long>(c.input_tokens), static_cast<long long>(c.output_tokens),
                   c.cost_usd);
    total.requests += c.requests;
    total.successes += c.successes;
    total.failures += c.failures;
    total.input_tokens += c.input_tokens;
    total.output_tokens += c.output_tokens;
    total.cost_usd += c.cost_usd;
  }
  out_ << format("  %-13s %-11s %8lld %4lld %6lld %8lld %8lld  $%.4f\n", "all", "",
                 static_cast<long long>(total.requests), static_cast<long long>(total.successes),
                 static_cast<long long>(total.failures), static_cast<long long>(total.input_tokens),
                 static_cast<long long>(total.output_tokens), total.cost_usd);
}

}  // namespace switchboard::core
