// Convenience header: the whole plugin SDK.
#pragma once

#include "switchboard/agent.hpp"
#include "switchboard/export.hpp"
#include "switchboard/plugin.hpp"
#include "switchboard/process.hpp"
#include "switchboard/status.hpp"
#include "switchboard/storage.hpp"
#include "switchboard/tool_provider.hpp"
#include "switchboard/usage.hpp"
#include "switchboard/version.hpp"
#include "switchboard/workflow.hpp"
