#include "customers/http/listener.hpp"

#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "customers/util/log.hpp"

namespace customers::http {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

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
    constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
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
        asio::co_spawn(acceptor.get_executor(),
                       run_session(boost::beast::tcp_stream(std::move(socket)), ctx),
                       [](std::exception_ptr e) {
                           if (!e) return;
                           try {
                               std::rethrow_exception(e);
                           } catch (const std::exception& ex) {
                               log::error("session ended by exception: ", ex.what());
                           }
                       });
    }
}

}  // namespace customers::http
