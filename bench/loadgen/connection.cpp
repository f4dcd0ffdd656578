// One load-generating connection, its life and its receiving half: connect,
// parse responses as they arrive, account for them, reconnect when the
// connection is lost or a request times out. Sending: connection_send.cpp.

#include <algorithm>
#include <cstring>
#include <tuple>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "loadgen/engine.hpp"

namespace loadgen::detail {
namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t read_buffer_size = 32 * 1024;  // a response header must fit
constexpr std::size_t min_read = 4 * 1024;           // compact below this much room

}  // namespace

connection::connection(worker& w, int index)
    : w_(w),
      rs_(w.rs),
      sock_(w.ioc),
      pacer_(w.ioc),
      retry_(w.ioc),
      open_loop_(rs_.opts.rate.has_value()),
      pipeline_(static_cast<std::size_t>(rs_.opts.pipeline)),
      flights_(pipeline_),
      rbuf_(new char[read_buffer_size]) {
    if (open_loop_) {
        const double per_connection = *rs_.opts.rate / rs_.opts.connections;
        period_ns_ = 1e9 / per_connection;
        // Connections start staggered over one period, so that together
        // they send at an even pace rather than in bursts of `connections`.
        first_due_ = rs_.start + std::chrono::nanoseconds(static_cast<std::int64_t>(
                                     period_ns_ * index / rs_.opts.connections));
    }
}

asio::awaitable<void> connection::run() {
    auto backoff = std::chrono::milliseconds(10);
    while (!stopping_) {
        if (!co_await connect()) {
            if (stopping_) break;
            // Do not hammer a server that refuses connections.
            retry_.expires_after(backoff);
            co_await retry_.async_wait(use_tuple);
            backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
            continue;
        }
        backoff = std::chrono::milliseconds(10);
        co_await serve();

        connected_ = false;
        boost::system::error_code ec;
        sock_.close(ec);
        // A short write's remainder may still be pending; its completion
        // (aborted by the close) must run before the socket is reused.
        while (writing_) co_await asio::post(w_.ioc, asio::use_awaitable);
        out_.clear();
        rbegin_ = rend_ = 0;
        parsing_ = false;
        abort_ = loss::none;
    }
}

asio::awaitable<bool> connection::connect() {
    connecting_ = true;
    connect_started_ = clock::now();
    // Each resolved address in turn (asio::async_connect would go on to the
    // next one even after stop() closed the socket).
    boost::system::error_code ec = asio::error::host_not_found;
    for (const auto& entry : rs_.endpoints) {
        if (stopping_) break;
        sock_.close(ec);
        sock_.open(entry.endpoint().protocol(), ec);
        if (ec) continue;
        std::tie(ec) = co_await sock_.async_connect(entry.endpoint(), use_tuple);
        if (!ec) break;
    }
    connecting_ = false;
    if (stopping_) co_return false;
    const auto now = clock::now();
    if (ec) {
        if (w_.measuring(now)) ++w_.st.connect_errors;
        w_.connect_error = ec.message();
        if (first_attempt_) {
            first_attempt_ = false;
            // Every connection failed its first attempt: the target is down.
            if (++rs_.failed_first_connects == rs_.opts.connections && !rs_.any_connected)
                rs_.stop_early(false);
        }
        co_return false;
    }
    first_attempt_ = false;
    sock_.set_option(tcp::no_delay(true), ec);
    sock_.non_blocking(true, ec);  // for flush()'s direct write_some
    if (ever_connected_ && w_.measuring(now)) ++w_.st.reconnects;
    ever_connected_ = true;
    rs_.any_connected.store(true, std::memory_order_relaxed);
    connected_ = true;
    fill();
    flush();
    wake_pacer();
    co_return true;
}

