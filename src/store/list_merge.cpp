#include "customers/store/list_merge.hpp"

#include <algorithm>

namespace customers::store {

merged_ids merge_ranges(std::vector<std::vector<std::string>> ranges, std::size_t limit,
                        bool backward) {
    std::vector<std::string> all;
    for (auto& r : ranges)
        for (auto& id : r) all.push_back(std::move(id));
    // Ids order by creation time as bytes. The ranges are one snapshot
    // (MULTI/EXEC) of disjoint partitions; an id in two of them (a damaged
    // index, which `check` reports) is still listed once.
    if (backward)
        std::sort(all.begin(), all.end());
    else
        std::sort(all.begin(), all.end(), std::greater<>());
    all.erase(std::unique(all.begin(), all.end()), all.end());

    merged_ids out;
    out.has_more = all.size() > limit;
    if (all.size() > limit) all.resize(limit);
    if (backward) std::reverse(all.begin(), all.end());
    out.ids = std::move(all);
    return out;
}

}  // namespace customers::store
