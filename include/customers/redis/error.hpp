#pragma once
// Transport-level failures of a Redis command. A Redis error *reply* (e.g.
// WRONGTYPE) is not one of these: it arrives as a reply of type error.

#include <boost/system/error_code.hpp>

namespace customers::redis {

enum class error {
    not_connected = 1,  // failed fast: no live connection right now
    timeout,            // no reply within the command deadline
    connection_lost,    // the connection dropped with the command in flight
    protocol_error,     // the reply stream could not be parsed
    shutting_down,      // the connection was stopped
};

const boost::system::error_category& error_category() noexcept;

inline boost::system::error_code make_error_code(error e) noexcept {
    return {static_cast<int>(e), error_category()};
}

}  // namespace customers::redis

template <>
struct boost::system::is_error_code_enum<customers::redis::error> : std::true_type {};
