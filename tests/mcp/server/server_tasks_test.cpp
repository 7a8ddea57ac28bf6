// The Tasks extension (2026-07-28 io.modelcontextprotocol/tasks) through Server:
// server-directed creation, tasks/get, tasks/update, tasks/cancel, gating, notifications.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "mcp/protocol/envelope.hpp"
#include "mcp/server/server.hpp"
#include "tests/mcp/server/capture_stream.hpp"
#include "tests/mcp/server/send_request.hpp"

namespace switchboard::mcp {
namespace {

using nlohmann::json;
using server::Call;
using server::RequestContext;
using server::Server;
using server::TaskSupport;
using testing::CaptureStream;

const json kTasks = {{"elicitation", json::object()},
                     {"extensions", {{protocol::kTasksExtension, json::object()}}}};

protocol::ClientContext modern(json caps) {
  protocol::ClientContext client;
  client.era = protocol::Era::kModern;
  client.version = "2026-07-28";
  client.setCapabilities(std::move(caps));
  return client;
}

json text(const std::string& t) { return {{"content", {{{"type", "text"}, {"text", t}}}}}; }

json form(const char* message) {
  return {{"message", message},
          {"requestedSchema", {{"type", "object"}, {"properties", json::object()}}}};
}

// A backing over a map the test controls (what a tool with durable task state looks like).
class MapBacking : public server::TaskBacking {
 public:
  Result<server::TaskState> load(const std::string& id) override {
    std::lock_guard lock(mutex);
    auto it = states.find(id);
    if (it == states.end()) return Status::notFound("no");
    return it->second;
  }
  Status cancel(const std::string& id) override {
    std::lock_guard lock(mutex);
    auto it = states.find(id);
    if (it == states.end()) return Status::notFound("no");
    if (!server::isTerminal(it->second.status)) it->second.status = server::TaskStatus::kCancelled;
    return Status();
  }
  Status update(const std::string& id, const json&) override {
    std::lock_guard lock(mutex);
    return states.count(id) ? Status() : Status::notFound("no");
  }
  std::mutex mutex;
  std::map<std::string, server::TaskState> states;
};

class ServerTasksTest : public ::testing::Test {
 protected:
  ServerTasksTest() { addTools(server_); }

