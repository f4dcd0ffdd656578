// run(): one worker per thread, each with its own io_context and its share
// of the connections; the calling thread runs worker 0.

#include <algorithm>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "loadgen/engine.hpp"
#include "loadgen/run.hpp"

namespace loadgen {
namespace detail {
namespace {
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
}

void run_state::stop_early(bool drain) {
    if (stop_requested.exchange(true)) return;
    for (auto* w : workers) w->post_stop(drain);
}

worker::worker(run_state& state, int index)
    : rs(state),
      rng(0x5DEECE66Dull * static_cast<std::uint64_t>(index + 1) ^
          static_cast<std::uint64_t>(clock::now().time_since_epoch().count())),
      end_timer_(ioc),
      watchdog_timer_(ioc) {
    // Connection i belongs to thread i % threads.
    for (int i = index; i < rs.opts.connections; i += rs.opts.threads)
        conns_.push_back(std::make_unique<connection>(*this, i));
}

void worker::run() {
    for (auto& c : conns_) {
        asio::co_spawn(ioc, c->run(), asio::detached);
        if (rs.opts.rate) asio::co_spawn(ioc, c->pace(), asio::detached);
    }
    asio::co_spawn(ioc, watchdog(), asio::detached);
    end_timer_.expires_at(rs.measure_until);
    end_timer_.async_wait([this](const boost::system::error_code&) { stop_all(); });
    ioc.run();
}

void worker::post_stop(bool drain) {
    asio::post(ioc, [this, drain] {
        if (!drain) return stop_all();
        draining_ = true;
        check_drained();
    });
}

void worker::check_drained() {
    if (stopped_) return;
    for (const auto& c : conns_)
        if (c->busy()) return;
    stop_all();
}

void worker::stop_all() {
    if (stopped_) return;
    stopped_ = true;
    stopped_at = clock::now();
    const auto end = std::min(stopped_at, rs.measure_until);
    for (auto& c : conns_) {
        st.incomplete += c->unfinished(end);
        c->stop();
    }
    end_timer_.cancel();
    watchdog_timer_.cancel();
}

// Per-request timeouts, checked a few times per timeout period by one timer
// per thread rather than one per request.
asio::awaitable<void> worker::watchdog() {
    const auto tick = std::clamp<std::chrono::nanoseconds>(
        rs.opts.timeout / 8, std::chrono::milliseconds(1), std::chrono::milliseconds(100));
    while (!stopped_) {
        watchdog_timer_.expires_after(tick);
        co_await watchdog_timer_.async_wait(use_tuple);
        if (stopped_) break;
        const auto now = clock::now();
        for (auto& c : conns_) c->check_timeout(now);
    }
}

}  // namespace detail

result run(const options& opts) {
    using namespace detail;
    result r;
    r.open_loop = opts.rate.has_value();
    r.target_rate = opts.rate;
    r.connections = opts.connections;
    r.pipeline = opts.pipeline;
    r.threads = std::clamp(opts.threads, 1, opts.connections);

    request_factory factory(opts.mix, opts.ids, opts.host_header(), opts.headers);
    options o = opts;
    o.threads = r.threads;
    run_state rs(o, factory);
    {
        asio::io_context ioc;
        tcp::resolver resolver(ioc);
        boost::system::error_code ec;
        rs.endpoints = resolver.resolve(o.host, o.port, ec);
        if (ec) {
            r.error = "cannot resolve " + o.host + ": " + ec.message();
            return r;
        }
    }

    rs.start = clock::now();
    rs.measure_from = rs.start + o.warmup;
    rs.measure_until = rs.measure_from + o.run_time;
    std::vector<std::unique_ptr<worker>> workers;
    for (int t = 0; t < r.threads; ++t) {
        workers.push_back(std::make_unique<worker>(rs, t));
        rs.workers.push_back(workers.back().get());
    }
    std::vector<std::thread> threads;
    for (int t = 1; t < r.threads; ++t) threads.emplace_back([w = workers[t].get()] { w->run(); });
    workers[0]->run();
    for (auto& t : threads) t.join();

    time_point end = rs.measure_until;
    if (rs.stop_requested) {
        time_point last{};
        for (const auto& w : workers) last = std::max(last, w->stopped_at);
        end = std::min(end, last);
    }
    r.duration_s = std::max(0.0, std::chrono::duration<double>(end - rs.measure_from).count());
    for (const auto& w : workers) {
        r.totals.merge(w->st);
        if (r.error.empty()) r.error = w->connect_error;
    }
    r.connected = rs.any_connected;
    r.ids_exhausted = rs.ids_exhausted;
    if (r.connected) r.error.clear();
    return r;
}

}  // namespace loadgen
