// The chaos driver: its environment (redis-server with AOF, the server
// process, the token), fault injection and recovery (verify.cpp checks).

#include <signal.h>
#include <fstream>

#include "customers/store/keys.hpp"
#include "customers/util/crypto.hpp"
#include "customers/util/log.hpp"
#include "driver_impl.hpp"

namespace customers::chaos {
namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

milliseconds since(clock_type::time_point t) {
    return std::chrono::duration_cast<milliseconds>(clock_type::now() - t);
}

}  // namespace

std::string_view name(fault f) {
    switch (f) {
        case fault::kill_restart:
            return "kill-restart";
        case fault::pause:
            return "pause";
        case fault::restart_empty:
            return "restart-empty";
    }
    return "?";
}

void outcome_counts::add(const outcome_counts& o) {
    requests += o.requests;
    ok += o.ok;
    unavailable += o.unavailable;
    violations += o.violations;
    transport += o.transport;
    unexpected_status += o.unexpected_status;
    no_retry_after += o.no_retry_after;
    slow += o.slow;
    max_latency_ms = std::max(max_latency_ms, o.max_latency_ms);
}

driver::driver(chaos_config cfg) : cfg_(std::move(cfg)), impl_(std::make_unique<impl>(cfg_)) {
    // The verification's own Redis connections would log every connect.
    log::set_level(log::level::warn);
    if (cfg_.server_binary.empty()) cfg_.server_binary = CUSTOMERS_SERVER_BINARY;
    if (cfg_.redis_conf.empty()) cfg_.redis_conf = CUSTOMERS_SOURCE_DIR "/config/redis.conf";
    impl_->redis =
        std::make_unique<test::redis_server>(std::vector<std::string>{}, cfg_.redis_conf);
    impl_->token = util::random_token(32);
    impl_->create_token();
    impl_->start_server();
    for (unsigned i = 0; i < cfg_.clients; ++i) {
        auto c = std::make_unique<client>();
        c->index = i;
        c->rng.seed(std::random_device{}());
        impl_->clients.push_back(std::move(c));
    }
}

driver::~driver() {
    try {
        stop();
    } catch (...) {
    }
}

void driver::impl::create_token() {
    redis->command({"SET", store::keys::token(util::sha256_hex(token)), cfg.project});
}

void driver::impl::start_server() {
    const std::string dir = redis->dir();
    for (int attempt = 0; attempt < 5; ++attempt) {
        port = test::free_port();
        {
            std::ofstream conf(dir + "/server.json");
            conf << "{\"listen\": \"127.0.0.1:" << port << "\", \"threads\": " << cfg.server_threads
                 << ", \"log_level\": \"warn\", \"redis\": {\"url\": \"" << redis->url()
                 << "\", \"command_timeout_ms\": " << cfg.command_timeout.count()
                 << ", \"connect_timeout_ms\": " << cfg.command_timeout.count()
                 << ", \"reconnect_min_ms\": 20, \"reconnect_max_ms\": 200},"
                 // One token drives all the load: no per-token limit.
                 << " \"rate_limit\": {\"requests_per_second\": 0, \"burst\": 0}}\n";
        }
        server = std::make_unique<test::child_process>(
            std::vector<std::string>{cfg.server_binary, "--config", dir + "/server.json"},
            dir + "/server.log");
        const auto deadline = clock_type::now() + 10s;
        while (clock_type::now() < deadline) {
            if (server->wait(0ms)) break;  // exited: port taken, bad config
            try {
                if (test::http_request(port, "GET", "/readyz").result_int() == 200) return;
            } catch (const std::exception&) {
            }
            std::this_thread::sleep_for(20ms);
        }
        server.reset();
    }
    throw std::runtime_error("customers-server did not start; see " + dir + "/server.log");
}

void driver::start_load() {
    for (auto& c : impl_->clients)
        if (!c->thread.joinable())
            c->thread = std::thread([this, cl = c.get()] { impl_->client_loop(*cl); });
}

