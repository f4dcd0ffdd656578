#pragma once
// customers-server check [--project <project_id>] [--config FILE] [--redis URL]
// Runs the consistency checker (store/consistency.hpp) over one project, or
// every project found in Redis, and prints each finding.

#include <span>
#include <string_view>

#include "customers/app/config.hpp"

namespace customers::app {

// Exit code: 0 consistent, 1 findings or Redis unavailable, 2 usage/config error.
int run_check_command(std::span<const std::string_view> args, const env_lookup& getenv);

}  // namespace customers::app
