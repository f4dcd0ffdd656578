#pragma once
// Appends JSON text straight into a string: the hot path serializes
// responses without building a DOM.

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace customers::util {

// A JSON string literal with quotes; `s` must be valid UTF-8 (it is passed
// through), control characters, '"' and '\' are escaped.
void append_json_string(std::string& out, std::string_view s);

inline void append_json_int(std::string& out, std::int64_t v) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, end);
}

inline void append_json_nullable(std::string& out, const std::optional<std::string>& s) {
    if (s)
        append_json_string(out, *s);
    else
        out += "null";
}

inline void append_json_nullable(std::string& out, const std::optional<std::int64_t>& v) {
    if (v)
        append_json_int(out, *v);
    else
        out += "null";
}

}  // namespace customers::util
