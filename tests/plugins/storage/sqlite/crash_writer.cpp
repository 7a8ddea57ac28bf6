// The child process of SqliteStorage's crash test: opens the database at argv[1] through
// the plugin and applies batch after batch, numbered from argv[2], until it is killed.
// Batch i puts records crash/b<i>-r0..r9, the step ex/k<i> (seq i) and the event i.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "switchboard/storage.hpp"
#include "tests/plugins/support/plugin_loader.hpp"

int main(int argc, char** argv) {
  using switchboard::StorageBackend;
  if (argc != 3) {
    std::fprintf(stderr, "usage: sqlite_crash_writer <db path> <first batch>\n");
    return 2;
  }
  const std::string config = std::string(R"({"path":")") + argv[1] + "\"}";
  auto store =
      switchboard::plugins::testing::loadPluginForTest<StorageBackend>("storage", "sqlite", config);
  if (!store.ok()) {
    std::fprintf(stderr, "crash_writer: %s\n", store.status().toString().c_str());
    return 1;
  }
  const std::string padding(400, 'p');
  for (long i = std::atol(argv[2]);; ++i) {
    switchboard::WriteBatch batch;
    const std::string n = std::to_string(i);
    for (int r = 0; r < 10; ++r) {
      batch.puts.push_back({"crash", "b" + n + "-r" + std::to_string(r),
                            "{\"batch\":" + n + ",\"pad\":\"" + padding + "\"}"});
    }
    batch.steps.push_back({"ex", "k" + n, i, "{\"batch\":" + n + "}"});
    batch.events.push_back({i, "crash", "{\"batch\":" + n + "}"});
    switchboard::Status status = (*store)->apply(batch);
    if (!status.ok()) {
      std::fprintf(stderr, "crash_writer: batch %ld: %s\n", i, status.toString().c_str());
      return 1;
    }
  }
}