void driver::impl::pause_clients() {
    std::unique_lock lk(control_m);
    pause_requested = true;
    control_cv.wait(lk, [&] {
        unsigned running = 0;
        for (auto& c : clients) running += c->thread.joinable() ? 1 : 0;
        return idle == running;
    });
}

void driver::impl::resume_clients() {
    std::lock_guard lk(control_m);
    pause_requested = false;
    control_cv.notify_all();
}

response_info driver::impl::request_once(std::string_view method, const std::string& target) {
    response_info out;
    try {
        auto r =
            test::http_request(port, method, target, {}, {{"Authorization", "Bearer " + token}});
        out.status = static_cast<int>(r.result_int());
        out.retry_after = r.find(boost::beast::http::field::retry_after) != r.end();
        out.body = std::move(r.body());
    } catch (const std::exception&) {
    }
    return out;
}

milliseconds driver::impl::wait_recovered() {
    const auto lifted = clock_type::now();
    while (since(lifted) < cfg.recovery_limit) {
        if (request_once("GET", "/v1/customers?limit=1").status == 200) return since(lifted);
        std::this_thread::sleep_for(20ms);
    }
    problem("the server did not recover within " + std::to_string(cfg.recovery_limit.count()) +
                " ms of the fault ending",
            false);
    return milliseconds{-1};
}

fault_report driver::inject(fault f) {
    auto& d = *impl_;
    {
        std::lock_guard lk(d.stats_m);
        d.current_fault = {};
    }
    fault_report report;
    report.kind = f;
    d.in_fault = true;
    switch (f) {
        case fault::kill_restart:
            d.redis->stop();  // SIGKILL: what was acknowledged must be in the AOF
            std::this_thread::sleep_for(cfg_.fault_length);
            d.redis->start();  // reloads the AOF
            break;
        case fault::pause:
            // Stopped for longer than the command deadline: in-flight
            // commands time out, and may still run when Redis resumes.
            d.redis->pause();
            std::this_thread::sleep_for(std::max(cfg_.fault_length, cfg_.command_timeout * 3));
            d.redis->resume();
            break;
        case fault::restart_empty:
            d.redis->stop();
            std::this_thread::sleep_for(cfg_.fault_length);
            // Everything is gone by design: the clients forget their
            // customers, the token is stored again, then Redis comes back.
            d.pause_clients();
            d.redis->restart_empty();
            d.create_token();
            for (auto& c : d.clients) c->book.reset();
            d.resume_clients();
            break;
    }
    report.recovered_after = d.wait_recovered();
    d.in_fault = false;
    {
        std::lock_guard lk(d.stats_m);
        report.during = d.current_fault;
        ++d.sums.faults;
        d.sums.max_recovery_ms = std::max(d.sums.max_recovery_ms, report.recovered_after.count());
    }
    report.check = verify();
    return report;
}

verification driver::verify() {
    impl_->pause_clients();
    verification v;
    try {
        v = impl_->verify_paused();
    } catch (const std::exception& e) {
        v.findings.push_back(std::string("verification failed: ") + e.what());
    }
    {
        std::lock_guard lk(impl_->stats_m);
        ++impl_->sums.verifications;
        impl_->sums.acked_checked += v.acked_checked;
        impl_->sums.lost += v.lost.size();
        impl_->sums.findings += v.findings.size();
        for (const auto* list : {&v.lost, &v.findings})
            for (const auto& p : *list)
                if (impl_->sums.problems.size() < 50) impl_->sums.problems.push_back(p);
    }
    impl_->resume_clients();
    return v;
}

int driver::stop() {
    auto& d = *impl_;
    {
        std::lock_guard lk(d.control_m);
        d.stopping = true;
        d.control_cv.notify_all();
    }
    for (auto& c : d.clients)
        if (c->thread.joinable()) c->thread.join();
    if (!d.server) return -1;
    d.server->signal(SIGTERM);
    const auto code = d.server->wait(30s);
    d.server.reset();
    return code ? *code : -1;
}

pid_t driver::server_pid() const {
    return impl_->server ? impl_->server->pid() : -1;
}

totals driver::summary() const {
    std::lock_guard lk(impl_->stats_m);
    return impl_->sums;
}

}  // namespace customers::chaos
