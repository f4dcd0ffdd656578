#pragma once
// What a redis::connection counts about its commands. Written only by the
// connection's own thread; read by the metrics scrape (see counter.hpp).

#include <array>
#include <cstddef>
#include <string_view>

#include "customers/obs/counter.hpp"

namespace customers::obs {

enum class redis_result : std::size_t {
    ok,           // a reply that is not an error reply
    error,        // an error reply (WRONGTYPE, a script error...) or an unparsable one
    timeout,      // no reply within the command deadline
    unavailable,  // not sent or lost: no connection, connection dropped, shutting down
};
inline constexpr std::size_t redis_result_count = 4;

constexpr std::string_view redis_result_label(std::size_t r) noexcept {
    constexpr std::array<std::string_view, redis_result_count> names{"ok", "error", "timeout",
                                                                     "unavailable"};
    return names[r];
}

struct redis_metrics {
    std::array<single_writer_counter, redis_result_count> commands;  // by result
    duration_histogram round_trips;   // one observation per exec()/exec_batch() sent
    single_writer_counter connected;  // 1 while the connection is up

    void count(redis_result r, std::uint64_t n = 1) noexcept {
        commands[static_cast<std::size_t>(r)].add(n);
    }
};

}  // namespace customers::obs
