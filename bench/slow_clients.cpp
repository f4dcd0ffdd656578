// slow-clients --port P [--host 127.0.0.1] [--count 5000] [--duration 20s]
//              [--token T]
//
// Holds `count` slow connections against a server for `duration`: half
// trickle a request header one byte a second, half send a complete header
// (POST /v1/customers, Content-Length 60000) and then trickle the body one
// byte a second. A connection the server drops is replaced at once, as an
// attacker would. Run it next to a load generator to see what slow clients
// cost normal ones (bench/slow-compare does exactly that). Prints, at the
// end, how many connections were made, the most open at once, and how long
// the server let the longest one live.

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>

#include <sys/resource.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

struct stats {
    long connections = 0, open_now = 0, peak_open = 0, connect_failures = 0, dropped = 0;
    double longest_life_s = 0;
};

asio::awaitable<void> slow_client(tcp::endpoint ep, bool body, std::string first_bytes,
                                  clock_type::time_point end, stats& st) {
    auto ex = co_await asio::this_coro::executor;
    asio::steady_timer timer(ex);
    const std::string_view trickle =
        body ? std::string_view("a=b&c=d&e=f") : std::string_view("X-Slow: aaaaaaaa\r\n");
    while (clock_type::now() < end) {
        tcp::socket s(ex);
        if (auto [ec] = co_await s.async_connect(ep, use_tuple); ec) {
            ++st.connect_failures;
            timer.expires_after(std::chrono::milliseconds(100));
            co_await timer.async_wait(use_tuple);
            continue;
        }
        ++st.connections;
        st.peak_open = std::max(st.peak_open, ++st.open_now);
        const auto first = clock_type::now();
        auto [wec, wn] = co_await asio::async_write(s, asio::buffer(first_bytes), use_tuple);
        bool dropped = bool(wec);
        for (std::size_t next = 0; !dropped && clock_type::now() < end; ++next) {
            char sink[512];
            timer.expires_after(std::chrono::seconds(1));
            auto got = co_await (s.async_read_some(asio::buffer(sink), use_tuple) ||
                                 timer.async_wait(use_tuple));
            if (got.index() == 0) {
                dropped = true;
                break;
            }
            const char byte = trickle[next % trickle.size()];
            auto [ec, n] = co_await asio::async_write(s, asio::buffer(&byte, 1), use_tuple);
            dropped = bool(ec);
        }
        --st.open_now;
        if (dropped) {
            ++st.dropped;
            st.longest_life_s =
                std::max(st.longest_life_s,
                         std::chrono::duration<double>(clock_type::now() - first).count());
        }
        boost::system::error_code ignored;
        s.close(ignored);
    }
}

[[noreturn]] void usage() {
    std::fprintf(stderr,
                 "usage: slow-clients --port P [--host 127.0.0.1] [--count 5000] "
                 "[--duration 20s] [--token T]\n");
    std::exit(2);
}

long number(std::string_view s) {
    long v = 0;
    if (!s.empty() && s.back() == 's') s.remove_suffix(1);
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v <= 0) usage();
    return v;
}

}  // namespace

int main(int argc, char** argv) {
    std::string host = "127.0.0.1", token = "none-none-none-none";
    long port = 0, count = 5000, seconds = 20;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string_view flag = argv[i], value = argv[i + 1];
        if (flag == "--port")
            port = number(value);
        else if (flag == "--host")
            host = value;
        else if (flag == "--count")
            count = number(value);
        else if (flag == "--duration")
            seconds = number(value);
        else if (flag == "--token")
            token = value;
        else
            usage();
    }
    if (port <= 0 || port > 65535 || argc % 2 == 0) usage();

    rlimit lim{};  // one descriptor per connection
    if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
        lim.rlim_cur = lim.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &lim);
    }

    asio::io_context ioc;
    const tcp::endpoint ep(asio::ip::make_address(host), static_cast<unsigned short>(port));
    const std::string header_start = "GET /healthz HTTP/1.1\r\nHost: " + host + "\r\n";
    const std::string body_header = "POST /v1/customers HTTP/1.1\r\nHost: " + host +
                                    "\r\nAuthorization: Bearer " + token +
                                    "\r\nContent-Length: 60000\r\n\r\n";
    const auto end = clock_type::now() + std::chrono::seconds(seconds);
    stats st;
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            asio::steady_timer pause(ioc);
            for (long i = 0; i < count; ++i) {
                const bool body = i % 2 == 1;
                asio::co_spawn(ioc,
                               slow_client(ep, body, body ? body_header : header_start, end, st),
                               asio::detached);
                if (i % 250 == 249) {  // stay within the listen backlog
                    pause.expires_after(std::chrono::milliseconds(50));
                    co_await pause.async_wait(use_tuple);
                }
            }
        },
        asio::detached);
    ioc.run();
    std::printf(
        "slow-clients: %ld connections, %ld open at once at the peak, %ld dropped by the "
        "server, longest lived %.1f s, %ld connect failures\n",
        st.connections, st.peak_open, st.dropped, st.longest_life_s, st.connect_failures);
    return 0;
}
