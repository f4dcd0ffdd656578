#pragma once
// Headers every response carries. The Date value is formatted at most once a
// second per thread; request ids are echoed when they are a safe token and
// generated otherwise.

#include <string>
#include <string_view>

namespace customers::http {

inline constexpr std::string_view server_name = "customers-api";

// RFC 9110 IMF-fixdate of the current second, cached per thread.
std::string_view cached_http_date();

// 1..64 chars of [A-Za-z0-9._-]: safe to echo into a header and a log line.
bool is_safe_request_id(std::string_view id) noexcept;

// 16 random [A-Za-z0-9] characters (not secret: a fast per-thread PRNG).
std::string fresh_request_id();

}  // namespace customers::http
