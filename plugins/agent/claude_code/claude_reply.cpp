#include "plugins/agent/claude_code/claude_reply.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace switchboard::plugins {
namespace {

using nlohmann::json;

std::string dollars(double usd) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "$%.6g", usd);
  return buffer;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += "; ";
    out += item;
  }
  return out;
}

std::string withStderr(std::string message, const std::string& tail) {
  if (!tail.empty()) message += "; stderr: " + tail;
  return message;
}

Status errorStatus(const ClaudeResult& r, const RunEnd& end, const std::string& tail) {
  std::string detail = joined(r.errors);
  if (detail.empty() && r.text) detail = *r.text;
  if (r.subtype == "error_max_budget_usd" || r.terminal_reason == "budget_exhausted") {
    std::string limit = end.max_budget_usd > 0 ? " of " + dollars(end.max_budget_usd) : "";
    return Status::resourceExhausted("claude reached its budget" + limit + " after spending " +
                                     dollars(r.usage.cost_usd) + " (" +
                                     std::to_string(r.usage.totalTokens()) + " tokens)" +
                                     (detail.empty() ? "" : ": " + detail));
  }
  if (r.subtype == "error_max_turns" || r.terminal_reason == "max_turns") {
    std::int64_t limit =
        end.max_turns > 0 ? end.max_turns : std::max<std::int64_t>(r.num_turns - 1, 0);
    return Status::resourceExhausted("max turns " + std::to_string(limit) + " reached");
  }
  std::string what = "claude failed (" + (r.subtype.empty() ? std::string("error") : r.subtype) +
                     (r.terminal_reason.empty() ? "" : ", " + r.terminal_reason) + ")" +
                     (detail.empty() ? "" : ": " + detail);
  // Only what may pass on its own is Unavailable (the host retries those): rate limits,
  // overloaded or failing servers, no connection. A refused login or a bad request is not.
  const std::string& e = r.api_error;
  bool transient = r.api_error_status == 429 || r.api_error_status >= 500 ||
                   e == "connection_failed" || e.find("overloaded") != std::string::npos ||
                   e.find("rate_limit") != std::string::npos ||
                   e.find("timeout") != std::string::npos;
  if (transient) return Status::unavailable(withStderr(what, tail));
  return Status::internal(withStderr(what, tail));
}

}  // namespace

std::string stderrTail(std::string_view text, std::size_t max) {
  if (text.size() > max) text.remove_prefix(text.size() - max);
  std::string out(text);
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  std::size_t begin = out.find_first_not_of(' ');
  if (begin == std::string::npos) return {};
  std::size_t last = out.find_last_not_of(' ');
  return out.substr(begin, last - begin + 1);
}

AgentReply makeClaudeReply(const StreamJsonParser& parsed, const RunEnd& end) {
  AgentReply reply;
  reply.usage = parsed.usage();
  reply.usage.cpu_ms = end.stats.cpu_ms;
  reply.usage.peak_rss_kb = end.stats.peak_rss_kb;
  reply.session_id = parsed.sessionId();
  const std::string tail = stderrTail(end.stderr_text);
  const std::optional<ClaudeResult>& result = parsed.result();
  const bool succeeded = result && !result->is_error;

  if (end.stopped_by == RunEnd::StoppedBy::kCancel) {
    reply.status = Status::cancelled("claude was cancelled (" + end.exit.describe() + ")");
    return reply;
  }
  if (end.stopped_by == RunEnd::StoppedBy::kTimeout && !succeeded) {
    reply.status =
        Status::deadlineExceeded("claude did not finish within " + std::to_string(end.timeout_ms) +
                                 " ms and was stopped (" + end.exit.describe() + ")");
    return reply;
  }
  if (!result) {
    if (tail.find("No conversation found") != std::string::npos) {
      reply.status = Status::notFound(withStderr("claude has no such session to resume", tail));
      return reply;
    }
    reply.status = Status::unavailable(
        withStderr("claude " + end.exit.describe() + " without a result line", tail));
    return reply;
  }
  if (result->is_error) {
    reply.status = errorStatus(*result, end, tail);
    return reply;
  }
  json output = {{"text", result->text.value_or("")},
                 {"session_id", parsed.sessionId()},
                 {"num_turns", result->num_turns},
                 {"terminal_reason", result->terminal_reason}};
  if (end.tool_decisions.is_array()) {
    output["tool_decisions"] = end.tool_decisions;
    const auto kept = static_cast<std::int64_t>(end.tool_decisions.size());
    if (end.tool_decisions_seen > kept)
      output["tool_decisions_dropped"] = end.tool_decisions_seen - kept;
  }
  if (!end.worktree.empty()) output["worktree"] = end.worktree;
  reply.output_json = output.dump();
  return reply;
}

}  // namespace switchboard::plugins
