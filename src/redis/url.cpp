#include "customers/redis/url.hpp"

#include <charconv>
#include <limits>
#include <optional>
#include <stdexcept>

#include <sys/un.h>

namespace customers::redis {
namespace {

using parse_result = boost::system::result<endpoint, url_error>;

constexpr std::string_view tcp_form = "redis://[[user]:password@]host[:port][/db]";
constexpr std::string_view unix_form = "unix:///path/to/redis.sock[?db=N]";

url_error fail(std::string message) {
    return url_error{std::move(message)};
}

std::string lowercase(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// RFC 3986 percent-decoding; empty optional on a malformed escape.
std::optional<std::string> percent_decode(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out.push_back(in[i]);
            continue;
        }
        if (i + 2 >= in.size()) return std::nullopt;  // '%' needs two hex digits
        const int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
    }
    return out;
}

// Digits only (no sign, no spaces), within [min, max].
std::optional<long long> parse_number(std::string_view s, long long min, long long max) {
    if (s.empty()) return std::nullopt;
    for (char c : s)
        if (c < '0' || c > '9') return std::nullopt;
    long long value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || end != s.data() + s.size() || value < min || value > max)
        return std::nullopt;
    return value;
}

std::optional<url_error> parse_db(std::string_view text, endpoint& ep) {
    auto db = parse_number(text, 0, std::numeric_limits<int>::max());
    if (!db) return fail("db must be a non-negative integer, got '" + std::string(text) + "'");
    ep.db = static_cast<int>(*db);
    return std::nullopt;
}

std::optional<url_error> parse_credentials(std::string_view userinfo, endpoint& ep) {
    const auto colon = userinfo.find(':');
    if (colon == std::string_view::npos)
        return fail("credentials must be written [user]:password@ (the ':' is required)");
    auto user = percent_decode(userinfo.substr(0, colon));
    if (!user) return fail("invalid percent-encoding in the username");
    auto password = percent_decode(userinfo.substr(colon + 1));
    if (!password) return fail("invalid percent-encoding in the password");
    if (password->empty()) return fail("the password after ':' is empty");
    ep.username = std::move(*user);
    ep.password = std::move(*password);
    return std::nullopt;
}

std::optional<url_error> parse_host_port(std::string_view hostport, endpoint& ep) {
    std::string_view host, port;
    bool has_port = false;
    if (!hostport.empty() && hostport.front() == '[') {
        const auto close = hostport.find(']');
        if (close == std::string_view::npos) return fail("missing ']' after an IPv6 address");
        host = hostport.substr(1, close - 1);
        auto after = hostport.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return fail("expected ':port' after ']'");
            has_port = true;
            port = after.substr(1);
        }
    } else {
        const auto colon = hostport.find(':');
        host = hostport.substr(0, colon);
        if (colon != std::string_view::npos) {
            if (hostport.find(':', colon + 1) != std::string_view::npos)
                return fail("an IPv6 address must be in brackets, e.g. redis://[::1]:6379");
            has_port = true;
            port = hostport.substr(colon + 1);
        }
    }
    if (host.empty()) return fail("missing host; expected " + std::string(tcp_form));
    for (char c : host)
        if (c == ' ' || c == '\t' || c == '%')
            return fail("invalid character in host '" + std::string(host) + "'");
    ep.host = std::string(host);
    if (has_port) {
        if (port.empty()) return fail("missing port after ':'");
        auto value = parse_number(port, 1, 65535);
        if (!value) return fail("port must be 1..65535, got '" + std::string(port) + "'");
        ep.port = static_cast<std::uint16_t>(*value);
    }
    return std::nullopt;
}

parse_result parse_tcp(std::string_view rest) {
    endpoint ep;
    const auto authority_end = rest.find_first_of("/?#");
    auto authority = rest.substr(0, authority_end);
    auto tail =
        authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);

    // The last '@' separates the credentials, so an unencoded '@' in a
    // password still parses.
    const auto at = authority.rfind('@');
    if (at != std::string_view::npos) {
        if (auto e = parse_credentials(authority.substr(0, at), ep)) return *e;
        authority = authority.substr(at + 1);
    }
    if (auto e = parse_host_port(authority, ep)) return *e;

    if (!tail.empty() && tail.front() == '?')
        return fail("query parameters are not supported in redis:// URLs; put the db in the path");
    if (!tail.empty() && tail.front() == '#') return fail("a URL fragment ('#') is not supported");
    if (tail.size() > 1)  // "/N"; a bare "/" means db 0
        if (auto e = parse_db(tail.substr(1), ep)) return *e;
    return ep;
}

parse_result parse_unix(std::string_view rest) {
    endpoint ep;
    ep.transport = endpoint::kind::unix_socket;
    if (rest.empty() || rest.front() != '/')
        return fail("unix:// URLs need an absolute path, e.g. " + std::string(unix_form));
    const auto query_start = rest.find_first_of("?#");
    auto path = percent_decode(rest.substr(0, query_start));
    if (!path) return fail("invalid percent-encoding in the socket path");
    if (*path == "/") return fail("missing socket path; expected " + std::string(unix_form));
    if (path->size() >= sizeof(sockaddr_un{}.sun_path))
        return fail("socket path is too long (at most " +
                    std::to_string(sizeof(sockaddr_un{}.sun_path) - 1) + " bytes)");
    ep.path = std::move(*path);

    if (query_start == std::string_view::npos) return ep;
    if (rest[query_start] == '#') return fail("a URL fragment ('#') is not supported");
    auto query = rest.substr(query_start + 1);
    while (!query.empty()) {
        const auto amp = query.find('&');
        auto param = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (param.starts_with("db=")) {
            if (auto e = parse_db(param.substr(3), ep)) return *e;
        } else {
            return fail("unknown query parameter '" + std::string(param) +
                        "' (only db=N is supported)");
        }
    }
    return ep;
}

}  // namespace

parse_result parse_url(std::string_view url) {
    const auto separator = url.find("://");
    if (separator == std::string_view::npos)
        return fail("missing scheme; expected " + std::string(tcp_form) + " or " +
                    std::string(unix_form));
    const std::string scheme = lowercase(url.substr(0, separator));
    const auto rest = url.substr(separator + 3);
    if (scheme == "redis") return parse_tcp(rest);
    if (scheme == "unix") return parse_unix(rest);
    if (scheme == "rediss")
        return fail("rediss:// (TLS) is not supported; use redis:// or a unix:// socket");
    return fail("unsupported scheme '" + scheme + "://'; expected redis:// or unix://");
}

std::string endpoint::redacted() const {
    std::string out;
    if (transport == kind::unix_socket) {
        out = "unix://" + path;
        if (db != 0) out += "?db=" + std::to_string(db);
        return out;
    }
    out = "redis://";
    if (!password.empty()) out.append(username).append(":***@");
    const bool ipv6 = host.find(':') != std::string::npos;
    if (ipv6)
        out.append("[").append(host).append("]");
    else
        out.append(host);
    out.append(":").append(std::to_string(port));
    if (db != 0) out.append("/").append(std::to_string(db));
    return out;
}

void throw_exception_from_error(const url_error& e, const boost::source_location&) {
    throw std::invalid_argument(e.message);
}

}  // namespace customers::redis
