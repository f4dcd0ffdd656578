#pragma once
// customers-server token create --project <project_id> [--token <value>]
// customers-server token revoke --token <value>
// Both take --config and --redis like the server.

#include <span>
#include <string_view>

#include "customers/app/config.hpp"

namespace customers::app {

// Exit code: 0 done (also when the token already exists for that project),
// 1 Redis failure, unknown token or a token of another project, 2 usage or
// config error.
int run_token_command(std::span<const std::string_view> args, const env_lookup& getenv);

}  // namespace customers::app
