#include "customers/http/listener.hpp"

#include <sys/socket.h>

#include <atomic>
#include <chrono>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include "customers/http/common_headers.hpp"
#include "customers/http/errors.hpp"
#include "customers/http/lingering_close.hpp"
#include "customers/http/response_writer.hpp"
#include "customers/util/exception_message.hpp"
#include "customers/util/log.hpp"
#include "customers/util/use_tuple.hpp"

namespace customers::http {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using util::use_tuple;

namespace {

// A connection beyond http.max_connections: a 503 in the contract's shape
// with Retry-After and Connection: close, written under a short deadline
// (a client that does not read cannot hold the descriptor), then a
// lingering close so that the answer is not destroyed by a reset.
asio::awaitable<void> refuse(boost::beast::tcp_stream stream) {
    response res = make_unavailable("the server has too many open connections; retry shortly");
    std::string head;
    write_head(res, {fresh_request_id(), false, 11}, head);
    const std::array<asio::const_buffer, 2> out{asio::buffer(head), asio::buffer(res.body())};
    stream.expires_after(std::chrono::seconds(1));
    auto [ec, n] = co_await asio::async_write(stream, out, use_tuple);
    if (!ec) co_await lingering_close(stream);
    boost::system::error_code ignored;
    stream.socket().close(ignored);
}

// The session, holding its place in the count until it ends.
asio::awaitable<void> serve_counted(boost::beast::tcp_stream stream,
                                    connection_limit::slot /*held*/, session_context& ctx) {
    co_await run_session(std::move(stream), ctx);
}

// At most one line a second however many are refused: a flood of
// connections must not become a flood of log lines.
void warn_refusing(const connection_limit& limit) {
    static std::atomic<std::int64_t> last_second{0};
    const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::steady_clock::now().time_since_epoch())
                                 .count();
    std::int64_t last = last_second.load(std::memory_order_relaxed);
    if (now == last || !last_second.compare_exchange_strong(last, now)) return;
    log::warn("refusing connections: http.max_connections (", limit.max(), ") are open");
}

void log_exception(std::exception_ptr e) {
    if (e) log::error("session ended by exception: ", util::exception_message(e));
}

}  // namespace

tcp::acceptor open_listener(asio::io_context& ioc, const std::string& host, std::uint16_t port) {
    tcp::resolver resolver(ioc);
    const auto results = resolver.resolve(host, std::to_string(port),
                                          tcp::resolver::passive | tcp::resolver::numeric_service);
    const tcp::endpoint ep = results.begin()->endpoint();
    tcp::acceptor acceptor(ioc);
    acceptor.open(ep.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    using reuse_port = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;
    acceptor.set_option(reuse_port(true));
    acceptor.bind(ep);
    acceptor.listen(asio::socket_base::max_listen_connections);
    return acceptor;
}

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, session_context& ctx) {
    asio::steady_timer backoff(acceptor.get_executor());
    while (acceptor.is_open()) {
        auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) break;
        if (ec) {
            // Out of descriptors or a transient network error: do not spin.
            log::warn("accept failed: ", ec.message());
            backoff.expires_after(std::chrono::milliseconds(50));
            co_await backoff.async_wait(use_tuple);
            continue;
        }
        boost::system::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        boost::beast::tcp_stream stream(std::move(socket));
        if (!ctx.connections) {
            asio::co_spawn(acceptor.get_executor(), run_session(std::move(stream), ctx),
                           log_exception);
            continue;
        }
        connection_limit::slot held = ctx.connections->try_acquire();
        if (!held) {
            warn_refusing(*ctx.connections);
            asio::co_spawn(acceptor.get_executor(), refuse(std::move(stream)), log_exception);
            continue;
        }
        asio::co_spawn(acceptor.get_executor(),
                       serve_counted(std::move(stream), std::move(held), ctx), log_exception);
    }
}

}  // namespace customers::http
