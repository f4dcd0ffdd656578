#include "customers/app/check_command.hpp"

#include <algorithm>
#include <iostream>
#include <vector>

#include "customers/app/redis_job.hpp"
#include "customers/redis/connection.hpp"
#include "customers/store/consistency.hpp"
#include "customers/store/token_store.hpp"
#include "customers/util/log.hpp"

namespace customers::app {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

constexpr std::string_view usage =
    "usage: customers-server check [--project <project_id>] [--config FILE] [--redis URL]\n";

// A whole index is one ZRANGE: give a large project's reads more time than
// a request's command deadline.
constexpr std::chrono::milliseconds min_command_timeout = 30s;

asio::awaitable<int> execute(redis::connection& redis, std::string project) {
    auto report = co_await store::check_consistency(redis, project);
    if (!report) {
        std::cerr << "customers-server: cannot check: Redis is unavailable\n";
        co_return 1;
    }
    for (const auto& f : report->findings) std::cout << store::describe(f) << "\n";
    std::cout << report->projects.size() << " project(s), " << report->customers << " customer(s), "
              << report->findings.size() << " finding(s)" << std::endl;
    co_return report->findings.empty() ? 0 : 1;
}

}  // namespace

int run_check_command(std::span<const std::string_view> args, const env_lookup& getenv) {
    std::string project;
    config cfg;
    try {
        std::vector<std::string_view> rest;
        for (std::size_t i = 0; i < args.size(); ++i) {
            if (args[i] == "--project") {
                if (i + 1 >= args.size()) throw config_error("--project", "missing value");
                project = args[++i];
            } else if (args[i].starts_with("--project=")) {
                project = args[i].substr(10);
            } else {
                rest.push_back(args[i]);
            }
        }
        if (!project.empty() && !store::is_valid_project_id(project))
            throw config_error("--project", "1 to 64 of [A-Za-z0-9_-]");
        cfg = load(parse_flags(rest), getenv);
    } catch (const config_error& e) {
        std::cerr << "customers-server: " << e.what() << "\n" << usage;
        return 2;
    }

    log::set_level(std::max(log::level::warn, *log::parse_level(cfg.log_level)));
    return run_redis_job(cfg, std::max(cfg.redis.command_timeout, min_command_timeout),
                         [&project](redis::connection& r) { return execute(r, project); });
}

}  // namespace customers::app
