#pragma once
// A customers server backed by its own redis-server, with a token for one
// project (and helpers to make another), for the /v1 integration tests.

#include <functional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "support/http_client.hpp"
#include "support/redis_server.hpp"
#include "support/server_fixture.hpp"

namespace customers::test {

struct api_fixture {
    // With an `access_sink`, the access log is on and goes there; `adjust`
    // changes the test configuration before the server starts.
    explicit api_fixture(unsigned threads = 1, obs::access_log::line_sink access_sink = {},
                         const std::function<void(app::config&)>& adjust = {});

    redis_server redis;
    running_server server;
    std::string project = "proj_main";
    std::string token;

    // A fresh token for `project`, stored the way `token create` stores it.
    std::string make_token(std::string_view project_id);

    // A request with `Authorization: Bearer <token>` (no header when the
    // token is empty). Bodies are form-encoded unless a content type is given.
    http_response call(std::string_view method, std::string_view target, std::string_view body = {},
                       std::string_view content_type = "application/x-www-form-urlencoded");
    http_response call_as(std::string_view token, std::string_view method, std::string_view target,
                          std::string_view body = {},
                          std::string_view content_type = "application/x-www-form-urlencoded");

    // POST /v1/customers with a username (and a fixed phone number);
    // requires a 201 and returns the customer.
    boost::json::object create(std::string_view username, std::string_view extra_form = {});

    // Number of keys in Redis (every key the store wrote).
    long long key_count();
};

boost::json::object json_object(const http_response& r);

}  // namespace customers::test
