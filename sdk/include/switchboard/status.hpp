// Status and Result<T>: how every fallible operation in the SDK, core and mcp reports failure.
//
// A Status is a code plus a human-readable message; the default-constructed Status is OK.
// Result<T> holds either a value or a non-OK Status. Both are [[nodiscard]] values, cheap
// to move, and safe to pass between host and plugin (the host checks that both were built
// with the same toolchain, see version.hpp). Neither type throws; value() on an error
// Result is a programming error and aborts.
#pragma once

#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace switchboard {

enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument = 1,     // the caller's input is wrong; retrying the same input fails again
  kNotFound = 2,            // a named thing does not exist
  kAlreadyExists = 3,       // a thing with that name or id exists already
  kFailedPrecondition = 4,  // the state forbids this now (e.g. an illegal transition)
  kPermissionDenied = 5,
  kResourceExhausted = 6,  // a limit or budget was reached
  kDeadlineExceeded = 7,   // a timeout fired
  kCancelled = 8,          // someone asked to stop
  kUnavailable = 9,        // transient: try again later
  kInternal = 10,          // a bug or an invariant broken somewhere we do not control
  kUnimplemented = 11,     // the operation is not supported by this component
  kAborted = 12,           // a conflict (e.g. concurrent modification)
  kDataLoss = 13,          // stored data is corrupt or unreadable
};

// Stable lower-case name of a code, e.g. "invalid_argument".
constexpr std::string_view statusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid_argument";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kAlreadyExists:
      return "already_exists";
    case StatusCode::kFailedPrecondition:
      return "failed_precondition";
    case StatusCode::kPermissionDenied:
      return "permission_denied";
    case StatusCode::kResourceExhausted:
      return "resource_exhausted";
    case StatusCode::kDeadlineExceeded:
      return "deadline_exceeded";
    case StatusCode::kCancelled:
      return "cancelled";
    case StatusCode::kUnavailable:
      return "unavailable";
    case StatusCode::kInternal:
      return "internal";
    case StatusCode::kUnimplemented:
      return "unimplemented";
    case StatusCode::kAborted:
      return "aborted";
    case StatusCode::kDataLoss:
      return "data_loss";
  }
  return "unknown";
}

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status invalidArgument(std::string m) {
    return {StatusCode::kInvalidArgument, std::move(m)};
  }
  static Status notFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status alreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status failedPrecondition(std::string m) {
    return {StatusCode::kFailedPrecondition, std::move(m)};
  }
  static Status permissionDenied(std::string m) {
    return {StatusCode::kPermissionDenied, std::move(m)};
  }
  static Status resourceExhausted(std::string m) {
    return {StatusCode::kResourceExhausted, std::move(m)};
  }
  static Status deadlineExceeded(std::string m) {
    return {StatusCode::kDeadlineExceeded, std::move(m)};
  }
  static Status cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
  static Status unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
  static Status unimplemented(std::string m) { return {StatusCode::kUnimplemented, std::move(m)}; }
  static Status aborted(std::string m) { return {StatusCode::kAborted, std::move(m)}; }
  static Status dataLoss(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "ok", or "<code name>: <message>".
  std::string toString() const {
    if (ok()) return "ok";
    std::string out(statusCodeName(code_));
    out += ": ";
    out += message_;
    return out;
  }

  // The same code with `context` prepended to the message ("context: message").
  Status withContext(std::string_view context) const {
    if (ok()) return *this;
    return Status(code_, std::string(context) + ": " + message_);
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : data_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (std::get<Status>(data_).ok()) {
      data_ = Status::internal("Result constructed from an OK status without a value");
    }
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  // OK when a value is held.
  Status status() const { return ok() ? Status() : std::get<Status>(data_); }

  T& value() & { return checked(); }
  const T& value() const& { return const_cast<Result*>(this)->checked(); }
  T&& value() && { return std::move(checked()); }
  T* operator->() { return &checked(); }
  const T* operator->() const { return &const_cast<Result*>(this)->checked(); }
  T& operator*() & { return checked(); }

 private:
  T& checked() {
    if (!ok()) std::abort();  // Programming error: value() of an error Result.
    return std::get<T>(data_);
  }
  std::variant<T, Status> data_;
};

}  // namespace switchboard

// Propagates a non-OK Status from an expression returning Status.
#define SB_RETURN_IF_ERROR(expr)                     \
  do {                                               \
    ::switchboard::Status sb_status_tmp_ = (expr);   \
    if (!sb_status_tmp_.ok()) return sb_status_tmp_; \
  } while (false)
