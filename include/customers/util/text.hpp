#pragma once
// Text checks and decoders shared by request decoding: strict UTF-8 and
// application/x-www-form-urlencoded.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace customers::util {

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above
// U+10FFFF. Returns the number of code points, or nullopt when invalid.
std::optional<std::size_t> utf8_length(std::string_view s) noexcept;

// `s` with every byte that is not part of a valid UTF-8 sequence replaced by
// U+FFFD: raw client input quoted in an error message stays valid JSON.
std::string utf8_or_replacement(std::string_view s);

// True when `s` holds a C0 control, DEL, or a C1 control (U+0080..U+009F).
// `s` must be valid UTF-8.
bool has_control_chars(std::string_view s) noexcept;

// A whole decimal integer (optional '-'), nothing else; nullopt otherwise.
std::optional<std::int64_t> parse_int64(std::string_view s) noexcept;

// Percent-decoding with '+' as space. nullopt on a malformed escape.
std::optional<std::string> form_unescape(std::string_view s);

// "a=1&b=2" into decoded pairs, in order; empty segments ("a=1&&b=2") are
// skipped; a segment without '=' has an empty value. nullopt on a malformed
// escape, with the raw segment in `bad_segment`.
using form_pairs = std::vector<std::pair<std::string, std::string>>;
std::optional<form_pairs> parse_form(std::string_view body, std::string* bad_segment = nullptr);

}  // namespace customers::util
