// `switchboard demo` in-process: it must complete, print every section from the real
// engine and services, run steps in parallel, and clean up its temporary folder.
#include "core/app/demo_command.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "tests/core/surface/gateway_harness.hpp"

namespace switchboard::core::testing {
namespace {

struct DemoRun {
  int code = -1;
  std::string out;
  std::string err;
};

DemoRun runDemoWith(const DemoOptions& options) {
  Result<Config> config = Config::defaults([](const std::string&) { return std::nullopt; });
  EXPECT_TRUE(config.ok());
  config->plugin_dirs = {std::filesystem::path(SWITCHBOARD_BUILD_DIR) / "plugins"};
  std::ostringstream out;
  std::ostringstream err;
  CommandContext context(*config, GatewayHarness::schemaDir(), out, err);
  DemoRun run;
  run.code = runDemo(context, options);
  run.out = out.str();
  run.err = err.str();
  return run;
}

TEST(DemoCommandTest, CompletesAndPrintsEverySection) {
  DemoRun run = runDemoWith(DemoOptions{});
  ASSERT_EQ(run.code, 0) << run.out << run.err;
  for (const char* section :
       {"\nResult\n", "\nTimeline (ms from the execution's start)\n", "\nAgents\n", "\nTotal: "}) {
    EXPECT_NE(run.out.find(section), std::string::npos) << section << "\n" << run.out;
  }
  // One start and one done line per task, all eight of them.
  for (const char* title :
       {"Plan the report", "Research the market", "Research the technology", "Research the users",
        "Research the competitors", "Draft the report", "Review the draft", "Final report"}) {
    std::regex start(std::string("start +") + title);
    std::regex done(std::string("done +") + title);
    EXPECT_TRUE(std::regex_search(run.out, start)) << title;
    EXPECT_TRUE(std::regex_search(run.out, done)) << title;
  }
  EXPECT_NE(run.out.find("completed in"), std::string::npos);
  EXPECT_NE(run.out.find("8 steps, 8 succeeded, 0 failed"), std::string::npos) << run.out;
  // The four research tasks run three at a time: the cap is reached, never exceeded.
  EXPECT_NE(run.out.find("peak parallelism: 3 step(s) at once (max_concurrency 3)"),
            std::string::npos)
      << run.out;
  // Per-agent counts: eight requests in all, two for the writer.
  std::regex all_row("all +8 +8 +0 ");
  EXPECT_TRUE(std::regex_search(run.out, all_row)) << run.out;
  std::regex writer_row("writer +writer +2 +2 +0 +5200 +3000 +\\$0\\.0606");
  EXPECT_TRUE(std::regex_search(run.out, writer_row)) << run.out;

  std::smatch dir;
  ASSERT_TRUE(std::regex_search(run.out, dir, std::regex("in (\\S+) \\(temporary\\)")));
  EXPECT_FALSE(std::filesystem::exists(dir[1].str())) << "the temporary folder was not removed";
}

TEST(DemoCommandTest, KeepsAGivenDataDirAndRunsOnMemory) {
  TempDir keep;
  DemoOptions options;
  options.data_dir = (keep.path() / "demo").string();
  DemoRun run = runDemoWith(options);
  ASSERT_EQ(run.code, 0) << run.out << run.err;
  EXPECT_TRUE(std::filesystem::exists(keep.path() / "demo" / "switchboard.db"));

  DemoOptions memory;
  memory.storage = "memory";
  memory.max_parallel = 1;
  DemoRun serial = runDemoWith(memory);
  ASSERT_EQ(serial.code, 0) << serial.out << serial.err;
  EXPECT_NE(serial.out.find("peak parallelism: 1 step(s)"), std::string::npos) << serial.out;
}

TEST(DemoCommandTest, MissingPluginsFailWithAReason) {
  Result<Config> config = Config::defaults([](const std::string&) { return std::nullopt; });
  ASSERT_TRUE(config.ok());
  std::ostringstream out;
  std::ostringstream err;
  CommandContext context(*config, GatewayHarness::schemaDir(), out, err);
  EXPECT_EQ(runDemo(context, DemoOptions{}), 2);
  EXPECT_NE(err.str().find("storage backend"), std::string::npos) << err.str();
}

}  // namespace
}  // namespace switchboard::core::testing
