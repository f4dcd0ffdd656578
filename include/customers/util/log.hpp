#pragma once
// Minimal levelled logger to stderr. Start-up, shutdown and faults only; the
// per-request hot path does not log.

#include <optional>
#include <sstream>
#include <string_view>

namespace customers::log {

enum class level { debug = 0, info = 1, warn = 2, error = 3, off = 4 };

std::optional<level> parse_level(std::string_view name);
void set_level(level l);
bool enabled(level l);
void write(level l, std::string_view message);

namespace detail {
template <typename... Args>
void emit(level l, const Args&... args) {
    if (!enabled(l)) return;
    std::ostringstream out;
    (out << ... << args);
    write(l, out.str());
}
}  // namespace detail

template <typename... Args>
void debug(const Args&... args) {
    detail::emit(level::debug, args...);
}
template <typename... Args>
void info(const Args&... args) {
    detail::emit(level::info, args...);
}
template <typename... Args>
void warn(const Args&... args) {
    detail::emit(level::warn, args...);
}
template <typename... Args>
void error(const Args&... args) {
    detail::emit(level::error, args...);
}

}  // namespace customers::log
