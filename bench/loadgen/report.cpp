#include "loadgen/result.hpp"

#include <cstdio>

namespace loadgen {

void stats::merge(const stats& o) {
    latency_us.merge(o.latency_us);
    for (int i = 0; i < 6; ++i) status[i] += o.status[i];
    connect_errors += o.connect_errors;
    io_errors += o.io_errors;
    timeouts += o.timeouts;
    closed += o.closed;
    reconnects += o.reconnects;
    incomplete += o.incomplete;
}

std::uint64_t result::requests() const {
    return totals.status[1] + totals.status[2] + totals.status[3] + totals.status[4] +
           totals.status[5];
}

double result::rps() const {
    return duration_s > 0 ? static_cast<double>(requests()) / duration_s : 0.0;
}

std::uint64_t result::errors_total() const {
    const auto& t = totals;
    return t.connect_errors + t.io_errors + t.timeouts + t.closed + t.status[4] + t.status[5];
}

namespace {

std::string format(const char* fmt, auto... args) {
    char buf[256];
    std::snprintf(buf, sizeof buf, fmt, args...);
    return buf;
}

double ms(std::uint64_t us) {
    return static_cast<double>(us) / 1000.0;
}

}  // namespace

std::string summary(const result& r) {
    const auto& t = r.totals;
    const auto& h = t.latency_us;
    std::string s;
    if (r.open_loop)
        s += format("open loop at %.1f req/s", r.target_rate.value_or(0));
    else
        s += "closed loop";
    s += format(", %d connections, %d thread%s, pipeline %d\n", r.connections, r.threads,
                r.threads == 1 ? "" : "s", r.pipeline);
    if (!r.connected) return s + "could not connect: " + r.error + "\n";
    s += format("  %llu requests in %.2f s: %.1f req/s%s\n",
                static_cast<unsigned long long>(r.requests()), r.duration_s, r.rps(),
                r.ids_exhausted ? " (ids ran out: ended early)" : "");
    s += format(
        "  latency ms: mean %.3f  p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  p99.99 %.3f  "
        "max %.3f\n",
        h.mean() / 1000.0, ms(h.percentile(50)), ms(h.percentile(90)), ms(h.percentile(99)),
        ms(h.percentile(99.9)), ms(h.percentile(99.99)), ms(h.max()));
    s += format(
        "  status: 2xx %llu  3xx %llu  4xx %llu  5xx %llu\n",
        static_cast<unsigned long long>(t.status[2]), static_cast<unsigned long long>(t.status[3]),
        static_cast<unsigned long long>(t.status[4]), static_cast<unsigned long long>(t.status[5]));
    s += format(
        "  errors: %llu (connect %llu  io %llu  timeout %llu  closed %llu  4xx+5xx %llu)"
        "  reconnects %llu\n",
        static_cast<unsigned long long>(r.errors_total()),
        static_cast<unsigned long long>(t.connect_errors),
        static_cast<unsigned long long>(t.io_errors), static_cast<unsigned long long>(t.timeouts),
        static_cast<unsigned long long>(t.closed),
        static_cast<unsigned long long>(t.status[4] + t.status[5]),
        static_cast<unsigned long long>(t.reconnects));
    if (r.open_loop && t.incomplete)
        s += format("  %llu requests were due but unanswered when the run ended\n",
                    static_cast<unsigned long long>(t.incomplete));
    return s;
}

std::string to_json(const result& r) {
    // Written by hand: Boost.JSON would print 3.0 as 3E0, legal but unkind
    // to people reading the files.
    const auto& t = r.totals;
    const auto& h = t.latency_us;
    const auto u = [](std::uint64_t v) { return std::to_string(v); };
    std::string s = "{";
    s += format("\"mode\":\"%s\",", r.open_loop ? "open" : "closed");
    s += r.target_rate ? format("\"target_rate\":%.6g,", *r.target_rate) : "\"target_rate\":null,";
    s += format("\"connections\":%d,\"pipeline\":%d,\"threads\":%d,", r.connections, r.pipeline,
                r.threads);
    s += format("\"duration_s\":%.3f,\"requests\":%s,\"rps\":%.1f,", r.duration_s,
                u(r.requests()).c_str(), r.rps());
    s += format("\"ids_exhausted\":%s,\"connected\":%s,", r.ids_exhausted ? "true" : "false",
                r.connected ? "true" : "false");
    s += "\"status\":{\"2xx\":" + u(t.status[2]) + ",\"3xx\":" + u(t.status[3]) +
         ",\"4xx\":" + u(t.status[4]) + ",\"5xx\":" + u(t.status[5]) + "},";
    s += "\"errors\":{\"connect\":" + u(t.connect_errors) + ",\"io\":" + u(t.io_errors) +
         ",\"timeout\":" + u(t.timeouts) + ",\"closed\":" + u(t.closed) +
         ",\"total\":" + u(r.errors_total()) + "},";
    s += "\"reconnects\":" + u(t.reconnects) + ",\"incomplete\":" + u(t.incomplete) + ",";
    s += format("\"latency_us\":{\"mean\":%.1f,", h.mean());
    s += "\"p50\":" + u(h.percentile(50)) + ",\"p90\":" + u(h.percentile(90)) +
         ",\"p99\":" + u(h.percentile(99)) + ",\"p999\":" + u(h.percentile(99.9)) +
         ",\"p9999\":" + u(h.percentile(99.99)) + ",\"max\":" + u(h.max()) + "},";
    s += "\"histogram\":[";
    bool first = true;
    for (const auto& [upper, count] : h.buckets()) {
        s += first ? "[" : ",[";
        s += u(upper) + "," + u(count) + "]";
        first = false;
    }
    return s + "]}\n";
}

}  // namespace loadgen
