// 50 MCP clients at once over Streamable HTTP against `serve --http 127.0.0.1:0` on
// sqlite: each initializes, creates an agent and three tasks, and runs two executions with
// wait. Afterwards nothing is lost (every agent, task and execution is listed), nothing
// is duplicated (each step ran once) and every execution ended in a terminal status.
#include <gtest/gtest.h>
#include <stdio.h>
#include <sys/wait.h>

#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/core/surface/gateway_harness.hpp"
#include "tests/core/surface/serve_process.hpp"

namespace switchboard::core::testing {
namespace {

constexpr int kClients = 50;

TEST(HttpConcurrencyTest, FiftyClientsLoseAndDuplicateNothing) {
  TempDir dir;
  ServerProcess server(dir.path());
  ASSERT_GT(server.port(), 0) << server.log();

  std::atomic<int> failures{0};
  std::mutex mu;
  std::vector<std::string> problems;
  std::set<std::string> executions;
  auto fail = [&](const std::string& what) {
    ++failures;
    std::lock_guard<std::mutex> lock(mu);
    if (problems.size() < 10) problems.push_back(what);
  };
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      McpHttpClient client(server.port());
      if (!client.initialize())
        return fail("initialize " + std::to_string(c) + ": " + client.lastError());
      std::string name = "agent-" + std::to_string(c);
      json agent = client.call(
          "agent_create",
          {{"name", name}, {"type", "scripted"}, {"config", {{"latency_ms", 10 + c % 7}}}});
      if (agent.value("isError", false)) return fail("agent_create " + agent.dump());
      std::vector<std::string> tasks;
      for (int t = 0; t < 3; ++t) {
        json args{{"title", "task " + std::to_string(c) + "." + std::to_string(t)},
                  {"assigned_agent", name}};
        if (t > 0) args["depends_on"] = {tasks[0]};
        json task = client.call("task_create", args);
        if (task.value("isError", false)) return fail("task_create " + task.dump());
        tasks.push_back(task["structuredContent"]["task"]["id"]);
      }
      json runs[2] = {
          client.call("workflow_run", {{"pattern", "dag"}, {"tasks", tasks}, {"wait", true}}),
          client.call("workflow_run", {{"pattern", "sequential"},
                                       {"agents", {name}},
                                       {"objective", "summarise " + name},
                                       {"wait", true}})};
      for (const json& run : runs) {
        if (run.value("isError", false)) return fail("workflow_run " + run.dump());
        const json& e = run["structuredContent"]["execution"];
        if (e["status"] != "completed") return fail("not completed: " + e.dump());
        std::set<std::string> keys;
        for (const json& step : e["steps"]) {
          if (!keys.insert(step["key"].get<std::string>()).second)
            fail("duplicate step " + e.dump());
          if (step["attempts"] != 1) fail("step ran twice: " + step.dump());
        }
        std::lock_guard<std::mutex> lock(mu);
        if (!executions.insert(e["id"].get<std::string>()).second) problems.push_back("same id");
      }
    });
  }
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(failures.load(), 0) << (problems.empty() ? "" : problems.front());
  EXPECT_EQ(executions.size(), static_cast<std::size_t>(2 * kClients));

  // Nothing lost: one more client pages through everything.
  McpHttpClient auditor(server.port());
  ASSERT_TRUE(auditor.initialize());
  auto countAll = [&](const std::string& tool, const std::string& field,
                      std::set<std::string>* ids) {
    std::string cursor;
    std::size_t count = 0;
    do {
      json args{{"limit", 37}};
      if (!cursor.empty()) args["cursor"] = cursor;
      json page = auditor.call(tool, args);
      for (const json& item : page["structuredContent"][field]) {
        ++count;
        if (ids) ids->insert(item["id"].get<std::string>());
        if (field == "executions") {
          EXPECT_EQ(item["status"], "completed") << item.dump();
        }
      }
      cursor = page["structuredContent"].value("next_cursor", "");
    } while (!cursor.empty());
    return count;
  };
  std::set<std::string> listed;
  EXPECT_EQ(countAll("agent_list", "agents", nullptr), static_cast<std::size_t>(kClients));
  EXPECT_EQ(countAll("task_list", "tasks", nullptr), static_cast<std::size_t>(3 * kClients));
  EXPECT_EQ(countAll("execution_list", "executions", &listed),
            static_cast<std::size_t>(2 * kClients));
  EXPECT_EQ(listed, executions);
  EXPECT_EQ(server.stop(), 0) << "SIGTERM must end the server cleanly";
}

TEST(HttpServeTest, RefusesANonLoopbackHostWithoutAToken) {
  std::string command =
      std::string(SWITCHBOARD_BUILD_DIR) + "/switchboard serve --http 0.0.0.0:0 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buffer[256];
  while (fgets(buffer, sizeof(buffer), pipe) != nullptr) out += buffer;
  int status = pclose(pipe);
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_NE(out.find("without a token"), std::string::npos) << out;
}

}  // namespace
}  // namespace switchboard::core::testing
