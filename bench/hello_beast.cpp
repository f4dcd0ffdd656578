// The reference point for the HTTP ceiling: a minimal Beast coroutine server
// on one thread that answers every request with a fixed small JSON body
// (the shape of Beast's example/http/server/awaitable). bench/wrk-compare
// runs wrk against it and against /healthz in the same run.
//
//   hello-beast [PORT]   (default 8081, listens on 127.0.0.1)

#include <cstdlib>
#include <iostream>

#include <boost/asio.hpp>
#include <boost/beast.hpp>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

asio::awaitable<void> session(beast::tcp_stream stream) {
    beast::flat_buffer buffer;
    for (;;) {
        http::request<http::string_body> req;
        stream.expires_after(std::chrono::seconds(30));
        auto [ec, n] = co_await http::async_read(stream, buffer, req, use_tuple);
        if (ec) break;
        http::response<http::string_body> res{http::status::ok, req.version()};
        res.set(http::field::server, "hello-beast");
        res.set(http::field::content_type, "application/json");
        res.body() = R"({"status":"ok"})";
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        auto [wec, wn] = co_await http::async_write(stream, res, use_tuple);
        if (wec || !res.keep_alive()) break;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> listen(tcp::endpoint ep) {
    auto ex = co_await asio::this_coro::executor;
    tcp::acceptor acceptor(ex, ep);
    for (;;) {
        auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
        if (ec) continue;
        asio::co_spawn(ex, session(beast::tcp_stream(std::move(socket))), asio::detached);
    }
}

int main(int argc, char** argv) {
    const auto port = static_cast<unsigned short>(argc > 1 ? std::atoi(argv[1]) : 8081);
    asio::io_context ioc{1};
    asio::co_spawn(ioc, listen({asio::ip::make_address("127.0.0.1"), port}), asio::detached);
    std::cout << "hello-beast on 127.0.0.1:" << port << std::endl;
    ioc.run();
}
