// The command-line layer: parse_flags() only splits and records the flags;
// apply_flags() checks and applies them, naming the flag in errors.

#include <string>

#include "config_checks.hpp"
#include "customers/app/config.hpp"

namespace customers::app {

cli_flags parse_flags(std::span<const std::string_view> args) {
    cli_flags flags;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        if (arg == "--help" || arg == "-h") {
            flags.help = true;
            continue;
        }
        if (!arg.starts_with("--")) {
            throw config_error(std::string(arg),
                               "unexpected argument (flags: --config FILE, --listen HOST:PORT, "
                               "--redis URL, --threads N, --help)");
        }
        const auto eq = arg.find('=');
        const std::string name(arg.substr(0, eq));
        std::string* target = nullptr;
        if (name == "--config") {
            target = &flags.config_file;
        } else if (name == "--listen") {
            target = &flags.listen;
        } else if (name == "--redis") {
            target = &flags.redis_url;
        } else if (name == "--threads") {
            target = &flags.threads;
        } else if (name == "--help") {
            throw config_error(name, "takes no value");
        } else {
            throw config_error(name, "unknown flag");
        }

        std::string_view value;
        if (eq != std::string_view::npos) {
            value = arg.substr(eq + 1);
        } else if (i + 1 < args.size() && !args[i + 1].starts_with("--")) {
            value = args[++i];
        }
        // An empty value would read as "not given", so it is refused.
        if (value.empty()) throw config_error(name, "missing value");
        if (!target->empty()) throw config_error(name, "given more than once");
        target->assign(value);
    }
    return flags;
}

config apply_flags(config base, const cli_flags& flags) {
    if (!flags.listen.empty())
        parse_listen(flags.listen, "--listen", base.listen_host, base.listen_port);
    if (!flags.redis_url.empty()) {
        detail::check_redis_url(flags.redis_url, "--redis");
        base.redis.url = flags.redis_url;
    }
    if (!flags.threads.empty()) {
        base.threads = static_cast<unsigned>(
            detail::parse_integer(flags.threads, "--threads", 0, detail::max_threads));
    }
    return base;
}

}  // namespace customers::app
