#pragma once
// A blocking HTTP/1.1 test client over a loopback socket: raw bytes in, raw
// bytes or parsed responses out, every read bounded by a timeout.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace customers::test {

using http_response = boost::beast::http::response<boost::beast::http::string_body>;

class http_connection {
  public:
    explicit http_connection(std::uint16_t port);
    ~http_connection();
    http_connection(const http_connection&) = delete;
    http_connection& operator=(const http_connection&) = delete;

    void send(std::string_view bytes);
    // Sends `bytes` as send() does, but false (instead of throwing) when the
    // peer has closed or reset the connection.
    bool try_send(std::string_view bytes);
    // True when a read would not wait: bytes, EOF or an error are pending.
    bool readable();
    // Reads one response (nullopt when the peer closed first or the
    // timeout passed). `to_head`: the response to a HEAD request, which has
    // no body whatever its Content-Length says.
    std::optional<http_response> read_response(
        std::chrono::milliseconds timeout = std::chrono::seconds(5), bool to_head = false);
    // True when the server closed the connection (EOF or reset) within the
    // timeout, with no further bytes.
    bool closed_by_peer(std::chrono::milliseconds timeout = std::chrono::seconds(5));
    // Everything until the peer closes or the timeout passes.
    std::string read_all(std::chrono::milliseconds timeout = std::chrono::seconds(5));

  private:
    // Appends what arrives within the timeout to buffered_; 0 on EOF, -1 on
    // timeout or error.
    long fill(std::chrono::milliseconds timeout);

    int fd_ = -1;
    std::string buffered_;
};

// One request on a fresh connection: "GET /healthz" etc.
http_response http_request(std::uint16_t port, std::string_view method, std::string_view target,
                           std::string_view body = {},
                           std::vector<std::pair<std::string, std::string>> headers = {});

}  // namespace customers::test
