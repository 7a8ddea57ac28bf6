// sdk/examples/hello_agent built out of tree against the installed SDK, then loaded: by
// `switchboard plugins list --json --plugin-dir`, and through PluginRegistry to run an
// agent call and a cancelled one.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>

#include "core/plugin_host/plugin_registry.hpp"
#include "tests/core/app/subprocess.hpp"

namespace switchboard::testing {
namespace {

const std::filesystem::path kWork = std::filesystem::path(::testing::TempDir()) / "sb_sdk_example";
const std::filesystem::path kPrefix = kWork / "prefix";
const std::filesystem::path kBuild = kWork / "build";
const std::filesystem::path kPluginDir = kBuild / "hello_agent";

// Environment for the nested tools: no sanitizer or compiler flags leak into the build.
std::map<std::string, std::string> cleanEnv() {
  return {{"CXXFLAGS", ""},
          {"LDFLAGS", ""},
          {"CMAKE_PREFIX_PATH", ""},
          {"SWITCHBOARD_DATA_DIR", (kWork / "data").string()},
          {"SWITCHBOARD_PLUGIN_DIRS", ""}};
}

// ctest runs every TEST in its own process, possibly in parallel, so everything that needs
// the build is one TEST.
struct Built {
  bool ok = false;
  std::string log;
};

Built buildExample() {
  Built result;
  std::string& log_ = result.log;
  {
    std::filesystem::remove_all(kWork);
    std::filesystem::create_directories(kWork);
    ProcessResult install = runProcess(
        SB_CMAKE_COMMAND,
        {"--install", SWITCHBOARD_BUILD_DIR, "--component", "sdk", "--prefix", kPrefix.string()},
        cleanEnv());
    log_ += "install: " + install.out + install.err;
    if (install.exit_code != 0) return result;
    ProcessResult configure = runProcess(
        SB_CMAKE_COMMAND,
        {"-S", std::string(SWITCHBOARD_SOURCE_DIR) + "/sdk/examples/hello_agent", "-B",
         kBuild.string(), "-DCMAKE_PREFIX_PATH=" + kPrefix.string(), "-DCMAKE_BUILD_TYPE=Release",
         "-DCMAKE_CXX_FLAGS=", "-DCMAKE_MODULE_LINKER_FLAGS="},
        cleanEnv());
    log_ += "configure: " + configure.out + configure.err;
    if (configure.exit_code != 0) return result;
    ProcessResult build =
        runProcess(SB_CMAKE_COMMAND, {"--build", kBuild.string(), "-j2"}, cleanEnv());
    log_ += "build: " + build.out + build.err;
    result.ok = build.exit_code == 0;
  }
  return result;
}

void checkInstalledSdk() {
  EXPECT_TRUE(std::filesystem::exists(kPrefix / "include/switchboard/plugin.hpp"));
  bool found_config = false;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kPrefix)) {
    if (entry.path().filename() == "SwitchboardSDKConfig.cmake") found_config = true;
    EXPECT_FALSE(entry.is_regular_file() && entry.path().filename() == "switchboard")
        << "the binary is not part of the SDK: " << entry.path();
  }
  EXPECT_TRUE(found_config);
}

void checkPluginsList() {
  ProcessResult run =
      runProcess(SWITCHBOARD_BINARY,
                 {"plugins", "list", "--json", "--plugin-dir", kPluginDir.string()}, cleanEnv());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json listed = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_TRUE(listed.is_array()) << run.out;
  const nlohmann::json* hello = nullptr;
  for (const nlohmann::json& row : listed) {
    if (row["name"] == "example.agent.hello") hello = &row;
  }
  ASSERT_NE(hello, nullptr) << run.out;
  EXPECT_EQ((*hello)["status"], "loaded") << (*hello)["error"];
  EXPECT_EQ((*hello)["kind"], "agent");
  EXPECT_EQ((*hello)["version"], "1.0.0");
}

class Waiter final : public AgentCallback {
 public:
  void onProgress(std::string_view) noexcept override {}
  void onUsage(const Usage&) noexcept override {}
  void onDone(AgentReply reply) noexcept override {
    std::lock_guard<std::mutex> lock(mutex_);
    reply_ = std::move(reply);
    done_ = true;
    cv_.notify_all();
  }
  bool wait(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return done_; });
  }
  AgentReply reply_;

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
};

void checkAgents() {
  core::PluginRegistry registry(
      nullptr, kWork,
      std::filesystem::path(SWITCHBOARD_SOURCE_DIR) / "schemas/plugin-manifest.schema.json");
  registry.discover({kPluginDir}, {});
  auto bad = registry.create<AgentType>("example.agent.hello", R"({"greting":"Hi"})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'greting'"), std::string::npos);

  auto type = registry.create<AgentType>("example.agent.hello", R"({"greeting":"Hi"})");
  ASSERT_TRUE(type.ok()) << type.status().toString();
  auto agent = (*type)->createAgent(AgentSpec{});
  ASSERT_TRUE(agent.ok()) << agent.status().toString();
  std::shared_ptr<Agent> held = core::holdWith(*type, std::move(*agent));

  auto waiter = std::make_shared<Waiter>();
  AgentRequest request;
  request.input_json = R"({"prompt":"world"})";
  auto call = held->call(request, waiter);
  ASSERT_TRUE(call.ok());
  ASSERT_TRUE(waiter->wait(std::chrono::seconds(10)));
  EXPECT_TRUE(waiter->reply_.status.ok());
  EXPECT_EQ(waiter->reply_.output_json, R"({"text":"Hi, world!"})");

  AgentSpec slow;
  slow.config_json = R"({"delay_ms":60000})";
  auto slow_agent = (*type)->createAgent(slow);
  ASSERT_TRUE(slow_agent.ok());
  auto cancelled = std::make_shared<Waiter>();
  auto slow_call = (*slow_agent)->call(request, cancelled);
  ASSERT_TRUE(slow_call.ok());
  auto start = std::chrono::steady_clock::now();
  (*slow_call)->cancel();
  ASSERT_TRUE(cancelled->wait(std::chrono::seconds(10)));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(cancelled->reply_.status.code(), StatusCode::kCancelled);

  auto bad_input = held->call(AgentRequest{}, std::make_shared<Waiter>());
  EXPECT_EQ(bad_input.status().code(), StatusCode::kInvalidArgument);
}

TEST(SdkExample, BuiltOutOfTreeAgainstTheInstalledSdkLoadsAndRuns) {
  Built built = buildExample();
  ASSERT_TRUE(built.ok) << built.log;
  {
    SCOPED_TRACE("installed SDK");
    checkInstalledSdk();
  }
  {
    SCOPED_TRACE("plugins list");
    checkPluginsList();
  }
  {
    SCOPED_TRACE("agents");
    checkAgents();
  }
}

}  // namespace
}  // namespace switchboard::testing