asio::awaitable<void> connection::serve() {
    for (;;) {
        if (rend_ == read_buffer_size) {  // a header larger than the buffer
            abort(loss::io);
            lose_in_flight(loss::io);
            co_return;
        }
        auto [ec, n] = co_await sock_.async_read_some(
            asio::buffer(rbuf_.get() + rend_, read_buffer_size - rend_), use_tuple);
        // One clock read per batch: responses that arrived together finished together.
        const auto now = clock::now();
        if (ec) {
            if (stopping_) co_return;
            if (abort_ == loss::none && ec == asio::error::eof && parsing_ &&
                parser_.finish_on_eof()) {
                parsing_ = false;
                on_response(parser_.status(), now);  // a body delimited by the close
            }
            const bool closed = ec == asio::error::eof || ec == asio::error::connection_reset;
            lose_in_flight(abort_ != loss::none ? abort_ : closed ? loss::closed : loss::io);
            co_return;
        }
        rend_ += n;
        const bool keep_going = parse_buffered(now);
        if (!keep_going) {
            // Malformed, or `Connection: close`: what is still in flight is lost.
            const auto why = abort_ != loss::none ? abort_ : loss::closed;
            abort(why);
            lose_in_flight(why);
            co_return;
        }
        fill();
        flush();
        wake_pacer();
    }
}

bool connection::parse_buffered(time_point now) {
    while (rbegin_ < rend_ && !stopping_) {
        if (flights_.empty()) {  // bytes nobody asked for
            abort_ = loss::io;
            return false;
        }
        if (!parsing_) {
            parser_.reset(flights_.front().head);
            parsing_ = true;
        }
        std::size_t used = 0;
        const auto st = parser_.parse(rbuf_.get() + rbegin_, rend_ - rbegin_, used);
        rbegin_ += used;
        if (st == response_parser::state::error) {
            abort_ = loss::io;
            return false;
        }
        if (st == response_parser::state::need_more) break;
        parsing_ = false;
        on_response(parser_.status(), now);
        if (!parser_.keep_alive()) return false;
    }
    if (rbegin_ == rend_) {
        rbegin_ = rend_ = 0;
    } else if (read_buffer_size - rend_ < min_read) {  // a partial header at the end
        std::memmove(rbuf_.get(), rbuf_.get() + rbegin_, rend_ - rbegin_);
        rend_ -= rbegin_;
        rbegin_ = 0;
    }
    return true;
}

void connection::on_response(int status, time_point now) {
    const in_flight f = flights_.front();
    flights_.pop();
    // Counted by completion, so that rps is exactly what the window saw.
    if (w_.measuring(now)) {
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now - f.start).count();
        w_.st.latency_us.record(static_cast<std::uint64_t>(std::max<std::int64_t>(ns + 500, 0)) /
                                1000);
        ++w_.st.status[std::clamp(status / 100, 1, 5)];
    }
    if (flights_.empty()) w_.on_idle();
}

void connection::abort(loss why) {
    if (abort_ == loss::none) abort_ = why;
    connected_ = false;
    boost::system::error_code ec;
    sock_.close(ec);  // serve()'s read completes with operation_aborted
}

void connection::lose_in_flight(loss why) {
    if (!flights_.empty() && w_.measuring(clock::now())) {
        auto& st = w_.st;
        (why == loss::timeout  ? st.timeouts
         : why == loss::closed ? st.closed
                               : st.io_errors) += flights_.size();
    }
    flights_.clear();
    parsing_ = false;
    w_.on_idle();
}

void connection::check_timeout(time_point now) {
    if (connecting_ && now - connect_started_ > rs_.opts.timeout) {
        boost::system::error_code ec;
        sock_.close(ec);  // connect() fails: a connect error
    } else if (connected_ && !flights_.empty() && now - flights_.front().sent > rs_.opts.timeout) {
        abort(loss::timeout);
    }
}

void connection::stop() {
    stopping_ = true;
    connected_ = false;
    boost::system::error_code ec;
    sock_.close(ec);
    pacer_.cancel();
    retry_.cancel();
}

}  // namespace loadgen::detail
