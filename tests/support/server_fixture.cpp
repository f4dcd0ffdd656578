#include "server_fixture.hpp"

#include <cstdlib>
#include <string_view>

#include "customers/util/text.hpp"

namespace customers::test {
namespace {

// CUSTOMERS_TEST_THREADS runs the in-process servers with several workers
// (the ThreadSanitizer pass of scripts/test); one thread otherwise.
unsigned test_threads() {
    const char* env = std::getenv("CUSTOMERS_TEST_THREADS");
    if (env == nullptr) return 1;
    const auto n = util::parse_int64(env);
    return n && *n >= 1 && *n <= 64 ? static_cast<unsigned>(*n) : 1;
}

}  // namespace

app::config test_config(const std::string& redis_url) {
    app::config c;
    c.listen_host = "127.0.0.1";
    c.listen_port = 0;
    c.threads = test_threads();
    c.log_level = "warn";  // which also keeps the access log off
    c.redis.url = redis_url;
    c.redis.command_timeout = std::chrono::milliseconds(500);
    c.redis.connect_timeout = std::chrono::milliseconds(300);
    c.redis.reconnect_min = std::chrono::milliseconds(20);
    c.redis.reconnect_max = std::chrono::milliseconds(200);
    c.rate_limit = {0, 0};  // only the rate-limit tests turn it on
    return c;
}

running_server::running_server(app::config cfg, obs::access_log::line_sink access_sink)
    : server_(std::make_unique<app::server>(std::move(cfg), std::move(access_sink))),
      thread_([s = server_.get()] { s->run(); }) {}

running_server::~running_server() {
    stop();
}

void running_server::stop() {
    if (!thread_.joinable()) return;
    server_->shutdown();
    thread_.join();
}

}  // namespace customers::test
