// A list page in two pipelined batches: the ranges of the partitions the
// filters select inside MULTI/EXEC, so they are one snapshot (a customer
// moving between partitions is in exactly one of them), then HGETALL for the
// page's rows. Each row is checked against the filter as read: one changed
// or deleted in between is left out, never shown, and the rows after it fill
// the page. Each range costs O(log N + limit) in Redis, whatever N is.

#include <array>

#include "customers/store/customer_codec.hpp"
#include "customers/store/customer_store.hpp"
#include "customers/store/keys.hpp"
#include "customers/store/list_merge.hpp"

namespace customers::store {
namespace {

using sv = std::string_view;

bool matches(const domain::customer& c, const list_query& q) {
    if (q.external_id && c.external_id != q.external_id) return false;
    if (q.terminated && c.terminated != *q.terminated) return false;
    if (q.is_flagged && c.is_flagged != *q.is_flagged) return false;
    if (q.starting_after && !(c.id < *q.starting_after)) return false;
    if (q.ending_before && !(c.id > *q.ending_before)) return false;
    return true;
}

}  // namespace

async_result<list_page> customer_store::list(sv project, const list_query& q) {
    if (q.contradictory) co_return list_page{};
    if (q.external_id) co_return co_await list_by_external_id(project, q);
    // A row left out (changed or deleted between the two batches) leaves
    // room on the page: the rows past the last one examined fill it, from a
    // new snapshot. No row between is skipped: the first snapshot covered
    // them. Bounded: under extreme churn a page may come back short.
    const bool backward = q.ending_before.has_value();
    list_query window = q;
    list_page page;
    for (int round = 1;; ++round) {
        bool complete = true;
        std::string edge;
        auto part = co_await list_once(project, window, complete, edge);
        if (!part) co_return part.error();
        auto& rows = part->data;
        page.data.insert(backward ? page.data.begin() : page.data.end(),
                         std::make_move_iterator(rows.begin()),
                         std::make_move_iterator(rows.end()));
        page.has_more = part->has_more;
        if (complete || !page.has_more || round == 4) co_return page;
        window.limit = q.limit - page.data.size();
        (backward ? window.ending_before : window.starting_after) = std::move(edge);
    }
}

// One page of up to q.limit rows from one snapshot of the ranges. `edge` is
// the last id examined in the direction of travel; `complete` is false when
// a row was left out.
async_result<list_page> customer_store::list_once(sv project, const list_query& q, bool& complete,
                                                  std::string& edge) {
    const bool backward = q.ending_before.has_value();
    const auto ix = keys::indexes(project);
    // Exclusive bound just past the cursor, or the open end of the set.
    const std::string bound =
        backward ? "(" + *q.ending_before : (q.starting_after ? "(" + *q.starting_after : "+");
    const std::string count = std::to_string(q.limit + 1);

    std::vector<std::vector<sv>> ranges{{"MULTI"}};
    for (bool t : {false, true}) {
        if (q.terminated && *q.terminated != t) continue;
        for (bool f : {false, true}) {
            if (q.is_flagged && *q.is_flagged != f) continue;
            const std::string& key = ix[keys::partition(t, f)];
            if (backward)
                ranges.push_back({"ZRANGEBYLEX", key, bound, "+", "LIMIT", "0", count});
            else
                ranges.push_back({"ZREVRANGEBYLEX", key, bound, "-", "LIMIT", "0", count});
        }
    }
    ranges.push_back({"EXEC"});
    auto ranged = co_await redis_.exec_batch(ranges);
    if (!ranged) co_return error::unavailable;
    // MULTI's OK, a QUEUED per range, then EXEC's array of the ranges.
    redis::reply& exec = ranged->back();
    if (exec.kind != redis::reply::type::array || exec.elements.size() != ranges.size() - 2)
        co_return error::unavailable;
    std::vector<std::vector<std::string>> ids;
    for (redis::reply& r : exec.elements) {
        if (r.kind != redis::reply::type::array) co_return error::unavailable;
        auto& out = ids.emplace_back();
        for (redis::reply& e : r.elements) out.push_back(std::move(e.str));
    }
    merged_ids merged = merge_ranges(std::move(ids), q.limit, backward);

    list_page page;
    page.has_more = merged.has_more;
    complete = true;
    if (merged.ids.empty()) co_return page;
    edge = backward ? merged.ids.front() : merged.ids.back();  // ids are newest first
    std::vector<std::string> customer_keys;
    customer_keys.reserve(merged.ids.size());
    for (const auto& id : merged.ids) customer_keys.push_back(keys::customer(project, id));
    std::vector<std::vector<sv>> fetches;
    fetches.reserve(customer_keys.size());
    for (const auto& k : customer_keys) fetches.push_back({"HGETALL", k});
    auto hashes = co_await redis_.exec_batch(fetches);
    if (!hashes) co_return error::unavailable;
    page.data.reserve(merged.ids.size());
    for (std::size_t i = 0; i < merged.ids.size(); ++i) {
        if ((*hashes)[i].elements.empty()) {  // deleted since the ranges were read
            complete = false;
            continue;
        }
        auto c = from_hash(project, merged.ids[i], std::move((*hashes)[i]));
        if (!c) co_return error::corrupt;
        if (!matches(*c, q)) {  // changed since: it no longer belongs here
            complete = false;
            continue;
        }
        page.data.push_back(std::move(*c));
    }
    co_return page;
}

async_result<list_page> customer_store::list_by_external_id(sv project, const list_query& q) {
    // external_id is unique within a project: at most one customer matches.
    // The row is checked against the external id too: between the lookup
    // and the read it may have passed to another customer.
    const std::string k_ex = keys::external_ids(project, *q.external_id);
    const std::array<sv, 3> lookup{"HGET", k_ex, *q.external_id};
    auto id = co_await redis_.exec(lookup);
    if (!id || id->is_error()) co_return error::unavailable;
    list_page page;
    if (id->is_nil()) co_return page;
    auto c = co_await get(project, id->str);
    if (!c) {
        if (c.error() == error::not_found) co_return page;
        co_return c.error();
    }
    if (matches(*c, q)) page.data.push_back(std::move(*c));
    co_return page;
}

}  // namespace customers::store
