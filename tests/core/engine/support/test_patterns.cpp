#include "tests/core/engine/support/test_patterns.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace switchboard::testing {
namespace {

struct Params {
  int n = 1;
  std::string agent = "a";
  std::int32_t max_attempts = 0;
  std::int64_t timeout_ms = 0;
};

Result<Params> parse(const ExecutionInput& input) {
  nlohmann::json j = nlohmann::json::parse(input.params_json, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Status::invalidArgument("params must be an object");
  Params p;
  p.n = j.value("n", 1);
  p.agent = j.value("agent", std::string("a"));
  p.max_attempts = j.value("max_attempts", 0);
  p.timeout_ms = j.value("timeout_ms", std::int64_t{0});
  if (p.n < 1) return Status::invalidArgument("n must be >= 1");
  return p;
}

StepSpec spec(const Params& p, std::string key, std::string input) {
  StepSpec s;
  s.key = std::move(key);
  s.agent_id = p.agent;
  s.input_json = std::move(input);
  s.max_attempts = p.max_attempts;
  s.timeout_ms = p.timeout_ms;
  return s;
}

class ChainDecider : public Decider {
 public:
  explicit ChainDecider(Params p) : p_(std::move(p)) {}
  Result<Decision> start() override { return next("null"); }
  Result<Decision> onSettled(const StepOutcome& o) override {
    if (o.status != StepStatus::kSucceeded) {
      Decision d;
      d.kind = Decision::Kind::kFail;
      d.reason = "step " + o.key + " did not succeed: " + o.error;
      return d;
    }
    if (o.key != stepKey('s', i_)) return Status::internal("out-of-order outcome " + o.key);
    ++i_;
    if (i_ == p_.n) {
      Decision d;
      d.kind = Decision::Kind::kComplete;
      d.result_json = "{\"n\":" + std::to_string(p_.n) + ",\"last\":" + o.output_json + "}";
      return d;
    }
    return next(o.output_json);
  }

 private:
  Result<Decision> next(const std::string& prev) {
    Decision d;
    d.steps.push_back(
        spec(p_, stepKey('s', i_), "{\"i\":" + std::to_string(i_) + ",\"prev\":" + prev + "}"));
    return d;
  }
  Params p_;
  int i_ = 0;
};

class FanOutDecider : public Decider {
 public:
  explicit FanOutDecider(Params p) : p_(std::move(p)) {}
  Result<Decision> start() override {
    Decision d;
    d.steps.reserve(p_.n);
    for (int i = 0; i < p_.n; ++i) {
      d.steps.push_back(spec(p_, stepKey('b', i), "{\"i\":" + std::to_string(i) + "}"));
    }
    return d;
  }
  Result<Decision> onSettled(const StepOutcome& o) override {
    (o.status == StepStatus::kSucceeded ? ok_ : failed_)++;
    Decision d;
    if (ok_ + failed_ == p_.n) {
      d.kind = Decision::Kind::kComplete;
      d.result_json =
          "{\"succeeded\":" + std::to_string(ok_) + ",\"failed\":" + std::to_string(failed_) + "}";
    }
    return d;
  }

 private:
  Params p_;
  int ok_ = 0;
  int failed_ = 0;
};

class OneStepDecider : public Decider {
 public:
  OneStepDecider(Params p, bool block) : p_(std::move(p)), block_(block) {}
  Result<Decision> start() override {
    Decision d;
    d.steps.push_back(spec(p_, "only", "{}"));
    return d;
  }
  Result<Decision> onSettled(const StepOutcome&) override {
    Decision d;
    if (block_) {
      d.kind = Decision::Kind::kBlock;
      d.reason = "join needs 2 branches but only 1 can ever arrive";
    }
    return d;
  }

 private:
  Params p_;
  bool block_;
};

}  // namespace

std::string stepKey(char prefix, int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%c%05d", prefix, i);
  return buf;
}

Result<std::unique_ptr<Decider>> ChainPattern::createDecider(const ExecutionInput& input) {
  Result<Params> p = parse(input);
  if (!p.ok()) return p.status();
  return std::unique_ptr<Decider>(new ChainDecider(*p));
}

Result<std::unique_ptr<Decider>> FanOutPattern::createDecider(const ExecutionInput& input) {
  Result<Params> p = parse(input);
  if (!p.ok()) return p.status();
  return std::unique_ptr<Decider>(new FanOutDecider(*p));
}

Result<std::unique_ptr<Decider>> BlockPattern::createDecider(const ExecutionInput& input) {
  Result<Params> p = parse(input);
  if (!p.ok()) return p.status();
  return std::unique_ptr<Decider>(new OneStepDecider(*p, true));
}

Result<std::unique_ptr<Decider>> StallPattern::createDecider(const ExecutionInput& input) {
  Result<Params> p = parse(input);
  if (!p.ok()) return p.status();
  return std::unique_ptr<Decider>(new OneStepDecider(*p, false));
}

Result<std::shared_ptr<WorkflowPattern>> resolveTestPattern(const std::string& name) {
  if (name == "chain") return std::shared_ptr<WorkflowPattern>(std::make_shared<ChainPattern>());
  if (name == "fanout") return std::shared_ptr<WorkflowPattern>(std::make_shared<FanOutPattern>());
  if (name == "block") return std::shared_ptr<WorkflowPattern>(std::make_shared<BlockPattern>());
  if (name == "stall") return std::shared_ptr<WorkflowPattern>(std::make_shared<StallPattern>());
  return Status::notFound("no test pattern " + name);
}

}  // namespace switchboard::testing
