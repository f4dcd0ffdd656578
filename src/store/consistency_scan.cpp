// The Redis half of the consistency checker: SCAN a project's keys, read
// them in pipelined batches, hand the snapshot to check_project().
#include <algorithm>
#include <charconv>
#include <functional>
#include <set>

#include "customers/store/consistency.hpp"
#include "customers/store/keys.hpp"
#include "customers/util/log.hpp"

namespace customers::store {
namespace {

using sv = std::string_view;

constexpr std::size_t batch_size = 256;  // commands per pipelined batch

bool usable(const result<redis::reply>& r) {
    return r && !r->is_error() && r->kind == redis::reply::type::array && r->elements.size() == 2;
}

// Every key matching `pattern`, by SCAN (which may return a key twice).
async_result<std::vector<std::string>> scan_keys(redis::connection& redis, std::string pattern) {
    std::vector<std::string> found;
    std::string cursor = "0";
    do {
        auto r = co_await redis.exec(redis::cmd("SCAN", cursor, "MATCH", pattern, "COUNT", "1000"));
        if (!usable(r)) co_return error::unavailable;
        cursor = std::move(r->elements[0].str);
        for (auto& k : r->elements[1].elements) found.push_back(std::move(k.str));
    } while (cursor != "0");
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    co_return found;
}

std::optional<std::uint32_t> bucket_number(sv text) {
    std::uint32_t b = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), b);
    if (ec != std::errc() || end != text.data() + text.size() || b >= keys::buckets)
        return std::nullopt;
    if (std::to_string(b) != text) return std::nullopt;  // "007" is not ours
    return b;
}

field_map as_fields(redis::reply& r) {
    field_map m;
    for (std::size_t i = 0; i + 1 < r.elements.size(); i += 2)
        m.emplace(std::move(r.elements[i].str), std::move(r.elements[i + 1].str));
    return m;
}

// Where a key's value goes in the snapshot once read; null: not ours.
struct pending_read {
    std::string key;
    std::vector<sv> command;
    std::function<void(redis::reply&)> store;
};

}  // namespace

async_result<std::vector<std::string>> find_projects(redis::connection& redis) {
    auto all = co_await scan_keys(redis, "{*}*");
    if (!all) co_return all.error();
    std::set<std::string> projects;
    for (const auto& k : *all) {
        const std::size_t close = k.find('}');
        if (close != std::string::npos && close > 1) projects.insert(k.substr(1, close - 1));
    }
    co_return std::vector<std::string>(projects.begin(), projects.end());
}

async_result<project_snapshot> load_project(redis::connection& redis, sv project) {
    project_snapshot s;
    s.project = project;
    auto found = co_await scan_keys(redis, keys::tagged(project, ":*"));
    if (!found) co_return found.error();

    const std::string tag = keys::tagged(project, "");
    const auto ix = keys::indexes(project);
    std::vector<pending_read> reads;
    for (const std::string& key : *found) {
        const sv rest = sv(key).substr(tag.size());
        pending_read rd{key, {}, {}};
        if (rest.starts_with(":c:")) {
            const std::string id(rest.substr(3));
            rd.store = [&s, id](redis::reply& r) { s.customers[id] = as_fields(r); };
        } else if (const auto p = std::find(ix.begin(), ix.end(), key); p != ix.end()) {
            const auto n = p - ix.begin();
            rd.store = [&s, n](redis::reply& r) {
                for (auto& e : r.elements) s.indexes[n].push_back(std::move(e.str));
            };
        } else {
            std::map<std::uint32_t, field_map>* map = nullptr;
            if (rest.starts_with(":un:")) map = &s.usernames;
            if (rest.starts_with(":ex:")) map = &s.external_ids;
            if (rest.starts_with(":cv:")) map = &s.conversations;
            const auto b = map ? bucket_number(rest.substr(4)) : std::nullopt;
            if (b) rd.store = [map, b = *b](redis::reply& r) { (*map)[b] = as_fields(r); };
        }
        if (!rd.store) {
            s.other_keys.push_back(key);
            continue;
        }
        reads.push_back(std::move(rd));
    }
    // Commands refer to the keys in `reads`, which no longer move.
    for (auto& rd : reads) {
        const bool zset = std::find(ix.begin(), ix.end(), rd.key) != ix.end();
        rd.command = zset ? std::vector<sv>{"ZRANGE", rd.key, "0", "-1"}
                          : std::vector<sv>{"HGETALL", rd.key};
    }
    for (std::size_t at = 0; at < reads.size(); at += batch_size) {
        const std::size_t n = std::min(batch_size, reads.size() - at);
        std::vector<std::vector<sv>> batch;
        for (std::size_t i = 0; i < n; ++i) batch.push_back(reads[at + i].command);
        auto r = co_await redis.exec_batch(batch);
        if (!r) co_return error::unavailable;
        for (std::size_t i = 0; i < n; ++i) {
            redis::reply& rep = (*r)[i];
            if (rep.is_error()) {
                // WRONGTYPE: a key of ours holding another type.
                s.other_keys.push_back(reads[at + i].key + " (" + rep.str + ")");
                continue;
            }
            reads[at + i].store(rep);  // a key deleted since SCAN reads as empty
        }
    }
    co_return s;
}

async_result<check_report> check_consistency(redis::connection& redis, sv project) {
    check_report report;
    if (project.empty()) {
        auto projects = co_await find_projects(redis);
        if (!projects) co_return projects.error();
        report.projects = std::move(*projects);
    } else {
        report.projects.emplace_back(project);
    }
    for (const auto& p : report.projects) {
        auto snap = co_await load_project(redis, p);
        if (!snap) co_return snap.error();
        // A customer or map key deleted between SCAN and its read came back
        // empty: drop it as the store would not have left it.
        std::erase_if(snap->customers, [](const auto& e) { return e.second.empty(); });
        report.customers += snap->customers.size();
        for (auto& f : check_project(*snap)) report.findings.push_back(std::move(f));
        log::debug("consistency: {", p, "} ", snap->customers.size(), " customers");
    }
    co_return report;
}

}  // namespace customers::store
