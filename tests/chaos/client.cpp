// One chaos load client: a blocking keep-alive HTTP connection doing a
// create/update/delete/get/list mix on its own customers, recording every
// outcome in its ledger and the shared counters.

#include <boost/json/parse.hpp>

#include "driver_impl.hpp"

namespace customers::chaos {
namespace {

using clock_type = std::chrono::steady_clock;
namespace json = boost::json;

// A request that got no answer within this is a hang, whatever the fault.
constexpr milliseconds hard_timeout{10'000};

std::optional<json::object> parse_object(const std::string& body) {
    boost::system::error_code ec;
    json::value v = json::parse(body, ec);
    if (ec || !v.is_object()) return std::nullopt;
    return std::move(v.as_object());
}

std::string random_word(std::mt19937_64& rng, std::size_t n) {
    static constexpr std::string_view alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string s(n, 'a');
    for (auto& ch : s) ch = alphabet[rng() % alphabet.size()];
    return s;
}

// "c3-17": usernames (prefix 'c') and external ids ('x') of client 3, unique
// for the run; verification finds a customer's client by the number.
// (Appended piecewise: GCC 12 warns falsely on "c" + std::to_string(...).)
std::string owned_name(char prefix, unsigned client, std::uint64_t n) {
    std::string s(1, prefix);
    s += std::to_string(client);
    s += '-';
    s += std::to_string(n);
    return s;
}

}  // namespace

void driver::impl::problem(std::string text, bool lost) {
    std::lock_guard lk(stats_m);
    (lost ? sums.lost : sums.findings) += 1;
    if (sums.problems.size() < 50) sums.problems.push_back(std::move(text));
}

void driver::impl::client_loop(client& c) {
    for (;;) {
        {
            std::unique_lock lk(control_m);
            if (pause_requested || stopping) {
                ++idle;
                control_cv.notify_all();
                control_cv.wait(lk, [&] { return !pause_requested || stopping; });
                --idle;
                if (stopping) return;
            }
        }
        step(c);
    }
}

response_info driver::impl::request(client& c, std::string_view method, const std::string& target,
                                    const std::string& body) {
    const bool fault_at_start = in_fault.load();
    const auto start = clock_type::now();
    response_info out;
    try {
        if (!c.conn) c.conn = std::make_unique<test::http_connection>(port);
        std::string raw;
        raw.reserve(256 + body.size());
        raw.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: chaos\r\n");
        raw.append("Authorization: Bearer ").append(token).append("\r\n");
        if (!body.empty())
            raw.append("Content-Type: application/json\r\nContent-Length: ")
                .append(std::to_string(body.size()))
                .append("\r\n");
        raw.append("\r\n").append(body);
        c.conn->send(raw);
        auto res = c.conn->read_response(hard_timeout);
        if (res) {
            out.status = static_cast<int>(res->result_int());
            out.retry_after = res->find(boost::beast::http::field::retry_after) != res->end();
            out.body = std::move(res->body());
            if (!res->keep_alive()) c.conn.reset();
        } else {
            c.conn.reset();
        }
    } catch (const std::exception&) {
        c.conn.reset();
    }
    const auto took = std::chrono::duration_cast<milliseconds>(clock_type::now() - start).count();
    const bool during_fault = fault_at_start || in_fault.load();

    outcome_counts o;
    o.requests = 1;
    o.max_latency_ms = took;
    std::string violation;
    if (out.status == 0) {
        o.transport = 1;
        violation = "no response";
    } else if (out.status == 503) {
        o.unavailable = 1;
        if (!out.retry_after) o.no_retry_after = 1, violation = "503 without Retry-After";
    } else if (out.status >= 200 && out.status < 300) {
        o.ok = 1;
    } else {
        o.unexpected_status = 1;
        violation = "status " + std::to_string(out.status) + ": " + out.body.substr(0, 200);
    }
    if (during_fault && took > (cfg.command_timeout + cfg.margin).count()) {
        o.slow = 1;
        if (violation.empty()) violation = "took " + std::to_string(took) + " ms during a fault";
    }
    o.violations = violation.empty() ? 0 : 1;

    {
        std::lock_guard lk(stats_m);
        sums.all.add(o);
        if (during_fault) {
            sums.during_faults.add(o);
            current_fault.add(o);
        }
        if (!violation.empty() && sums.problems.size() < 50)
            sums.problems.push_back(std::string(method) + " " + target + ": " + violation);
    }
    // A client that honours Retry-After would wait a second; a short pause
    // keeps the pressure on the fail-fast path without spinning.
    if (out.status == 503 || out.status == 0) std::this_thread::sleep_for(milliseconds(5));
    return out;
}

void driver::impl::step(client& c) {
    const unsigned roll = c.rng() % 100;
    const std::string* picked = c.book.pick_present(c.rng);

    // create 30%, update 25%, delete 10%, get 25%, list 10% (create when
    // there is nothing to work on).
    if (roll < 30 || (!picked && roll < 90)) {
        customer_fields f;
        const std::uint64_t n = c.next_name++;
        f.username = owned_name('c', c.index, n);
        f.phone_number = "+1 555 " + std::to_string(1000 + c.rng() % 9000);
        if (c.rng() % 2) f.display_name = "Name " + random_word(c.rng, 6);
        if (c.rng() % 3 == 0) f.external_id = owned_name('x', c.index, n);
        f.flagged = c.rng() % 4 == 0;
        if (c.rng() % 2) f.meta[random_word(c.rng, 3)] = random_word(c.rng, 8);
        auto r = request(c, "POST", "/v1/customers", create_body(f));
        if (r.status == 201) {
            auto o = parse_object(r.body);
            const auto got = o ? fields_from_json(*o) : std::nullopt;
            if (!o || !o->contains("id") || !(*o)["id"].is_string()) {
                problem("201 without a customer: " + r.body.substr(0, 200), false);
                return;
            }
            const std::string id(o->at("id").get_string());
            if (got != f)
                problem("create of " + id + " answered " + describe(got) + ", sent " + describe(f),
                        false);
            {
                std::lock_guard lk(stats_m);
                ++sums.acked_writes;
            }
            c.book.create_acked(id, f);
        } else {  // 503, no answer (or a violation, already counted): may have happened
            std::lock_guard lk(stats_m);
            ++sums.ambiguous_writes;
            c.book.create_ambiguous(f);
        }
        return;
    }
    if (roll >= 90 || !picked) {
        const char* filters[] = {"", "&status=active", "&is_flagged=true", "&active=false"};
        request(c, "GET", "/v1/customers?limit=10" + std::string(filters[c.rng() % 4]), {});
        return;
    }

    const std::string id = *picked;  // copied: the ledger may move it
    const customer_fields before = *c.book.find(id)->now;
    const std::string target = "/v1/customers/" + id;
    if (roll < 55) {  // update
        customer_fields after = before;
        switch (c.rng() % 5) {
            case 0:
                after.display_name = c.rng() % 3
                                         ? std::optional<std::string>("N " + random_word(c.rng, 5))
                                         : std::nullopt;
                break;
            case 1:
                after.flagged = !after.flagged;
                break;
            case 2:
                after.terminated = !after.terminated;
                break;
            case 3:
                after.meta.clear();
                if (c.rng() % 2) after.meta[random_word(c.rng, 4)] = random_word(c.rng, 4);
                break;
            default:
                after.external_id =
                    c.rng() % 3
                        ? std::optional<std::string>(owned_name('x', c.index, c.next_name++))
                        : std::nullopt;
        }
        auto r = request(c, "PATCH", target, patch_body(after));
        if (r.status == 200) {
            auto o = parse_object(r.body);
            const auto got = o ? fields_from_json(*o) : std::nullopt;
            if (got != after)
                problem("update of " + id + " answered " + describe(got) + ", expected " +
                            describe(after),
                        true);
            std::lock_guard lk(stats_m);
            ++sums.acked_writes;
            c.book.write_acked(id, after);
        } else if (r.status == 404) {
            problem("lost customer " + id + ": update answered 404, expected " + describe(before),
                    true);
            c.book.write_acked(id, std::nullopt);
        } else {
            std::lock_guard lk(stats_m);
            ++sums.ambiguous_writes;
            c.book.write_ambiguous(id, after);
        }
    } else if (roll < 65) {  // delete
        auto r = request(c, "DELETE", target, {});
        if (r.status == 204) {
            std::lock_guard lk(stats_m);
            ++sums.acked_writes;
            c.book.write_acked(id, std::nullopt);
        } else if (r.status == 404) {
            problem("lost customer " + id + ": delete answered 404, expected " + describe(before),
                    true);
            c.book.write_acked(id, std::nullopt);
        } else {
            std::lock_guard lk(stats_m);
            ++sums.ambiguous_writes;
            c.book.write_ambiguous(id, std::nullopt);
        }
    } else {  // get
        auto r = request(c, "GET", target, {});
        if (r.status == 200) {
            auto o = parse_object(r.body);
            const auto got = o ? fields_from_json(*o) : std::nullopt;
            if (got != before)
                problem("get of " + id + " answered " + describe(got) + ", acknowledged " +
                            describe(before),
                        true);
        } else if (r.status == 404) {
            problem("lost customer " + id + ": get answered 404, acknowledged " + describe(before),
                    true);
            c.book.write_acked(id, std::nullopt);
        }
    }
}

}  // namespace customers::chaos
