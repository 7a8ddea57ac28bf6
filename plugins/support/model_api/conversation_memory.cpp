#include "plugins/support/model_api/conversation_memory.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace switchboard::plugins {
namespace {

using nlohmann::json;

constexpr int kFormat = 1;

std::string errnoText() { return std::strerror(errno); }

}  // namespace

ConversationMemory::ConversationMemory(std::string path, std::size_t max_turns)
    : path_(std::move(path)), max_turns_(max_turns) {}

Status ConversationMemory::load() {
  if (path_.empty()) return {};
  std::lock_guard lock(mu_);
  turns_.clear();
  std::error_code ec;
  if (!std::filesystem::exists(path_, ec)) return {};
  std::ifstream in(path_, std::ios::binary);
  if (!in) return Status::dataLoss("cannot read the conversation file " + path_);
  std::stringstream text;
  text << in.rdbuf();
  json doc = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  auto turns = doc.find("turns");  // end() when doc is not an object
  if (doc.is_discarded() || turns == doc.end() || !turns->is_array() ||
      doc.find("format") == doc.end() || doc["format"] != kFormat) {
    return Status::dataLoss("the conversation file " + path_ + " is not a conversation");
  }
  for (const json& t : *turns) {
    auto user = t.find("user");
    auto assistant = t.find("assistant");
    if (!t.is_object() || user == t.end() || !user->is_string() || assistant == t.end() ||
        !assistant->is_string()) {
      turns_.clear();
      return Status::dataLoss("the conversation file " + path_ + " holds a turn that is not one");
    }
    turns_.push_back({user->get<std::string>(), assistant->get<std::string>()});
  }
  while (turns_.size() > max_turns_) turns_.pop_front();
  return {};
}

std::vector<ModelTurn> ConversationMemory::turns() const {
  std::lock_guard lock(mu_);
  return {turns_.begin(), turns_.end()};
}

void ConversationMemory::setMaxTurns(std::size_t max_turns) {
  std::lock_guard lock(mu_);
  max_turns_ = max_turns;
}

Status ConversationMemory::append(ModelTurn turn) {
  std::lock_guard lock(mu_);
  turns_.push_back(std::move(turn));
  while (turns_.size() > max_turns_) turns_.pop_front();
  return write();
}

Status ConversationMemory::write() const {
  if (path_.empty()) return {};
  json turns = json::array();
  for (const ModelTurn& t : turns_) turns.push_back({{"user", t.user}, {"assistant", t.assistant}});
  const std::string text = json{{"format", kFormat}, {"turns", std::move(turns)}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path_).parent_path(), ec);
  if (ec) return Status::internal("cannot create the folder of " + path_ + ": " + ec.message());
  const std::string temp = path_ + ".tmp";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::internal("cannot write " + temp + ": " + errnoText());
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::string failed = errnoText();
      ::close(fd);
      ::unlink(temp.c_str());
      return Status::internal("cannot write " + temp + ": " + failed);
    }
    done += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  std::string why = synced ? "" : errnoText();
  if (::close(fd) != 0 && synced) why = errnoText();
  if (!why.empty()) {
    ::unlink(temp.c_str());
    return Status::internal("cannot write " + temp + ": " + why);
  }
  if (::rename(temp.c_str(), path_.c_str()) != 0) {
    why = errnoText();
    ::unlink(temp.c_str());
    return Status::internal("cannot replace " + path_ + ": " + why);
  }
  // The rename is durable only once the folder's entry is on disk.
  const std::string folder = std::filesystem::path(path_).parent_path().string();
  int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return Status::internal("cannot open " + folder + ": " + errnoText());
  const bool dir_synced = ::fsync(dir) == 0;
  why = dir_synced ? "" : errnoText();
  ::close(dir);
  if (!dir_synced) return Status::internal("cannot sync " + folder + ": " + why);
  return {};
}

}  // namespace switchboard::plugins
