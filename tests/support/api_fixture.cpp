#include "support/api_fixture.hpp"

#include <thread>

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include "customers/store/keys.hpp"
#include "customers/util/crypto.hpp"

namespace customers::test {

namespace {
app::config api_config(const std::string& url, unsigned threads, bool access_log,
                       const std::function<void(app::config&)>& adjust) {
    app::config c = test_config(url);
    c.threads = threads;
    if (access_log) c.log_level = "info";
    c.redis.command_timeout = std::chrono::milliseconds(2000);
    if (adjust) adjust(c);
    return c;
}
}  // namespace

api_fixture::api_fixture(unsigned threads, obs::access_log::line_sink access_sink,
                         const std::function<void(app::config&)>& adjust)
    // A copy, not a move: the order in which arguments are evaluated is unspecified.
    : server(api_config(redis.url(), threads, static_cast<bool>(access_sink), adjust), access_sink),
      token(make_token(project)) {
    // As an orchestrator would: wait until /readyz says the store answers
    // (on every thread: each has its own connection).
    int ready_in_a_row = 0;
    for (int i = 0; i < 500 && ready_in_a_row < 20; ++i) {
        if (http_request(server.port(), "GET", "/readyz").result_int() == 200)
            ++ready_in_a_row;
        else
            ready_in_a_row = 0, std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    BOOST_REQUIRE_MESSAGE(ready_in_a_row >= 20, "the server never became ready");
}

std::string api_fixture::make_token(std::string_view project_id) {
    std::string t = util::random_token(32);
    redis.command({"SET", store::keys::token(util::sha256_hex(t)), std::string(project_id)});
    return t;
}

http_response api_fixture::call(std::string_view method, std::string_view target,
                                std::string_view body, std::string_view content_type) {
    return call_as(token, method, target, body, content_type);
}

http_response api_fixture::call_as(std::string_view tok, std::string_view method,
                                   std::string_view target, std::string_view body,
                                   std::string_view content_type) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!tok.empty()) headers.emplace_back("Authorization", "Bearer " + std::string(tok));
    if (!body.empty()) headers.emplace_back("Content-Type", std::string(content_type));
    return http_request(server.port(), method, target, body, std::move(headers));
}

boost::json::object api_fixture::create(std::string_view username, std::string_view extra_form) {
    std::string body = "username=" + std::string(username) + "&phone_number=1-800-759-3000";
    if (!extra_form.empty()) body += "&" + std::string(extra_form);
    const http_response r = call("POST", "/v1/customers", body);
    BOOST_REQUIRE_MESSAGE(r.result_int() == 201,
                          "create " << username << ": " << r.result_int() << " " << r.body());
    return json_object(r);
}

long long api_fixture::key_count() {
    return redis.command({"DBSIZE"}).integer;
}

boost::json::object json_object(const http_response& r) {
    return boost::json::parse(r.body()).as_object();
}

}  // namespace customers::test
