// The short chaos run (ctest entry `chaos`): mixed load from several
// clients while Redis is killed and restarted, stopped for longer than the
// command deadline, and restarted empty. After each fault the server must
// have recovered by itself, every request during the fault must have ended
// in time with 2xx or 503 + Retry-After, no acknowledged write may be lost,
// and the layout must pass the consistency checker. bench/soak is the long
// form.

#define BOOST_TEST_MODULE customers_chaos
#include <boost/test/unit_test.hpp>

#include "driver.hpp"

using namespace customers::chaos;
using namespace std::chrono_literals;

namespace {

std::string lines(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += s + "\n";
    return out;
}

void require_clean(const fault_report& r) {
    const std::string what(name(r.kind));
    BOOST_TEST_MESSAGE(what << ": " << r.during.requests << " requests during the fault ("
                            << r.during.ok << " 2xx, " << r.during.unavailable << " 503, "
                            << r.during.violations << " violations, max " << r.during.max_latency_ms
                            << " ms), recovered after " << r.recovered_after.count()
                            << " ms; checked " << r.check.acked_checked << " acknowledged states, "
                            << r.check.ambiguous_settled << " ambiguous, " << r.check.adopted
                            << " adopted, " << r.check.customers_in_store << " in the store");
    BOOST_TEST(r.recovered_after.count() >= 0, what << ": no recovery");
    BOOST_TEST(r.during.requests > 0u, what << ": no request met the fault");
    BOOST_TEST(r.during.unavailable > 0u, what << ": no request saw the fault");
    BOOST_TEST(r.during.violations == 0u, what);
    BOOST_TEST(r.check.lost.empty(), what << ":\n" << lines(r.check.lost));
    BOOST_TEST(r.check.findings.empty(), what << ":\n" << lines(r.check.findings));
}

}  // namespace

BOOST_AUTO_TEST_CASE(faults_under_load_lose_no_acknowledged_write) {
    chaos_config cfg;
    cfg.clients = 6;
    driver d(cfg);
    d.start_load();
    std::this_thread::sleep_for(2s);
    const auto first = d.verify();  // no fault yet: the baseline holds
    BOOST_TEST(first.lost.empty(), lines(first.lost));
    BOOST_TEST(first.findings.empty(), lines(first.findings));
    BOOST_TEST(first.acked_checked > 0u);

    for (fault f : {fault::kill_restart, fault::pause, fault::restart_empty, fault::kill_restart,
                    fault::pause}) {
        std::this_thread::sleep_for(2s);
        require_clean(d.inject(f));
    }
    std::this_thread::sleep_for(1s);
    const auto last = d.verify();
    BOOST_TEST(last.lost.empty(), lines(last.lost));
    BOOST_TEST(last.findings.empty(), lines(last.findings));

    BOOST_TEST(d.stop() == 0);  // a clean SIGTERM exit (and no leak under ASan)
    const totals t = d.summary();
    BOOST_TEST_MESSAGE("totals: " << t.all.requests << " requests, " << t.acked_writes
                                  << " acknowledged writes, " << t.ambiguous_writes
                                  << " ambiguous, " << t.acked_checked << " states checked, "
                                  << t.lost << " lost");
    BOOST_TEST(t.lost == 0u, lines(t.problems));
    BOOST_TEST(t.findings == 0u, lines(t.problems));
    BOOST_TEST(t.all.violations == 0u, lines(t.problems));
    BOOST_TEST(t.acked_writes > 100u);
    BOOST_TEST(t.ambiguous_writes > 0u);  // the faults did catch writes in flight
}
