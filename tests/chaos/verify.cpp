// Verification while the clients are paused: every ledger against one
// snapshot of the project in Redis, the consistency checker on the same
// snapshot, and a sample of customers read back over HTTP.

#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>

#include "customers/redis/connection.hpp"
#include "customers/store/consistency.hpp"
#include "customers/store/customer_codec.hpp"
#include "driver_impl.hpp"
#include "support/run_coro.hpp"

namespace customers::chaos {
namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
namespace json = boost::json;

// What the store holds for a customer hash, as the fields a client checks.
customer_state fields_of(std::string_view project, const std::string& id,
                         const store::field_map& hash) {
    redis::reply r;
    r.kind = redis::reply::type::array;
    for (const auto& [f, v] : hash) {
        r.elements.push_back({redis::reply::type::string, f, 0, {}});
        r.elements.push_back({redis::reply::type::string, v, 0, {}});
    }
    auto c = store::from_hash(project, id, std::move(r));
    if (!c) return std::nullopt;
    customer_fields f;
    f.username = c->username;
    f.phone_number = c->phone_number;
    f.display_name = c->display_name;
    f.external_id = c->external_id;
    f.flagged = c->is_flagged;
    f.terminated = c->terminated;
    boost::system::error_code ec;
    auto meta = json::parse(c->meta, ec);
    if (ec || !meta.is_object()) return std::nullopt;
    for (const auto& [k, v] : meta.as_object())
        f.meta.emplace(std::string(k), v.is_string() ? std::string(v.get_string()) : "?");
    return f;
}

}  // namespace

verification driver::impl::verify_paused() {
    verification v;
    // The store's view: one snapshot of the project, and the checker on it.
    boost::asio::io_context ioc;
    redis::connection_config rc;
    rc.where = redis::parse_url(redis->url()).value();
    rc.command_timeout = 60s;
    redis::connection conn(ioc.get_executor(), rc);
    conn.start();
    const auto deadline = clock_type::now() + 10s;
    while (!conn.connected() && clock_type::now() < deadline) ioc.run_one_for(10ms);
    auto snap = test::run_coro(ioc, store::load_project(conn, cfg.project), 120s);
    conn.stop();
    ioc.restart();
    ioc.run();
    if (!snap) throw std::runtime_error("cannot read the project from Redis");
    for (const auto& f : store::check_project(*snap))
        v.findings.push_back("checker: " + store::describe(f));
    v.customers_in_store = snap->customers.size();

    std::map<std::string, customer_state> in_store;
    for (const auto& [id, hash] : snap->customers) {
        auto f = fields_of(cfg.project, id, hash);
        if (!f) v.findings.push_back("customer " + id + " does not decode");
        in_store.emplace(id, std::move(f));
    }

    // Every tracked customer against the store.
    for (auto& c : clients) {
        std::vector<std::string> ids;
        for (const auto& [id, t] : c->book.customers()) ids.push_back(id);
        for (const auto& id : ids) {
            const bool certain = c->book.find(id)->certain();
            const auto it = in_store.find(id);
            const customer_state observed = it == in_store.end() ? std::nullopt : it->second;
            (certain ? v.acked_checked : v.ambiguous_settled) += 1;
            if (auto p = c->book.settle(id, observed))
                (certain ? v.lost : v.findings).push_back(*p);
            if (it != in_store.end()) in_store.erase(it);
        }
    }
    // What is left was created by a request that got no 201: an ambiguous
    // create that happened, or a phantom.
    for (const auto& [id, f] : in_store) {
        if (!f) continue;
        const auto dash = f->username.find('-');
        unsigned owner = clients.size();
        if (f->username.starts_with("c") && dash != std::string::npos)
            owner = static_cast<unsigned>(std::stoul(f->username.substr(1, dash - 1)));
        if (owner < clients.size() && clients[owner]->book.adopt(id, *f))
            ++v.adopted;
        else
            v.findings.push_back("customer " + id + " (" + describe(f) +
                                 ") was never created by any request");
    }
    for (auto& c : clients) c->book.forget_unsettled_creates();

    // A sample read back over HTTP too: the API agrees with Redis.
    for (auto& c : clients) {
        std::size_t n = 0;
        for (const auto& [id, t] : c->book.customers()) {
            if (++n > 20) break;
            auto r = request_once("GET", "/v1/customers/" + id);
            customer_state got;
            if (r.status == 200) {
                boost::system::error_code ec;
                auto o = json::parse(r.body, ec);
                if (!ec && o.is_object()) got = fields_from_json(o.as_object());
            } else if (r.status != 404) {
                v.findings.push_back("GET " + id + " after recovery: status " +
                                     std::to_string(r.status));
                continue;
            }
            ++v.http_checked;
            if (got != t.now)
                v.lost.push_back("GET " + id + " answers " + describe(got) + ", the store has " +
                                 describe(t.now));
        }
    }
    if (server->wait(0ms)) v.findings.push_back("the server process exited");
    return v;
}

}  // namespace customers::chaos
