#include "support/server_process.hpp"

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "support/http_client.hpp"
#include "support/redis_server.hpp"

namespace customers::test {

bool healthz_answers(std::uint16_t port) {
    try {
        return http_request(port, "GET", "/healthz").result_int() == 200;
    } catch (const std::exception&) {
        return false;
    }
}

server_process::server_process(const std::string& redis_url, unsigned threads,
                               const std::string& log_file)
    : port_(free_port()),
      process_({CUSTOMERS_SERVER_BINARY, "--listen", "127.0.0.1:" + std::to_string(port_),
                "--redis", redis_url, "--threads", std::to_string(threads)},
               log_file) {
    // A hang guard: an ASan build on a loaded machine starts in well under it.
    for (int i = 0; i < 400 && !healthz_answers(port_); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    if (!healthz_answers(port_))
        throw std::runtime_error("customers-server did not answer /healthz; its log: " + log_file);
}

std::string temp_path(const std::string& name) {
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir ? dir : "/tmp") + "/" + name;
}

}  // namespace customers::test
