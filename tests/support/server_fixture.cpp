#include "server_fixture.hpp"

namespace customers::test {

app::config test_config(const std::string& redis_url) {
    app::config c;
    c.listen_host = "127.0.0.1";
    c.listen_port = 0;
    c.threads = 1;
    c.log_level = "warn";
    c.redis.url = redis_url;
    c.redis.command_timeout = std::chrono::milliseconds(500);
    c.redis.connect_timeout = std::chrono::milliseconds(300);
    c.redis.reconnect_min = std::chrono::milliseconds(20);
    c.redis.reconnect_max = std::chrono::milliseconds(200);
    c.rate_limit = {0, 0};  // only the rate-limit tests turn it on
    return c;
}

running_server::running_server(app::config cfg)
    : server_(std::make_unique<app::server>(std::move(cfg))),
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
