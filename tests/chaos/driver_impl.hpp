#pragma once
// Internals of the chaos driver shared by driver.cpp (environment, faults,
// verification) and client.cpp (one load client).

#include <memory>
#include <optional>
#include <random>

#include "driver.hpp"
#include "ledger.hpp"
#include "support/child_process.hpp"
#include "support/http_client.hpp"
#include "support/redis_server.hpp"

namespace customers::chaos {

struct response_info {
    int status = 0;  // 0: no response (transport failure or timeout)
    bool retry_after = false;
    std::string body;
};

// One load client: its own connection, random source and ledger.
struct client {
    unsigned index = 0;
    std::mt19937_64 rng;
    std::unique_ptr<test::http_connection> conn;
    ledger book;
    std::uint64_t next_name = 0;
    std::thread thread;
};

struct driver::impl {
    explicit impl(const chaos_config& c) : cfg(c) {}

    const chaos_config& cfg;
    std::unique_ptr<test::redis_server> redis;
    std::unique_ptr<test::child_process> server;
    std::uint16_t port = 0;
    std::string token;
    std::vector<std::unique_ptr<client>> clients;

    // Pause/resume of the clients.
    std::mutex control_m;
    std::condition_variable control_cv;
    bool pause_requested = false, stopping = false;
    unsigned idle = 0;

    std::atomic<bool> in_fault{false};

    // Counters, under stats_m (a lock per request is noise next to HTTP).
    mutable std::mutex stats_m;
    totals sums;
    outcome_counts current_fault;

    // client.cpp
    void client_loop(client& c);
    void step(client& c);
    response_info request(client& c, std::string_view method, const std::string& target,
                          const std::string& body);
    void problem(std::string text, bool lost);

    // driver.cpp
    void start_server();
    void create_token();
    void pause_clients();
    void resume_clients();
    milliseconds wait_recovered();
    verification verify_paused();
    response_info request_once(std::string_view method, const std::string& target);
};

}  // namespace customers::chaos
