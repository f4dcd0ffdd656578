#include "http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/parser.hpp>

namespace customers::test {

http_connection::http_connection(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw std::runtime_error("socket() failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd_);
        throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port) + " failed");
    }
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

http_connection::~http_connection() {
    if (fd_ >= 0) ::close(fd_);
}

void http_connection::send(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error("send failed");
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

bool http_connection::try_send(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

bool http_connection::readable() {
    pollfd p{fd_, POLLIN, 0};
    return !buffered_.empty() || ::poll(&p, 1, 0) > 0;
}

long http_connection::fill(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
    if (ready <= 0) return -1;
    char chunk[16384];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0) return errno == ECONNRESET ? 0 : -1;
    buffered_.append(chunk, static_cast<std::size_t>(n));
    return n;
}

std::optional<http_response> http_connection::read_response(std::chrono::milliseconds timeout,
                                                            bool to_head) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (!buffered_.empty()) {
            boost::beast::http::response_parser<boost::beast::http::string_body> parser;
            parser.eager(true);
            parser.skip(to_head);
            parser.body_limit(64 << 20);
            boost::system::error_code ec;
            const std::size_t used =
                parser.put(boost::asio::buffer(buffered_.data(), buffered_.size()), ec);
            // A 100 Continue is a complete message of its own; the caller
            // reads it like any other response.
            if (!ec && parser.is_done()) {
                buffered_.erase(0, used);
                return parser.release();
            }
            if (ec && ec != boost::beast::http::error::need_more)
                throw std::runtime_error("unparsable response: " + ec.message());
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || fill(left) <= 0) return std::nullopt;
    }
}

bool http_connection::closed_by_peer(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        const std::size_t before = buffered_.size();
        const long n = fill(left);
        if (n == 0) return buffered_.size() == before;
        if (n < 0) return false;
    }
}

std::string http_connection::read_all(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || fill(left) <= 0) break;
    }
    return std::exchange(buffered_, {});
}

http_response http_request(std::uint16_t port, std::string_view method, std::string_view target,
                           std::string_view body,
                           std::vector<std::pair<std::string, std::string>> headers) {
    http_connection c(port);
    std::string req;
    req.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (const auto& [name, value] : headers)
        req.append(name).append(": ").append(value).append("\r\n");
    if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT")
        req.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
    req.append("\r\n").append(body);
    c.send(req);
    auto res = c.read_response();
    if (!res)
        throw std::runtime_error("no response to " + std::string(method) + " " +
                                 std::string(target));
    return std::move(*res);
}

}  // namespace customers::test
