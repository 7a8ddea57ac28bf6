// Shared fixture for the AgentService tests: a FakeCatalog, a MapStorage and a sink that
// records every event.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/agents/agent_service.hpp"
#include "tests/core/agents/fake_agent_type.hpp"
#include "tests/core/agents/map_storage.hpp"

namespace switchboard::testing {

struct SeenEvent {
  std::string topic;
  std::string type;
  nlohmann::json data;
};

class AgentServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { service_ = makeService(); }

  std::unique_ptr<core::AgentService> makeService(core::AgentServiceOptions options = {}) {
    return std::make_unique<core::AgentService>(
        &catalog_, store_,
        [this](std::string topic, std::string type, nlohmann::json data) {
          std::lock_guard lock(events_mu_);
          events_.push_back({std::move(topic), std::move(type), std::move(data)});
        },
        options);
  }

  core::AgentCreateRequest request(const std::string& name, std::vector<std::string> caps = {},
                                   nlohmann::json config = nlohmann::json::object()) {
    core::AgentCreateRequest r;
    r.name = name;
    r.role = "worker";
    r.type = "fake";
    r.capabilities = std::move(caps);
    r.config = std::move(config);
    return r;
  }

  core::AgentRecord mustCreate(const std::string& name, std::vector<std::string> caps = {},
                               nlohmann::json config = nlohmann::json::object()) {
    Result<core::AgentRecord> r =
        service_->create(request(name, std::move(caps), std::move(config)));
    EXPECT_TRUE(r.ok()) << r.status().toString();
    return r.ok() ? *r : core::AgentRecord{};
  }

  // The stored JSON of an agent, or null when absent.
  nlohmann::json storedAgent(const std::string& id) {
    Result<std::optional<std::string>> got = store_->get("agents", id);
    if (!got.ok() || !got.value().has_value()) return nullptr;
    return nlohmann::json::parse(*got.value());
  }

  std::vector<SeenEvent> events() {
    std::lock_guard lock(events_mu_);
    return events_;
  }
  std::vector<std::string> statusTrail(const std::string& id) {
    std::vector<std::string> out;
    for (const SeenEvent& e : events()) {
      if (e.topic == "agent/" + id && e.type == "agent.status")
        out.push_back(e.data["to"].get<std::string>());
    }
    return out;
  }

  FakeCatalog catalog_;
  std::shared_ptr<MapStorage> store_ = std::make_shared<MapStorage>();
  std::mutex events_mu_;
  std::vector<SeenEvent> events_;
  std::unique_ptr<core::AgentService> service_;
};

}  // namespace switchboard::testing
