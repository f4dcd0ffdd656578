#pragma once
// What a run measured, and its two renderings: a human summary and JSON.

#include <cstdint>
#include <optional>
#include <string>

#include "loadgen/histogram.hpp"

namespace loadgen {

// Counters of one thread, merged into the result at the end. Everything is
// counted only inside the measured window (after the warmup), by when it
// happened: a response when it completed (its latency may have started
// during the warmup), an error when it was detected.
struct stats {
    histogram latency_us;              // every response, any status
    std::uint64_t status[6] = {};      // by class: [2] = 2xx .. [5] = 5xx
    std::uint64_t connect_errors = 0;  // failed connection attempts
    // Requests lost (never answered), by cause:
    std::uint64_t io_errors = 0;  // read/write errors, malformed responses
    std::uint64_t timeouts = 0;   // in flight when a request passed --timeout
    std::uint64_t closed = 0;     // in flight when the server closed the connection
    std::uint64_t reconnects = 0;
    // Due or in flight when the run ended (open loop: the backlog).
    std::uint64_t incomplete = 0;

    void merge(const stats& other);
};

struct result {
    bool open_loop = false;
    std::optional<double> target_rate;
    int connections = 0;
    int pipeline = 0;
    int threads = 0;
    double duration_s = 0;  // the measured window, shorter if ids ran out
    bool ids_exhausted = false;
    bool connected = false;  // some connection was established
    std::string error;       // why nothing could connect, if so
    stats totals;

    std::uint64_t requests() const;  // responses of any status
    double rps() const;
    std::uint64_t errors_total() const;  // all but 2xx/3xx: connect, lost, 4xx, 5xx
};

// A few lines for a terminal.
std::string summary(const result& r);
// {"mode":..,"target_rate":..,...,"histogram":[[upper_us,count],...]}.
std::string to_json(const result& r);

}  // namespace loadgen
