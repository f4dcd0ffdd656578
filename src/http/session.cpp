#include "customers/http/session.hpp"

#include <algorithm>

#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

#include "customers/http/common_headers.hpp"
#include "customers/http/errors.hpp"
#include "customers/http/lingering_close.hpp"
#include "customers/http/request_checks.hpp"
#include "customers/http/response_writer.hpp"
#include "customers/util/use_tuple.hpp"

namespace customers::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using util::use_tuple;

// The most a connection's buffer may hold. Body bytes only pass through it
// (the parser moves them into the body as they arrive), but Beast keeps a
// chunk-size line with its extensions, and the whole trailer section, in the
// buffer until they end, and bounds neither: without this bound a client
// sending "1;aaaa..." grows it by all it sends. A header-sized allowance for
// those, plus room for what follows a complete header; the parser's own
// header limit fires before the buffer fills while a header is read.
std::size_t connection_buffer_limit(const config& c) {
    return c.max_header_bytes + 4096;
}

// What to answer when reading a request failed; nullopt: close silently
// (the peer went away, or nothing of a request had arrived).
std::optional<response> response_for_read_error(const boost::system::error_code& ec) {
    if (ec == bhttp::error::header_limit)
        return make_error(status::request_header_fields_too_large,
                          "the request header is larger than the server accepts");
    if (ec == bhttp::error::body_limit)
        return make_error(status::payload_too_large,
                          "the request body is larger than the server accepts");
    // The connection's buffer is full (connection_buffer_limit): Beast
    // keeps a chunk-size line and the trailer section whole in it.
    if (ec == bhttp::error::buffer_overflow)
        return make_error(status::request_header_fields_too_large,
                          "a chunk-size line or the trailer section of the request is larger "
                          "than the server accepts");
    // beast::error::timeout: tcp_stream has already closed the socket, so
    // there is nobody to send a 408 to (nginx also just closes).
    if (ec == beast::error::timeout || ec == bhttp::error::end_of_stream ||
        ec == bhttp::error::partial_message || ec == asio::error::eof ||
        ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
        ec == asio::error::broken_pipe)
        return std::nullopt;
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category())
        return make_error(status::bad_request, "malformed HTTP request: " + ec.message());
    return std::nullopt;
}

std::string request_id_of(const request& req) {
    const auto it = req.find("X-Request-Id");
    if (it != req.end() && is_safe_request_id(it->value())) return std::string(it->value());
    return fresh_request_id();
}

bool expects_continue(const request& req) {
    const auto it = req.find(bhttp::field::expect);
    return it != req.end() && beast::iequals(it->value(), "100-continue");
}

// How reading a request header ended: an I/O or parse error, or a
// framing rule of request_checks.hpp that refused it (a 400).
struct header_outcome {
    boost::system::error_code ec;
    std::string_view refusal;
};

// Reads until `parser` has the whole header of the request at the start of
// `buffer`, as bhttp::async_read_header does, but shows each complete header
// to the framing checks first: obs-fold must be refused before Beast's
// parser quietly unfolds it.
asio::awaitable<header_outcome> read_header(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                            bhttp::request_parser<bhttp::string_body>& parser) {
    for (;;) {
        const auto bytes = buffer.cdata();
        const std::string_view text(static_cast<const char*>(bytes.data()), bytes.size());
        if (has_folded_line(text))
            co_return header_outcome{{}, "malformed HTTP request: obsolete line folding"};
        boost::system::error_code ec;
        buffer.consume(parser.put(bytes, ec));
        if (!ec && parser.is_header_done()) {
            const std::string_view refusal = framing_violation(parser.get());
            co_return header_outcome{{}, refusal};
        }
        if (ec && ec != bhttp::error::need_more) co_return header_outcome{ec, {}};
        // At most what the buffer's bound leaves; the parser's header limit,
        // below that bound, reports a header too large before room runs out.
        const std::size_t room = beast::read_size(buffer, 64 * 1024);
        if (room == 0) co_return header_outcome{bhttp::error::header_limit, {}};
        auto [rec, n] = co_await stream.async_read_some(buffer.prepare(room), use_tuple);
        if (rec == asio::error::eof)
            co_return header_outcome{
                buffer.size() == 0 ? bhttp::error::end_of_stream : bhttp::error::partial_message,
                {}};
        if (rec) co_return header_outcome{rec, {}};
        buffer.commit(n);
    }
}

// What serving one request decided about the connection.
enum class outcome { keep_open, close, linger_close };

