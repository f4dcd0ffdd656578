// A list page: one read-only script (scripts::list_customers) reads the
// ranges of the partitions the filters select, merges them and reads each
// row, atomically and in one round trip. Two separate reads (ranges, then
// rows) would let a write land in between: a customer moved between
// partitions could be missed, and a row could no longer match the filter.
// Each range costs O(log N + limit) in Redis, whatever N is.

#include <array>

#include "customers/store/customer_codec.hpp"
#include "customers/store/customer_store.hpp"
#include "customers/store/keys.hpp"
#include "customers/store/scripts.hpp"

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

    const bool backward = q.ending_before.has_value();
    const auto ix = keys::indexes(project);
    std::array<sv, 4> selected{};
    std::size_t n = 0;
    for (bool t : {false, true}) {
        if (q.terminated && *q.terminated != t) continue;
        for (bool f : {false, true}) {
            if (q.is_flagged && *q.is_flagged != f) continue;
            selected[n++] = ix[keys::partition(t, f)];
        }
    }
    const std::string prefix = keys::customer_prefix(project);
    // Exclusive bound just past the cursor, or the open end of the set.
    const std::string from =
        backward ? "(" + *q.ending_before : (q.starting_after ? "(" + *q.starting_after : "+");
    const std::string limit = std::to_string(q.limit);
    const std::array<sv, 4> args{prefix, backward ? "b" : "f", from, limit};
    auto r = co_await redis_.eval_ro(scripts::list_customers(),
                                     std::span<const sv>(selected.data(), n), args);
    if (!r || r->is_error()) co_return error::unavailable;
    // {has_more, id, hash, id, hash, ...}
    auto& e = r->elements;
    if (r->kind != redis::reply::type::array || e.size() % 2 != 1) co_return error::unavailable;
    list_page page;
    page.has_more = e[0].integer != 0;
    page.data.reserve(e.size() / 2);
    for (std::size_t i = 1; i + 1 < e.size(); i += 2) {
        auto c = from_hash(project, e[i].str, std::move(e[i + 1]));
        if (!c) co_return error::corrupt;
        page.data.push_back(std::move(*c));
    }
    co_return page;
}

async_result<list_page> customer_store::list_by_external_id(sv project, const list_query& q) {
    // external_id is unique within a project: at most one customer matches.
    // The lookup and the row come from one script, so the row still holds
    // the external id.
    const std::string k_ex = keys::external_ids(project, *q.external_id);
    const std::string prefix = keys::customer_prefix(project);
    const std::array<sv, 1> k{k_ex};
    const std::array<sv, 2> args{*q.external_id, prefix};
    auto r = co_await redis_.eval_ro(scripts::find_by_external_id(), k, args);
    if (!r || r->is_error()) co_return error::unavailable;
    list_page page;
    if (r->is_nil()) co_return page;
    if (r->kind != redis::reply::type::array || r->elements.size() != 2)
        co_return error::unavailable;
    auto c = from_hash(project, r->elements[0].str, std::move(r->elements[1]));
    if (!c) co_return error::corrupt;
    if (matches(*c, q)) page.data.push_back(std::move(*c));
    co_return page;
}

}  // namespace customers::store
