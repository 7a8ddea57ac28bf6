// Shared fixture for the TaskService tests: a MapStorage and a sink recording events.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/tasks/task_service.hpp"
#include "tests/core/agents/map_storage.hpp"

namespace switchboard::testing {

class TaskServiceTest : public ::testing::Test {
 protected:
  struct Seen {
    std::string topic;
    std::string type;
    nlohmann::json data;
  };

  void SetUp() override { service_ = makeService(); }

  std::unique_ptr<core::TaskService> makeService(core::TaskServiceOptions options = {}) {
    return std::make_unique<core::TaskService>(
        store_,
        [this](std::string topic, std::string type, nlohmann::json data) {
          std::lock_guard lock(mu_);
          events_.push_back({std::move(topic), std::move(type), std::move(data)});
        },
        std::move(options));
  }

  std::string mustCreate(const std::string& title, std::vector<std::string> deps = {},
                         core::TaskPriority priority = core::TaskPriority::kNormal,
                         std::string parent = "") {
    core::TaskCreateRequest r;
    r.title = title;
    r.depends_on = std::move(deps);
    r.priority = priority;
    r.parent_id = std::move(parent);
    Result<core::TaskRecord> t = service_->create(r, "test");
    EXPECT_TRUE(t.ok()) << t.status().toString();
    return t.ok() ? t->id : std::string();
  }

  core::TaskStatus statusOf(const std::string& id) { return service_->get(id).value().status; }

  nlohmann::json stored(const std::string& id) {
    Result<std::optional<std::string>> got = store_->get("tasks", id);
    if (!got.ok() || !got.value().has_value()) return nullptr;
    return nlohmann::json::parse(*got.value());
  }

  std::vector<Seen> events() {
    std::lock_guard lock(mu_);
    return events_;
  }

  std::shared_ptr<MapStorage> store_ = std::make_shared<MapStorage>();
  std::mutex mu_;
  std::vector<Seen> events_;
  std::unique_ptr<core::TaskService> service_;
};

}  // namespace switchboard::testing
