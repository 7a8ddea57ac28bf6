#include "mcp/server/task_state.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace switchboard::mcp::server {

std::string_view taskStatusName(TaskStatus status) {
  switch (status) {
    case TaskStatus::kWorking:
      return "working";
    case TaskStatus::kInputRequired:
      return "input_required";
    case TaskStatus::kCompleted:
      return "completed";
    case TaskStatus::kFailed:
      return "failed";
    case TaskStatus::kCancelled:
      return "cancelled";
  }
  return "failed";
}

bool isTerminal(TaskStatus status) {
  return status == TaskStatus::kCompleted || status == TaskStatus::kFailed ||
         status == TaskStatus::kCancelled;
}

std::string isoTime(std::int64_t unix_ms) {
  std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[96];  // roomy: years are ints as far as the compiler knows
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(((unix_ms % 1000) + 1000) % 1000));
  return buffer;
}

std::int64_t nowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

nlohmann::json TaskState::taskJson() const {
  nlohmann::json out = {{"taskId", task_id},
                        {"status", std::string(taskStatusName(status))},
                        {"createdAt", isoTime(created_at_ms)},
                        {"lastUpdatedAt", isoTime(updated_at_ms)},
                        {"ttlMs", ttl_ms ? nlohmann::json(*ttl_ms) : nlohmann::json()}};
  if (!status_message.empty()) out["statusMessage"] = status_message;
  if (poll_interval_ms > 0) out["pollIntervalMs"] = poll_interval_ms;
  return out;
}

nlohmann::json TaskState::detailedJson() const {
  nlohmann::json out = taskJson();
  switch (status) {
    case TaskStatus::kCompleted:
      out["result"] = result.is_object() ? result : nlohmann::json::object();
      break;
    case TaskStatus::kFailed:
      out["error"] =
          error.is_object() ? error : nlohmann::json{{"code", -32603}, {"message", "failed"}};
      break;
    case TaskStatus::kInputRequired:
      out["inputRequests"] = input_requests.is_object() ? input_requests : nlohmann::json::object();
      break;
    case TaskStatus::kWorking:
    case TaskStatus::kCancelled:
      break;
  }
  return out;
}

}  // namespace switchboard::mcp::server
