// Server: the feature methods that run handlers (tools/call, resources/read, prompts/get,
// completion/complete) and the shared handler-outcome logic (errors, input_required,
// missing client capabilities). See server.hpp.
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <chrono>
#include <ctime>
#include <optional>
#include <string>

#include "mcp/jsonrpc/codec.hpp"
#include "mcp/protocol/result_shaper.hpp"
#include "mcp/server/server.hpp"

namespace switchboard::mcp::server {
namespace {

const nlohmann::json& emptyObject() {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  return kEmpty;
}

const nlohmann::json* stringField(const nlohmann::json& params, const char* field) {
  if (!params.is_object()) return nullptr;
  auto it = params.find(field);
  if (it == params.end() || !it->is_string()) return nullptr;
  return &*it;
}

// Measures one handler call on this thread for its tool's CallProfile: by the wall clock
// alone, or in full when the profile asks for it. CPU time comes from
// CLOCK_THREAD_CPUTIME_ID, which is exact: getrusage's per-thread times advance in
// scheduler ticks (4 ms here), so a 30 µs call that straddled a tick looked like 4 ms of
// CPU and was taken for a heavy tool. getrusage still gives the voluntary switches.
class CallMeter {
 public:
  explicit CallMeter(CallProfile& profile) : full_(profile.wantsFullMeasure()) {
    if (full_) {
      cpu_ = threadCpu();
      ok_ = getrusage(RUSAGE_THREAD, &usage_) == 0;
    }
    wall_ = std::chrono::steady_clock::now();
  }
  void record(CallProfile& profile, bool used_context) const {
    auto wall = std::chrono::steady_clock::now() - wall_;
    if (!full_) {
      profile.recordWall(wall, used_context);
      return;
    }
    rusage now{};
    if (!ok_ || getrusage(RUSAGE_THREAD, &now) != 0) {
      profile.record(wall, wall, 1, used_context);  // unknown: wall time alone
      return;
    }
    profile.record(wall, threadCpu() - cpu_, now.ru_nvcsw - usage_.ru_nvcsw, used_context);
  }

 private:
  static std::chrono::nanoseconds threadCpu() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return std::chrono::seconds(t.tv_sec) + std::chrono::nanoseconds(t.tv_nsec);
  }

  bool full_;
  std::chrono::steady_clock::time_point wall_;
  std::chrono::nanoseconds cpu_{};
  rusage usage_{};
  bool ok_ = false;
};

// The CallToolResult for a tool handler that threw (what: the exception's message).
nlohmann::json toolFailure(const char* what) {
  nlohmann::json item = nlohmann::json::object();
  item["type"] = "text";
  item["text"] = what != nullptr ? std::string("Tool failed: ") + what : "Tool failed";
  nlohmann::json result = nlohmann::json::object();
  result["content"] = nlohmann::json::array({std::move(item)});
  result["isError"] = true;
  return result;
}

// A CallToolResult with structuredContent and no content gets the data as text content
// too: clients without structured-content support still see it.
Result<nlohmann::json> withTextContent(Result<nlohmann::json> outcome) {
  if (outcome.ok() && outcome->is_object() && outcome->contains("structuredContent") &&
      (!outcome->contains("content") || (*outcome)["content"].empty())) {
    (*outcome)["content"] = {{{"type", "text"}, {"text", (*outcome)["structuredContent"].dump()}}};
  }
  return outcome;
}

template <typename Fn>
Result<nlohmann::json> guarded(const std::string& what, Fn&& fn) {
  try {
    return fn();
  } catch (const std::exception& e) {
    spdlog::error("mcp: {} threw: {}", what, e.what());
    return Status::internal(what + " failed: " + e.what());
  } catch (...) {
    spdlog::error("mcp: {} threw a non-standard exception", what);
    return Status::internal(what + " failed");
  }
}

}  // namespace

std::shared_ptr<RequestContext> Server::makeContext(Call& call) {
  // The params move into the context (read them there from now on); the client context
  // is copied, the Call keeps it for shaping the response.
  auto context =
      std::make_shared<RequestContext>(call.request.id, std::move(call.request.params), call.client,
                                       call.session, call.stream, options_.client_request_timeout);
  call.request.params = nullptr;
  if (call.session) call.session->track(call.request.id, context->cancelFlag());
  context->setInline(call.running_inline);
  return context;
}

