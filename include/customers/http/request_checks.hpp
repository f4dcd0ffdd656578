#pragma once
// Request framing rules that Beast 1.81's parser does not enforce itself.
// Where two parsers of one byte stream (a proxy and this server) could
// disagree on where a request ends, the request is refused with a 400 and
// the connection closed (RFC 9112 §6.3, §3.2, §5.2). Beast already rejects:
// Content-Length followed by Transfer-Encoding (and chunked followed by
// Content-Length), two different Content-Lengths, control characters in
// field names and values, bare LF line endings, malformed chunk sizes.
// Checked here: obs-fold (Beast silently unfolds it), any Transfer-Encoding
// other than exactly one "chunked" (also "chunked, chunked", "gzip", and
// Transfer-Encoding before a Content-Length), Transfer-Encoding in HTTP/1.0,
// repeated Content-Length even with equal values, and a missing or repeated
// Host.

#include <string_view>

#include <boost/beast/http/message.hpp>

namespace customers::http {

// Whether the request header at the start of `bytes` (up to its blank line,
// or all of `bytes` while incomplete) has a line starting with a space or a
// tab: an obs-fold continuation line.
bool has_folded_line(std::string_view bytes) noexcept;

// Why a parsed request header must be refused (a message for the 400), or
// empty when its framing is unambiguous.
std::string_view framing_violation(const boost::beast::http::request_header<>& h) noexcept;

}  // namespace customers::http
