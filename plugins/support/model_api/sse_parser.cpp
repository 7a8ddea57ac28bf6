#include "plugins/support/model_api/sse_parser.hpp"

namespace switchboard::plugins {
namespace {

std::string shown(std::string_view text) {
  constexpr std::size_t kMax = 80;
  std::string out(text.substr(0, kMax));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return text.size() > kMax ? out + "..." : out;
}

}  // namespace

Status SseParser::feed(std::string_view bytes) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    char c = bytes[i];
    if (c != '\n' && c != '\r') {
      after_cr_ = false;
      continue;
    }
    if (c == '\n' && after_cr_ && i == start && partial_.empty()) {
      // The LF of a CRLF whose CR ended the previous feed (or line).
      after_cr_ = false;
      start = i + 1;
      continue;
    }
    after_cr_ = c == '\r';
    std::string_view piece = bytes.substr(start, i - start);
    Status st;
    if (partial_.empty()) {
      st = line(piece);
    } else {
      partial_.append(piece);
      std::string whole = std::move(partial_);
      partial_.clear();
      st = line(whole);
    }
    if (!st.ok()) return st;
    start = i + 1;
  }
  if (start < bytes.size()) {
    partial_.append(bytes.substr(start));
    if (partial_.size() > kMaxEventBytes) {
      return Status::invalidArgument("an event-stream line is longer than " +
                                     std::to_string(kMaxEventBytes) + " bytes");
    }
  }
  return {};
}

Status SseParser::finish() {
  if (!partial_.empty()) {
    std::string last = std::move(partial_);
    partial_.clear();
    SB_RETURN_IF_ERROR(line(last));
  }
  return dispatch();
}

Status SseParser::line(std::string_view text) {
  if (text.empty()) return dispatch();
  if (text.front() == ':') return {};  // a comment (often a keep-alive)
  std::size_t colon = text.find(':');
  std::string_view field = text.substr(0, colon);
  std::string_view value =
      colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field == "data") {
    if (has_data_) data_.push_back('\n');
    data_.append(value);
    has_data_ = true;
    if (data_.size() > kMaxEventBytes) {
      return Status::invalidArgument("an event is longer than " + std::to_string(kMaxEventBytes) +
                                     " bytes");
    }
    return {};
  }
  if (field == "event") {
    event_.assign(value);
    return {};
  }
  if (field == "id" || field == "retry") return {};
  return Status::invalidArgument("not an event-stream line: \"" + shown(text) + "\"");
}

Status SseParser::dispatch() {
  if (!has_data_) {
    event_.clear();  // an event without data is no event
    return {};
  }
  std::string event = std::move(event_);
  std::string data = std::move(data_);
  event_.clear();
  data_.clear();
  has_data_ = false;
  ++events_;
  return sink_(event, data);
}

}  // namespace switchboard::plugins