std::string Server::stateBinding(const Call& call, std::string_view bound_to) {
  std::string binding = call.request.method;
  binding += '\n';
  binding += bound_to;
  return binding;
}

std::optional<jsonrpc::Error> Server::openRequestState(Call& call, RequestContext& context,
                                                       std::string_view bound_to) {
  if (!call.client.modern()) return std::nullopt;
  const nlohmann::json& params = context.params();
  if (auto responses = params.find("inputResponses");
      responses != params.end() && !responses->is_null() && !responses->is_object()) {
    return jsonrpc::invalidParams("params.inputResponses must be an object");
  }
  auto state = params.find("requestState");
  if (state == params.end() || state->is_null()) return std::nullopt;
  if (!state->is_string()) return jsonrpc::invalidParams("params.requestState must be a string");
  std::optional<std::string> opened =
      sealer_.open(state->get_ref<const std::string&>(), stateBinding(call, bound_to));
  if (!opened) {
    return jsonrpc::invalidParams(
        "params.requestState failed integrity verification; send the request again without "
        "requestState and inputResponses");
  }
  context.setVerifiedState(std::move(*opened));
  return std::nullopt;
}

void Server::finishHandler(Call& call, RequestContext& context, Result<nlohmann::json> outcome,
                           std::string_view bound_to) {
  if (call.session) call.session->untrack(call.request.id);
  if (context.isTask()) {
    // The CreateTaskResult answered the request; the outcome belongs to the task (a
    // backed task's state lives with its tool).
    if (std::shared_ptr<ServerTask> task = context.task()) {
      finishTaskRun(task, context, std::move(outcome));
    }
    return;
  }
  if (context.cancelFlag()->load()) {
    call.stream->abandon();  // cancelled by notifications/cancelled: no response
    return;
  }
  if (!outcome.ok()) {
    const Status status = outcome.status();
    if (status.code() == StatusCode::kUnavailable &&
        status.message() == switchboard::kInputRequired) {
      if (call.client.modern() && (!context.inputRequests().empty() || context.stateOutSet())) {
        nlohmann::json result = {{"resultType", "input_required"}};
        if (!context.inputRequests().empty()) result["inputRequests"] = context.inputRequests();
        if (context.stateOutSet()) {
          result["requestState"] = sealer_.seal(context.stateOut(), stateBinding(call, bound_to));
        }
        respond(call, std::move(result));
        return;
      }
      fail(call, jsonrpc::internalError("the handler asked for client input but no question "
                                        "was recorded"));
      return;
    }
    if (call.client.modern() && !context.missingCapability().is_null() &&
        status.code() == StatusCode::kFailedPrecondition) {
      fail(call, jsonrpc::Error{jsonrpc::kMissingRequiredClientCapability,
                                status.message(),
                                {{"requiredCapabilities", context.missingCapability()}},
                                400});
      return;
    }
    fail(call, jsonrpc::errorFromStatus(status));
    return;
  }
  nlohmann::json result = std::move(outcome).value();
  if (!result.is_object()) {
    fail(call, jsonrpc::internalError("the handler returned a non-object result"));
    return;
  }
  respond(call, std::move(result));
}

