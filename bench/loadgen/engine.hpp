#pragma once
// Internals of run(): the state shared by all threads, one worker per
// thread (its own io_context, stats and connections), and the connection.
//
// Nothing on the request path is shared between threads except the
// factory's atomics for {next_id} and {seq}; each worker's stats are merged
// after its thread has finished.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "loadgen/options.hpp"
#include "loadgen/response_parser.hpp"
#include "loadgen/result.hpp"
#include "loadgen/workload.hpp"

namespace loadgen::detail {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using clock = std::chrono::steady_clock;
using time_point = clock::time_point;

class worker;

struct run_state {
    run_state(const options& o, request_factory& f) : opts(o), factory(f) {}

    const options& opts;
    request_factory& factory;
    tcp::resolver::results_type endpoints;
    time_point start;          // connections open, open-loop schedules begin
    time_point measure_from;   // start + warmup
    time_point measure_until;  // measure_from + duration
    std::vector<worker*> workers;

    // Set once by stop_early(); read (relaxed) before rendering each batch.
    std::atomic<bool> stop_requested{false};
    std::atomic<bool> ids_exhausted{false};
    std::atomic<bool> any_connected{false};
    std::atomic<int> failed_first_connects{0};

    // Thread-safe: ends the run before measure_until on every worker; with
    // `drain`, requests in flight are answered first.
    void stop_early(bool drain);
};

// One request on the wire, oldest first.
struct in_flight {
    time_point start;  // latency origin: intended (open loop) or actual send
    time_point sent;   // for the timeout
    bool head;
};

// A ring of at most `pipeline` entries: no allocation per request.
class flight_ring {
  public:
    explicit flight_ring(std::size_t capacity) : slots_(capacity) {}
    std::size_t size() const noexcept { return size_; }
    bool full() const noexcept { return size_ == slots_.size(); }
    bool empty() const noexcept { return size_ == 0; }
    const in_flight& front() const noexcept { return slots_[head_]; }
    void push(const in_flight& f) noexcept {
        slots_[(head_ + size_) % slots_.size()] = f;
        ++size_;
    }
    void pop() noexcept {
        head_ = (head_ + 1) % slots_.size();
        --size_;
    }
    void clear() noexcept { head_ = size_ = 0; }

  private:
    std::vector<in_flight> slots_;
    std::size_t head_ = 0, size_ = 0;
};

// Why a connection was torn down, which decides what its lost requests count as.
enum class loss { none, io, timeout, closed };

class connection {
  public:
    connection(worker& w, int index);

    asio::awaitable<void> run();   // connect, serve, reconnect until stopped
    asio::awaitable<void> pace();  // open loop only: sends requests when due
    void stop();
    void check_timeout(time_point now);
    bool busy() const noexcept { return !flights_.empty(); }
    // Requests due or in flight when the run ended.
    std::uint64_t unfinished(time_point end) const;

  private:
    asio::awaitable<bool> connect();
    asio::awaitable<void> serve();
    asio::awaitable<void> write_rest();
    bool parse_buffered(time_point now);
    void on_response(int status, time_point now);
    void fill();
    bool add_request(time_point start, time_point now);
    void flush();
    void abort(loss why);
    void lose_in_flight(loss why);
    void wake_pacer();
    time_point due(std::uint64_t i) const;

    worker& w_;
    run_state& rs_;
    tcp::socket sock_;
    asio::steady_timer pacer_;
    asio::steady_timer retry_;
    bool open_loop_;
    std::size_t pipeline_;

    bool connecting_ = false, connected_ = false, ever_connected_ = false;
    bool stopping_ = false, writing_ = false, pacer_parked_ = false;
    bool first_attempt_ = true, parsing_ = false;
    loss abort_ = loss::none;
    time_point connect_started_{};

    // Open loop: request i is due at first_due_ + i * period_ns_.
    time_point first_due_{};
    double period_ns_ = 0;
    std::uint64_t next_ = 0;

    flight_ring flights_;
    std::string out_;      // rendered, not yet handed to the kernel
    std::string sending_;  // owned by write_rest() while it writes
    std::unique_ptr<char[]> rbuf_;
    std::size_t rbegin_ = 0, rend_ = 0;
    response_parser parser_;
};

class worker {
  public:
    worker(run_state& rs, int index);
    // Spawns this thread's connections and runs the event loop until all
    // have stopped.
    void run();
    // Thread-safe: stop now, or once nothing is in flight.
    void post_stop(bool drain);
    // A connection has nothing in flight any more.
    void on_idle() {
        if (draining_) check_drained();
    }

    run_state& rs;
    asio::io_context ioc{1};
    stats st;
    fast_rng rng;
    std::string connect_error;  // the last failure's message
    time_point stopped_at{};    // when stop_all() ran

    bool measuring(time_point t) const { return t >= rs.measure_from; }

  private:
    void stop_all();
    void check_drained();
    asio::awaitable<void> watchdog();

    std::vector<std::unique_ptr<connection>> conns_;
    asio::steady_timer end_timer_;
    asio::steady_timer watchdog_timer_;
    bool stopped_ = false, draining_ = false;
};

}  // namespace loadgen::detail
