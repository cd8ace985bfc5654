// The chat-completions request (schema + page text with coordinates, constrained by a
// JSON schema) and the strict parsing of the answer: anything that is not exactly the
// shape asked for is rejected, never guessed at.
#include <algorithm>
#include <cmath>

#include "llm/llm.h"

namespace smartocr::llm {
namespace {

using Json = nlohmann::json;

core::Status BadAnswer(const std::string& message) {
  return core::Unavailable("llm_answer", "malformed LLM answer: " + message);
}

const char* kSystemPrompt =
    "You extract fields from the OCR text of a document. Each line is given as "
    "[page x0 y0 x1 y1] text, with coordinates in thousandths of the page width and "
    "height. Copy every value exactly as printed in the text (do not reformat dates or "
    "amounts, do not translate). Use null for a field the document does not contain. "
    "Never invent values.";

int Thousandths(double v, int extent) {
  if (extent <= 0 || !std::isfinite(v)) return 0;
  return static_cast<int>(std::lround(std::clamp(v / extent, 0.0, 1.0) * 1000));
}

Json AnswerSchema(const extract::Schema& schema) {
  Json props = Json::object();
  Json required = Json::array();
  for (const extract::SchemaField& f : schema.fields) {
    std::string description = f.description.empty() ? f.name : f.description;
    description += std::string(" (") + extract::FieldTypeName(f.type) + ")";
    if (!f.values.empty()) {
      description += "; one of:";
      for (const std::string& v : f.values) description += " " + v;
    }
    props[f.name] = {{"type", Json::array({"string", "null"})}, {"description", description}};
    required.push_back(f.name);
  }
  Json fields = {{"type", "object"},
                 {"properties", std::move(props)},
                 {"required", std::move(required)},
                 {"additionalProperties", false}};
  Json top = {{"type", "object"},
              {"properties", {{"fields", std::move(fields)}}},
              {"required", Json::array({"fields"})},
              {"additionalProperties", false}};
  if (schema.line_items) {
    Json str_or_null = {{"type", Json::array({"string", "null"})}};
    Json item = {{"type", "object"},
                 {"properties",
                  {{"description", str_or_null},
                   {"quantity", str_or_null},
                   {"unit_price", str_or_null},
                   {"amount", str_or_null}}},
                 {"required", Json::array({"description", "quantity", "unit_price", "amount"})},
                 {"additionalProperties", false}};
    top["properties"]["line_items"] = {{"type", "array"}, {"items", std::move(item)}};
    top["required"].push_back("line_items");
  }
  return top;
}

}  // namespace

Json BuildRequest(const core::DocumentResult& doc, const extract::Schema& schema,
                  const std::string& model) {
  std::string text;
  for (const core::PageResult& page : doc.pages) {
    for (const core::Block& block : page.blocks) {
      for (const core::Line& line : block.lines) {
        std::string t = line.Text();
        if (t.empty()) continue;
        text += "[" + std::to_string(page.number) + " " +
                std::to_string(Thousandths(line.box.x0, page.width)) + " " +
                std::to_string(Thousandths(line.box.y0, page.height)) + " " +
                std::to_string(Thousandths(line.box.x1, page.width)) + " " +
                std::to_string(Thousandths(line.box.y1, page.height)) + "] " + t + "\n";
      }
    }
  }
  std::string user =
      "Schema:\n" + extract::SchemaToJson(schema).dump() + "\n\nDocument text:\n" + text;
  return {{"model", model},
          {"temperature", 0},
          {"messages", Json::array({{{"role", "system"}, {"content", kSystemPrompt}},
                                    {{"role", "user"}, {"content", user}}})},
          {"response_format",
           {{"type", "json_schema"},
            {"json_schema",
             {{"name", schema.name + "_fields"},
              {"strict", true},
              {"schema", AnswerSchema(schema)}}}}}};
}

core::Result<LlmAnswer> ParseResponse(const std::string& body, const extract::Schema& schema) {
  Json response = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (response.is_discarded() || !response.is_object()) {
    return BadAnswer("the response is not a JSON object");
  }
  auto choices = response.find("choices");
  if (choices == response.end() || !choices->is_array() || choices->empty() ||
      !(*choices)[0].is_object()) {
    return BadAnswer("no choices");
  }
  const Json& choice = (*choices)[0];
  auto finish = choice.find("finish_reason");  // may be absent or null
  if (finish != choice.end() && finish->is_string() && *finish == "length") {
    return BadAnswer("truncated (length)");
  }
  auto message = choice.find("message");
  if (message == choice.end() || !message->is_object()) return BadAnswer("no message");
  if (message->contains("refusal") && (*message)["refusal"].is_string()) {
    return BadAnswer("refused: " + (*message)["refusal"].get<std::string>());
  }
  auto content = message->find("content");
  if (content == message->end() || !content->is_string()) return BadAnswer("no content");
  Json answer = Json::parse(content->get<std::string>(), nullptr, false);
  if (answer.is_discarded() || !answer.is_object()) return BadAnswer("content is not JSON");
  for (auto it = answer.begin(); it != answer.end(); ++it) {
    if (it.key() != "fields" && !(it.key() == "line_items" && schema.line_items)) {
      return BadAnswer("unexpected key '" + it.key() + "'");
    }
  }
  auto fields = answer.find("fields");
  if (fields == answer.end() || !fields->is_object()) return BadAnswer("no fields object");
  LlmAnswer out;
  for (const extract::SchemaField& f : schema.fields) {
    auto v = fields->find(f.name);
    if (v == fields->end()) return BadAnswer("field '" + f.name + "' missing");
    if (v->is_null()) {
      out.fields[f.name] = std::nullopt;
    } else if (v->is_string()) {
      out.fields[f.name] = v->get<std::string>();
    } else {
      return BadAnswer("field '" + f.name + "' is not a string or null");
    }
  }
  if (fields->size() != schema.fields.size()) return BadAnswer("unknown fields");
  if (schema.line_items) {
    auto items = answer.find("line_items");
    if (items == answer.end() || !items->is_array()) return BadAnswer("no line_items array");
    for (const Json& item : *items) {
      if (!item.is_object()) return BadAnswer("a line item is not an object");
      LlmLineItem li;
      for (auto [key, dest] : {std::pair{"description", &li.description},
                               {"quantity", &li.quantity},
                               {"unit_price", &li.unit_price},
                               {"amount", &li.amount}}) {
        auto v = item.find(key);
        if (v == item.end() || !(v->is_string() || v->is_null())) {
          return BadAnswer(std::string("line item '") + key + "' missing or not a string");
        }
        if (v->is_string()) *dest = v->get<std::string>();
      }
      if (item.size() != 4) return BadAnswer("unknown line item keys");
      out.line_items.push_back(std::move(li));
    }
  }
  return out;
}

}  // namespace smartocr::llm
