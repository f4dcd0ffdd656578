#pragma once
// An owned Redis reply. hiredis frees its redisReply as soon as the reader
// hands it over, so every reply is copied into this value type first.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

struct redisReply;

namespace customers::redis {

struct reply {
    enum class type { string, array, integer, nil, status, error };

    type kind = type::nil;
    std::string str;              // string, status, error
    std::int64_t integer = 0;     // integer
    std::vector<reply> elements;  // array

    bool is_error() const noexcept { return kind == type::error; }
    bool is_nil() const noexcept { return kind == type::nil; }
    bool is_status(std::string_view s) const noexcept { return kind == type::status && str == s; }
};

// Deep copy of a hiredis reply tree.
reply from_hiredis(const redisReply& r);

}  // namespace customers::redis
