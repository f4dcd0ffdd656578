#include "customers/util/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

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
    using namespace std::chrono;
    auto now = system_clock::now();
    std::time_t secs = system_clock::to_time_t(now);
    auto millis = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    // One fprintf per line so lines from different threads do not interleave.
    std::fprintf(stderr, "%s.%03dZ %s %.*s\n", stamp, static_cast<int>(millis), level_name(l),
                 static_cast<int>(message.size()), message.data());
}

}  // namespace customers::log
