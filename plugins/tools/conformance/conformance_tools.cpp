// ConformanceTools::callTool: the content, error, progress, logging and catalog-trigger
// fixtures; the ones that ask the client live in conformance_input_tools.cpp.
#include "plugins/tools/conformance/conformance_tools.hpp"

#include <chrono>
#include <thread>

namespace switchboard::plugins {
namespace conformance {

// Built key by key: a braced initializer list copies every nested value once more.
Json text(const std::string& value) {
  Json item = Json::object();
  item["type"] = "text";
  item["text"] = value;
  return item;
}

Json textResult(const std::string& value) {
  Json result = Json::object();
  result["content"] = Json::array();
  result["content"].push_back(text(value));
  return result;
}

namespace {

// Appends `text` as a JSON string. The text is UTF-8 (our literals and strings from parsed
// JSON), so only quotes, backslashes and control characters need escaping.
void appendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  // Runs of characters that need no escape are copied whole.
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto u = static_cast<unsigned char>(text[i]);
    if (u >= 0x20 && u != '"' && u != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    if (u >= 0x20) {
      out.push_back('\\');
      out.push_back(static_cast<char>(u));
    } else {
      out += "\\u00";
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xf]);
    }
  }
  out.append(text.data() + run, text.size() - run);
  out.push_back('"');
}

}  // namespace

std::string textResultJson(const std::string& value) {
  // nlohmann's dump() costs ~5k instructions for this object and ~4k for the string alone,
  // more than the rest of a trivial call in the server.
  constexpr std::string_view kHead = R"({"content":[{"type":"text","text":)";
  std::string out;
  out.reserve(kHead.size() + value.size() + 8);
  out += kHead;
  appendJsonString(out, value);
  out += "}]}";
  return out;
}

}  // namespace conformance

using conformance::Json;
using conformance::text;
using conformance::textResult;
using conformance::textResultJson;

namespace {

void pause(ToolContext& context, int ms) {
  for (int waited = 0; waited < ms && !context.cancelled(); waited += 10) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

Result<std::string> ConformanceTools::callTool(std::string_view name,
                                               std::string_view arguments_json,
                                               ToolContext& context) {
  // Parsed for the tools that read their arguments only.
  auto arguments = [arguments_json] {
    Json args = Json::parse(arguments_json, nullptr, false);
    return args.is_object() ? args : Json::object();
  };
  Json result;
  if (name == "test_simple_text") {
    return textResultJson("This is a simple text response for testing.");
  } else if (name == "test_image_content") {
    result = {{"content",
               {{{"type", "image"}, {"data", conformance::kPng1x1}, {"mimeType", "image/png"}}}}};
  } else if (name == "test_audio_content") {
    result = {
        {"content",
         {{{"type", "audio"}, {"data", conformance::kWavSilent}, {"mimeType", "audio/wav"}}}}};
  } else if (name == "test_embedded_resource") {
    result = {{"content",
               {{{"type", "resource"},
                 {"resource",
                  {{"uri", "test://embedded-resource"},
                   {"mimeType", "text/plain"},
                   {"text", "This is an embedded resource content."}}}}}}};
  } else if (name == "test_multiple_content_types") {
    result = {{"content",
               {text("Multiple content types test:"),
                {{"type", "image"}, {"data", conformance::kPng1x1}, {"mimeType", "image/png"}},
                {{"type", "resource"},
                 {"resource",
                  {{"uri", "test://mixed-content-resource"},
                   {"mimeType", "application/json"},
                   {"text", R"({"test":"data","value":123})"}}}}}}};
  } else if (name == "test_error_handling") {
    result = textResult("This tool intentionally returns an error for testing");
    result["isError"] = true;
  } else if (name == "test_tool_with_progress") {
    for (int step = 0; step <= 2 && !context.cancelled(); ++step) {
      context.progress(step * 50.0, 100.0, "step " + std::to_string(step + 1) + " of 3");
      if (step < 2) pause(context, 50);
    }
    if (context.cancelled()) return Status::cancelled("cancelled by the client");
    return textResultJson("Progress test completed");
  } else if (name == "test_tool_with_logging") {
    for (const char* line :
         {"Tool execution started", "Tool processing data", "Tool execution completed"}) {
      context.log("info", Json(line).dump());
      if (std::string_view(line) != "Tool execution completed") pause(context, 50);
    }
    return textResultJson("Logging test completed");
  } else if (name == "test_logging_tool") {
    context.log("info", Json("test_logging_tool ran").dump());
    return textResultJson("Logged at info level (only if the request asked for logs).");
  } else if (name == "test_trigger_tool_change") {
    bool now = !dynamic_tool_.load();
    dynamic_tool_.store(now);
    context.notifyCatalogChanged();
    return textResultJson(now ? "test_dynamic_tool added" : "test_dynamic_tool removed");
  } else if (name == "test_trigger_prompt_change") {
    bool now = !dynamic_prompt_.load();
    dynamic_prompt_.store(now);
    context.notifyCatalogChanged();
    return textResultJson(now ? "test_dynamic_prompt added" : "test_dynamic_prompt removed");
  } else if (name == "test_dynamic_tool" && dynamic_tool_.load()) {
    return textResultJson("This tool was added at run time.");
  } else if (name == "test_custom_header") {
    Json args = arguments();
    if (!args.contains("region") || !args["region"].is_string()) {
      result = textResult("Missing required argument \"region\" (string).");
      result["isError"] = true;
    } else {
      return textResultJson("Region: " + args["region"].get<std::string>());
    }
  } else if (name == "json_schema_2020_12_tool") {
    return textResultJson("Received contact: " + arguments().dump());
  } else {
    const Json args = arguments();
    const std::string tool(name);
    Result<Json> asked = conformance::callClientTool(tool, args, context);
    if (!asked.ok() && asked.status().code() == StatusCode::kNotFound) {
      asked = conformance::callInputTool(tool, args, context);
    }
    if (!asked.ok() && asked.status().code() == StatusCode::kNotFound) {
      asked = conformance::callTaskTool(tool, args, context);
    }
    if (!asked.ok()) return asked.status();
    result = std::move(asked).value();
  }
  return result.dump();
}

}  // namespace switchboard::plugins