  void addTools(Server& server) {
    server::ToolDef plain;
    plain.name = "plain";
    server.addTool(plain, [](const json&, RequestContext& ctx) -> Result<json> {
      EXPECT_FALSE(ctx.becomeTask().ok());  // forbidden
      return text("plain");
    });
    server::ToolDef slow;
    slow.name = "slow";
    slow.task_support = TaskSupport::kOptional;
    server.addTool(slow, [this](const json& args, RequestContext& ctx) -> Result<json> {
      Status became = ctx.becomeTask();
      if (!became.ok() && became.code() != StatusCode::kFailedPrecondition) return became;
      handler_running_ = true;
      for (int i = 0; i < args.value("ms", 5000) / 5; ++i) {
        if (ctx.cancelled()) {
          saw_cancel_ = true;
          return Status::cancelled("stopped");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      if (args.value("fail", false)) return Status::internal("it broke");
      return text(ctx.isTask() ? "task done" : "sync done");
    });
    server::ToolDef must;
    must.name = "must";
    must.task_support = TaskSupport::kRequired;
    server.addTool(must, [](const json&, RequestContext& ctx) -> Result<json> {
      SB_RETURN_IF_ERROR(ctx.becomeTask());
      return text("must done");
    });
    server::ToolDef asker;
    asker.name = "asker";
    asker.task_support = TaskSupport::kOptional;
    server.addTool(asker, [this](const json&, RequestContext& ctx) -> Result<json> {
      ++asker_runs_;
      SB_RETURN_IF_ERROR(ctx.becomeTask());
      Result<json> a = ctx.ask("a", "elicitation/create", form("a?"));
      Result<json> b = ctx.ask("b", "elicitation/create", form("b?"));
      if (!a.ok() || !b.ok()) {
        ctx.setRequestState("round-" + std::to_string(asker_runs_.load()));
        return Status::unavailable(std::string(kInputRequired));
      }
      return text("a=" + (*a)["content"].dump() + " b=" + (*b)["content"].dump() +
                  " state=" + ctx.requestState());
    });
    server::ToolDef mrtr;
    mrtr.name = "mrtr_then_task";
    mrtr.task_support = TaskSupport::kRequired;
    server.addTool(mrtr, [](const json&, RequestContext& ctx) -> Result<json> {
      Result<json> name = ctx.ask("user_name", "elicitation/create", form("name?"));
      if (!name.ok()) return name.status();
      SB_RETURN_IF_ERROR(ctx.becomeTask());
      return text("hello " + (*name)["content"].value("name", std::string()));
    });
    server::ToolDef backed;
    backed.name = "backed";
    backed.task_support = TaskSupport::kOptional;
    backed.task_backing = backing_;
    server.addTool(backed, [this](const json&, RequestContext& ctx) -> Result<json> {
      Result<std::string> id = ctx.becomeBackedTask([this](const std::string& task_id) {
        server::TaskState s;
        s.task_id = task_id;
        s.created_at_ms = s.updated_at_ms = server::nowUnixMs();
        s.status_message = "stored";
        std::lock_guard lock(backing_->mutex);
        backing_->states[task_id] = s;
        return Status();
      });
      if (!id.ok()) return text("sync: " + id.status().message());
      return text("ignored: the CreateTaskResult answered");
    });
  }

  json call(Server& server, const std::string& method, json params, protocol::ClientContext client,
            std::shared_ptr<CaptureStream>* out = nullptr) {
    auto stream =
        testing::sendRequest(server, next_id_++, method, std::move(params), std::move(client));
    if (out) *out = stream;
    return stream->wait();
  }
  json call(const std::string& method, json params, json caps = kTasks,
            std::shared_ptr<CaptureStream>* out = nullptr) {
    return call(server_, method, std::move(params), modern(std::move(caps)), out);
  }
  json get(const std::string& id) { return call("tasks/get", {{"taskId", id}}); }
  // Polls tasks/get until the task has `status` (or 5 s pass).
  json waitFor(const std::string& id, const std::string& status) {
    json r;
    for (int i = 0; i < 500; ++i) {
      r = get(id);
      if (r["result"]["status"] == status) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return r;
  }

  // Declared before the server, which is destroyed (and its handlers finished) first.
  std::shared_ptr<MapBacking> backing_ = std::make_shared<MapBacking>();
  std::atomic<bool> handler_running_{false};
  std::atomic<bool> saw_cancel_{false};
  std::atomic<int> asker_runs_{0};
  int next_id_ = 1;
  Server server_;
};

TEST_F(ServerTasksTest, DiscoverAdvertisesTheExtensionOnlyOnTheModernEra) {
  json r = call("server/discover", json::object());
  EXPECT_EQ(r["result"]["capabilities"]["extensions"][protocol::kTasksExtension], json::object());
  EXPECT_FALSE(r["result"]["capabilities"].contains("tasks"));
  EXPECT_FALSE(server_.capabilities(protocol::Era::kLegacy).contains("extensions"));
}

TEST_F(ServerTasksTest, WithoutTheExtensionAnOptionalToolRunsSynchronously) {
  json r = call("tools/call", {{"name", "slow"}, {"arguments", {{"ms", 20}}}}, json::object());
  EXPECT_EQ(r["result"]["content"][0]["text"], "sync done");
  EXPECT_FALSE(r["result"].contains("taskId"));
  // A legacy `task` parameter does not promote anything either.
  r = call("tools/call", {{"name", "plain"}, {"task", {{"ttl", 1000}}}});
  EXPECT_EQ(r["result"]["resultType"], "complete");
  EXPECT_FALSE(r["result"].contains("taskId"));
}

TEST_F(ServerTasksTest, CreatesAFlatTaskThatIsReadableAtOnceAndInlinesTheResult) {
  json created = call("tools/call", {{"name", "slow"}, {"arguments", {{"ms", 100}}}});
  json& c = created["result"];
  ASSERT_EQ(c["resultType"], "task") << created.dump();
  ASSERT_TRUE(c["taskId"].is_string());
  EXPECT_EQ(c["status"], "working");
  EXPECT_TRUE(c["ttlMs"].is_number_integer());
  EXPECT_TRUE(c["pollIntervalMs"].is_number_integer());
  for (const char* absent : {"task", "ttl", "pollInterval", "requestState", "result", "error",
                             "inputRequests", "content"}) {
    EXPECT_FALSE(c.contains(absent)) << absent;
  }
  std::string id = c["taskId"];
  json now = get(id);
  EXPECT_EQ(now["result"]["resultType"], "complete");
  EXPECT_EQ(now["result"]["taskId"], id);
  json done = waitFor(id, "completed");
  ASSERT_EQ(done["result"]["status"], "completed") << done.dump();
  EXPECT_EQ(done["result"]["result"]["content"][0]["text"], "task done");
  EXPECT_EQ(done["result"]["result"]["resultType"], "complete");
  EXPECT_FALSE(done["result"]["result"].contains("_meta"));
  EXPECT_FALSE(done["result"].contains("error"));
}

TEST_F(ServerTasksTest, AJsonRpcErrorFailsTheTaskWithTheErrorInline) {
  json created =
      call("tools/call", {{"name", "slow"}, {"arguments", {{"ms", 10}, {"fail", true}}}});
  json done = waitFor(created["result"]["taskId"], "failed");
  ASSERT_EQ(done["result"]["status"], "failed") << done.dump();
  EXPECT_EQ(done["result"]["error"]["code"], -32603);
  EXPECT_EQ(done["result"]["error"]["message"], "it broke");
  EXPECT_FALSE(done["result"].contains("result"));
}

TEST_F(ServerTasksTest, CancelReachesTheRunningHandlerAndIsIdempotent) {
  json created = call("tools/call", {{"name", "slow"}, {"arguments", {{"ms", 20000}}}});
  std::string id = created["result"]["taskId"];
  json ack = call("tasks/cancel", {{"taskId", id}});
  EXPECT_EQ(ack["result"],
            json({{"resultType", "complete"},
                  {"_meta", {{protocol::kMetaServerInfo, server_.info().toJson()}}}}));
  json done = waitFor(id, "cancelled");
  EXPECT_EQ(done["result"]["status"], "cancelled") << done.dump();
  EXPECT_TRUE(saw_cancel_.load());
  ack = call("tasks/cancel", {{"taskId", id}});
  EXPECT_EQ(ack["result"]["resultType"], "complete");
  EXPECT_EQ(get(id)["result"]["status"], "cancelled");
}

TEST_F(ServerTasksTest, InputRequestsParkTheTaskAndTasksUpdateResumesIt) {
  json created = call("tools/call", {{"name", "asker"}});
  std::string id = created["result"]["taskId"];
  json parked = waitFor(id, "input_required");
  ASSERT_EQ(parked["result"]["status"], "input_required") << parked.dump();
  ASSERT_EQ(parked["result"]["inputRequests"].size(), 2u);
  EXPECT_EQ(parked["result"]["inputRequests"]["a"]["method"], "elicitation/create");

  // Bad input: a clear error, the task is unchanged.
  EXPECT_EQ(call("tasks/update", {{"taskId", id}})["error"]["code"], -32602);
  EXPECT_EQ(call("tasks/update", {{"taskId", id}, {"inputResponses", {{"a", 7}}}})["error"]["code"],
            -32602);
  EXPECT_EQ(get(id)["result"]["inputRequests"].size(), 2u);

  json ack =
      call("tasks/update",
           {{"taskId", id},
            {"inputResponses",
             {{"a", {{"action", "accept"}, {"content", {{"v", 1}}}}}, {"unknown", {{"x", 1}}}}}});
  EXPECT_EQ(ack["result"]["resultType"], "complete");
  EXPECT_FALSE(ack["result"].contains("status"));
  json partial = get(id);
  EXPECT_EQ(partial["result"]["status"], "input_required");
  EXPECT_FALSE(partial["result"]["inputRequests"].contains("a"));
  EXPECT_TRUE(partial["result"]["inputRequests"].contains("b"));
  EXPECT_EQ(asker_runs_.load(), 1);

  call("tasks/update",
       {{"taskId", id},
        {"inputResponses", {{"b", {{"action", "accept"}, {"content", {{"v", 2}}}}}}}});
  json done = waitFor(id, "completed");
  ASSERT_EQ(done["result"]["status"], "completed") << done.dump();
  EXPECT_EQ(done["result"]["result"]["content"][0]["text"],
            "a={\"v\":1} b={\"v\":2} state=round-1");
  EXPECT_EQ(asker_runs_.load(), 2);
}

TEST_F(ServerTasksTest, CancellingATaskThatWaitsForInputEndsItAtOnce) {
  json created = call("tools/call", {{"name", "asker"}});
  std::string id = created["result"]["taskId"];
  waitFor(id, "input_required");
  call("tasks/cancel", {{"taskId", id}});
  EXPECT_EQ(get(id)["result"]["status"], "cancelled");
  // Answers after the end are ignored; nothing runs again.
  call("tasks/update", {{"taskId", id}, {"inputResponses", {{"a", {{"action", "cancel"}}}}}});
  EXPECT_EQ(asker_runs_.load(), 1);
}

TEST_F(ServerTasksTest, InputRequiredRoundsHappenBeforeTheTaskIsCreated) {
  json round1 = call("tools/call", {{"name", "mrtr_then_task"}});
  ASSERT_EQ(round1["result"]["resultType"], "input_required") << round1.dump();
  EXPECT_FALSE(round1["result"].contains("taskId"));
  json round2 = call("tools/call",
                     {{"name", "mrtr_then_task"},
                      {"inputResponses",
                       {{"user_name", {{"action", "accept"}, {"content", {{"name", "Alice"}}}}}}}});
  ASSERT_EQ(round2["result"]["resultType"], "task") << round2.dump();
  EXPECT_FALSE(round2["result"].contains("requestState"));
  json done = waitFor(round2["result"]["taskId"], "completed");
  EXPECT_EQ(done["result"]["result"]["content"][0]["text"], "hello Alice");
}

TEST_F(ServerTasksTest, RequiredToolsAndTasksMethodsNeedTheExtension) {
  std::shared_ptr<CaptureStream> stream;
  json r = call("tools/call", {{"name", "must"}}, json::object(), &stream);
  EXPECT_EQ(r["error"]["code"], -32021);
  EXPECT_EQ(r["error"]["data"]["requiredCapabilities"]["extensions"][protocol::kTasksExtension],
            json::object());
  EXPECT_EQ(stream->status(), 400);
  for (const char* method : {"tasks/get", "tasks/update", "tasks/cancel"}) {
    r = call(method, {{"taskId", "gate-test"}, {"inputResponses", json::object()}}, json::object(),
             &stream);
    EXPECT_EQ(r["error"]["code"], -32021) << method;
    EXPECT_EQ(stream->status(), 400);
  }
  // The 2025 era has neither the extension nor these methods.
  auto session = std::make_shared<protocol::Session>("legacy");
  protocol::ClientContext legacy = session->context();
  EXPECT_EQ(call(server_, "tools/call", {{"name", "must"}}, legacy)["error"]["code"], -32600);
  EXPECT_EQ(call(server_, "tasks/get", {{"taskId", "x"}}, legacy)["error"]["code"], -32601);
  json sync = call(server_, "tools/call", {{"name", "slow"}, {"arguments", {{"ms", 10}}}}, legacy);
  EXPECT_EQ(sync["result"]["content"][0]["text"], "sync done");
}

TEST_F(ServerTasksTest, UnknownTasksAndRemovedMethodsAreErrors) {
  EXPECT_EQ(get("tasks-conformance-nonexistent-12345")["error"]["code"], -32602);
  EXPECT_EQ(call("tasks/cancel", {{"taskId", "nope"}})["error"]["code"], -32602);
  EXPECT_EQ(call("tasks/update",
                 {{"taskId", "nope"}, {"inputResponses", json::object()}})["error"]["code"],
            -32602);
  EXPECT_EQ(call("tasks/get", json::object())["error"]["code"], -32602);
  EXPECT_EQ(call("tasks/get", {{"taskId", 42}})["error"]["code"], -32602);
  std::shared_ptr<CaptureStream> stream;
  EXPECT_EQ(call("tasks/result", {{"taskId", "x"}}, kTasks, &stream)["error"]["code"], -32601);
  EXPECT_EQ(stream->status(), 404);
  EXPECT_EQ(call("tasks/list", json::object())["error"]["code"], -32601);
  // The server keeps serving.
  EXPECT_EQ(call("tools/call", {{"name", "plain"}})["result"]["content"][0]["text"], "plain");
}

TEST_F(ServerTasksTest, ListenStreamsGetNotificationsForTheTasksTheyNamed) {
  json created = call("tools/call", {{"name", "asker"}});
  std::string id = created["result"]["taskId"];
  waitFor(id, "input_required");
  auto listen = std::make_shared<CaptureStream>();
  jsonrpc::Message request;
  request.kind = jsonrpc::MessageKind::kRequest;
  request.id = "L1";
  request.method = "subscriptions/listen";
  request.params = {{"notifications", {{"taskIds", {id, "not-a-task"}}}}};
  server_.handleRequest(Call{request, modern(kTasks), nullptr, listen});
  ASSERT_TRUE(listen->waitPushed(1));
  EXPECT_EQ(listen->pushed()[0]["params"]["notifications"]["taskIds"], json::array({id}));

  call("tasks/update", {{"taskId", id},
                        {"inputResponses",
                         {{"a", {{"action", "accept"}, {"content", json::object()}}},
                          {"b", {{"action", "accept"}, {"content", json::object()}}}}}});
  json last = json::object();
  for (int i = 0;
       i < 500 && last.value("params", json::object()).value("status", "") != "completed"; ++i) {
    if (!listen->pushed().empty()) last = listen->pushed().back();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(last["method"], "notifications/tasks");
  EXPECT_EQ(last["params"]["taskId"], id);
  EXPECT_EQ(last["params"]["status"], "completed");
  EXPECT_TRUE(last["params"]["result"].is_object());
  EXPECT_EQ(last["params"]["_meta"][protocol::kMetaSubscriptionId], "L1");

  // Naming tasks without declaring the extension is refused.
  auto refused = std::make_shared<CaptureStream>();
  request.id = "L2";
  server_.handleRequest(Call{request, modern(json::object()), nullptr, refused});
  EXPECT_EQ(refused->wait()["error"]["code"], -32021);
  for (json ids : {json("x"), json::array({1}), json(std::vector<std::string>(257, "t"))}) {
    request.params = {{"notifications", {{"taskIds", ids}}}};
    request.id = "L3";
    auto bad = std::make_shared<CaptureStream>();
    server_.handleRequest(Call{request, modern(kTasks), nullptr, bad});
    EXPECT_EQ(bad->wait()["error"]["code"], -32602) << ids.dump().substr(0, 40);
  }
  server_.shutdown();
}

TEST_F(ServerTasksTest, TheCapOnLiveTasksRefusesNewTasksWithAClearError) {
  server::ServerOptions options;
  options.max_tasks = 1;
  Server small(server::ServerInfo{}, options);
  addTools(small);
  json first =
      call(small, "tools/call", {{"name", "slow"}, {"arguments", {{"ms", 20000}}}}, modern(kTasks));
  ASSERT_EQ(first["result"]["resultType"], "task");
  json second =
      call(small, "tools/call", {{"name", "slow"}, {"arguments", {{"ms", 20000}}}}, modern(kTasks));
  EXPECT_EQ(second["error"]["code"], -32603) << second.dump();
  EXPECT_NE(second["error"]["message"].get<std::string>().find("tasks"), std::string::npos);
  // Shutdown cancels the running task instead of waiting 20 s for it.
  auto start = std::chrono::steady_clock::now();
  small.shutdown();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST_F(ServerTasksTest, BackedTasksAreReadFromTheirBackingAlsoByAnotherServer) {
  json created = call("tools/call", {{"name", "backed"}});
  ASSERT_EQ(created["result"]["resultType"], "task") << created.dump();
  EXPECT_EQ(created["result"]["statusMessage"], "stored");
  std::string id = created["result"]["taskId"];
  EXPECT_EQ(id.size(), 32u);
  // A new server with the same backing (a restart) finds the task by asking its tools.
  Server restarted;
  addTools(restarted);
  json r = call(restarted, "tasks/get", {{"taskId", id}}, modern(kTasks));
  EXPECT_EQ(r["result"]["status"], "working") << r.dump();
  call(restarted, "tasks/cancel", {{"taskId", id}}, modern(kTasks));
  EXPECT_EQ(call(restarted, "tasks/get", {{"taskId", id}}, modern(kTasks))["result"]["status"],
            "cancelled");
  // Without the extension the backed tool answers synchronously.
  r = call("tools/call", {{"name", "backed"}}, json::object());
  EXPECT_EQ(r["result"]["content"][0]["text"].get<std::string>().rfind("sync: ", 0), 0u);
}

}  // namespace
}  // namespace switchboard::mcp
