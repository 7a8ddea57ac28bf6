// DeadlineTimer: tasks run once at their deadline, in order; cancel() drops them; the
// destructor drops what is pending and joins, or detaches when a task destroys the timer.
#include "plugins/agent/claude_code/deadline_timer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace switchboard::plugins {
namespace {

using namespace std::chrono_literals;
using Clock = DeadlineTimer::Clock;

TEST(ClaudeDeadlineTimer, RunsTasksInDeadlineOrderAndSkipsCancelledOnes) {
  DeadlineTimer timer;
  std::mutex mu;
  std::vector<int> order;
  std::promise<void> last;
  auto now = Clock::now();
  timer.schedule(now + 120ms, [&] {
    std::lock_guard lock(mu);
    order.push_back(3);
    last.set_value();
  });
  timer.schedule(now + 40ms, [&] {
    std::lock_guard lock(mu);
    order.push_back(1);
  });
  DeadlineTimer::Id dropped = timer.schedule(now + 60ms, [&] {
    std::lock_guard lock(mu);
    order.push_back(2);
  });
  timer.cancel(dropped);
  timer.cancel(12345);  // unknown: a no-op
  ASSERT_EQ(last.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_GE(Clock::now() - now, 120ms);
  std::lock_guard lock(mu);
  EXPECT_EQ(order, (std::vector<int>{1, 3}));
}

TEST(ClaudeDeadlineTimer, DestructorDropsPendingTasks) {
  std::atomic<bool> ran{false};
  {
    DeadlineTimer timer;
    timer.schedule(Clock::now() + 10min, [&] { ran = true; });
  }
  EXPECT_FALSE(ran);
}

TEST(ClaudeDeadlineTimer, ATaskMayDropTheLastReferenceToTheTimer) {
  auto timer = std::make_shared<DeadlineTimer>();
  std::weak_ptr<DeadlineTimer> weak = timer;
  std::promise<void> done;
  std::shared_ptr<DeadlineTimer> held = timer;
  timer->schedule(Clock::now() + 20ms, [&done, &held] {
    held.reset();  // the last reference: ~DeadlineTimer runs on the timer's own thread
    done.set_value();
  });
  timer.reset();
  ASSERT_EQ(done.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_TRUE(weak.expired());
  std::this_thread::sleep_for(20ms);  // the detached thread ends on its own state
}

}  // namespace
}  // namespace switchboard::plugins
