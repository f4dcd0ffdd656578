#include "customers/util/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>

#include "customers/util/time_format.hpp"

namespace customers::log {
namespace {
std::atomic<int> current_level{static_cast<int>(level::info)};

const char* level_name(level l) {
    switch (l) {
        case level::debug:
            return "debug";
        case level::info:
            return "info";
        case level::warn:
            return "warn";
        case level::error:
            return "error";
        case level::off:
            return "off";
    }
    return "?";
}
}  // namespace

std::optional<level> parse_level(std::string_view name) {
    for (auto l : {level::debug, level::info, level::warn, level::error, level::off})
        if (name == level_name(l)) return l;
    return std::nullopt;
}

void set_level(level l) {
    current_level.store(static_cast<int>(l), std::memory_order_relaxed);
}

bool enabled(level l) {
    return static_cast<int>(l) >= current_level.load(std::memory_order_relaxed);
}

void write(level l, std::string_view message) {
    std::string stamp;
    util::append_rfc3339_ms(stamp, std::chrono::system_clock::now());
    // One fprintf per line so lines from different threads do not interleave.
    std::fprintf(stderr, "%s %s %.*s\n", stamp.c_str(), level_name(l),
                 static_cast<int>(message.size()), message.data());
}

}  // namespace customers::log
