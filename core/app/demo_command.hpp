// `switchboard demo`: runs a complete workflow on the embedded defaults and prints what
// happened — the README's first example.
//
// It starts a Gateway on sqlite in a fresh temporary data folder (or --data-dir, which is
// kept), creates scripted agents (a planner, two researchers, a writer, a reviewer, each
// with a latency and a token/cost usage of its own), eight tasks with dependencies, and
// runs them with the dag pattern at most three at a time. While it runs it prints one line
// per step start and settle; then the result, the step timeline (start and end offsets,
// which steps overlapped, peak parallelism) and per-agent counts. Every figure comes from
// the engine's journal and the agent service's counters. Exit code 0 when the execution
// completed, 1 when it did not (the reason is printed), 2 when the gateway cannot start.
//
// Thread safety: runDemo() is called once, from the command line's thread.
#pragma once

#include <string>

#include "core/app/cli.hpp"

namespace switchboard::core {

struct DemoOptions {
  std::string data_dir;            // empty: a temporary folder, removed afterwards
  std::string storage = "sqlite";  // storage backend (full or short name)
  int max_parallel = 3;
};

int runDemo(CommandContext& context, const DemoOptions& options);

// The `demo` command for the command table (options: --data-dir, --storage, --max-parallel).
CommandSpec demoCommand();

}  // namespace switchboard::core
