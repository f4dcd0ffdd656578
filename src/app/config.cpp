// Defaults live in config.hpp; this file holds the checks shared by all
// layers, the environment layer, validate() and load(). The JSON layer is in
// config_json.cpp, the command-line layer in cli_flags.cpp.

#include "customers/app/config.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

#include "config_checks.hpp"
#include "customers/app/cpu_limit.hpp"
#include "customers/redis/url.hpp"
#include "customers/util/log.hpp"

namespace customers::app {

namespace detail {

void throw_out_of_range(std::string_view key, std::int64_t min, std::int64_t max,
                        std::string_view unit, std::string_view got) {
    std::string message = "must be between " + std::to_string(min) + " and " + std::to_string(max);
    if (!unit.empty()) message.append(" ").append(unit);
    message.append(", got ").append(got);
    throw config_error(std::string(key), message);
}

void check_range(std::int64_t value, std::string_view key, std::int64_t min, std::int64_t max,
                 std::string_view unit) {
    if (value < min || value > max) throw_out_of_range(key, min, max, unit, std::to_string(value));
}

std::int64_t parse_integer(std::string_view text, std::string_view key, std::int64_t min,
                           std::int64_t max) {
    const bool digits_only = !text.empty() && std::all_of(text.begin(), text.end(), [](char ch) {
        return ch >= '0' && ch <= '9';
    });
    if (!digits_only) {
        throw config_error(std::string(key), "expected an integer between " + std::to_string(min) +
                                                 " and " + std::to_string(max) + ", got \"" +
                                                 std::string(text) + "\"");
    }
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size())  // only overflow is possible
        throw_out_of_range(key, min, max, {}, text);
    check_range(value, key, min, max);
    return value;
}

void check_log_level(std::string_view level, std::string_view key) {
    if (!log::parse_level(level)) {
        throw config_error(std::string(key), "unknown log level \"" + std::string(level) +
                                                 "\" (expected debug, info, warn, error or off)");
    }
}

void check_redis_url(std::string_view url, std::string_view key) {
    auto parsed = redis::parse_url(url);
    if (parsed.has_error()) {
        // The URL itself is not echoed: it may carry a password.
        throw config_error(std::string(key), "invalid Redis URL: " + parsed.error().message);
    }
}

}  // namespace detail

unsigned config::effective_threads() const {
    if (threads != 0) return threads;
    return std::min(usable_cpus(), static_cast<unsigned>(detail::max_threads));
}

void parse_listen(std::string_view text, std::string_view key, std::string& host,
                  std::uint16_t& port) {
    auto fail = [&](const std::string& why) {
        throw config_error(std::string(key), why + " in \"" + std::string(text) +
                                                 "\" (expected HOST:PORT or [IPV6]:PORT)");
    };
    std::string_view host_part;
    std::string_view port_part;
    if (text.starts_with('[')) {
        auto close = text.find(']');
        if (close == std::string_view::npos) fail("missing ']'");
        host_part = text.substr(1, close - 1);
        std::string_view rest = text.substr(close + 1);
        if (rest.empty()) fail("missing port");
        if (rest.front() != ':') fail("expected ':' after ']'");
        port_part = rest.substr(1);
        if (host_part.empty()) fail("empty host");
        if (host_part.find(':') == std::string_view::npos) fail("not an IPv6 address inside [ ]");
    } else {
        auto colon = text.rfind(':');
        if (colon == std::string_view::npos) fail("missing port");
        host_part = text.substr(0, colon);
        port_part = text.substr(colon + 1);
        if (host_part.empty()) fail("empty host");
        if (host_part.find(':') != std::string_view::npos) fail("IPv6 addresses need brackets");
    }
    for (char ch : host_part) {
        if (static_cast<unsigned char>(ch) <= ' ' || ch == '[' || ch == ']' || ch == '/')
            fail("invalid character in host");
    }
    if (port_part.empty()) fail("missing port");
    const bool digits_only = std::all_of(port_part.begin(), port_part.end(),
                                         [](char ch) { return ch >= '0' && ch <= '9'; });
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port_part.data(), port_part.data() + port_part.size(), value);
    if (!digits_only || ec != std::errc{} || end != port_part.data() + port_part.size() ||
        value > std::numeric_limits<std::uint16_t>::max()) {
        fail("port must be 0..65535");
    }
    host.assign(host_part);
    port = static_cast<std::uint16_t>(value);
}

