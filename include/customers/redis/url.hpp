#pragma once
// Redis endpoint URLs: redis://[[user]:password@]host[:port][/db] and
// unix:///path/to/redis.sock[?db=N]. Pure parsing, no I/O.

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

namespace customers::redis {

struct endpoint {
    enum class kind { tcp, unix_socket };
    kind transport = kind::tcp;
    std::string host = "127.0.0.1";  // tcp
    std::uint16_t port = 6379;       // tcp
    std::string path;                // unix_socket
    std::string username;            // empty: AUTH with password only
    std::string password;            // empty: no AUTH
    int db = 0;

    // For logs: the URL with the password masked.
    std::string redacted() const;
};

struct url_error {
    std::string message;  // e.g. "port must be 1..65535"
};

boost::system::result<endpoint, url_error> parse_url(std::string_view url);

// Lets result<endpoint, url_error>::value() compile: it throws
// std::invalid_argument carrying the message.
[[noreturn]] void throw_exception_from_error(const url_error& e, const boost::source_location& loc);

}  // namespace customers::redis
