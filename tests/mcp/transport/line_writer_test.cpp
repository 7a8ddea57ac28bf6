// LineWriter through a real pipe: immediate writes, batches between hold() and release(),
// the early flush of a large batch, and a closed reader.
#include "mcp/transport/line_writer.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

namespace switchboard::mcp::transport {
namespace {

using nlohmann::json;

class Pipe {
 public:
  Pipe() {
    EXPECT_EQ(pipe(fds_), 0);
    fcntl(fds_[0], F_SETFL, O_NONBLOCK);
  }
  ~Pipe() {
    for (int fd : fds_) {
      if (fd >= 0) close(fd);
    }
  }
  int writeEnd() const { return fds_[1]; }
  void closeReadEnd() {
    close(fds_[0]);
    fds_[0] = -1;
  }
  // Everything readable now, without waiting.
  std::string drain() {
    std::string out;
    char chunk[65536];
    for (;;) {
      ssize_t n = ::read(fds_[0], chunk, sizeof chunk);
      if (n <= 0) return out;
      out.append(chunk, static_cast<std::size_t>(n));
    }
  }
  bool readable(int timeout_ms = 0) {
    pollfd fd{fds_[0], POLLIN, 0};
    return poll(&fd, 1, timeout_ms) > 0;
  }

 private:
  int fds_[2] = {-1, -1};
};

TEST(LineWriter, WritesEachLineAtOnceWhenNotHeld) {
  Pipe pipe;
  LineWriter writer(pipe.writeEnd());
  ASSERT_TRUE(writer.write(json{{"n", 1}}));
  EXPECT_EQ(pipe.drain(), "{\"n\":1}\n");
}

TEST(LineWriter, HoldGathersLinesFromEveryThreadUntilRelease) {
  Pipe pipe;
  LineWriter writer(pipe.writeEnd());
  writer.hold();
  ASSERT_TRUE(writer.write(json{{"n", 1}}));
  std::thread other([&] { EXPECT_TRUE(writer.write(json{{"n", 2}})); });
  other.join();
  ASSERT_TRUE(writer.write(json{{"n", 3}}));
  EXPECT_FALSE(pipe.readable()) << "a held line reached the pipe before release()";
  writer.release();
  EXPECT_EQ(pipe.drain(), "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");
  // After release, lines go out at once again.
  ASSERT_TRUE(writer.write(json{{"n", 4}}));
  EXPECT_EQ(pipe.drain(), "{\"n\":4}\n");
}

TEST(LineWriter, ALargeBatchIsWrittenBeforeRelease) {
  Pipe pipe;
  LineWriter writer(pipe.writeEnd());
  std::string received;
  std::atomic<bool> done{false};
  std::thread reader([&] {
    while (!done.load() || pipe.readable()) {
      if (pipe.readable(10)) received += pipe.drain();
    }
  });
  writer.hold();
  const std::string text(1000, 'x');
  std::size_t written = 0;
  while (written <= LineWriter::kFlushBytes) {
    ASSERT_TRUE(writer.write(json(text)));
    written += text.size() + 3;  // quotes and newline
  }
  // Nothing released yet, but the batch passed kFlushBytes and went out.
  for (int i = 0; i < 200 && received.size() < LineWriter::kFlushBytes; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_GE(received.size(), LineWriter::kFlushBytes);
  writer.release();
  done.store(true);
  reader.join();
  received += pipe.drain();
  EXPECT_EQ(received.size(), written);
}

TEST(LineWriter, AClosedReaderClosesTheWriter) {
  signal(SIGPIPE, SIG_IGN);
  Pipe pipe;
  LineWriter writer(pipe.writeEnd());
  pipe.closeReadEnd();
  EXPECT_FALSE(writer.write(json{{"n", 1}}));
  EXPECT_TRUE(writer.closed());
  writer.hold();
  EXPECT_FALSE(writer.write(json{{"n", 2}}));
  writer.release();
}

}  // namespace
}  // namespace switchboard::mcp::transport
