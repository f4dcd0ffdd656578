#pragma once
// Internal to src/app: the range limits and value checks shared by the JSON,
// environment and flag layers and by validate(), so that every layer reports
// an out-of-range value under its own key (JSON path, variable or flag name).

#include <cstdint>
#include <string>
#include <string_view>

#include "customers/app/config.hpp"

namespace customers::app::detail {

inline constexpr std::int64_t max_threads = 1024;
inline constexpr std::int64_t min_timeout_ms = 1;
inline constexpr std::int64_t max_timeout_ms = 3'600'000;  // 1 hour
inline constexpr std::int64_t min_header_bytes = 1024;
inline constexpr std::int64_t max_header_bytes = 1024 * 1024;  // 1 MiB
inline constexpr std::int64_t min_body_bytes = 1;
inline constexpr std::int64_t max_body_bytes = 16 * 1024 * 1024;  // 16 MiB
inline constexpr std::int64_t min_connections = 1;
inline constexpr std::int64_t max_connections = 10'000'000;
inline constexpr std::int64_t max_auth_failures = 1'000'000;
inline constexpr std::int64_t max_rate = 1'000'000;  // requests per second, and burst

// Throws config_error(key, "must be between MIN and MAX[ UNIT], got GOT").
[[noreturn]] void throw_out_of_range(std::string_view key, std::int64_t min, std::int64_t max,
                                     std::string_view unit, std::string_view got);

// Throws unless min <= value <= max.
void check_range(std::int64_t value, std::string_view key, std::int64_t min, std::int64_t max,
                 std::string_view unit = {});

// Decimal digits only (no sign, no spaces), then check_range.
std::int64_t parse_integer(std::string_view text, std::string_view key, std::int64_t min,
                           std::int64_t max);

// One of debug, info, warn, error, off (log::parse_level).
void check_log_level(std::string_view level, std::string_view key);

// redis::parse_url must accept it.
void check_redis_url(std::string_view url, std::string_view key);

}  // namespace customers::app::detail
