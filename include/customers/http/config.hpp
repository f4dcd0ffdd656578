#pragma once
// What the HTTP layer needs to know about its limits: the http.* keys of the
// server configuration (app::config embeds this struct), with their
// documented defaults as member initialisers.

#include <chrono>
#include <cstddef>

namespace customers::http {

struct config {
    using milliseconds = std::chrono::milliseconds;
    milliseconds header_timeout{10'000};      // first byte .. end of the request header
    milliseconds body_timeout{10'000};        // end of header .. end of the body
    milliseconds idle_timeout{60'000};        // keep-alive connection waiting for a request
    std::size_t max_header_bytes = 8 * 1024;  // larger: 431
    std::size_t max_body_bytes = 64 * 1024;   // larger: 413
    milliseconds shutdown_timeout{10'000};    // SIGTERM: time in-flight requests get to finish
    // Open client connections, process-wide (all threads); beyond it a new
    // connection gets a 503 with Retry-After and is closed.
    std::size_t max_connections = 10'000;
    // 401 responses one connection may get; the last of them says
    // Connection: close and the connection is closed (0: no limit). A client
    // cycling through guessed tokens must open a connection per few guesses.
    unsigned max_auth_failures = 10;
};

}  // namespace customers::http
