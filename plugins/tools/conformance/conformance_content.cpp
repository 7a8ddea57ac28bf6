// ConformanceTools: catalog, resources, prompts and completions.
#include "plugins/tools/conformance/conformance_tools.hpp"

namespace switchboard::plugins {

using conformance::Json;

std::string ConformanceTools::catalogJson() const {
  return conformance::catalog(dynamic_tool_.load(), dynamic_prompt_.load()).dump();
}

Result<std::string> ConformanceTools::readResource(std::string_view uri_view) {
  std::string uri(uri_view);
  Json content;
  if (uri == "test://static-text") {
    content = {{"uri", uri},
               {"mimeType", "text/plain"},
               {"text", "This is the content of the static text resource."}};
  } else if (uri == "test://static-binary") {
    content = {{"uri", uri}, {"mimeType", "image/png"}, {"blob", conformance::kPng1x1}};
  } else if (uri == "test://watched-resource") {
    content = {{"uri", uri}, {"mimeType", "text/plain"}, {"text", "Watched resource content."}};
  } else {
    const std::string prefix = "test://template/";
    const std::string suffix = "/data";
    if (uri.size() > prefix.size() + suffix.size() && uri.rfind(prefix, 0) == 0 &&
        uri.compare(uri.size() - suffix.size(), suffix.size(), suffix) == 0) {
      std::string id = uri.substr(prefix.size(), uri.size() - prefix.size() - suffix.size());
      if (id.find('/') == std::string::npos) {
        Json data = {{"id", id}, {"templateTest", true}, {"data", "Data for ID: " + id}};
        content = {{"uri", uri}, {"mimeType", "application/json"}, {"text", data.dump()}};
      }
    }
  }
  if (content.is_null()) return Status::notFound("Resource not found: " + uri);
  return Json{{"contents", {content}}}.dump();
}

Result<std::string> ConformanceTools::getPrompt(std::string_view name_view,
                                                std::string_view arguments_json,
                                                ToolContext& context) {
  std::string name(name_view);
  Json args = Json::parse(arguments_json, nullptr, false);
  if (!args.is_object()) args = Json::object();
  auto arg = [&](const char* key) {
    auto it = args.find(key);
    return it != args.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  auto user = [](Json content) { return Json{{"role", "user"}, {"content", std::move(content)}}; };
  Json messages;
  if (name == "test_simple_prompt") {
    messages = {user(conformance::text("This is a simple prompt for testing."))};
  } else if (name == "test_prompt_with_arguments") {
    if (!args.contains("arg1") || !args.contains("arg2")) {
      return Status::invalidArgument("arg1 and arg2 are required");
    }
    messages = {user(conformance::text("Prompt with arguments: arg1='" + arg("arg1") + "', arg2='" +
                                       arg("arg2") + "'"))};
  } else if (name == "test_prompt_with_embedded_resource") {
    if (!args.contains("resourceUri")) return Status::invalidArgument("resourceUri is required");
    messages = {user({{"type", "resource"},
                      {"resource",
                       {{"uri", arg("resourceUri")},
                        {"mimeType", "text/plain"},
                        {"text", "Embedded resource content for testing."}}}}),
                user(conformance::text("Please process the embedded resource above."))};
  } else if (name == "test_prompt_with_image") {
    messages = {
        user({{"type", "image"}, {"data", conformance::kPng1x1}, {"mimeType", "image/png"}}),
        user(conformance::text("Please analyze the image above."))};
  } else if (name == "test_dynamic_prompt" && dynamic_prompt_.load()) {
    messages = {user(conformance::text("This prompt was added at run time."))};
  } else if (name == "test_input_required_result_prompt") {
    Json ask = {{"message", "Please provide context for this prompt."},
                {"requestedSchema",
                 {{"type", "object"},
                  {"properties", {{"context", {{"type", "string"}, {"description", "Context"}}}}},
                  {"required", {"context"}}}}};
    Result<std::string> answer =
        context.clientRequest("user_context", "elicitation/create", ask.dump());
    if (!answer.ok()) return answer.status();
    Json reply = Json::parse(*answer, nullptr, false);
    std::string given = reply.is_object() && reply.value("action", "") == "accept"
                            ? reply.value("content", Json::object()).value("context", "")
                            : std::string("(none)");
    messages = {user(conformance::text("Prompt rendered with context: " + given))};
  } else {
    return Status::notFound("Unknown prompt: " + name);
  }
  return Json{{"description", "Conformance prompt " + name}, {"messages", std::move(messages)}}
      .dump();
}

Result<std::string> ConformanceTools::complete(std::string_view ref_json,
                                               std::string_view argument_json,
                                               std::string_view /*context_json*/) {
  Json ref = Json::parse(ref_json, nullptr, false);
  Json argument = Json::parse(argument_json, nullptr, false);
  if (!ref.is_object() || !argument.is_object()) {
    return Status::invalidArgument("completion: ref and argument must be objects");
  }
  std::vector<std::string> candidates;
  std::string arg_name = argument.value("name", "");
  if (ref.value("type", "") == "ref/prompt" &&
      ref.value("name", "") == "test_prompt_with_arguments") {
    if (arg_name == "arg1") candidates = {"test", "test1", "test2", "testing", "value1"};
    if (arg_name == "arg2") candidates = {"alpha", "beta", "gamma"};
  } else if (ref.value("type", "") == "ref/resource" && arg_name == "id") {
    candidates = {"123", "456", "789"};
  }
  std::string prefix = argument.value("value", "");
  Json values = Json::array();
  for (const auto& c : candidates) {
    if (c.rfind(prefix, 0) == 0) values.push_back(c);
  }
  return Json{{"completion", {{"values", values}, {"total", values.size()}, {"hasMore", false}}}}
      .dump();
}

}  // namespace switchboard::plugins
