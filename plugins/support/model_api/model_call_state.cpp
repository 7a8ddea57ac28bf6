#include "plugins/support/model_api/model_call_state.hpp"

#include <httplib.h>

namespace switchboard::plugins {

void ModelCallState::cancel() {
  std::lock_guard lock(mu);
  cancelled = true;
  if (active != nullptr) active->stop();
  cv.notify_all();
}

}  // namespace switchboard::plugins
