// The fixtures that need something from the client: 2025-era server->client requests
// (sampling, elicitation) and the 2026-07-28 input_required (MRTR) tools. Both go
// through ToolContext::clientRequest, which the host maps to the client's era.
#include "plugins/tools/conformance/conformance_tools.hpp"

namespace switchboard::plugins::conformance {
namespace {

bool isInputRequired(const Status& status) {
  return status.code() == StatusCode::kUnavailable && status.message() == kInputRequired;
}

Json form(const std::string& message, Json properties, Json required) {
  return {{"message", message},
          {"requestedSchema",
           {{"type", "object"},
            {"properties", std::move(properties)},
            {"required", std::move(required)}}}};
}

Json sampling(const std::string& question, int max_tokens) {
  return {{"messages", {{{"role", "user"}, {"content", {{"type", "text"}, {"text", question}}}}}},
          {"maxTokens", max_tokens}};
}

Result<Json> ask(ToolContext& context, const char* key, const char* method, const Json& params) {
  Result<std::string> answer = context.clientRequest(key, method, params.dump());
  if (!answer.ok()) return answer.status();
  Json value = Json::parse(*answer, nullptr, false);
  if (value.is_discarded()) return Status::internal("the client's answer is not JSON");
  return value;
}

std::string elicitedField(const Json& answer, const char* field) {
  if (!answer.is_object() || answer.value("action", "") != "accept") return "";
  Json content = answer.value("content", Json::object());
  auto it = content.find(field);
  if (it == content.end()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string sampledText(const Json& answer) {
  Json content = answer.is_object() ? answer.value("content", Json::object()) : Json::object();
  if (content.is_array() && !content.empty()) content = content[0];
  return content.is_object() ? content.value("text", "") : "";
}

Json nameForm() {
  return form("What is your name?", {{"name", {{"type", "string"}, {"description", "Your name"}}}},
              {"name"});
}

// Asks every question in `questions` (key, method, params); returns their answers, or
// the input_required Status when any is still missing.
Result<Json> askAll(ToolContext& context,
                    const std::vector<std::tuple<const char*, const char*, Json>>& questions) {
  Json answers = Json::object();
  bool missing = false;
  for (const auto& [key, method, params] : questions) {
    Result<Json> answer = ask(context, key, method, params);
    if (answer.ok()) {
      answers[key] = *answer;
    } else if (isInputRequired(answer.status())) {
      missing = true;
    } else {
      return answer.status();
    }
  }
  if (missing) return Status::unavailable(std::string(kInputRequired));
  return answers;
}

}  // namespace

Result<Json> callClientTool(const std::string& name, const Json& args, ToolContext& context) {
  if (name == "test_sampling") {
    std::string prompt = args.value("prompt", "");
    Result<Json> answer = ask(context, "sampling", "sampling/createMessage", sampling(prompt, 100));
    if (!answer.ok()) return answer.status();
    return textResult("LLM response: " + sampledText(*answer));
  }
  if (name == "test_elicitation") {
    Json params = form(args.value("message", "Please provide your details"),
                       {{"username", {{"type", "string"}, {"description", "Your username"}}},
                        {"email", {{"type", "string"}, {"description", "Your email address"}}}},
                       {"username", "email"});
    Result<Json> answer = ask(context, "user_details", "elicitation/create", params);
    if (!answer.ok()) return answer.status();
    return textResult("User response: " + answer->dump());
  }
  if (name == "test_elicitation_sep1034_defaults") {
    Json params =
        form("Please review and update the form fields with defaults",
             {{"name", {{"type", "string"}, {"description", "User name"}, {"default", "John Doe"}}},
              {"age", {{"type", "integer"}, {"description", "User age"}, {"default", 30}}},
              {"score", {{"type", "number"}, {"description", "User score"}, {"default", 95.5}}},
              {"status",
               {{"type", "string"},
                {"description", "User status"},
                {"enum", {"active", "inactive", "pending"}},
                {"default", "active"}}},
              {"verified",
               {{"type", "boolean"}, {"description", "Verification status"}, {"default", true}}}},
             Json::array());
    Result<Json> answer = ask(context, "defaults", "elicitation/create", params);
    if (!answer.ok()) return answer.status();
    return textResult("Elicitation completed: " + answer->dump());
  }
  if (name == "test_elicitation_sep1330_enums") {
    Json params =
        form("Please select options from the enum fields",
             {{"untitledSingle",
               {{"type", "string"},
                {"description", "Select one option"},
                {"enum", {"option1", "option2", "option3"}}}},
              {"titledSingle",
               {{"type", "string"},
                {"description", "Select one option with titles"},
                {"oneOf",
                 {{{"const", "value1"}, {"title", "First Option"}},
                  {{"const", "value2"}, {"title", "Second Option"}},
                  {{"const", "value3"}, {"title", "Third Option"}}}}}},
              {"legacyEnum",
               {{"type", "string"},
                {"description", "Select one option (legacy)"},
                {"enum", {"opt1", "opt2", "opt3"}},
                {"enumNames", {"Option One", "Option Two", "Option Three"}}}},
              {"untitledMulti",
               {{"type", "array"},
                {"description", "Select multiple options"},
                {"items", {{"type", "string"}, {"enum", {"option1", "option2", "option3"}}}}}},
              {"titledMulti",
               {{"type", "array"},
                {"description", "Select multiple options with titles"},
                {"items",
                 {{"anyOf",
                   {{{"const", "value1"}, {"title", "First Choice"}},
                    {{"const", "value2"}, {"title", "Second Choice"}},
                    {{"const", "value3"}, {"title", "Third Choice"}}}}}}}}},
             Json::array());
    Result<Json> answer = ask(context, "enums", "elicitation/create", params);
    if (!answer.ok()) return answer.status();
    return textResult("Elicitation completed: " + answer->dump());
  }
  if (name == "test_missing_capability") {
    Result<Json> answer =
        ask(context, "sampling", "sampling/createMessage", sampling("Say hello", 50));
    if (!answer.ok()) return answer.status();
    return textResult("Sampling answered: " + sampledText(*answer));
  }
  if (name == "test_streaming_elicitation") {
    Result<Json> answer = ask(context, "user_name", "elicitation/create", nameForm());
    if (!answer.ok()) return answer.status();
    return textResult("Hello, " + elicitedField(*answer, "name") + "!");
  }
  return Status::notFound("not a client tool: " + name);
}

Result<Json> callInputTool(const std::string& name, const Json& /*args*/, ToolContext& context) {
  if (name == "test_input_required_result_elicitation") {
    Result<Json> answer = ask(context, "user_name", "elicitation/create", nameForm());
    if (!answer.ok()) return answer.status();
    if (answer->value("action", "") != "accept") return textResult("No name given.");
    return textResult("Hello, " + elicitedField(*answer, "name") + "!");
  }
  if (name == "test_input_required_result_sampling") {
    Result<Json> answer = ask(context, "capital_question", "sampling/createMessage",
                              sampling("What is the capital of France?", 100));
    if (!answer.ok()) return answer.status();
    return textResult("The client's model answered: " + sampledText(*answer));
  }
  if (name == "test_input_required_result_list_roots") {
    Result<Json> answer = ask(context, "client_roots", "roots/list", Json::object());
    if (!answer.ok()) return answer.status();
    std::string uris;
    for (const auto& root : answer->value("roots", Json::array())) {
      uris += (uris.empty() ? "" : ", ") + root.value("uri", "");
    }
    return textResult("Client roots: " + uris);
  }
  if (name == "test_input_required_result_request_state" ||
      name == "test_input_required_result_tampered_state") {
    Json confirm =
        form("Please confirm", {{"ok", {{"type", "boolean"}, {"description", "Confirm"}}}}, {"ok"});
    Result<Json> answer = ask(context, "confirm", "elicitation/create", confirm);
    if (!answer.ok()) {
      if (isInputRequired(answer.status())) context.setRequestState("state-ok");
      return answer.status();
    }
    if (context.requestState() != "state-ok") {
      context.setRequestState("state-ok");
      return Status::unavailable(std::string(kInputRequired));
    }
    return textResult("Confirmed; request state verified: state-ok");
  }
  if (name == "test_input_required_result_multiple_inputs") {
    Result<Json> answers = askAll(
        context, {{"user_name", "elicitation/create", nameForm()},
                  {"greeting", "sampling/createMessage", sampling("Write a short greeting.", 50)},
                  {"client_roots", "roots/list", Json::object()}});
    if (!answers.ok()) {
      if (isInputRequired(answers.status())) context.setRequestState("multiple-inputs");
      return answers.status();
    }
    return textResult(
        "Hello, " + elicitedField((*answers)["user_name"], "name") +
        "! Greeting: " + sampledText((*answers)["greeting"]) + "; roots: " +
        std::to_string((*answers)["client_roots"].value("roots", Json::array()).size()));
  }
  if (name == "test_input_required_result_multi_round") {
    std::string state = context.requestState();
    if (state.rfind("round-2:", 0) == 0) {
      Json colour = form("What is your favourite colour?",
                         {{"colour", {{"type", "string"}, {"description", "Colour"}}}}, {"colour"});
      Result<Json> answer = ask(context, "step2", "elicitation/create", colour);
      if (!answer.ok()) {
        if (isInputRequired(answer.status())) context.setRequestState(state);
        return answer.status();
      }
      return textResult("Hello, " + state.substr(8) +
                        "! Favourite colour: " + elicitedField(*answer, "colour"));
    }
    Result<Json> answer = ask(context, "step1", "elicitation/create", nameForm());
    if (!answer.ok()) {
      if (isInputRequired(answer.status())) context.setRequestState("round-1");
      return answer.status();
    }
    context.setRequestState("round-2:" + elicitedField(*answer, "name"));
    Json colour = form("What is your favourite colour?",
                       {{"colour", {{"type", "string"}, {"description", "Colour"}}}}, {"colour"});
    Result<Json> next = ask(context, "step2", "elicitation/create", colour);
    if (!next.ok()) return next.status();
    return textResult("Hello, " + elicitedField(*answer, "name") +
                      "! Favourite colour: " + elicitedField(*next, "colour"));
  }
  if (name == "test_input_required_result_capabilities") {
    std::vector<std::tuple<const char*, const char*, Json>> questions;
    if (context.clientSupports("elicitation/create")) {
      questions.emplace_back("user_name", "elicitation/create", nameForm());
    }
    if (context.clientSupports("sampling/createMessage")) {
      questions.emplace_back("greeting", "sampling/createMessage", sampling("Say hello.", 50));
    }
    if (context.clientSupports("roots/list")) {
      questions.emplace_back("client_roots", "roots/list", Json::object());
    }
    if (questions.empty()) return textResult("The client declared no way to give input.");
    Result<Json> answers = askAll(context, questions);
    if (!answers.ok()) return answers.status();
    return textResult("Received input: " + answers->dump());
  }
  return Status::notFound("Unknown tool: " + name);
}

}  // namespace switchboard::plugins::conformance
