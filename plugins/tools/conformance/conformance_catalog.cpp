// The conformance fixtures' catalog: every tool, resource, template and prompt the suite
// looks up by name. test_simple_text comes first: http-header-validation calls the first
// listed tool with no arguments.
#include "plugins/tools/conformance/conformance_tools.hpp"

namespace switchboard::plugins::conformance {
namespace {

Json noArgs() { return {{"type", "object"}, {"properties", Json::object()}}; }

Json tool(const char* name, const char* description, Json input_schema = noArgs()) {
  return {{"name", name}, {"description", description}, {"inputSchema", std::move(input_schema)}};
}

Json stringArg(const char* name, const char* description) {
  return {{"type", "object"},
          {"properties", {{name, {{"type", "string"}, {"description", description}}}}},
          {"required", {name}}};
}

Json schema2020() {
  return Json::parse(R"({
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "$defs": {
      "address": {
        "$anchor": "addressDef",
        "type": "object",
        "properties": {"street": {"type": "string"}, "city": {"type": "string"}}
      }
    },
    "properties": {
      "name": {"type": "string"},
      "address": {"$ref": "#/$defs/address"},
      "contactMethod": {"type": "string", "enum": ["phone", "email"]},
      "phone": {"type": "string"},
      "email": {"type": "string"}
    },
    "allOf": [{"anyOf": [{"required": ["phone"]}, {"required": ["email"]}]}],
    "if": {"properties": {"contactMethod": {"const": "phone"}}, "required": ["contactMethod"]},
    "then": {"required": ["phone"]},
    "else": {"required": ["email"]},
    "additionalProperties": false
  })");
}

// A tool whose calls may (optional) or must (required) run as tasks.
Json taskTool(const char* name, const char* description, const char* task_support,
              Json input_schema = noArgs()) {
  Json out = tool(name, description, std::move(input_schema));
  out["execution"] = {{"taskSupport", task_support}};
  return out;
}

Json prompt(const char* name, const char* description, Json arguments = Json::array()) {
  Json out = {{"name", name}, {"description", description}};
  if (!arguments.empty()) out["arguments"] = std::move(arguments);
  return out;
}

Json argument(const char* name, const char* description) {
  return {{"name", name}, {"description", description}, {"required", true}};
}

}  // namespace

