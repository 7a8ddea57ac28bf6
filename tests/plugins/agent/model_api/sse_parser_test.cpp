// SseParser: events split anywhere across feeds, every line ending, comments, multi-line
// data, the last event without its blank line, and what is not an event stream.
#include "plugins/support/model_api/sse_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace switchboard::plugins {
namespace {

using Events = std::vector<std::pair<std::string, std::string>>;

struct Collector {
  Events events;
  SseParser parser{[this](std::string_view name, std::string_view data) {
    events.emplace_back(std::string(name), std::string(data));
    return Status();
  }};
};

TEST(SseParser, ReadsEventsFedOneByteAtATimeWithEveryLineEnding) {
  const std::string stream =
      ": keep-alive\r\n"
      "event: message_start\r\ndata: {\"a\":1}\r\n\r\n"
      "id: 7\nretry: 100\ndata:first\ndata: second\n\n"
      "event: ping\rdata: {}\r\r"
      "event: no data\n\n"
      "data: [DONE]";
  for (std::size_t step : {std::size_t{1}, std::size_t{2}, std::size_t{5}, stream.size()}) {
    Collector c;
    for (std::size_t at = 0; at < stream.size(); at += step) {
      ASSERT_TRUE(c.parser.feed(std::string_view(stream).substr(at, step)).ok()) << step;
    }
    EXPECT_EQ(c.events.size(), 3u) << step;  // [DONE] waits for its blank line...
    ASSERT_TRUE(c.parser.finish().ok());
    EXPECT_EQ(
        c.events,
        (Events{
            {"message_start", "{\"a\":1}"}, {"", "first\nsecond"}, {"ping", "{}"}, {"", "[DONE]"}}))
        << step;  // ...or the end of the body
    EXPECT_EQ(c.parser.events(), 4u);
  }
}

TEST(SseParser, WhatIsNotAnEventStreamIsInvalidArgument) {
  Collector c;
  Status st = c.parser.feed("data: ok\n\n<html>Bad Gateway</html>\n");
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("not an event-stream line: \"<html>Bad Gateway</html>\""),
            std::string::npos)
      << st.message();
  EXPECT_EQ(c.events.size(), 1u);

  Collector huge;
  std::string line(SseParser::kMaxEventBytes + 1, 'x');
  EXPECT_EQ(huge.parser.feed("data: " + line).code(), StatusCode::kInvalidArgument);
}

TEST(SseParser, TheSinksErrorStopsTheFeed) {
  int seen = 0;
  SseParser parser([&](std::string_view, std::string_view data) {
    ++seen;
    return data == "bad" ? Status::invalidArgument("bad event") : Status();
  });
  Status st = parser.feed("data: good\n\ndata: bad\n\ndata: never\n\n");
  EXPECT_EQ(st.message(), "bad event");
  EXPECT_EQ(seen, 2);
}

}  // namespace
}  // namespace switchboard::plugins
