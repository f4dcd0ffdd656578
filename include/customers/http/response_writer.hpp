#pragma once
// Serializes a response head by hand into a buffer the connection reuses:
// status line, the handler's own fields, then the common headers (Server,
// Date, X-Request-Id, Content-Length, Connection) appended directly rather
// than stored as fields. The session sends head and body in one gather
// write. This replaces Beast's generic serializer, which cost more than the
// rest of a /healthz request.

#include <string>
#include <string_view>

#include "customers/http/types.hpp"

namespace customers::http {

struct head_options {
    std::string_view request_id;
    bool keep_alive = true;
    unsigned request_version = 11;  // 10: keep-alive must be said explicitly
};

// Clears `out` and writes the head, ending with the blank line.
void write_head(const response& res, const head_options& opts, std::string& out);

}  // namespace customers::http
