// chaos-soak: the long form of the chaos run (bench/soak). Mixed load for
// --minutes with a fault every --fault-every seconds (kill-restart, pause,
// restart-empty in turn), the server's RSS and open fds sampled from /proc,
// a verification after every fault and at the end. Prints a summary, writes
// it as JSON with --json, and exits 1 when anything was lost or
// inconsistent, a request broke the contract, or RSS/fds did not stay flat.
//
//   chaos-soak [--minutes 10] [--clients 6] [--fault-every 20] [--sample-every 5]
//              [--server-threads 2] [--json FILE] [--server BIN] [--redis-conf FILE]

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "driver.hpp"
#include "support/child_process.hpp"

using namespace customers::chaos;
using namespace std::chrono_literals;
namespace json = boost::json;
using clock_type = std::chrono::steady_clock;

namespace {

struct sample {
    double t_s = 0;
    long rss_kb = 0;
    long fds = 0;
};

long fds_of(pid_t pid) {
    std::error_code ec;
    long n = 0;
    for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
        ++n;
    return ec ? -1 : n;
}

clock_type::duration period(double seconds) {
    return std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(seconds));
}

double median(std::vector<long> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2.0;
}

json::object counts_json(const outcome_counts& c) {
    return {{"requests", c.requests},
            {"ok_2xx", c.ok},
            {"unavailable_503", c.unavailable},
            {"violations", c.violations},
            {"no_response", c.transport},
            {"unexpected_status", c.unexpected_status},
            {"503_without_retry_after", c.no_retry_after},
            {"slower_than_deadline_plus_margin", c.slow},
            {"max_latency_ms", c.max_latency_ms}};
}

std::string counts_text(const outcome_counts& c) {
    std::ostringstream o;
    o << c.requests << " requests: " << c.ok << " 2xx, " << c.unavailable
      << " 503 (all with Retry-After: " << (c.no_retry_after == 0 ? "yes" : "no") << "), "
      << c.violations << " violations (" << c.transport << " no response, " << c.unexpected_status
      << " other status, " << c.slow << " too slow), max " << c.max_latency_ms << " ms";
    return o.str();
}

