#include "mcp/server/registry.hpp"

#include <algorithm>
#include <mutex>

namespace switchboard::mcp::server {
namespace {

std::string toolKey(const Registry::Tool& t) { return t.def.name; }
std::string resourceKey(const Registry::Resource& r) { return r.def.uri; }
std::string templateKey(const Registry::Template& t) { return t.def.uri_template; }
std::string promptKey(const Registry::Prompt& p) { return p.def.name; }

std::string encodeCursor(std::size_t offset) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string plain = "o:" + std::to_string(offset);
  std::string out;
  for (unsigned char c : plain) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xF]);
  }
  return out;
}

std::optional<std::size_t> decodeCursor(const std::string& cursor) {
  if (cursor.empty() || cursor.size() % 2 != 0 || cursor.size() > 64) return std::nullopt;
  std::string plain;
  for (std::size_t i = 0; i < cursor.size(); i += 2) {
    auto nibble = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    int hi = nibble(cursor[i]);
    int lo = nibble(cursor[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    plain.push_back(static_cast<char>(hi * 16 + lo));
  }
  if (plain.size() < 3 || plain.compare(0, 2, "o:") != 0) return std::nullopt;
  std::size_t value = 0;
  for (std::size_t i = 2; i < plain.size(); ++i) {
    if (plain[i] < '0' || plain[i] > '9') return std::nullopt;
    value = value * 10 + static_cast<std::size_t>(plain[i] - '0');
  }
  return value;
}

template <typename T>
Registry::Page pageOf(const std::vector<std::shared_ptr<const T>>& items, std::size_t offset,
                      std::size_t page_size) {
  Registry::Page page;
  std::size_t end = std::min(items.size(), offset + page_size);
  for (std::size_t i = offset; i < end; ++i) page.items.push_back(items[i]->def.toJson());
  if (end < items.size()) page.next_cursor = encodeCursor(end);
  return page;
}

}  // namespace

template <typename T>
std::shared_ptr<const T> Registry::Table<T>::find(const std::string& key) const {
  auto it = by_key.find(key);
  return it == by_key.end() ? nullptr : it->second;
}

template <typename T>
bool Registry::Table<T>::put(const std::string& key, std::shared_ptr<const T> item,
                             const std::function<std::string(const T&)>& key_of) {
  if (by_key.insert_or_assign(key, item).second) {  // a new key: listed last
    items.push_back(std::move(item));
    return true;
  }
  for (auto& existing : items) {
    if (key_of(*existing) == key) {
      existing = std::move(item);
      break;
    }
  }
  return true;
}

template <typename T>
bool Registry::Table<T>::erase(const std::string& key,
                               const std::function<std::string(const T&)>& key_of) {
  if (by_key.erase(key) == 0) return false;
  for (auto it = items.begin(); it != items.end(); ++it) {
    if (key_of(**it) == key) {
      items.erase(it);
      break;
    }
  }
  return true;
}

bool Registry::addTool(ToolDef def, ToolHandler handler) {
  return addTool(std::move(def), std::move(handler), nullptr);
}

bool Registry::addTool(ToolDef def, ToolHandler handler, ToolTextHandler text_handler) {
  std::unique_lock lock(mutex_);
  std::string key = def.name;
  return tools_.put(key,
                    std::make_shared<const Tool>(
                        Tool{std::move(def), std::move(handler), std::move(text_handler)}),
                    toolKey);
}

bool Registry::addResource(ResourceDef def, ResourceHandler handler) {
  std::unique_lock lock(mutex_);
  std::string key = def.uri;
  return resources_.put(
      key, std::make_shared<const Resource>(Resource{std::move(def), std::move(handler)}),
      resourceKey);
}

bool Registry::addResourceTemplate(ResourceTemplateDef def, ResourceHandler handler) {
  std::unique_lock lock(mutex_);
  std::string key = def.uri_template;
  return templates_.put(
      key, std::make_shared<const Template>(Template{std::move(def), std::move(handler)}),
      templateKey);
}

bool Registry::addPrompt(PromptDef def, PromptHandler handler) {
  std::unique_lock lock(mutex_);
  std::string key = def.name;
  return prompts_.put(
      key, std::make_shared<const Prompt>(Prompt{std::move(def), std::move(handler)}), promptKey);
}

bool Registry::removeTool(const std::string& name) {
  std::unique_lock lock(mutex_);
  return tools_.erase(name, toolKey);
}

bool Registry::removeResource(const std::string& uri) {
  std::unique_lock lock(mutex_);
  return resources_.erase(uri, resourceKey);
}

bool Registry::removeResourceTemplate(const std::string& uri_template) {
  std::unique_lock lock(mutex_);
  return templates_.erase(uri_template, templateKey);
}

bool Registry::removePrompt(const std::string& name) {
  std::unique_lock lock(mutex_);
  return prompts_.erase(name, promptKey);
}

std::shared_ptr<const Registry::Tool> Registry::tool(const std::string& name) const {
  std::shared_lock lock(mutex_);
  return tools_.find(name);
}

std::shared_ptr<const Registry::Resource> Registry::resource(const std::string& uri) const {
  std::shared_lock lock(mutex_);
  return resources_.find(uri);
}

std::shared_ptr<const Registry::Template> Registry::templateFor(const std::string& uri) const {
  std::shared_lock lock(mutex_);
  for (const auto& t : templates_.items) {
    if (t->def.matches(uri)) return t;
  }
  return nullptr;
}

std::shared_ptr<const Registry::Template> Registry::templateByUri(
    const std::string& uri_template) const {
  std::shared_lock lock(mutex_);
  return templates_.find(uri_template);
}

std::shared_ptr<const Registry::Prompt> Registry::prompt(const std::string& name) const {
  std::shared_lock lock(mutex_);
  return prompts_.find(name);
}

std::vector<std::shared_ptr<TaskBacking>> Registry::taskBackings() const {
  std::vector<std::shared_ptr<TaskBacking>> out;
  std::shared_lock lock(mutex_);
  for (const auto& t : tools_.items) {
    const auto& backing = t->def.task_backing;
    if (backing && std::find(out.begin(), out.end(), backing) == out.end()) out.push_back(backing);
  }
  return out;
}

Result<Registry::Page> Registry::list(ListKind kind, const std::string* cursor,
                                      std::size_t page_size) const {
  std::size_t offset = 0;
  if (cursor != nullptr) {
    std::optional<std::size_t> decoded = decodeCursor(*cursor);
    if (!decoded) return Status::invalidArgument("Invalid cursor");
    offset = *decoded;
  }
  if (page_size == 0) page_size = 100;
  std::shared_lock lock(mutex_);
  switch (kind) {
    case ListKind::kTools:
      return pageOf(tools_.items, offset, page_size);
    case ListKind::kResources:
      return pageOf(resources_.items, offset, page_size);
    case ListKind::kResourceTemplates:
      return pageOf(templates_.items, offset, page_size);
    case ListKind::kPrompts:
      return pageOf(prompts_.items, offset, page_size);
  }
  return Status::internal("unknown list kind");
}

}  // namespace switchboard::mcp::server
