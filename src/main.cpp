// customers-server [--config FILE] [--listen HOST:PORT] [--redis URL] [--threads N]
// customers-server token create|revoke ...   (see app/token_command.hpp)
// customers-server healthcheck [--url URL]     (see app/healthcheck_command.hpp)
// customers-server check [--project P] ...    (see app/check_command.hpp)
//
// Exit codes: 0 after a clean shutdown, 2 for a configuration error, 1 when
// the server cannot start (e.g. the address is in use), 128 + N when a
// second signal N (SIGINT 130, SIGTERM 143) cut the graceful shutdown short.

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string_view>
#include <vector>

#include <boost/system/system_error.hpp>

#include "customers/app/check_command.hpp"
#include "customers/app/config.hpp"
#include "customers/app/healthcheck_command.hpp"
#include "customers/app/server.hpp"
#include "customers/app/token_command.hpp"
#include "customers/util/log.hpp"

namespace {

constexpr std::string_view usage =
    "usage: customers-server [--config FILE] [--listen HOST:PORT] [--redis URL] "
    "[--threads N]\n"
    "       customers-server token create --project <project_id> [--token <value>] [...]\n"
    "       customers-server token revoke --token <value> [...]\n"
    "       customers-server healthcheck [--url http://HOST:PORT/PATH] [--timeout-ms N] [...]\n"
    "       customers-server check [--project <project_id>] [...]   (Redis layout "
    "consistency; exit 1 on findings)\n"
    "environment: CUSTOMERS_LISTEN, CUSTOMERS_REDIS_URL, CUSTOMERS_THREADS, "
    "CUSTOMERS_LOG_LEVEL (flags win over the environment, which wins over the file)\n";

}  // namespace

int main(int argc, char** argv) {
    using namespace customers;
    std::vector<std::string_view> args(argv + 1, argv + argc);
    const app::env_lookup getenv = [](const char* name) { return std::getenv(name); };
    if (!args.empty() && args[0] == "token")
        return app::run_token_command(std::span(args).subspan(1), getenv);
    if (!args.empty() && args[0] == "healthcheck")
        return app::run_healthcheck_command(std::span(args).subspan(1), getenv);
    if (!args.empty() && args[0] == "check")
        return app::run_check_command(std::span(args).subspan(1), getenv);

    app::config cfg;
    try {
        const app::cli_flags flags = app::parse_flags(args);
        if (flags.help) {
            std::cout << usage;
            return 0;
        }
        cfg = app::load(flags, getenv);
    } catch (const app::config_error& e) {
        std::cerr << "customers-server: configuration error: " << e.what() << "\n" << usage;
        return 2;
    }
    log::set_level(*log::parse_level(cfg.log_level));

    // Writes to a closed peer must come back as EPIPE, not kill the process.
    std::signal(SIGPIPE, SIG_IGN);
    try {
        app::server srv(cfg);
        srv.handle_signals();
        srv.run();
    } catch (const boost::system::system_error& e) {
        log::error("cannot start: ", e.what());
        return 1;
    } catch (const app::config_error& e) {
        std::cerr << "customers-server: configuration error: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