[[noreturn]] void usage() {
    std::cerr << "usage: chaos-soak [--minutes 10] [--clients 6] [--fault-every 20] "
                 "[--sample-every 5] [--server-threads 2] [--json FILE] [--server BIN] "
                 "[--redis-conf FILE]\n";
    std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
    double minutes = 10, fault_every = 20, sample_every = 5;
    std::string json_out;
    chaos_config cfg;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc) usage();
        const std::string v = argv[++i];
        try {
            if (a == "--minutes")
                minutes = std::stod(v);
            else if (a == "--clients")
                cfg.clients = static_cast<unsigned>(std::stoul(v));
            else if (a == "--fault-every")
                fault_every = std::stod(v);
            else if (a == "--sample-every")
                sample_every = std::stod(v);
            else if (a == "--server-threads")
                cfg.server_threads = static_cast<unsigned>(std::stoul(v));
            else if (a == "--json")
                json_out = v;
            else if (a == "--server")
                cfg.server_binary = v;
            else if (a == "--redis-conf")
                cfg.redis_conf = v;
            else
                usage();
        } catch (const std::exception&) {
            usage();
        }
    }
    if (minutes <= 0 || fault_every < 5 || sample_every <= 0 || cfg.clients == 0 ||
        cfg.server_threads < 2)
        usage();

    driver d(cfg);
    const pid_t pid = d.server_pid();
    std::vector<sample> samples;
    const auto start = clock_type::now();
    const auto end = start + period(minutes * 60);
    const auto elapsed_s = [&] {
        return std::chrono::duration<double>(clock_type::now() - start).count();
    };
    auto take_sample = [&] {
        samples.push_back({elapsed_s(), customers::test::resident_kib(pid), fds_of(pid)});
        const auto& s = samples.back();
        std::cout << "  t=" << static_cast<long>(s.t_s) << "s rss=" << s.rss_kb
                  << " kB fds=" << s.fds << std::endl;
    };

    std::cout << "soak: " << minutes << " min, " << cfg.clients << " clients, server --threads "
              << cfg.server_threads << ", a fault every " << fault_every << " s, command deadline "
              << cfg.command_timeout.count() << " ms (+" << cfg.margin.count()
              << " ms margin), server pid " << pid << std::endl;
    d.start_load();
    const fault cycle[] = {fault::kill_restart, fault::pause, fault::restart_empty};
    std::map<std::string, int> faults_by_kind;
    json::array fault_log;
    auto next_fault = start + period(fault_every);
    auto next_sample = start;
    std::size_t n = 0;
    while (clock_type::now() < end) {
        const auto now = clock_type::now();
        if (now >= next_sample) {
            take_sample();
            // After a long fault and verification, sample again a period
            // from now rather than catching up with a burst.
            next_sample = std::max(next_sample, now) + period(sample_every);
        }
        if (now >= next_fault) {
            const fault f = cycle[n++ % 3];
            const auto r = d.inject(f);
            ++faults_by_kind[std::string(name(f))];
            std::cout << "fault " << n << " " << name(f) << " at " << static_cast<long>(elapsed_s())
                      << " s: " << counts_text(r.during) << "; recovered after "
                      << r.recovered_after.count() << " ms; verified " << r.check.acked_checked
                      << " acknowledged states (" << r.check.lost.size() << " lost), "
                      << r.check.ambiguous_settled << " ambiguous settled, " << r.check.adopted
                      << " adopted, " << r.check.findings.size() << " findings, "
                      << r.check.customers_in_store << " customers in Redis" << std::endl;
            for (const auto* list : {&r.check.lost, &r.check.findings})
                for (std::size_t i = 0; i < list->size() && i < 5; ++i)
                    std::cout << "    " << (*list)[i] << "\n";
            fault_log.push_back({{"kind", name(f)},
                                 {"at_s", elapsed_s()},
                                 {"during", counts_json(r.during)},
                                 {"recovered_after_ms", r.recovered_after.count()},
                                 {"acked_checked", r.check.acked_checked},
                                 {"lost", r.check.lost.size()},
                                 {"findings", r.check.findings.size()},
                                 {"customers_in_store", r.check.customers_in_store}});
            next_fault = clock_type::now() + period(fault_every);
        }
        std::this_thread::sleep_until(std::min({next_sample, next_fault, end}));
    }
    take_sample();
    const verification final_check = d.verify();
    const int exit_code = d.stop();
    const totals t = d.summary();

    // Flat: after the warm-up (the first 20% of the samples), the median of
    // the last 5 samples may exceed the median of the first 5 by at most
    // 10% + 4 MiB of RSS and 2 fds.
    const std::size_t warm = samples.size() / 5;
    std::vector<long> rss_first, rss_last, fd_first, fd_last;
    const std::size_t usable = samples.size() - warm;
    const std::size_t w = std::min<std::size_t>(5, usable / 2);
    for (std::size_t i = 0; i < w; ++i) {
        rss_first.push_back(samples[warm + i].rss_kb);
        fd_first.push_back(samples[warm + i].fds);
        rss_last.push_back(samples[samples.size() - 1 - i].rss_kb);
        fd_last.push_back(samples[samples.size() - 1 - i].fds);
    }
    const double r0 = median(rss_first), r1 = median(rss_last), f0 = median(fd_first),
                 f1 = median(fd_last);
    const bool enough = w >= 2;
    const bool rss_flat = enough && r1 <= r0 * 1.10 + 4096;
    const bool fds_flat = enough && f1 <= f0 + 2;
    long rss_min = LONG_MAX, rss_max = 0, fd_min = LONG_MAX, fd_max = 0;
    json::array sample_log;
    for (const auto& s : samples) {
        rss_min = std::min(rss_min, s.rss_kb), rss_max = std::max(rss_max, s.rss_kb);
        fd_min = std::min(fd_min, s.fds), fd_max = std::max(fd_max, s.fds);
        sample_log.push_back({{"t_s", s.t_s}, {"rss_kb", s.rss_kb}, {"fds", s.fds}});
    }

    const bool ok = t.lost == 0 && t.findings == 0 && t.all.violations == 0 && rss_flat &&
                    fds_flat && exit_code == 0 && final_check.lost.empty() &&
                    final_check.findings.empty();
    std::cout << "\n== soak summary (" << minutes << " min)\n"
              << "faults injected: " << t.faults;
    for (const auto& [k, v] : faults_by_kind) std::cout << " (" << k << " " << v << ")";
    std::cout << "\nall requests: " << counts_text(t.all)
              << "\nrequests during faults: " << counts_text(t.during_faults)
              << "\nrecovery: at most " << t.max_recovery_ms << " ms after a fault ended"
              << "\nwrites acknowledged: " << t.acked_writes
              << ", ambiguous (503/no answer): " << t.ambiguous_writes
              << "\nacknowledged states checked: " << t.acked_checked << " in " << t.verifications
              << " verifications; lost: " << t.lost << "; other findings: " << t.findings
              << "\nfinal check: " << final_check.customers_in_store << " customers in Redis, "
              << final_check.acked_checked << " checked, " << final_check.lost.size() << " lost, "
              << final_check.findings.size() << " findings"
              << "\nserver RSS kB: min " << rss_min << " max " << rss_max << "; median first " << r0
              << " last " << r1
              << " (flat: last <= first * 1.10 + 4096 kB): " << (rss_flat ? "yes" : "NO")
              << "\nserver open fds: min " << fd_min << " max " << fd_max << "; median first " << f0
              << " last " << f1 << " (flat: last <= first + 2): " << (fds_flat ? "yes" : "NO")
              << "\nserver exit after SIGTERM: " << exit_code
              << "\nverdict: " << (ok ? "PASS" : "FAIL") << std::endl;
    for (const auto& p : t.problems) std::cout << "  problem: " << p << "\n";

    if (!json_out.empty()) {
        json::object by_kind;
        for (const auto& [k, v] : faults_by_kind) by_kind[k] = v;
        json::object out{{"minutes", minutes},
                         {"clients", cfg.clients},
                         {"server_threads", cfg.server_threads},
                         {"fault_every_s", fault_every},
                         {"command_timeout_ms", cfg.command_timeout.count()},
                         {"margin_ms", cfg.margin.count()},
                         {"faults", t.faults},
                         {"faults_by_kind", by_kind},
                         {"requests", counts_json(t.all)},
                         {"requests_during_faults", counts_json(t.during_faults)},
                         {"max_recovery_ms", t.max_recovery_ms},
                         {"acked_writes", t.acked_writes},
                         {"ambiguous_writes", t.ambiguous_writes},
                         {"acked_states_checked", t.acked_checked},
                         {"verifications", t.verifications},
                         {"lost", t.lost},
                         {"findings", t.findings},
                         {"final_customers_in_store", final_check.customers_in_store},
                         {"rss_kb",
                          {{"min", rss_min},
                           {"max", rss_max},
                           {"median_first", r0},
                           {"median_last", r1},
                           {"flat", rss_flat}}},
                         {"fds",
                          {{"min", fd_min},
                           {"max", fd_max},
                           {"median_first", f0},
                           {"median_last", f1},
                           {"flat", fds_flat}}},
                         {"flat_criterion",
                          "after the first 20% of samples, median of the last 5 <= median "
                          "of the first 5 * 1.10 + 4096 kB (RSS) and + 2 (fds)"},
                         {"server_exit_code", exit_code},
                         {"pass", ok},
                         {"fault_log", fault_log},
                         {"samples", sample_log}};
        std::ofstream(json_out) << json::serialize(out) << "\n";
    }
    return ok ? 0 : 1;
}
