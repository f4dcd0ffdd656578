#include "loadgen/response_parser.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace loadgen {
namespace {

constexpr std::size_t npos = std::string_view::npos;

char lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

// True when the comma-separated list `value` holds `token` (any case).
bool has_token(std::string_view value, std::string_view token) noexcept {
    while (!value.empty()) {
        const auto comma = value.find(',');
        auto item = value.substr(0, comma);
        while (!item.empty() && (item.front() == ' ' || item.front() == '\t'))
            item.remove_prefix(1);
        while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
        if (iequals(item, token)) return true;
        if (comma == npos) break;
        value.remove_prefix(comma + 1);
    }
    return false;
}

}  // namespace

void response_parser::reset(bool head_request) noexcept {
    phase_ = phase::header;
    head_ = head_request;
    scanned_ = 0;
    remaining_ = 0;
    status_ = 0;
    keep_alive_ = true;
}

response_parser::state response_parser::parse(const char* data, std::size_t size,
                                              std::size_t& consumed) noexcept {
    consumed = 0;
    for (;;) {
        std::size_t used = 0;
        state st = state::need_more;
        switch (phase_) {
            case phase::header:
                st = parse_header(data + consumed, size - consumed, used);
                break;
            case phase::body_length: {
                const auto take = std::min<std::uint64_t>(remaining_, size - consumed);
                used = static_cast<std::size_t>(take);
                remaining_ -= take;
                if (remaining_ == 0) phase_ = phase::complete;
                break;
            }
            case phase::until_close:
                used = size - consumed;
                break;
            case phase::complete:
                return state::done;
            default:
                st = parse_chunked(data + consumed, size - consumed, used);
                break;
        }
        consumed += used;
        if (st == state::error) return st;
        if (phase_ == phase::complete) return state::done;
        if (used == 0 || consumed == size) return state::need_more;
    }
}

response_parser::state response_parser::parse_header(const char* data, std::size_t size,
                                                     std::size_t& consumed) noexcept {
    const std::string_view buf(data, size);
    // Resume the search where the last call stopped, minus a partial CRLFCRLF.
    const auto end = buf.find("\r\n\r\n", scanned_ > 3 ? scanned_ - 3 : 0);
    if (end == npos) {
        scanned_ = size;
        return state::need_more;
    }
    const std::string_view head = buf.substr(0, end + 2);  // each line ends in CRLF
    consumed = end + 4;
    scanned_ = 0;

    // Status line: HTTP/1.x SSS reason
    if (head.size() < 12 || head.substr(0, 7) != "HTTP/1." || head[8] != ' ') return state::error;
    const bool http10 = head[7] == '0';
    int code = 0;
    const auto [p, ec] = std::from_chars(head.data() + 9, head.data() + 12, code);
    if (ec != std::errc{} || p != head.data() + 12 || code < 100) return state::error;

    bool has_length = false, chunked = false, conn_close = false, conn_keep = false;
    std::uint64_t length = 0;
    std::size_t pos = head.find("\r\n") + 2;
    while (pos < head.size()) {
        const auto eol = head.find("\r\n", pos);
        const auto line = head.substr(pos, eol - pos);
        pos = eol + 2;
        const auto colon = line.find(':');
        if (colon == npos) return state::error;
        const auto name = line.substr(0, colon);
        auto value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
            value.remove_prefix(1);
        while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
            value.remove_suffix(1);
        if (iequals(name, "content-length")) {
            const auto [q, lec] =
                std::from_chars(value.data(), value.data() + value.size(), length);
            if (lec != std::errc{} || q != value.data() + value.size()) return state::error;
            has_length = true;
        } else if (iequals(name, "transfer-encoding")) {
            chunked = has_token(value, "chunked");
        } else if (iequals(name, "connection")) {
            conn_close = conn_close || has_token(value, "close");
            conn_keep = conn_keep || has_token(value, "keep-alive");
        }
    }

    // An interim 1xx (but 101, which ends HTTP) precedes the real response.
    if (code < 200 && code != 101) return state::need_more;

    status_ = code;
    keep_alive_ = http10 ? (conn_keep && !conn_close) : !conn_close;
    if (head_ || code == 204 || code == 304 || code < 200) {
        phase_ = phase::complete;
    } else if (chunked) {
        phase_ = phase::chunk_size;
    } else if (has_length) {
        remaining_ = length;
        phase_ = length ? phase::body_length : phase::complete;
    } else {
        phase_ = phase::until_close;
        keep_alive_ = false;
    }
    return state::need_more;
}

response_parser::state response_parser::parse_chunked(const char* data, std::size_t size,
                                                      std::size_t& consumed) noexcept {
    const std::string_view buf(data, size);
    switch (phase_) {
        case phase::chunk_size: {
            const auto eol = buf.find("\r\n");
            if (eol == npos) return state::need_more;
            std::uint64_t n = 0;
            const auto [p, ec] = std::from_chars(data, data + eol, n, 16);
            if (ec != std::errc{} || (p != data + eol && *p != ';' && *p != ' '))
                return state::error;
            consumed = eol + 2;
            remaining_ = n;
            phase_ = n ? phase::chunk_data : phase::trailers;
            return state::need_more;
        }
        case phase::chunk_data: {
            const auto take = std::min<std::uint64_t>(remaining_, size);
            consumed = static_cast<std::size_t>(take);
            remaining_ -= take;
            if (remaining_ == 0) phase_ = phase::chunk_crlf;
            return state::need_more;
        }
        case phase::chunk_crlf:
            if (size < 2) return state::need_more;
            if (buf.substr(0, 2) != "\r\n") return state::error;
            consumed = 2;
            phase_ = phase::chunk_size;
            return state::need_more;
        case phase::trailers: {
            // Trailer lines until an empty one.
            const auto eol = buf.find("\r\n");
            if (eol == npos) return state::need_more;
            consumed = eol + 2;
            if (eol == 0) phase_ = phase::complete;
            return state::need_more;
        }
        default:
            return state::error;
    }
}

}  // namespace loadgen
