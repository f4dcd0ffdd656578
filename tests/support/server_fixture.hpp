#pragma once
// An in-process customers server on 127.0.0.1 with a free port, run on a
// background thread and shut down gracefully when the fixture goes away.

#include <cstdint>
#include <memory>
#include <thread>

#include "customers/app/config.hpp"
#include "customers/app/server.hpp"

namespace customers::test {

// Defaults for tests: one thread (CUSTOMERS_TEST_THREADS=N: N), port 0,
// short deadlines.
app::config test_config(const std::string& redis_url);

class running_server {
  public:
    // The access log (when the config has it on) goes to `access_sink`.
    explicit running_server(app::config cfg, obs::access_log::line_sink access_sink = {});
    ~running_server();
    running_server(const running_server&) = delete;
    running_server& operator=(const running_server&) = delete;

    std::uint16_t port() const noexcept { return server_->port(); }
    app::server& server() noexcept { return *server_; }
    // Graceful shutdown; waits for run() to return.
    void stop();

  private:
    std::unique_ptr<app::server> server_;
    std::thread thread_;
};

}  // namespace customers::test
