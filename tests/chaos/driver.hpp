#pragma once
// The chaos driver: a customers-server process (threads >= 2) on a real
// redis-server with the AOF settings of config/redis.conf, N client threads
// doing a create/update/delete/get/list mix over HTTP, faults injected into
// Redis while they run, and after each fault a verification of every
// client's ledger against the store plus the consistency checker.
//
// Used by the short ctest run (tests/chaos/chaos_test.cpp) and the long
// soak (bench/soak, tests/chaos/soak_main.cpp).

#include <sys/types.h>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace customers::chaos {

using std::chrono::milliseconds;

struct chaos_config {
    std::string server_binary;  // default: the customers-server of this build tree
    std::string redis_conf;     // default: config/redis.conf of the source tree
    unsigned clients = 6;
    unsigned server_threads = 2;
    milliseconds command_timeout{500};  // the server's redis.command_timeout_ms
    // Every request during a fault must end within command_timeout + margin
    // (scheduling slack for a loaded, possibly sanitized build on 2 cores).
    milliseconds margin{1500};
    milliseconds fault_length{1500};  // how long Redis stays down / stopped
    milliseconds recovery_limit{20'000};
    std::string project = "chaos";
};

enum class fault { kill_restart, pause, restart_empty };
std::string_view name(fault f);

// How requests ended. `violations` counts those that broke the contract:
// a transport failure, a status other than 2xx or 503, a 503 without
// Retry-After, or (during a fault) longer than command_timeout + margin.
struct outcome_counts {
    std::uint64_t requests = 0, ok = 0, unavailable = 0, violations = 0;
    std::uint64_t transport = 0, unexpected_status = 0, no_retry_after = 0, slow = 0;
    std::int64_t max_latency_ms = 0;
    void add(const outcome_counts& o);
};

struct verification {
    std::size_t customers_in_store = 0;
    std::size_t acked_checked = 0;      // acknowledged states compared with the store
    std::size_t ambiguous_settled = 0;  // ambiguous writes whose outcome was read back
    std::size_t adopted = 0;            // ambiguous creates that had happened
    std::size_t http_checked = 0;       // of those, also read over HTTP
    std::vector<std::string> lost;      // acknowledged writes not found as acknowledged
    std::vector<std::string> findings;  // checker findings and other inconsistencies
};

struct fault_report {
    fault kind{};
    outcome_counts during;
    milliseconds recovered_after{-1};  // fault lifted -> first successful request; -1: never
    verification check;
};

struct totals {
    std::uint64_t faults = 0, verifications = 0;
    outcome_counts all, during_faults;
    std::uint64_t acked_writes = 0, ambiguous_writes = 0;
    std::uint64_t acked_checked = 0, lost = 0, findings = 0;
    std::int64_t max_recovery_ms = 0;
    std::vector<std::string> problems;  // the first of them, described
};

class driver {
  public:
    explicit driver(chaos_config cfg);
    ~driver();
    driver(const driver&) = delete;
    driver& operator=(const driver&) = delete;

    void start_load();
    // Injects the fault while the load runs, waits for recovery, verifies.
    fault_report inject(fault f);
    // Pauses the clients, verifies ledgers and layout, resumes them.
    verification verify();
    // Stops the clients and the server (SIGTERM); the server's exit code.
    int stop();

    pid_t server_pid() const;
    const chaos_config& config() const { return cfg_; }
    totals summary() const;

    struct impl;

  private:
    chaos_config cfg_;
    std::unique_ptr<impl> impl_;
};

}  // namespace customers::chaos
