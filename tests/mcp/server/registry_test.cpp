#include "mcp/server/registry.hpp"

#include <gtest/gtest.h>

namespace switchboard::mcp::server {
namespace {

ToolDef named(const std::string& name) {
  ToolDef def;
  def.name = name;
  return def;
}

ToolHandler noop() {
  return [](const Json&, RequestContext&) -> Result<Json> { return Json::object(); };
}

TEST(Registry, PagesInRegistrationOrderWithOpaqueCursors) {
  Registry registry;
  for (int i = 0; i < 5; ++i) registry.addTool(named("t" + std::to_string(i)), noop());
  Result<Registry::Page> first = registry.list(ListKind::kTools, nullptr, 2);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0]["name"], "t0");
  std::vector<std::string> names;
  std::string cursor = first->next_cursor;
  for (const auto& item : first->items) names.push_back(item["name"]);
  while (!cursor.empty()) {
    Result<Registry::Page> page = registry.list(ListKind::kTools, &cursor, 2);
    ASSERT_TRUE(page.ok());
    for (const auto& item : page->items) names.push_back(item["name"]);
    cursor = page->next_cursor;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"t0", "t1", "t2", "t3", "t4"}));
  std::string bad = "not-a-cursor";
  EXPECT_EQ(registry.list(ListKind::kTools, &bad, 2).status().code(), StatusCode::kInvalidArgument);
  std::string empty;
  EXPECT_FALSE(registry.list(ListKind::kTools, &empty, 2).ok());
}

TEST(Registry, ReplaceKeepsPositionAndRemoveReportsChange) {
  Registry registry;
  registry.addTool(named("a"), noop());
  registry.addTool(named("b"), noop());
  ToolDef a2 = named("a");
  a2.description = "new";
  registry.addTool(a2, noop());
  Result<Registry::Page> page = registry.list(ListKind::kTools, nullptr, 10);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items[0]["description"], "new");
  EXPECT_TRUE(registry.removeTool("a"));
  EXPECT_FALSE(registry.removeTool("a"));
  EXPECT_EQ(registry.tool("a"), nullptr);
}

TEST(Registry, LookupByKeyFollowsAddReplaceAndRemove) {
  Registry registry;
  for (int i = 0; i < 50; ++i) registry.addTool(named("t" + std::to_string(i)), noop());
  ToolDef replaced = named("t7");
  replaced.description = "second";
  registry.addTool(replaced, noop());
  ASSERT_NE(registry.tool("t7"), nullptr);
  EXPECT_EQ(registry.tool("t7")->def.description, "second");
  EXPECT_TRUE(registry.removeTool("t3"));
  EXPECT_EQ(registry.tool("t3"), nullptr);
  for (int i = 0; i < 50; ++i) {
    if (i != 3) {
      EXPECT_NE(registry.tool("t" + std::to_string(i)), nullptr) << i;
    }
  }
  registry.addTool(named("t3"), noop());  // back, now listed last
  Result<Registry::Page> page = registry.list(ListKind::kTools, nullptr, 100);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 50u);
  EXPECT_EQ(page->items.back()["name"], "t3");
  EXPECT_EQ(page->items[6]["name"], "t7");
  EXPECT_EQ(registry.tool("T3"), nullptr);
  EXPECT_EQ(registry.tool(""), nullptr);

  ResourceDef resource;
  resource.uri = "test://a";
  registry.addResource(resource, nullptr);
  EXPECT_NE(registry.resource("test://a"), nullptr);
  EXPECT_TRUE(registry.removeResource("test://a"));
  EXPECT_EQ(registry.resource("test://a"), nullptr);
  PromptDef prompt;
  prompt.name = "p";
  registry.addPrompt(prompt, nullptr);
  EXPECT_NE(registry.prompt("p"), nullptr);
  EXPECT_EQ(registry.prompt("q"), nullptr);
}

TEST(ResourceTemplateDef, MatchesOneSegmentPerVariable) {
  ResourceTemplateDef t;
  t.uri_template = "test://template/{id}/data";
  EXPECT_TRUE(t.matches("test://template/123/data"));
  EXPECT_FALSE(t.matches("test://template//data"));
  EXPECT_FALSE(t.matches("test://template/1/2/data"));
  EXPECT_FALSE(t.matches("test://template/123/datax"));
}

}  // namespace
}  // namespace switchboard::mcp::server