void Server::callTool(Call& call) {
  const nlohmann::json& params = call.request.params;
  const nlohmann::json* name = stringField(params, "name");
  if (name == nullptr) {
    fail(call, jsonrpc::invalidParams("tools/call: params.name (string) is required"));
    return;
  }
  auto tool = registry_.tool(name->get_ref<const std::string&>());
  if (!tool) {
    fail(call, jsonrpc::invalidParams("Unknown tool: " + name->get<std::string>()));
    return;
  }
  if (auto args = params.find("arguments");
      args != params.end() && !args->is_null() && !args->is_object()) {
    fail(call, jsonrpc::invalidParams("tools/call: params.arguments must be an object"));
    return;
  }
  if (tool->def.task_support == TaskSupport::kRequired &&
      !call.client.hasExtension(protocol::kTasksExtension)) {
    std::string why = "tool " + tool->def.name +
                      " runs only as a task of the io.modelcontextprotocol/tasks extension";
    if (call.client.modern()) {
      fail(call, jsonrpc::Error{
                     jsonrpc::kMissingRequiredClientCapability,
                     why + "; declare it in _meta clientCapabilities.extensions",
                     {{"requiredCapabilities",
                       {{"extensions", {{protocol::kTasksExtension, nlohmann::json::object()}}}}}},
                     400});
    } else {
      fail(call, jsonrpc::Error{jsonrpc::kInvalidRequest,
                                why + ", which needs protocol version 2026-07-28", nullptr, 200});
    }
    return;
  }
  auto context = makeContext(call);  // takes the params
  const nlohmann::json& moved = context->params();
  auto args = moved.find("arguments");
  const nlohmann::json& arguments =
      (args == moved.end() || args->is_null()) ? emptyObject() : *args;
  if (auto error = openRequestState(call, *context, tool->def.name)) {
    if (call.session) call.session->untrack(call.request.id);
    fail(call, *error);
    return;
  }
  if (tool->def.task_support != TaskSupport::kForbidden) {
    TaskOrigin origin{call.request.id, call.client, call.stream, call.session, tool};
    context->setTaskHook([this, origin = std::move(origin)](
                             RequestContext& ctx, const RequestContext::Persist* persist) {
      return startTask(origin, ctx, persist);
    });
  }
  CallMeter meter(*tool->profile);
  if (tool->text_handler && tool->def.task_support == TaskSupport::kForbidden) {
    // A provider's result text goes out as it is where the era allows (no task can come
    // of this call, so nothing else needs it as JSON).
    Result<std::string> text = invokeToolText(*tool, arguments, *context);
    meter.record(*tool->profile, context->usedContext());
    if (text.ok() && respondToolText(call, *context, *text)) return;
    finishHandler(call, *context, withTextContent(parseCallToolResult(std::move(text))),
                  tool->def.name);
    return;
  }
  Result<nlohmann::json> outcome = invokeTool(*tool, arguments, *context);
  meter.record(*tool->profile, context->usedContext());
  finishHandler(call, *context, std::move(outcome), tool->def.name);
}

Result<std::string> Server::invokeToolText(const Registry::Tool& tool,
                                           const nlohmann::json& arguments,
                                           RequestContext& context) {
  try {
    return tool.text_handler(arguments, context);
  } catch (const std::exception& e) {
    spdlog::warn("mcp: tool {} threw: {}", tool.def.name, e.what());
    return toolFailure(e.what()).dump();
  } catch (...) {
    return toolFailure(nullptr).dump();
  }
}

bool Server::respondToolText(Call& call, RequestContext& context, std::string& text) {
  if (!protocol::ResultShaper::shapeToolResultText(text, call.client, info_text_)) return false;
  // As finishHandler does for a result that is not a task's.
  if (call.session) call.session->untrack(call.request.id);
  if (context.cancelFlag()->load()) {
    call.stream->abandon();
    return true;
  }
  call.stream->finishEncoded(jsonrpc::Codec::encodeResult(call.request.id, text), 200);
  return true;
}

Result<nlohmann::json> Server::invokeTool(const Registry::Tool& tool,
                                          const nlohmann::json& arguments,
                                          RequestContext& context) {
  Result<nlohmann::json> outcome = [&]() -> Result<nlohmann::json> {
    try {
      return tool.handler(arguments, context);
    } catch (const std::exception& e) {
      spdlog::warn("mcp: tool {} threw: {}", tool.def.name, e.what());
      return toolFailure(e.what());
    } catch (...) {
      return toolFailure(nullptr);
    }
  }();
  return withTextContent(std::move(outcome));
}

void Server::readResource(Call& call) {
  const nlohmann::json* uri_field = stringField(call.request.params, "uri");
  if (uri_field == nullptr) {
    fail(call, jsonrpc::invalidParams("resources/read: params.uri (string) is required"));
    return;
  }
  std::string uri = uri_field->get<std::string>();
  auto not_found = [&] {
    jsonrpc::Error error = call.client.modern()
                               ? jsonrpc::invalidParams("Resource not found: " + uri)
                               : jsonrpc::Error{jsonrpc::kResourceNotFound,
                                                "Resource not found: " + uri, nullptr, 200};
    error.data = {{"uri", uri}};
    fail(call, error);
  };
  ResourceHandler handler;
  if (auto resource = registry_.resource(uri)) {
    handler = resource->handler;
  } else if (auto templ = registry_.templateFor(uri)) {
    handler = templ->handler;
  }
  if (!handler) {
    not_found();
    return;
  }
  auto context = makeContext(call);
  if (auto error = openRequestState(call, *context, uri)) {
    if (call.session) call.session->untrack(call.request.id);
    fail(call, *error);
    return;
  }
  Result<nlohmann::json> outcome =
      guarded("resources/read " + uri, [&] { return handler(uri, *context); });
  if (!outcome.ok() && outcome.status().code() == StatusCode::kNotFound) {
    if (call.session) call.session->untrack(call.request.id);
    not_found();
    return;
  }
  finishHandler(call, *context, std::move(outcome), uri);
}

