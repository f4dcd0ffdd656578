#include "customers/http/request_checks.hpp"

#include <boost/beast/core/string.hpp>

namespace customers::http {
namespace {

namespace bhttp = boost::beast::http;

std::size_t count_of(const bhttp::request_header<>& h, bhttp::field f) {
    const auto [first, last] = h.equal_range(f);
    return static_cast<std::size_t>(std::distance(first, last));
}

std::string_view trimmed(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

bool has_folded_line(std::string_view bytes) noexcept {
    const std::size_t end = bytes.find("\r\n\r\n");
    if (end != std::string_view::npos) bytes = bytes.substr(0, end + 2);
    for (std::size_t i = bytes.find("\r\n"); i != std::string_view::npos;
         i = bytes.find("\r\n", i + 2)) {
        if (i + 2 < bytes.size() && (bytes[i + 2] == ' ' || bytes[i + 2] == '\t')) return true;
    }
    return false;
}

std::string_view framing_violation(const bhttp::request_header<>& h) noexcept {
    const std::size_t lengths = count_of(h, bhttp::field::content_length);
    const std::size_t encodings = count_of(h, bhttp::field::transfer_encoding);
    if (lengths > 1 ||
        (lengths == 1 && h[bhttp::field::content_length].find(',') != std::string_view::npos))
        return "malformed HTTP request: more than one Content-Length";
    if (encodings > 0) {
        if (lengths > 0) return "malformed HTTP request: both Content-Length and Transfer-Encoding";
        if (encodings > 1 ||
            !boost::beast::iequals(trimmed(h[bhttp::field::transfer_encoding]), "chunked"))
            return "malformed HTTP request: the only Transfer-Encoding accepted is chunked";
        if (h.version() < 11)
            return "malformed HTTP request: Transfer-Encoding in an HTTP/1.0 request";
    }
    const std::size_t hosts = count_of(h, bhttp::field::host);
    if (hosts > 1) return "malformed HTTP request: more than one Host";
    if (hosts == 0 && h.version() >= 11) return "malformed HTTP request: missing Host";
    return {};
}

}  // namespace customers::http
