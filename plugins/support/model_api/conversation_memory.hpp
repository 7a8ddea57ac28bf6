// ConversationMemory: the earlier turns of one API model agent's conversation (agent config
// `memory: {"max_turns": N}`). Each call sends them before its prompt; a call that succeeds
// appends its prompt and answer, and the oldest turns beyond N are dropped.
//
// Durability: with a file path (<data_dir>/conversations/<type>/<agent id>.json, chosen by
// ModelAgentType) the turns are written after every append — to a temporary file renamed over
// the old one, mode 0600 — and read back when the agent is created again, so they survive a
// gateway restart. With no path (the gateway has no data folder) they live in this process
// only.
//
// Ownership: ModelAgentType hands one instance per agent id to every worker of that agent
// (shared_ptr). Thread safety: every method may be called from any thread.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "plugins/support/model_api/model_dialect.hpp"
#include "switchboard/status.hpp"

namespace switchboard::plugins {

class ConversationMemory {
 public:
  // `path` "" keeps the turns in memory only.
  ConversationMemory(std::string path, std::size_t max_turns);

  // Reads the file when there is one (no file: an empty memory). DataLoss saying why when it
  // cannot be read or is not a conversation; the memory is then empty.
  Status load();
  std::vector<ModelTurn> turns() const;
  // Appends `turn`, keeps the last max_turns, and writes the file. Internal naming the file
  // when it cannot be written; the turn is kept in memory all the same.
  Status append(ModelTurn turn);
  // A new cap (the agent's config changed); applies from the next append.
  void setMaxTurns(std::size_t max_turns);
  const std::string& path() const { return path_; }

 private:
  Status write() const;  // holds mu_

  const std::string path_;
  mutable std::mutex mu_;
  std::size_t max_turns_;
  std::deque<ModelTurn> turns_;
};

}  // namespace switchboard::plugins
