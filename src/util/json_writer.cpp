#include "customers/util/json_writer.hpp"

#include <cstdint>
#include <cstring>

namespace customers::util {

namespace {

// Whether any of the 8 bytes in `w` is < 0x20, '"' or '\\' (SWAR, as in
// "Bit Twiddling Hacks": has-less and has-zero-byte on whole words).
constexpr std::uint64_t ones = 0x0101010101010101ULL;
constexpr std::uint64_t highs = 0x8080808080808080ULL;
inline bool word_needs_escape(std::uint64_t w) noexcept {
    const std::uint64_t control = (w - ones * 0x20) & ~w & highs;
    const std::uint64_t q = w ^ (ones * '"');
    const std::uint64_t quote = (q - ones) & ~q & highs;
    const std::uint64_t b = w ^ (ones * '\\');
    const std::uint64_t backslash = (b - ones) & ~b & highs;
    return (control | quote | backslash) != 0;
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    // Most strings need no escaping at all: skip over clean 8-byte words,
    // then handle the rest byte by byte.
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, s.data() + i, 8);
        if (word_needs_escape(w)) break;
    }
    std::size_t run = 0;  // start of the current run of bytes needing no escape
    for (; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            default:
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 15];
        }
    }
    out.append(s.data() + run, s.size() - run);
    out += '"';
}

}  // namespace customers::util
