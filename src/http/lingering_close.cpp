#include "customers/http/lingering_close.hpp"

#include <array>

#include "customers/util/use_tuple.hpp"

namespace customers::http {

namespace asio = boost::asio;

asio::awaitable<void> lingering_close(boost::beast::tcp_stream& stream) {
    boost::system::error_code ec;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    if (ec) co_return;
    stream.expires_after(std::chrono::milliseconds(500));
    std::array<char, 4096> sink;
    for (std::size_t drained = 0; drained < (1u << 20);) {
        auto [rec, n] = co_await stream.async_read_some(asio::buffer(sink), util::use_tuple);
        if (rec) break;
        drained += n;
    }
}

}  // namespace customers::http