// Reads, dispatches and answers one request whose first bytes are in
// `buffer`. Its own coroutine frame holds the parser and the response, so
// an idle connection does not carry them between requests.
asio::awaitable<outcome> serve_request(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                       std::string& head, unsigned& auth_failures,
                                       session_context& ctx) {
    const auto started = std::chrono::steady_clock::now();  // request duration metric
    const config& lim = ctx.limits;
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(lim.max_header_bytes));
    parser.body_limit(lim.max_body_bytes);

    stream.expires_after(lim.header_timeout);
    const header_outcome header = co_await read_header(stream, buffer, parser);
    boost::system::error_code read_ec = header.ec;
    if (!read_ec && header.refusal.empty() && !parser.is_done()) {
        if (expects_continue(parser.get())) {
            static constexpr std::string_view cont = "HTTP/1.1 100 Continue\r\n\r\n";
            stream.expires_after(lim.body_timeout);
            auto [cec, cn] = co_await asio::async_write(stream, asio::buffer(cont), use_tuple);
            if (cec) co_return outcome::close;
        }
        stream.expires_after(lim.body_timeout);
        auto [bec, bn] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
        read_ec = bec;
    }

    response res;
    request_facts facts;
    verb method = parser.is_header_done() ? parser.get().method() : verb::unknown;
    std::string request_id;
    bool keep_alive = false;
    bool too_many_auth_failures = false;
    bool head_request = false;
    unsigned version = 11;
    if (!header.refusal.empty()) {
        res = make_error(status::bad_request, header.refusal);
        request_id = fresh_request_id();
    } else if (read_ec) {
        std::optional<response> err = response_for_read_error(read_ec);
        if (!err) co_return outcome::close;
        res = std::move(*err);
        request_id = fresh_request_id();
    } else {
        request req = parser.release();
        request_id = request_id_of(req);
        version = req.version();
        head_request = req.method() == verb::head;
        res = co_await ctx.handler.handle(req, facts);
        keep_alive = req.keep_alive() && !ctx.tracker.shutting_down();
        // The session counts 401s without knowing why they were given: at
        // http.max_auth_failures the connection is closed, so a client
        // guessing tokens pays a new connection every few guesses.
        if (res.result() == status::unauthorized && lim.max_auth_failures > 0 &&
            ++auth_failures >= lim.max_auth_failures) {
            too_many_auth_failures = true;
            keep_alive = false;
        }
    }

    write_head(res, {request_id, keep_alive, version}, head);
    // A response to HEAD has the head of the response GET would get (its
    // Content-Length included) and never a body (RFC 9110 §9.3.2): a body
    // would be read as the start of the next response.
    const std::array<asio::const_buffer, 2> out{
        asio::buffer(head), head_request ? asio::const_buffer{} : asio::buffer(res.body())};
    stream.expires_after(lim.body_timeout);
    auto [wec, wn] = co_await asio::async_write(stream, out, use_tuple);
    const bool unreadable = read_ec || !header.refusal.empty();
    if (ctx.observer)
        ctx.observer->on_answered({method, unreadable ? no_route : facts.route, res.result_int(),
                                   started, head_request ? 0 : res.body().size(), request_id,
                                   facts.project_id});
    // The rest of the stream cannot be trusted, or may hold pipelined
    // requests that will not be answered (they must not reset the connection
    // before the client has read this response).
    if (unreadable || too_many_auth_failures) co_return outcome::linger_close;
    co_return wec || !keep_alive ? outcome::close : outcome::keep_open;
}

}  // namespace

asio::awaitable<void> run_session(beast::tcp_stream stream, session_context& ctx) {
    connection_tracker::scoped tracked(ctx.tracker, stream);
    beast::flat_buffer buffer(connection_buffer_limit(ctx.limits));
    std::string head;  // reused: its capacity survives from request to request
    outcome last = outcome::keep_open;
    unsigned auth_failures = 0;  // 401s answered on this connection

    while (last == outcome::keep_open && !ctx.tracker.shutting_down()) {
        tracked.set_busy(false);
        if (buffer.size() == 0) {
            // Idle keep-alive: wait for the first bytes of the next request
            // in a small buffer of the connection's own (every pending read
            // needs its own memory: the reactor may fill several in one
            // pass). One that a large request grew is given back first, so
            // 10,000 idle connections hold 512 bytes each, not 64 KiB.
            if (buffer.capacity() > 2048) buffer.shrink_to_fit();
            stream.expires_after(ctx.limits.idle_timeout);
            auto [ec, n] = co_await stream.async_read_some(buffer.prepare(512), use_tuple);
            if (ec) break;
            buffer.commit(n);
        }
        tracked.set_busy(true);
        last = co_await serve_request(stream, buffer, head, auth_failures, ctx);
    }
    if (last == outcome::linger_close) co_await lingering_close(stream);
    boost::system::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream.socket().close(ignored);
}

}  // namespace customers::http
