// SseParser: reads a text/event-stream body incrementally, as bytes arrive, and hands each
// complete event (its `event:` name, "" when none, and its joined `data:` lines) to a sink.
// Lines end with LF, CRLF or CR, also when a line break is split between two feeds; a blank
// line ends an event; `:` lines are comments; `id:` and `retry:` are read and ignored.
//
// Stricter than a browser, because a model API never sends anything else: a line that is not
// one of those fields, or a line or event over the size limit, is InvalidArgument naming it.
// finish() hands over an event the server did not end with a blank line (some local servers
// close the stream right after their last `data:` line).
//
// Thread safety: none; one parser per stream.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "switchboard/status.hpp"

namespace switchboard::plugins {

class SseParser {
 public:
  // The sink returns a non-OK status to stop: feed() returns it.
  using Sink = std::function<Status(std::string_view event, std::string_view data)>;

  static constexpr std::size_t kMaxEventBytes = 8u << 20;

  explicit SseParser(Sink sink) : sink_(std::move(sink)) {}

  // InvalidArgument when the bytes are not an event stream; else the sink's status.
  Status feed(std::string_view bytes);
  // At the end of the body: the last event if it is pending. Same errors as feed().
  Status finish();
  // Events handed to the sink so far.
  std::size_t events() const { return events_; }

 private:
  Status line(std::string_view text);
  Status dispatch();

  Sink sink_;
  std::string partial_;    // a line not yet ended
  bool after_cr_ = false;  // the last byte was CR: a following LF belongs to it
  std::string event_;
  std::string data_;
  bool has_data_ = false;
  std::size_t events_ = 0;
};

}  // namespace switchboard::plugins
