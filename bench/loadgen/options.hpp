#pragma once
// The run's settings, and the command line that produces them:
//
//   loadgen --url http://HOST:PORT [--connections N=64] [--threads T=1]
//           [--duration 10s] [--warmup 0s] [--rate R] [--pipeline D=1]
//           [--method GET] [--path /healthz] [--body STR] | [--mix FILE]
//           [--ids FILE] [--header "Name: value"]... [--timeout 5s] [--json OUT]

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loadgen/workload.hpp"

namespace loadgen {

using duration = std::chrono::nanoseconds;

struct options {
    std::string host = "127.0.0.1";  // as in the URL ([::1] without brackets)
    std::string port = "80";
    int connections = 64;
    int threads = 1;
    duration run_time = std::chrono::seconds(10);
    duration warmup = duration::zero();
    duration timeout = std::chrono::seconds(5);
    std::optional<double> rate;  // requests/s in total; nullopt = closed loop
    int pipeline = 1;
    std::vector<request_kind> mix{request_kind{}};
    std::vector<std::string> ids;
    std::vector<std::string> headers;  // "Name: value"
    std::string json_path;

    // The Host header: host[:port] (port omitted when 80).
    std::string host_header() const;
};

// "500ms", "10s", "2m", "1h", "250us", "1.5s"; a bare number is seconds.
std::optional<duration> parse_duration(std::string_view text);

// http://HOST[:PORT][/]; sets host and port. False for anything else
// (https, a path: paths belong in --path or --mix).
bool parse_url(std::string_view url, options& out, std::string& error);

struct parsed_args {
    std::optional<options> opts;  // set when the command line is valid
    bool help = false;            // --help: print usage(), exit 0
    std::string error;            // otherwise: why (exit 2)
};

// Parses argv (reading --mix and --ids files too); `--name value` or
// `--name=value`.
parsed_args parse_args(int argc, const char* const* argv);
std::string usage();

}  // namespace loadgen
