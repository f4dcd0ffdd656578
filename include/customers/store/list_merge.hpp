#pragma once
// Merging the partition ranges of a list request into one page. Pure, so the
// pagination arithmetic is tested without Redis.

#include <string>
#include <vector>

namespace customers::store {

struct merged_ids {
    std::vector<std::string> ids;  // newest first
    bool has_more = false;
};

// `ranges` come from up to four partition indexes, each already limited to
// limit + 1 ids beyond the cursor: newest first when walking forward
// (starting_after or no cursor), oldest first when walking backward
// (ending_before). Returns at most `limit` ids, newest first, and whether
// another page exists in the direction of travel.
merged_ids merge_ranges(std::vector<std::vector<std::string>> ranges, std::size_t limit,
                        bool backward);

}  // namespace customers::store
