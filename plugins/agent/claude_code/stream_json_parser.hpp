// StreamJsonParser: reads the stdout of `claude -p --output-format stream-json --verbose`
// one line at a time and keeps what a supervisor needs: the session id, the usage so far,
// a short progress text per event, and the final result line.
//
// Events: system/init carries the session id; "assistant" events carry one content block
// each, several sharing one message.id, so usage is counted once per message id; the last
// line is the "result" object. Unknown keys and event types are ignored; lines that are
// not JSON objects are counted and skipped. Parsing never throws.
//
// Usage: while the run streams, usage() is the sum of the assistant messages' usage (the
// CLI reports output tokens there before they are all generated). Once the result line is
// read it holds the result's figures for this invocation: model_usage_since_last_result
// when present (the per-model totals of this process), else the result's usage object and
// total_cost_usd. modelUsage and total_cost_usd are not per call: after --resume they
// include what the resumed session cost before (seen with 2.1.330).
//
// Control protocol (--input-format stream-json): a "control_request" line from the CLI is
// handed back in Update::control for the run to answer (control_channel.hpp); a
// "control_response" (the CLI's answer to ours) only adds progress when it is an error.
//
// Thread safety: none; one parser per run, fed by one thread at a time.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "switchboard/usage.hpp"

namespace switchboard::plugins {

// The parsed "result" line.
struct ClaudeResult {
  bool is_error = true;
  std::string subtype;              // success, error_max_turns, error_max_budget_usd, ...
  std::optional<std::string> text;  // "result"; absent on the error_* subtypes
  std::vector<std::string> errors;
  std::string terminal_reason;  // completed, max_turns, budget_exhausted, api_error, ...
  std::string session_id;
  std::string api_error;  // e.g. connection_failed
  std::int64_t api_error_status = 0;
  std::int64_t num_turns = 0;
  double total_cost_usd = 0.0;  // as the CLI printed it (session-wide after --resume)
  Usage usage;                  // this invocation (see the header comment)
};

// A request the CLI sent on stdout that the host must answer on stdin.
struct ControlRequest {
  std::string request_id;
  std::string subtype;     // can_use_tool, hook_callback, elicitation, ...
  nlohmann::json request;  // the whole "request" object
};

class StreamJsonParser {
 public:
  struct Update {
    bool usage_changed = false;
    bool result = false;   // this line was the result line
    std::string progress;  // a short human-readable line, or empty
    std::optional<ControlRequest> control;
  };

  Update feed(std::string_view line);

  const std::string& sessionId() const { return session_id_; }
  const std::string& model() const { return model_; }
  const Usage& usage() const { return usage_; }
  const std::optional<ClaudeResult>& result() const { return result_; }
  std::int64_t skippedLines() const { return skipped_; }

 private:
  std::string session_id_;
  std::string model_;
  Usage usage_;
  std::set<std::string> message_ids_;
  std::optional<ClaudeResult> result_;
  std::int64_t skipped_ = 0;
};

}  // namespace switchboard::plugins
