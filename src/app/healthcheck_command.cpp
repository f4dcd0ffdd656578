#include "customers/app/healthcheck_command.hpp"

#include <algorithm>
#include <charconv>
#include <iostream>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "config_checks.hpp"
#include "customers/util/use_tuple.hpp"

namespace customers::app {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

constexpr std::string_view usage =
    "usage: customers-server healthcheck [--url http://HOST:PORT/PATH] [--timeout-ms N] "
    "[--config FILE] [--listen HOST:PORT]\n";
constexpr std::int64_t default_timeout_ms = 2'000;
constexpr std::int64_t max_timeout_ms = 60'000;
// /healthz answers a few dozen bytes; anything much larger is not our server.
constexpr std::size_t max_response_bytes = 64 * 1024;

struct healthcheck_args {
    std::string url, timeout_ms;
    std::vector<std::string_view> rest;  // shared server flags (--config, --listen, ...)
};

// Takes --url and --timeout-ms out; the rest go to parse_flags().
healthcheck_args split_args(std::span<const std::string_view> args) {
    healthcheck_args h;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view a = args[i];
        bool taken = false;
        for (auto [flag, field] :
             {std::pair{"--url", &h.url}, std::pair{"--timeout-ms", &h.timeout_ms}}) {
            const std::string_view f = flag;
            std::string_view value;
            if (a == f) {
                if (i + 1 >= args.size()) throw config_error(std::string(f), "missing value");
                value = args[++i];
            } else if (a.starts_with(f) && a.size() > f.size() && a[f.size()] == '=') {
                value = a.substr(f.size() + 1);
            } else {
                continue;
            }
            if (!field->empty()) throw config_error(std::string(f), "given more than once");
            if (value.empty()) throw config_error(std::string(f), "missing value");
            field->assign(value);
            taken = true;
        }
        if (!taken) h.rest.push_back(a);
    }
    return h;
}

std::string host_header(const probe_target& t) {
    const bool v6 = t.host.find(':') != std::string::npos;
    return (v6 ? "[" + t.host + "]" : t.host) + ":" + std::to_string(t.port);
}

std::string describe(const probe_target& t) {
    return "http://" + host_header(t) + t.path;
}

// What came back: a status, or why there is none.
struct probe_outcome {
    unsigned status = 0;
    std::string failure;  // empty when a complete response arrived
};

asio::awaitable<probe_outcome> probe(const probe_target& t) {
    const auto ex = co_await asio::this_coro::executor;

    tcp::resolver resolver(ex);
    auto [resolve_ec, endpoints] =
        co_await resolver.async_resolve(t.host, std::to_string(t.port), util::use_tuple);
    if (resolve_ec) co_return probe_outcome{0, "cannot resolve: " + resolve_ec.message()};

    beast::tcp_stream stream(ex);
    auto [connect_ec, endpoint] = co_await stream.async_connect(endpoints, util::use_tuple);
    if (connect_ec) co_return probe_outcome{0, "cannot connect: " + connect_ec.message()};

    http::request<http::empty_body> req{http::verb::get, t.path, 11};
    req.set(http::field::host, host_header(t));
    req.set(http::field::user_agent, "customers-server-healthcheck");
    req.set(http::field::connection, "close");
    auto [write_ec, written] = co_await http::async_write(stream, req, util::use_tuple);
    if (write_ec) co_return probe_outcome{0, "cannot send the request: " + write_ec.message()};

    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.header_limit(max_response_bytes);
    parser.body_limit(max_response_bytes);
    auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, util::use_tuple);
    if (read_ec) co_return probe_outcome{0, "no valid response: " + read_ec.message()};
    co_return probe_outcome{parser.get().result_int(), {}};
}

bool has_control_or_space(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char ch) {
        return static_cast<unsigned char>(ch) <= ' ' || static_cast<unsigned char>(ch) == 0x7f;
    });
}

std::optional<std::uint16_t> parse_port(std::string_view text) {
    unsigned value = 0;
    if (text.empty() ||
        !std::all_of(text.begin(), text.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
        return std::nullopt;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value == 0 || value > 65535)
        return std::nullopt;
    return static_cast<std::uint16_t>(value);
}

}  // namespace

