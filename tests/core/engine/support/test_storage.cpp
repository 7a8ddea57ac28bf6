#include "tests/core/engine/support/test_storage.hpp"

#include <algorithm>

namespace switchboard::testing {

Status MemoryStore::apply(const WriteBatch& batch) {
  if (fail_writes) return Status::unavailable("injected write failure");
  std::lock_guard<std::mutex> lock(mu_);
  for (const Record& r : batch.puts) records_[r.collection][r.id] = r.json;
  for (const RecordKey& k : batch.erases) records_[k.collection].erase(k.id);
  for (const StepRecord& s : batch.steps) steps_[s.execution_id][s.key] = s;
  for (const EventRecord& e : batch.events) events_.push_back(e);
  ++batches;
  return Status();
}

Result<std::optional<std::string>> MemoryStore::get(const std::string& collection,
                                                    const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto c = records_.find(collection);
  if (c == records_.end()) return std::optional<std::string>();
  auto r = c->second.find(id);
  if (r == c->second.end()) return std::optional<std::string>();
  return std::optional<std::string>(r->second);
}

Result<std::vector<Record>> MemoryStore::list(const std::string& collection,
                                              const std::string& after_id, std::int64_t limit) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Record> out;
  auto c = records_.find(collection);
  if (c == records_.end()) return out;
  for (auto it = c->second.upper_bound(after_id);
       it != c->second.end() && static_cast<std::int64_t>(out.size()) < limit; ++it) {
    out.push_back(Record{collection, it->first, it->second});
  }
  return out;
}

Result<std::vector<StepRecord>> MemoryStore::steps(const std::string& execution_id) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<StepRecord> out;
  auto e = steps_.find(execution_id);
  if (e == steps_.end()) return out;
  for (auto& [key, rec] : e->second) out.push_back(rec);
  std::sort(out.begin(), out.end(), [](const StepRecord& a, const StepRecord& b) { return a.seq < b.seq; });
  return out;
}

Result<std::vector<EventRecord>> MemoryStore::events(std::int64_t after_id, std::int64_t limit,
                                                     const std::string& topic_prefix) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<EventRecord> out;
  for (const EventRecord& e : events_) {
    if (e.id <= after_id || e.topic.compare(0, topic_prefix.size(), topic_prefix) != 0) continue;
    out.push_back(e);
    if (static_cast<std::int64_t>(out.size()) >= limit) break;
  }
  return out;
}

Result<std::int64_t> MemoryStore::lastEventId() {
  std::lock_guard<std::mutex> lock(mu_);
  std::int64_t last = 0;
  for (const EventRecord& e : events_) last = std::max(last, e.id);
  return last;
}

// --- SqliteStore ---

SqliteStore::~SqliteStore() {
  for (sqlite3_stmt* s : {put_, erase_, step_, event_}) sqlite3_finalize(s);
  sqlite3_close(db_);
}

Status SqliteStore::error(const char* what) {
  return Status::unavailable(std::string(what) + ": " + sqlite3_errmsg(db_));
}

Status SqliteStore::exec(const char* sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    std::string m = msg ? msg : "?";
    sqlite3_free(msg);
    return Status::unavailable(std::string(sql) + ": " + m);
  }
  return Status();
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path,
                                                       const std::string& synchronous) {
  std::unique_ptr<SqliteStore> s(new SqliteStore());
  if (sqlite3_open(path.c_str(), &s->db_) != SQLITE_OK) return s->error("open");
  sqlite3_busy_timeout(s->db_, 5000);
  SB_RETURN_IF_ERROR(s->exec("PRAGMA journal_mode=WAL"));
  SB_RETURN_IF_ERROR(s->exec(("PRAGMA synchronous=" + synchronous).c_str()));
  SB_RETURN_IF_ERROR(s->exec(
      "CREATE TABLE IF NOT EXISTS records(collection TEXT, id TEXT, json TEXT, "
      "PRIMARY KEY(collection, id)) WITHOUT ROWID;"
      "CREATE TABLE IF NOT EXISTS steps(execution_id TEXT, key TEXT, seq INTEGER, json TEXT, "
      "PRIMARY KEY(execution_id, key));"
      "CREATE INDEX IF NOT EXISTS steps_seq ON steps(execution_id, seq);"
      "CREATE TABLE IF NOT EXISTS events(id INTEGER PRIMARY KEY, topic TEXT, json TEXT);"));
  auto prep = [&](const char* sql, sqlite3_stmt** st) {
    return sqlite3_prepare_v2(s->db_, sql, -1, st, nullptr) == SQLITE_OK ? Status() : s->error(sql);
  };
  SB_RETURN_IF_ERROR(prep("INSERT OR REPLACE INTO records VALUES(?,?,?)", &s->put_));
  SB_RETURN_IF_ERROR(prep("DELETE FROM records WHERE collection=? AND id=?", &s->erase_));
  SB_RETURN_IF_ERROR(prep("INSERT OR REPLACE INTO steps VALUES(?,?,?,?)", &s->step_));
  SB_RETURN_IF_ERROR(prep("INSERT INTO events VALUES(?,?,?)", &s->event_));
  return s;
}

