// customers-server [--config FILE] [--listen HOST:PORT] [--redis URL] [--threads N]
//
// Exit codes: 0 after a clean shutdown, 2 for a configuration error, 1 when
// the server cannot start (e.g. the address is in use).

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string_view>
#include <vector>

#include <boost/system/system_error.hpp>

#include "customers/app/config.hpp"
#include "customers/app/server.hpp"
#include "customers/util/log.hpp"

namespace {

constexpr std::string_view usage =
    "usage: customers-server [--config FILE] [--listen HOST:PORT] [--redis URL] "
    "[--threads N]\n"
    "environment: CUSTOMERS_LISTEN, CUSTOMERS_REDIS_URL, CUSTOMERS_THREADS, "
    "CUSTOMERS_LOG_LEVEL (flags win over the environment, which wins over the file)\n";

}  // namespace

int main(int argc, char** argv) {
    using namespace customers;
    std::vector<std::string_view> args(argv + 1, argv + argc);
    const app::env_lookup getenv = [](const char* name) { return std::getenv(name); };

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
