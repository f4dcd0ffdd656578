// Raw bytes through the live HTTP path: an in-process server (one worker on
// a background thread, the server's default limits) is sent the input on a
// fresh loopback connection, which is then half-closed. Its Redis URL points
// at a port nobody listens on, so /v1 requests end, deterministically, in
// the fail-fast 503 (or a 401 before that): the path up to the handlers is
// what is fuzzed, with the real parser limits, router and dispatch.
//
// Invariant: what comes back is empty or a sequence of complete,
// well-formed HTTP/1.x responses (1xx interim ones allowed) and nothing
// else; each final response has Date, Server and X-Request-Id and a
// Content-Length; every 4xx/5xx carries the contract's error body; no 500
// (an exception escaped a handler); nothing follows "Connection: close";
// the server answers or closes, never hangs.

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include <openssl/crypto.h>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/value.hpp>

#include "customers/app/server.hpp"
#include "customers/util/log.hpp"
#include "fuzz_target.hpp"
#include "fuzz_values.hpp"
#include "stall_watchdog.hpp"

namespace {

using namespace customers;
namespace bhttp = boost::beast::http;

// Started on first use, shut down gracefully at exit.
class fuzz_server {
  public:
    fuzz_server() {
        // OpenSSL's first use loads its configuration, which leaves per-thread
        // error state behind in the thread that does it. Done here, on the
        // main thread, rather than in the worker that exits at shutdown, and
        // its atexit cleanup runs after the server's (reverse order).
        OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, nullptr);
        log::set_level(log::level::error);
        app::config c;
        c.listen_host = "127.0.0.1";
        c.listen_port = 0;
        c.threads = 1;
        c.log_level = "error";
        c.redis.url = "redis://127.0.0.1:1";  // nothing listens: every command fails fast
        c.redis.connect_timeout = std::chrono::milliseconds(100);
        server_ = std::make_unique<app::server>(std::move(c));
        thread_ = std::thread([this] {
            started_.set_value(fuzz::current_tid());
            server_->run();  // with one thread, its worker runs here
        });
        worker_tid_ = started_.get_future().get();
    }
    ~fuzz_server() {
        server_->shutdown();
        thread_.join();
    }
    std::uint16_t port() const { return server_->port(); }
    pid_t worker_tid() const { return worker_tid_; }

  private:
    std::unique_ptr<app::server> server_;
    std::promise<pid_t> started_;  // the worker thread's id, once it runs
    std::thread thread_;
    pid_t worker_tid_ = 0;
};

// A nonblocking socket connecting to the server. Each connection comes from
// the next of 250 loopback source addresses: thousands of connections a
// second from one address reuse ports whose previous connection is still in
// TIME_WAIT, and such a SYN can wait for the kernel's retransmission.
int connect_to(std::uint16_t port) {
    static unsigned next_source = 0;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    FUZZ_CHECK(fd >= 0, "socket() failed");
    sockaddr_in from{};
    from.sin_family = AF_INET;
    from.sin_addr.s_addr = htonl(INADDR_LOOPBACK + 1 + (next_source++ % 250));
    FUZZ_CHECK(::bind(fd, reinterpret_cast<const sockaddr*>(&from), sizeof from) == 0,
               "bind() failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
    FUZZ_CHECK(rc == 0 || errno == EINPROGRESS, "connect() failed");
    return fd;
}

bool still_connecting(int fd) {
    tcp_info info{};
    socklen_t len = sizeof info;
    return ::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) == 0 &&
           info.tcpi_state == TCP_SYN_SENT;
}

enum class exchanged { done, not_connected };

// The server has the whole request and an end of stream at once, and answers
// in a few milliseconds: a connection silent for this long, in time the
// server could have used (see stall_watchdog), is hung. libFuzzer's -timeout
// (scripts/fuzz) bounds the wall time of an input on top of it.
constexpr auto hung_after = std::chrono::seconds(20);
// Silent this long: report what the connection and the threads are doing,
// so a failure that follows, or a slow machine, explains itself.
constexpr auto report_after = std::chrono::seconds(5);
constexpr auto wait_slice = std::chrono::seconds(1);

