#pragma once
// Server configuration: a plain struct whose member initialisers are the
// documented defaults (config/default.json repeats them, and a test keeps the
// two equal). Precedence, lowest first: defaults, the JSON file, environment
// variables, command-line flags. Validated once at start-up.

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "customers/api/rate_limit_config.hpp"
#include "customers/http/config.hpp"

namespace customers::app {

using milliseconds = std::chrono::milliseconds;

// The layers below own the structs of their keys (with the defaults);
// the configuration embeds them.
using http_config = http::config;                  // http.*
using rate_limit_config = api::rate_limit_config;  // rate_limit.*

struct redis_config {
    std::string url = "redis://127.0.0.1:6379";
    milliseconds command_timeout{1'000};  // per command; then 503 and reconnect
    milliseconds connect_timeout{1'000};
    milliseconds reconnect_min{50};  // first backoff step, doubled up to reconnect_max
    milliseconds reconnect_max{2'000};
};

struct config {
    std::string listen_host = "127.0.0.1";
    std::uint16_t listen_port = 8080;
    unsigned threads = 0;  // 0: one per CPU this process may use (cpu_limit.hpp)
    std::string log_level = "info";
    // One JSON line per request on stdout (info level: also needs log_level
    // debug or info).
    bool access_log = true;
    http_config http;
    redis_config redis;
    rate_limit_config rate_limit;

    // threads, with 0 resolved to the CPUs this process may use: its
    // affinity mask capped by its cgroup's cpu.max (usable_cpus()).
    unsigned effective_threads() const;
};

// A start-up failure in the configuration; `key` names the offending key
// (e.g. "redis.command_timeout_ms", "--threads", "CUSTOMERS_LISTEN").
class config_error : public std::runtime_error {
  public:
    config_error(std::string key, const std::string& message)
        : std::runtime_error(key + ": " + message), key_(std::move(key)) {}
    const std::string& key() const noexcept { return key_; }

  private:
    std::string key_;
};

using env_lookup = std::function<const char*(const char*)>;

// Applies a JSON document's keys over `base`. Unknown keys, duplicate keys,
// wrong types and out-of-range values throw config_error naming the key
// (dotted path, e.g. "http.max_body_bytes"). Keys starting with "_" are
// documentation and ignored. Invalid JSON is reported under the key "--config".
config apply_json(config base, std::string_view json_text);

// Reads the file and applies it as apply_json() does; a file that cannot be
// read or is not valid JSON throws config_error(path, ...).
config apply_json_file(config base, const std::string& path);

// Applies CUSTOMERS_LISTEN, CUSTOMERS_REDIS_URL, CUSTOMERS_THREADS,
// CUSTOMERS_LOG_LEVEL, CUSTOMERS_ACCESS_LOG (true/false/1/0) when set.
config apply_env(config base, const env_lookup& getenv);

// Command-line flags shared by the server and the `token` subcommands.
struct cli_flags {
    std::string config_file;  // empty: built-in defaults only
    std::string listen;
    std::string redis_url;
    std::string threads;
    bool help = false;
};

// Parses --config, --listen, --redis, --threads (as `--flag value` or
// `--flag=value`) and --help. Unknown flags throw config_error.
cli_flags parse_flags(std::span<const std::string_view> args);

config apply_flags(config base, const cli_flags& flags);

// Checks ranges and cross-field rules (URL syntax, listen address, timeouts
// > 0, reconnect_min <= reconnect_max, log level known, rate limit either
// off or with both values set). Throws config_error.
void validate(const config& c);

// Defaults < file (flags.config_file) < env < flags, then validate().
config load(const cli_flags& flags, const env_lookup& getenv);

// "HOST:PORT" or "[V6]:PORT" into host and port; throws config_error(key, ...).
void parse_listen(std::string_view text, std::string_view key, std::string& host,
                  std::uint16_t& port);

}  // namespace customers::app
