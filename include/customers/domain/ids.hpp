#pragma once
// Customer and conversation ids: 16 characters of [0-9A-Za-z]. The first 9
// are the creation time in microseconds since the Unix epoch in base 62
// (good until the year 2398), the last 7 come from the kernel's CSPRNG
// (about 41 bits). The alphabet is in ASCII order, so comparing ids as bytes
// (what Redis's ZRANGEBYLEX does) orders them by creation time, and a cursor
// keeps its place after its customer is deleted.

#include <cstdint>
#include <string>
#include <string_view>

namespace customers::domain {

inline constexpr std::size_t id_length = 16;

// A new id. Ids made on one thread are strictly increasing, even within one
// microsecond (the time part is bumped past the previous id's).
std::string new_id();

// An id for a given time and random tail (tests and benchmarks).
std::string make_id(std::uint64_t micros, std::uint64_t random_tail);

bool is_valid_id(std::string_view id) noexcept;

// The creation time encoded in a valid id, in microseconds.
std::uint64_t id_micros(std::string_view id) noexcept;

// The same, in whole seconds: a customer's created_at.
inline std::int64_t id_seconds(std::string_view id) noexcept {
    return static_cast<std::int64_t>(id_micros(id) / 1'000'000);
}

}  // namespace customers::domain
