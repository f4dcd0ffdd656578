#pragma once
// RFC 3339 timestamps in UTC with milliseconds (2026-11-24T23:54:35.123Z),
// as the server log and the access log write them. The access log caches the
// part up to the second, hence the pieces.

#include <chrono>
#include <cstdint>
#include <string>

namespace customers::util {

// "2026-11-24T23:54:35" for a count of seconds since the epoch.
void append_utc_second(std::string& out, std::int64_t epoch_seconds);

// "123Z" for 0 <= ms < 1000.
void append_millis_z(std::string& out, std::int64_t ms);

// Both, with the '.' between them.
void append_rfc3339_ms(std::string& out, std::chrono::system_clock::time_point t);

}  // namespace customers::util
