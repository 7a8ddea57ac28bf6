// The Tasks-extension fixtures (2026-07-28, io.modelcontextprotocol/tasks): what the
// suite's tasks-* scenarios call. Each one that may run as a
// task turns its call into one with ToolContext::becomeTask(); when the client cannot take
// a task (it did not declare the extension) the optional ones run synchronously.
#include <chrono>
#include <cmath>
#include <thread>

#include "plugins/tools/conformance/conformance_tools.hpp"

namespace switchboard::plugins::conformance {
namespace {

constexpr double kMaxSeconds = 3600;

bool isInputRequired(const Status& status) {
  return status.code() == StatusCode::kUnavailable && status.message() == kInputRequired;
}

// Sleeps `ms`, waking every 10 ms to see whether the call was cancelled.
bool sleepUnlessCancelled(ToolContext& context, std::int64_t ms) {
  auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (std::chrono::steady_clock::now() < end) {
    if (context.cancelled()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return !context.cancelled();
}

// becomeTask(), where "the client cannot take a task" is not an error (FailedPrecondition:
// run synchronously); anything else is returned.
Status becomeTaskIfPossible(ToolContext& context) {
  Status status = context.becomeTask();
  if (status.code() == StatusCode::kFailedPrecondition) return Status();
  return status;
}

Json toolError(const std::string& message) {
  Json result = textResult(message);
  result["isError"] = true;
  return result;
}

Json confirmForm(const std::string& message) {
  return {{"message", message},
          {"requestedSchema",
           {{"type", "object"},
            {"properties", {{"confirm", {{"type", "boolean"}, {"description", "Confirm"}}}}},
            {"required", {"confirm"}}}}};
}

Json nameForm(const std::string& message) {
  return {{"message", message},
          {"requestedSchema",
           {{"type", "object"},
            {"properties", {{"name", {{"type", "string"}, {"description", "Your name"}}}}},
            {"required", {"name"}}}}};
}

// Asks `key` through the client; the answer, or the input_required Status.
Result<Json> ask(ToolContext& context, const char* key, const Json& form) {
  Result<std::string> answer = context.clientRequest(key, "elicitation/create", form.dump());
  if (!answer.ok()) return answer.status();
  Json value = Json::parse(*answer, nullptr, false);
  if (value.is_discarded()) return Status::internal("the client's answer is not JSON");
  return value;
}

bool accepted(const Json& answer) {
  if (!answer.is_object()) return false;
  auto action = answer.find("action");
  return action != answer.end() && *action == "accept";
}

// content[key] of an accepted elicitation answer, when it is a string ("" otherwise).
std::string textField(const Json& answer, const char* key) {
  if (!accepted(answer) || !answer.contains("content") || !answer["content"].is_object()) return "";
  auto it = answer["content"].find(key);
  return it != answer["content"].end() && it->is_string() ? it->get<std::string>() : "";
}

// content[key] == true in an accepted elicitation answer.
bool flagField(const Json& answer, const char* key) {
  if (!accepted(answer) || !answer.contains("content") || !answer["content"].is_object()) {
    return false;
  }
  auto it = answer["content"].find(key);
  return it != answer["content"].end() && *it == true;
}

Result<Json> slowCompute(const Json& args, ToolContext& context) {
  auto seconds = args.find("seconds");
  if (seconds == args.end() || !seconds->is_number() || !std::isfinite(seconds->get<double>()) ||
      seconds->get<double>() < 0 || seconds->get<double>() > kMaxSeconds) {
    return toolError("slow_compute needs \"seconds\": a number from 0 to 3600");
  }
  std::string label =
      args.contains("label") && args["label"].is_string() ? args["label"].get<std::string>() : "";
  double wait = seconds->get<double>();
  std::string what = "slow_compute" + (label.empty() ? "" : " (" + label + ")");
  if (wait <= 0) return textResult(what + " finished at once");
  SB_RETURN_IF_ERROR(becomeTaskIfPossible(context));
  if (!sleepUnlessCancelled(context, static_cast<std::int64_t>(wait * 1000))) {
    return Status::cancelled(what + " was cancelled before it finished");
  }
  return textResult(what + " finished after " + seconds->dump() + " s");
}

}  // namespace

Result<Json> callTaskTool(const std::string& name, const Json& args, ToolContext& context) {
  if (name == "greet") {
    auto who = args.find("name");
    if (who == args.end() || !who->is_string()) return toolError("greet needs \"name\" (string)");
    return textResult("Hello, " + who->get<std::string>() + "!");
  }
  if (name == "slow_compute") return slowCompute(args, context);
  if (name == "failing_job") {
    SB_RETURN_IF_ERROR(context.becomeTask());
    if (!sleepUnlessCancelled(context, 1000)) return Status::cancelled("failing_job was cancelled");
    return toolError(
        "failing_job failed, as it always does: this is a tool error (isError), "
        "not a protocol error");
  }
  if (name == "protocol_error_job") {
    SB_RETURN_IF_ERROR(becomeTaskIfPossible(context));
    if (!sleepUnlessCancelled(context, 200))
      return Status::cancelled("protocol_error_job was cancelled");
    return Status::internal(
        "protocol_error_job: the job hit a protocol-level failure, as it "
        "always does");
  }
  if (name == "confirm_delete") {
    std::string file = args.contains("filename") && args["filename"].is_string()
                           ? args["filename"].get<std::string>()
                           : "";
    if (file.empty()) return toolError("confirm_delete needs \"filename\" (string)");
    SB_RETURN_IF_ERROR(becomeTaskIfPossible(context));
    Result<Json> answer = ask(context, "confirm", confirmForm("Delete " + file + "?"));
    if (!answer.ok()) return answer.status();
    if (!flagField(*answer, "confirm")) {
      return textResult("Kept " + file + ": the deletion was not confirmed.");
    }
    return textResult("Confirmed the deletion of " + file +
                      " (a test fixture: no file was touched).");
  }
  if (name == "multi_input") {
    SB_RETURN_IF_ERROR(becomeTaskIfPossible(context));
    // Both questions are asked in the same round, so both are pending at once.
    Result<Json> who = ask(context, "name", nameForm("What is your name?"));
    Result<Json> confirm = ask(context, "confirm", confirmForm("Go ahead?"));
    for (const Result<Json>* answer : {&who, &confirm}) {
      if (!answer->ok() && !isInputRequired(answer->status())) return answer->status();
    }
    if (!who.ok() || !confirm.ok()) return Status::unavailable(std::string(kInputRequired));
    std::string given = textField(*who, "name");
    bool go = flagField(*confirm, "confirm");
    return textResult("multi_input: name=" + (given.empty() ? "(none)" : given) +
                      ", confirmed=" + (go ? "yes" : "no"));
  }
  if (name == "test_tool_with_task") {
    // The name is gathered with input_required rounds first; then the call becomes a task.
    Result<Json> answer = ask(context, "user_name", nameForm("What is your name?"));
    if (!answer.ok()) return answer.status();
    std::string given = textField(*answer, "name");
    SB_RETURN_IF_ERROR(context.becomeTask());
    if (!sleepUnlessCancelled(context, 200))
      return Status::cancelled("test_tool_with_task was cancelled");
    return textResult("Hello, " + (given.empty() ? std::string("stranger") : given) +
                      "! (answered by a task)");
  }
  return Status::notFound("Unknown tool: " + name);
}

}  // namespace switchboard::plugins::conformance
