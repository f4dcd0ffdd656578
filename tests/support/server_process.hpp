#pragma once
// The real customers-server binary (CUSTOMERS_SERVER_BINARY) on a free
// loopback port, against a given Redis, started and waited for until
// /healthz answers; killed with the child_process if still running.

#include <cstdint>
#include <string>

#include "support/child_process.hpp"

namespace customers::test {

// Whether GET /healthz on 127.0.0.1:port answers 200 (false when nothing
// listens).
bool healthz_answers(std::uint16_t port);

class server_process {
  public:
    // stdout and stderr go to `log_file` (appended).
    server_process(const std::string& redis_url, unsigned threads, const std::string& log_file);

    std::uint16_t port() const noexcept { return port_; }
    child_process& process() noexcept { return process_; }

  private:
    std::uint16_t port_;
    child_process process_;
};

// $TMPDIR (or /tmp) / name.
std::string temp_path(const std::string& name);

}  // namespace customers::test