Json catalog(bool dynamic_tool, bool dynamic_prompt) {
  Json tools = Json::array({
      tool("test_simple_text", "Returns a simple text content block."),
      tool("test_image_content", "Returns a 1x1 PNG image content block."),
      tool("test_audio_content", "Returns a short WAV audio content block."),
      tool("test_embedded_resource", "Returns an embedded text resource."),
      tool("test_multiple_content_types", "Returns text, image and resource content blocks."),
      tool("test_error_handling", "Always fails with a tool error (isError: true)."),
      tool("test_tool_with_progress", "Reports progress 0, 50, 100 of 100, then returns."),
      tool("test_tool_with_logging", "Sends three info log messages while it runs."),
      tool("test_sampling", "Asks the client's LLM (sampling/createMessage) and returns its reply.",
           stringArg("prompt", "The prompt to send to the client's LLM")),
      tool("test_elicitation", "Asks the user for a username and email (elicitation/create).",
           stringArg("message", "The message to show the user")),
      tool("test_elicitation_sep1034_defaults",
           "Elicits a form whose fields all carry default values (SEP-1034)."),
      tool("test_elicitation_sep1330_enums", "Elicits a form with every enum style of SEP-1330."),
      tool("json_schema_2020_12_tool",
           "Accepts a contact described by a JSON Schema 2020-12 input schema.", schema2020()),
      tool("test_missing_capability", "Needs the client's sampling capability."),
      tool("test_streaming_elicitation", "Asks the user for a name through elicitation."),
      tool("test_logging_tool", "Logs at info level; logs reach only clients that asked."),
      tool("test_trigger_tool_change", "Adds or removes test_dynamic_tool (tools list_changed)."),
      tool("test_trigger_prompt_change",
           "Adds or removes test_dynamic_prompt (prompts list_changed)."),
      tool("test_input_required_result_elicitation", "Asks for the user's name, then greets."),
      tool("test_input_required_result_sampling", "Asks the client's LLM a question."),
      tool("test_input_required_result_list_roots", "Asks the client for its roots."),
      tool("test_input_required_result_request_state",
           "Asks for a confirmation and carries request state across the retry."),
      tool("test_input_required_result_multiple_inputs",
           "Asks for a name, a greeting and the roots in one round."),
      tool("test_input_required_result_multi_round",
           "Asks for a name, then a favourite colour, in two rounds."),
      tool("test_input_required_result_tampered_state",
           "Carries integrity-protected request state; a tampered state is rejected."),
      tool("test_input_required_result_capabilities",
           "Asks only for input the client declared it can give."),
      tool(
          "test_custom_header", "Echoes a region that is mirrored in the Mcp-Param-Region header.",
          {{"type", "object"},
           {"properties",
            {{"region",
              {{"type", "string"}, {"x-mcp-header", "Region"}, {"description", "A region name"}}}}},
           {"required", {"region"}}}),
      // The Tasks extension (2026-07-28).
      tool("greet", "Says hello to `name`; never runs as a task.",
           stringArg("name", "Who to greet")),
      taskTool("slow_compute",
               "Waits `seconds` (0-3600), then answers; runs as a task when it has to wait "
               "and the client declared the tasks extension.",
               "optional",
               {{"type", "object"},
                {"properties",
                 {{"seconds",
                   {{"type", "number"},
                    {"minimum", 0},
                    {"maximum", 3600},
                    {"description", "How long to work"}}},
                  {"label", {{"type", "string"}, {"description", "A label for the result"}}}}},
                {"required", {"seconds"}}}),
      taskTool("failing_job", "Runs only as a task; ends after about 1 s with a tool error.",
               "required"),
      taskTool("protocol_error_job", "Runs as a task that ends with a JSON-RPC error.", "optional"),
      taskTool("confirm_delete",
               "Asks the client to confirm deleting `filename` (a fixture: nothing is deleted).",
               "optional", stringArg("filename", "The file to delete")),
      taskTool("multi_input", "Asks two questions at once (name and confirm), then answers.",
               "optional"),
      taskTool("test_tool_with_task",
               "Asks for the user's name (input_required), then greets them from a task.",
               "required"),
  });
  if (dynamic_tool) {
    tools.push_back(tool("test_dynamic_tool", "Present only after test_trigger_tool_change."));
  }
  Json prompts = Json::array({
      prompt("test_simple_prompt", "A prompt without arguments."),
      prompt("test_prompt_with_arguments", "A prompt with two required arguments.",
             {argument("arg1", "First argument"), argument("arg2", "Second argument")}),
      prompt("test_prompt_with_embedded_resource", "A prompt that embeds a resource.",
             {argument("resourceUri", "URI of the resource to embed")}),
      prompt("test_prompt_with_image", "A prompt that contains an image."),
      prompt("test_input_required_result_prompt", "Asks the user for context, then renders."),
  });
  if (dynamic_prompt) {
    prompts.push_back(
        prompt("test_dynamic_prompt", "Present only after test_trigger_prompt_change."));
  }
  return {
      {"tools", std::move(tools)},
      {"resources",
       {{{"uri", "test://static-text"},
         {"name", "static-text"},
         {"description", "A static text resource"},
         {"mimeType", "text/plain"}},
        {{"uri", "test://static-binary"},
         {"name", "static-binary"},
         {"description", "A static binary (PNG) resource"},
         {"mimeType", "image/png"}},
        {{"uri", "test://watched-resource"},
         {"name", "watched-resource"},
         {"description", "A resource clients may subscribe to"},
         {"mimeType", "text/plain"}}}},
      {"resourceTemplates",
       {{{"uriTemplate", "test://template/{id}/data"},
         {"name", "template-data"},
         {"description", "Data for an id"},
         {"mimeType", "application/json"}}}},
      {"prompts", std::move(prompts)},
  };
}

}  // namespace switchboard::plugins::conformance
