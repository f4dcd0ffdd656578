#include "ledger.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace customers::chaos {
namespace json = boost::json;

namespace {

std::optional<std::string> nullable(const json::object& o, const char* key, bool& ok) {
    const json::value* v = o.if_contains(key);
    if (!v) ok = false;
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_string()) {
        ok = false;
        return std::nullopt;
    }
    return std::string(v->get_string());
}

json::object meta_object(const customer_fields& f) {
    json::object m;
    for (const auto& [k, v] : f.meta) m[k] = v;
    return m;
}

json::value or_null(const std::optional<std::string>& s) {
    return s ? json::value(*s) : json::value(nullptr);
}

}  // namespace

std::optional<customer_fields> fields_from_json(const json::object& o) {
    bool ok = true;
    customer_fields f;
    const auto username = nullable(o, "username", ok), phone = nullable(o, "phone_number", ok);
    f.display_name = nullable(o, "display_name", ok);
    f.external_id = nullable(o, "external_id", ok);
    const json::value* flagged = o.if_contains("is_flagged");
    const json::value* status = o.if_contains("status");
    const json::value* meta = o.if_contains("meta");
    if (!ok || !username || !phone || !flagged || !flagged->is_bool() || !status ||
        !status->is_string() || !meta || !meta->is_object())
        return std::nullopt;
    f.username = *username;
    f.phone_number = *phone;
    f.flagged = flagged->get_bool();
    f.terminated = status->get_string() == "terminated";
    for (const auto& [k, v] : meta->get_object()) {
        if (!v.is_string()) return std::nullopt;
        f.meta.emplace(std::string(k), std::string(v.get_string()));
    }
    return f;
}

std::string create_body(const customer_fields& f) {
    json::object b;
    b["username"] = f.username;
    b["phone_number"] = f.phone_number;
    if (f.display_name) b["display_name"] = *f.display_name;
    if (f.external_id) b["external_id"] = *f.external_id;
    b["is_flagged"] = f.flagged;
    if (!f.meta.empty()) b["meta"] = meta_object(f);
    return json::serialize(b);
}

std::string patch_body(const customer_fields& f) {
    json::object b;
    b["display_name"] = or_null(f.display_name);
    b["external_id"] = or_null(f.external_id);
    b["is_flagged"] = f.flagged;
    b["status"] = f.terminated ? "terminated" : "active";
    b["meta"] = meta_object(f);
    return json::serialize(b);
}

std::string describe(const customer_state& s) {
    if (!s) return "absent";
    json::object o = json::parse(create_body(*s)).as_object();
    o["status"] = s->terminated ? "terminated" : "active";
    return json::serialize(o);
}

void ledger::mark_present(const std::string& id, bool present) {
    const auto it = present_at_.find(id);
    if (present && it == present_at_.end()) {
        present_at_.emplace(id, present_.size());
        present_.push_back(id);
    } else if (!present && it != present_at_.end()) {
        const std::size_t at = it->second;
        present_at_.erase(it);
        if (at + 1 != present_.size()) {
            present_[at] = std::move(present_.back());
            present_at_[present_[at]] = at;
        }
        present_.pop_back();
    }
}

void ledger::create_acked(const std::string& id, const customer_fields& f) {
    customers_[id] = tracked_customer{f, {}};
    mark_present(id, true);
}

void ledger::create_ambiguous(const customer_fields& f) {
    pending_creates_[f.username] = f;
}

void ledger::write_acked(const std::string& id, customer_state after) {
    auto& t = customers_[id];
    mark_present(id, after.has_value());
    t.now = std::move(after);
    t.could_be.clear();
}

void ledger::write_ambiguous(const std::string& id, customer_state after) {
    auto& t = customers_[id];
    mark_present(id, false);  // not to be touched until settled
    t.could_be = {t.now, std::move(after)};
}

const std::string* ledger::pick_present(std::mt19937_64& rng) const {
    if (present_.empty()) return nullptr;
    return &present_[std::uniform_int_distribution<std::size_t>(0, present_.size() - 1)(rng)];
}

const tracked_customer* ledger::find(const std::string& id) const {
    const auto it = customers_.find(id);
    return it == customers_.end() ? nullptr : &it->second;
}

std::optional<std::string> ledger::settle(const std::string& id, const customer_state& observed) {
    auto& t = customers_.at(id);
    std::optional<std::string> problem;
    if (t.certain()) {
        if (observed != t.now)
            problem = "lost acknowledged write of " + id + ": expected " + describe(t.now) +
                      ", found " + describe(observed);
    } else {
        bool allowed = false;
        for (const auto& s : t.could_be) allowed = allowed || s == observed;
        if (!allowed)
            problem = "customer " + id + " after an ambiguous write is " + describe(observed) +
                      ", neither " + describe(t.could_be[0]) + " nor " + describe(t.could_be[1]);
    }
    t.now = observed;
    t.could_be.clear();
    mark_present(id, observed.has_value());
    return problem;
}

bool ledger::adopt(const std::string& id, const customer_fields& observed) {
    const auto it = pending_creates_.find(observed.username);
    if (it == pending_creates_.end() || !(it->second == observed)) return false;
    pending_creates_.erase(it);
    create_acked(id, observed);
    return true;
}

void ledger::reset() {
    customers_.clear();
    present_.clear();
    present_at_.clear();
    pending_creates_.clear();
}

}  // namespace customers::chaos