// Sends `input`, half-closes, and appends everything the server sent until
// it closed to `out`. Writes and reads interleave, so pipelined input cannot
// deadlock against unread responses.
exchanged exchange_once(const fuzz_server& server, std::string_view input, std::string& out) {
    using clock = std::chrono::steady_clock;
    const int fd = connect_to(server.port());
    fuzz::stall_watchdog watchdog(fd, server.port(), server.worker_tid());
    bool reported = false;
    std::size_t sent = 0;
    bool write_open = true;
    char buf[16384];
    auto slice_end = clock::now() + wait_slice;
    for (;;) {
        if (write_open && sent == input.size()) {
            ::shutdown(fd, SHUT_WR);
            write_open = false;
        }
        pollfd p{fd, static_cast<short>(POLLIN | (write_open ? POLLOUT : 0)), 0};
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(slice_end - clock::now());
        const int ready = ::poll(&p, 1, static_cast<int>(std::max<std::int64_t>(left.count(), 0)));
        if (ready < 0) {
            // A signal: libFuzzer's SIGALRM (its -timeout check) arrives every
            // few seconds, on this thread while it waits. Wait on.
            FUZZ_CHECK(errno == EINTR, std::string("poll() failed: ") + std::strerror(errno));
            continue;
        }
        if (ready == 0) {
            slice_end = clock::now() + wait_slice;
            const auto silent = watchdog.on_quiet(wait_slice);
            if (silent >= report_after && !reported) {
                reported = true;
                std::fprintf(stderr, "fuzz_http: a connection has been silent for %.1f s:\n%s",
                             std::chrono::duration<double>(silent).count(),
                             watchdog.describe().c_str());
            }
            if (silent < hung_after) continue;
            if (still_connecting(fd)) {
                // The kernel never completed the handshake: not the server's doing.
                ::close(fd);
                return exchanged::not_connected;
            }
            FUZZ_CHECK(false,
                       "the server neither answered nor closed in 20 s that it could have "
                       "used:\n" +
                           watchdog.describe());
        }
        watchdog.on_progress();
        slice_end = clock::now() + wait_slice;
        if (write_open && (p.revents & POLLOUT)) {
            const ssize_t n = ::send(fd, input.data() + sent, input.size() - sent, MSG_NOSIGNAL);
            if (n > 0)
                sent += static_cast<std::size_t>(n);
            else if (n < 0 && errno != EAGAIN && errno != EINTR)
                write_open = false;  // the server closed early: fine
        }
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n > 0)
                out.append(buf, static_cast<std::size_t>(n));
            else if (n == 0 || (errno != EAGAIN && errno != EINTR))
                break;  // closed (or reset after an error response: what came is checked)
        }
    }
    ::close(fd);
    return exchanged::done;
}

std::string round_trip(const fuzz_server& server, std::string_view input) {
    std::string out;
    for (int attempt = 1; exchange_once(server, input, out) == exchanged::not_connected;
         ++attempt) {
        FUZZ_CHECK(attempt < 3, "three connections in a row were never established");
        std::fprintf(stderr, "fuzz_http: a connection was never established; again\n");
    }
    return out;
}

void check_error_body(unsigned status, const std::string& body) {
    const boost::json::value v = fuzz::parse_json(body);
    FUZZ_CHECK(v.is_object(), "error body is not a JSON object: " + body);
    const auto& o = v.as_object();
    const auto* type = o.if_contains("type");
    const char* expected = status >= 500 ? "api_error" : "invalid_request";
    FUZZ_CHECK(type && type->is_string() && type->as_string() == expected, "error type: " + body);
    const auto* message = o.if_contains("message");
    FUZZ_CHECK(message && message->is_string() && !message->as_string().empty(),
               "error message: " + body);
    const auto* doc = o.if_contains("documentation_url");
    FUZZ_CHECK(doc && doc->is_string(), "error documentation_url: " + body);
    if (const auto* param = o.if_contains("param"))
        FUZZ_CHECK(param->is_string(), "error param: " + body);
}

// Checks one response at the front of `rest`, removes it; false at the end.
bool check_one_response(std::string_view& rest, bool& closed) {
    if (rest.empty()) return false;
    FUZZ_CHECK(!closed, "bytes after a Connection: close response");
    bhttp::response_parser<bhttp::string_body> parser;
    parser.eager(true);
    parser.body_limit(16 * 1024 * 1024);
    boost::system::error_code ec;
    const std::size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
    FUZZ_CHECK(!ec && parser.is_done(),
               "not a complete HTTP response: " + ec.message() + "\n" + std::string(rest));
    rest.remove_prefix(used);

    const auto& res = parser.get();
    const unsigned status = res.result_int();
    FUZZ_CHECK(res.version() == 11 || res.version() == 10, "response version");
    if (status >= 100 && status < 200) return true;  // 100 Continue
    FUZZ_CHECK(res.count(bhttp::field::date) == 1, "no Date");
    FUZZ_CHECK(res.count(bhttp::field::server) == 1, "no Server");
    FUZZ_CHECK(res.count("X-Request-Id") == 1, "no X-Request-Id");
    FUZZ_CHECK(status != 500, "a handler threw:\n" + res.body());
    if (status != 204 && status != 304)
        FUZZ_CHECK(res.count(bhttp::field::content_length) == 1, "no Content-Length");
    if (status >= 400) check_error_body(status, res.body());
    closed = !res.keep_alive();
    return true;
}

}  // namespace

CUSTOMERS_FUZZ_TARGET(fuzz_http) {
    static fuzz_server server;
    const std::string out =
        round_trip(server, std::string_view(reinterpret_cast<const char*>(data), size));
    std::string_view rest = out;
    bool closed = false;
    while (check_one_response(rest, closed)) {
    }
    return 0;
}
