#include "customers/app/token_command.hpp"

#include <algorithm>
#include <iostream>
#include <vector>

#include "customers/app/redis_job.hpp"
#include "customers/redis/connection.hpp"
#include "customers/store/token_store.hpp"
#include "customers/util/crypto.hpp"
#include "customers/util/log.hpp"

namespace customers::app {
namespace {

namespace asio = boost::asio;

constexpr std::string_view usage =
    "usage: customers-server token create --project <project_id> [--token <value>] "
    "[--config FILE] [--redis URL]\n"
    "       customers-server token revoke --token <value> [--config FILE] [--redis URL]\n";

struct token_args {
    std::string action, project, token;
    std::vector<std::string_view> rest;  // shared server flags
};

// Takes --project and --token out; the rest go to parse_flags().
token_args split_args(std::span<const std::string_view> args) {
    token_args t;
    if (args.empty()) throw config_error("token", "missing action (create or revoke)");
    t.action = args[0];
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string_view a = args[i];
        std::string* target = nullptr;
        for (auto [flag, field] :
             {std::pair{"--project", &t.project}, std::pair{"--token", &t.token}}) {
            const std::string_view f = flag;
            if (a == f) {
                if (i + 1 >= args.size()) throw config_error(std::string(f), "missing value");
                *field = args[++i];
                target = field;
            } else if (a.starts_with(f) && a.size() > f.size() && a[f.size()] == '=') {
                *field = a.substr(f.size() + 1);
                target = field;
            }
        }
        if (!target) t.rest.push_back(a);
    }
    return t;
}

asio::awaitable<int> execute(redis::connection& redis, const token_args& t) {
    store::token_store tokens(redis);
    if (t.action == "create") {
        auto r = co_await tokens.create(t.token, t.project);
        if (!r && r.error() == store::error::token_taken) {
            std::cerr << "customers-server: the token already belongs to another project; "
                         "it was not changed (revoke it first to move it)\n";
            co_return 1;
        }
        if (!r) {
            std::cerr << "customers-server: cannot store the token: Redis is unavailable\n";
            co_return 1;
        }
        std::cout << t.token << std::endl;
        co_return 0;
    }
    auto r = co_await tokens.revoke(t.token);
    if (r) co_return 0;
    if (r.error() == store::error::not_found) {
        std::cerr << "customers-server: no such token\n";
        co_return 1;
    }
    std::cerr << "customers-server: cannot revoke the token: Redis is unavailable\n";
    co_return 1;
}

}  // namespace

int run_token_command(std::span<const std::string_view> args, const env_lookup& getenv) {
    token_args t;
    config cfg;
    try {
        t = split_args(args);
        if (t.action != "create" && t.action != "revoke")
            throw config_error("token", "unknown action '" + t.action + "' (create or revoke)");
        if (t.action == "create") {
            if (!store::is_valid_project_id(t.project))
                throw config_error("--project", "required: 1 to 64 of [A-Za-z0-9_-]");
            if (t.token.empty()) t.token = util::random_token(32);
        } else if (!t.project.empty()) {
            throw config_error("--project", "not used by revoke");
        }
        if (!store::is_plausible_token(t.token))
            throw config_error("--token",
                               "must be 16 to 512 of [A-Za-z0-9-._~+/], then '=' padding");
        cfg = load(parse_flags(t.rest), getenv);
    } catch (const config_error& e) {
        std::cerr << "customers-server: " << e.what() << "\n" << usage;
        return 2;
    }

    // Only failures are worth a line here; stdout carries the token.
    log::set_level(std::max(log::level::warn, *log::parse_level(cfg.log_level)));
    return run_redis_job(cfg, cfg.redis.command_timeout,
                         [&t](redis::connection& r) { return execute(r, t); });
}

}  // namespace customers::app