std::optional<probe_target> parse_probe_url(std::string_view url) {
    constexpr std::string_view scheme = "http://";
    if (url.size() < scheme.size() || has_control_or_space(url)) return std::nullopt;
    for (std::size_t i = 0; i < scheme.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(url[i])) != scheme[i]) return std::nullopt;
    }
    url.remove_prefix(scheme.size());

    const auto authority_end = std::min(url.find('/'), url.find('?'));
    std::string_view authority = url.substr(0, authority_end);
    const std::string_view rest =
        authority_end == std::string_view::npos ? std::string_view{} : url.substr(authority_end);
    if (authority.find('@') != std::string_view::npos) return std::nullopt;

    probe_target t;
    std::string_view port_text;
    if (authority.starts_with('[')) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        t.host = authority.substr(1, close - 1);
        if (t.host.find(':') == std::string::npos) return std::nullopt;
        const std::string_view after = authority.substr(close + 1);
        if (!after.empty() && !after.starts_with(':')) return std::nullopt;
        if (!after.empty()) port_text = after.substr(1);
        if (!after.empty() && port_text.empty()) return std::nullopt;
    } else {
        const auto colon = authority.find(':');
        t.host = authority.substr(0, colon);
        if (colon != std::string_view::npos) {
            port_text = authority.substr(colon + 1);
            if (port_text.empty()) return std::nullopt;
        }
        if (t.host.find_first_of("[]") != std::string::npos) return std::nullopt;
    }
    if (t.host.empty()) return std::nullopt;
    if (!port_text.empty()) {
        auto port = parse_port(port_text);
        if (!port) return std::nullopt;
        t.port = *port;
    }
    if (rest.empty()) {
        t.path = "/";
    } else if (rest.starts_with('?')) {
        t.path = "/" + std::string(rest);
    } else {
        t.path = rest;
    }
    return t;
}

probe_target default_probe_target(const config& cfg) {
    if (cfg.listen_port == 0)
        throw config_error("listen", "port 0 is picked by the kernel at start-up; pass --url");
    probe_target t;
    t.host = cfg.listen_host;
    if (t.host == "0.0.0.0") t.host = "127.0.0.1";
    if (t.host == "::") t.host = "::1";
    t.port = cfg.listen_port;
    t.path = "/healthz";
    return t;
}

int run_healthcheck_command(std::span<const std::string_view> args, const env_lookup& getenv) {
    probe_target target;
    std::int64_t timeout_ms = default_timeout_ms;
    try {
        const healthcheck_args h = split_args(args);
        if (!h.timeout_ms.empty())
            timeout_ms = detail::parse_integer(h.timeout_ms, "--timeout-ms", 1, max_timeout_ms);
        if (!h.url.empty()) {
            auto parsed = parse_probe_url(h.url);
            if (!parsed) throw config_error("--url", "expected http://HOST[:PORT][/PATH]");
            target = std::move(*parsed);
        } else {
            target = default_probe_target(load(parse_flags(h.rest), getenv));
        }
    } catch (const config_error& e) {
        std::cerr << "customers-server healthcheck: " << e.what() << "\n" << usage;
        return 2;
    }

    // One deadline for the whole exchange: resolve, connect, write, read.
    asio::io_context ioc{1};
    std::optional<probe_outcome> outcome;
    asio::co_spawn(ioc, probe(target), [&](std::exception_ptr e, probe_outcome o) {
        if (e) std::rethrow_exception(e);
        outcome = std::move(o);
    });
    ioc.run_for(std::chrono::milliseconds(timeout_ms));

    std::string failure;
    if (!outcome) {
        failure = "no response within " + std::to_string(timeout_ms) + " ms";
    } else if (!outcome->failure.empty()) {
        failure = outcome->failure;
    } else if (outcome->status < 200 || outcome->status > 299) {
        failure = "status " + std::to_string(outcome->status);
    }
    if (failure.empty()) return 0;
    std::cerr << "customers-server healthcheck: " << describe(target) << ": " << failure << "\n";
    return 1;
}

}  // namespace customers::app
