#pragma once
// Keeps a repeated warning from flooding the log: the first line of each kind
// is written, then at most one per interval, saying how many like it were
// held back meanwhile. A failover that fails every request must cost a few
// lines, not one per request. Thread-safe: one instance serves every I/O
// thread (this runs on failure paths only, so a mutex is cheap enough). The
// clock is a parameter of admit(), so the policy is testable without sleeping.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "customers/util/log.hpp"

namespace customers::log {

class throttle {
  public:
    using clock = std::chrono::steady_clock;

    // At most `max_kinds` kinds are tracked; beyond them, new kinds share one
    // window, so a stream of ever-different messages stays bounded too.
    explicit throttle(clock::duration interval, std::size_t max_kinds = 64);

    // Empty: hold this line back (it is counted). Otherwise write it, with
    // the number of lines of its kind held back since the last one written.
    std::optional<std::uint64_t> admit(std::string_view kind, clock::time_point now);

  private:
    struct window {
        clock::time_point opened;
        std::uint64_t held_back = 0;
    };

    std::mutex mutex_;
    std::unordered_map<std::string, window> windows_;
    clock::duration interval_;
    std::size_t max_kinds_;
};

// log::warn through a throttle: `kind` groups lines that say the same thing
// (e.g. the operation and the error code, not the full message).
template <typename... Args>
void warn_throttled(throttle& t, std::string_view kind, const Args&... args) {
    if (!enabled(level::warn)) return;
    const auto held_back = t.admit(kind, throttle::clock::now());
    if (!held_back) return;
    if (*held_back == 0)
        warn(args...);
    else
        warn(args..., " (", *held_back, " more like this since the last such line)");
}

}  // namespace customers::log
