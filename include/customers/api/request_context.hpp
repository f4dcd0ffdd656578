#pragma once
// What an endpoint's handler gets: the request, where the route table found
// it (path, query, captures), this thread's services, and a place to name
// the authenticated caller's project for the access log.

#include <string>
#include <string_view>

#include "customers/api/services.hpp"
#include "customers/http/router.hpp"

namespace customers::api {

struct request_context {
    const http::request& req;
    services& svc;
    std::string_view path;     // target without the query
    std::string_view query;    // after '?', may be empty
    http::path_params params;  // ":name" captures, in order
    std::string project_id{};  // set by authentication, for the access log
};

using route = http::route<request_context>;

}  // namespace customers::api
