// Session: the in-flight requests a notifications/cancelled can reach.
#include "mcp/protocol/session.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace switchboard::mcp::protocol {
namespace {

using Flag = std::shared_ptr<std::atomic<bool>>;

Flag flag() { return std::make_shared<std::atomic<bool>>(false); }

TEST(Session, CancelReachesTheRequestWithThatExactId) {
  Session session("s");
  Flag number = flag(), text = flag(), negative = flag(), large = flag();
  const std::uint64_t kLarge = std::numeric_limits<std::uint64_t>::max();
  session.track(1, number);
  session.track("1", text);
  session.track(-7, negative);
  session.track(kLarge, large);

  EXPECT_TRUE(session.cancel("1"));
  EXPECT_TRUE(text->load());
  EXPECT_FALSE(number->load()) << "ids \"1\" and 1 are different requests";
  EXPECT_TRUE(session.cancel(1));
  EXPECT_TRUE(number->load());
  EXPECT_TRUE(session.cancel(-7));
  EXPECT_TRUE(negative->load());
  EXPECT_TRUE(session.cancel(kLarge));
  EXPECT_TRUE(large->load());
  EXPECT_FALSE(session.cancel(2));
  EXPECT_FALSE(session.cancel(1.0)) << "a float id is not the integer request";

  session.untrack(1);
  EXPECT_FALSE(session.cancel(1)) << "an answered request is no longer in flight";
  EXPECT_TRUE(session.cancel("1"));
}

}  // namespace
}  // namespace switchboard::mcp::protocol