namespace {
void bindText(sqlite3_stmt* st, int i, const std::string& v) {
  sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
std::string column(sqlite3_stmt* st, int i) {
  const unsigned char* t = sqlite3_column_text(st, i);
  return t ? std::string(reinterpret_cast<const char*>(t), sqlite3_column_bytes(st, i)) : std::string();
}
}  // namespace

Status SqliteStore::apply(const WriteBatch& batch) {
  std::lock_guard<std::mutex> lock(mu_);
  SB_RETURN_IF_ERROR(exec("BEGIN IMMEDIATE"));
  auto run = [&](sqlite3_stmt* st) {
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE;
  };
  bool ok = true;
  for (const Record& r : batch.puts) {
    bindText(put_, 1, r.collection);
    bindText(put_, 2, r.id);
    bindText(put_, 3, r.json);
    ok = ok && run(put_);
  }
  for (const RecordKey& k : batch.erases) {
    bindText(erase_, 1, k.collection);
    bindText(erase_, 2, k.id);
    ok = ok && run(erase_);
  }
  for (const StepRecord& s : batch.steps) {
    bindText(step_, 1, s.execution_id);
    bindText(step_, 2, s.key);
    sqlite3_bind_int64(step_, 3, s.seq);
    bindText(step_, 4, s.json);
    ok = ok && run(step_);
  }
  for (const EventRecord& e : batch.events) {
    sqlite3_bind_int64(event_, 1, e.id);
    bindText(event_, 2, e.topic);
    bindText(event_, 3, e.json);
    ok = ok && run(event_);
  }
  if (!ok) {
    Status st = error("write");
    (void)exec("ROLLBACK");
    return st;
  }
  return exec("COMMIT");
}

Result<std::optional<std::string>> SqliteStore::get(const std::string& collection,
                                                    const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db_, "SELECT json FROM records WHERE collection=? AND id=?", -1, &st, nullptr);
  bindText(st, 1, collection);
  bindText(st, 2, id);
  std::optional<std::string> out;
  if (sqlite3_step(st) == SQLITE_ROW) out = column(st, 0);
  sqlite3_finalize(st);
  return out;
}

Result<std::vector<Record>> SqliteStore::list(const std::string& collection,
                                              const std::string& after_id, std::int64_t limit) {
  std::lock_guard<std::mutex> lock(mu_);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db_, "SELECT id, json FROM records WHERE collection=? AND id>? ORDER BY id LIMIT ?",
                     -1, &st, nullptr);
  bindText(st, 1, collection);
  bindText(st, 2, after_id);
  sqlite3_bind_int64(st, 3, limit);
  std::vector<Record> out;
  while (sqlite3_step(st) == SQLITE_ROW) out.push_back(Record{collection, column(st, 0), column(st, 1)});
  sqlite3_finalize(st);
  return out;
}

Result<std::vector<StepRecord>> SqliteStore::steps(const std::string& execution_id) {
  std::lock_guard<std::mutex> lock(mu_);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db_, "SELECT key, seq, json FROM steps WHERE execution_id=? ORDER BY seq", -1,
                     &st, nullptr);
  bindText(st, 1, execution_id);
  std::vector<StepRecord> out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    out.push_back(StepRecord{execution_id, column(st, 0), sqlite3_column_int64(st, 1), column(st, 2)});
  }
  sqlite3_finalize(st);
  return out;
}

Result<std::vector<EventRecord>> SqliteStore::events(std::int64_t after_id, std::int64_t limit,
                                                     const std::string& topic_prefix) {
  std::lock_guard<std::mutex> lock(mu_);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db_,
                     "SELECT id, topic, json FROM events WHERE id>? AND substr(topic,1,?)=? "
                     "ORDER BY id LIMIT ?",
                     -1, &st, nullptr);
  sqlite3_bind_int64(st, 1, after_id);
  sqlite3_bind_int64(st, 2, static_cast<std::int64_t>(topic_prefix.size()));
  bindText(st, 3, topic_prefix);
  sqlite3_bind_int64(st, 4, limit);
  std::vector<EventRecord> out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    out.push_back(EventRecord{sqlite3_column_int64(st, 0), column(st, 1), column(st, 2)});
  }
  sqlite3_finalize(st);
  return out;
}

Result<std::int64_t> SqliteStore::lastEventId() {
  std::lock_guard<std::mutex> lock(mu_);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db_, "SELECT COALESCE(MAX(id),0) FROM events", -1, &st, nullptr);
  std::int64_t id = 0;
  if (sqlite3_step(st) == SQLITE_ROW) id = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return id;
}

}  // namespace switchboard::testing
