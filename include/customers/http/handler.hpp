#pragma once
// The session's view of whatever answers requests: one call per parsed
// request. The layer above (api/) implements it with its route table; the
// HTTP layer knows nothing of its endpoints, their context or the store.

#include <cstddef>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "customers/http/types.hpp"

namespace customers::http {

inline constexpr std::size_t no_route = static_cast<std::size_t>(-1);

// What answering a request taught the session, for the metrics and the
// access log.
struct request_facts {
    std::size_t route = no_route;  // row of the route table whose pattern fitted the path
    std::string project_id;        // the authenticated caller's project, if any
};

class request_handler {
  public:
    // The response to `req` (no common headers yet: the session adds them).
    virtual boost::asio::awaitable<response> handle(const request& req, request_facts& facts) = 0;

  protected:
    ~request_handler() = default;
};

}  // namespace customers::http