void Server::getPrompt(Call& call) {
  const nlohmann::json& params = call.request.params;
  const nlohmann::json* name = stringField(params, "name");
  if (name == nullptr) {
    fail(call, jsonrpc::invalidParams("prompts/get: params.name (string) is required"));
    return;
  }
  auto prompt = registry_.prompt(name->get_ref<const std::string&>());
  if (!prompt) {
    fail(call, jsonrpc::invalidParams("Unknown prompt: " + name->get<std::string>()));
    return;
  }
  auto args = params.find("arguments");
  if (args != params.end() && !args->is_null() && !args->is_object()) {
    fail(call, jsonrpc::invalidParams("prompts/get: params.arguments must be an object"));
    return;
  }
  for (const auto& declared : prompt->def.arguments) {
    if (declared.value("required", false) &&
        (args == params.end() || args->is_null() ||
         !args->contains(declared.value("name", std::string())))) {
      fail(call, jsonrpc::invalidParams("prompts/get: missing required argument \"" +
                                        declared.value("name", std::string()) + "\""));
      return;
    }
  }
  auto context = makeContext(call);  // takes the params
  const nlohmann::json& moved = context->params();
  auto moved_args = moved.find("arguments");
  const nlohmann::json& arguments =
      (moved_args == moved.end() || moved_args->is_null()) ? emptyObject() : *moved_args;
  if (auto error = openRequestState(call, *context, prompt->def.name)) {
    if (call.session) call.session->untrack(call.request.id);
    fail(call, *error);
    return;
  }
  Result<nlohmann::json> outcome = guarded("prompts/get " + prompt->def.name,
                                           [&] { return prompt->handler(arguments, *context); });
  finishHandler(call, *context, std::move(outcome), prompt->def.name);
}

void Server::complete(Call& call) {
  const nlohmann::json& params = call.request.params;
  if (!params.is_object() || !params.contains("ref") || !params["ref"].is_object() ||
      !params.contains("argument") || !params["argument"].is_object() ||
      !params["argument"].contains("name") || !params["argument"]["name"].is_string()) {
    fail(call,
         jsonrpc::invalidParams(
             "completion/complete: params.ref and params.argument{name, value} are required"));
    return;
  }
  const nlohmann::json& ref = params["ref"];
  std::string type = ref.value("type", "");
  CompletionHandler handler;
  if (type == "ref/prompt") {
    auto prompt = registry_.prompt(ref.value("name", ""));
    if (!prompt) {
      fail(call, jsonrpc::invalidParams("Unknown prompt: " + ref.value("name", "")));
      return;
    }
    handler = prompt->def.complete;
  } else if (type == "ref/resource") {
    std::string uri = ref.value("uri", "");
    auto templ = registry_.templateByUri(uri);
    if (!templ && !registry_.resource(uri)) {
      fail(call, jsonrpc::invalidParams("Unknown resource or template: " + uri));
      return;
    }
    if (templ) handler = templ->def.complete;
  } else {
    fail(call, jsonrpc::invalidParams("completion/complete: ref.type must be ref/prompt or "
                                      "ref/resource"));
    return;
  }
  std::vector<std::string> values;
  if (handler) {
    Result<std::vector<std::string>> made = [&]() -> Result<std::vector<std::string>> {
      try {
        return handler(params["argument"], params.value("context", nlohmann::json::object()));
      } catch (const std::exception& e) {
        return Status::internal(std::string("completion failed: ") + e.what());
      }
    }();
    if (!made.ok()) {
      fail(call, jsonrpc::errorFromStatus(made.status()));
      return;
    }
    values = std::move(made).value();
  }
  nlohmann::json completion = {{"values", nlohmann::json::array()}};
  std::size_t total = values.size();
  for (std::size_t i = 0; i < values.size() && i < 100; ++i)
    completion["values"].push_back(values[i]);
  completion["total"] = total;
  completion["hasMore"] = total > 100;
  nlohmann::json result = nlohmann::json::object();
  result["completion"] = std::move(completion);
  respond(call, std::move(result));
}

}  // namespace switchboard::mcp::server
