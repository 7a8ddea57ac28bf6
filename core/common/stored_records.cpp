#include "core/common/stored_records.hpp"

namespace switchboard::core {

Status forEachStoredPage(StorageBackend& store, const std::string& collection,
                         std::int64_t page_size,
                         const std::function<void(const std::vector<Record>& page)>& visit) {
  std::string after;
  for (;;) {
    Result<std::vector<Record>> page = [&]() -> Result<std::vector<Record>> {
      try {
        return store.list(collection, after, page_size);
      } catch (...) {
        return Status::internal("the store threw while listing " + collection);
      }
    }();
    if (!page.ok()) return page.status().withContext("loading " + collection);
    if (page->empty()) return Status();
    after = page->back().id;
    visit(*page);
  }
}

}  // namespace switchboard::core