config apply_env(config base, const env_lookup& getenv) {
    if (!getenv) return base;
    // A variable that is set but empty counts as unset.
    auto get = [&](const char* name) -> std::string_view {
        const char* value = getenv(name);
        return value ? std::string_view(value) : std::string_view();
    };
    if (auto v = get("CUSTOMERS_LISTEN"); !v.empty())
        parse_listen(v, "CUSTOMERS_LISTEN", base.listen_host, base.listen_port);
    if (auto v = get("CUSTOMERS_REDIS_URL"); !v.empty()) {
        detail::check_redis_url(v, "CUSTOMERS_REDIS_URL");
        base.redis.url.assign(v);
    }
    if (auto v = get("CUSTOMERS_THREADS"); !v.empty()) {
        base.threads = static_cast<unsigned>(
            detail::parse_integer(v, "CUSTOMERS_THREADS", 0, detail::max_threads));
    }
    if (auto v = get("CUSTOMERS_LOG_LEVEL"); !v.empty()) {
        detail::check_log_level(v, "CUSTOMERS_LOG_LEVEL");
        base.log_level.assign(v);
    }
    if (auto v = get("CUSTOMERS_ACCESS_LOG"); !v.empty()) {
        if (v == "true" || v == "1")
            base.access_log = true;
        else if (v == "false" || v == "0")
            base.access_log = false;
        else
            throw config_error("CUSTOMERS_ACCESS_LOG",
                               "expected true, false, 1 or 0, got \"" + std::string(v) + "\"");
    }
    return base;
}

void validate(const config& c) {
    using detail::check_range;
    static constexpr auto big = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
    auto as_i64 = [](std::size_t v) { return static_cast<std::int64_t>(std::min(v, big)); };
    auto check_ms = [](milliseconds value, std::string_view key) {
        check_range(value.count(), key, detail::min_timeout_ms, detail::max_timeout_ms, "ms");
    };

    // listen_port is a uint16_t, so any value is in range; 0 asks the kernel for
    // a free port (tests rely on it).
    if (c.listen_host.empty()) throw config_error("listen", "empty host");
    check_range(c.threads, "threads", 0, detail::max_threads);
    detail::check_log_level(c.log_level, "log_level");

    check_ms(c.http.header_timeout, "http.header_timeout_ms");
    check_ms(c.http.body_timeout, "http.body_timeout_ms");
    check_ms(c.http.idle_timeout, "http.idle_timeout_ms");
    check_range(as_i64(c.http.max_header_bytes), "http.max_header_bytes", detail::min_header_bytes,
                detail::max_header_bytes, "bytes");
    check_range(as_i64(c.http.max_body_bytes), "http.max_body_bytes", detail::min_body_bytes,
                detail::max_body_bytes, "bytes");
    check_ms(c.http.shutdown_timeout, "http.shutdown_timeout_ms");
    check_range(as_i64(c.http.max_connections), "http.max_connections", detail::min_connections,
                detail::max_connections);
    check_range(c.http.max_auth_failures, "http.max_auth_failures", 0, detail::max_auth_failures);

    detail::check_redis_url(c.redis.url, "redis.url");
    check_ms(c.redis.command_timeout, "redis.command_timeout_ms");
    check_ms(c.redis.connect_timeout, "redis.connect_timeout_ms");
    check_ms(c.redis.reconnect_min, "redis.reconnect_min_ms");
    check_ms(c.redis.reconnect_max, "redis.reconnect_max_ms");
    if (c.redis.reconnect_min > c.redis.reconnect_max) {
        throw config_error("redis.reconnect_min_ms",
                           "must not exceed redis.reconnect_max_ms (" +
                               std::to_string(c.redis.reconnect_min.count()) + " > " +
                               std::to_string(c.redis.reconnect_max.count()) + ")");
    }

    check_range(c.rate_limit.requests_per_second, "rate_limit.requests_per_second", 0,
                detail::max_rate);
    check_range(c.rate_limit.burst, "rate_limit.burst", 0, detail::max_rate);
    // One without the other is a mistake, not a way to turn the limit off.
    if ((c.rate_limit.requests_per_second == 0) != (c.rate_limit.burst == 0)) {
        throw config_error(
            c.rate_limit.burst == 0 ? "rate_limit.burst" : "rate_limit.requests_per_second",
            "rate_limit.requests_per_second and rate_limit.burst must both be 0 "
            "(no limit) or both be at least 1");
    }
}

config load(const cli_flags& flags, const env_lookup& getenv) {
    config c;
    if (!flags.config_file.empty()) c = apply_json_file(std::move(c), flags.config_file);
    c = apply_env(std::move(c), getenv);
    c = apply_flags(std::move(c), flags);
    validate(c);
    return c;
}

}  // namespace customers::app
