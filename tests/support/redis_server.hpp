#pragma once
// A throwaway redis-server for integration tests: loopback TCP on a free port
// plus a unix socket, in its own temporary directory, no persistence unless
// a config file turns it on. The binary is $REDIS_SERVER or `redis-server`
// on PATH.

#include <sys/types.h>
#include <cstdint>
#include <string>
#include <vector>

#include "customers/redis/reply.hpp"

namespace customers::test {

// A loopback TCP port that was free a moment ago (bind to port 0, read it
// back, close). Another process could take it before it is used; callers
// that start a server on it retry on failure.
std::uint16_t free_port();

class redis_server {
  public:
    // `extra_args` go to redis-server's command line after ours, e.g.
    // {"--requirepass", "secret"}. A --requirepass there is remembered and
    // used by command().
    //
    // With `config_file` (e.g. config/redis.conf) its persistence settings
    // apply (AOF) instead of ours; port, socket and directory are still ours.
    explicit redis_server(std::vector<std::string> extra_args = {}, std::string config_file = {});
    ~redis_server();
    redis_server(const redis_server&) = delete;
    redis_server& operator=(const redis_server&) = delete;

    std::uint16_t port() const noexcept { return port_; }
    std::string url() const;          // redis://127.0.0.1:PORT
    std::string unix_socket() const;  // absolute path of the socket
    std::string unix_url() const;     // unix://PATH
    bool running() const noexcept { return pid_ > 0; }

    void stop();    // SIGKILL and reap; no-op if not running
    void start();   // again, on the same port; throws if it does not come up
    void pause();   // SIGSTOP: accepts connections, answers nothing
    void resume();  // SIGCONT
    // SIGKILL, delete the data files (AOF, RDB), start again: an empty Redis
    // on the same port, as after losing its disk.
    void restart_empty();
    pid_t pid() const noexcept { return pid_; }
    std::string dir() const { return dir_; }

    // Runs one command over a fresh synchronous hiredis connection (AUTH with
    // the remembered password, then SELECT db if not 0), independent of the
    // code under test. Throws on a transport failure.
    redis::reply command(const std::vector<std::string>& args, int db = 0) const;

  private:
    bool launch();  // false if the process exited early (port taken)
    bool wait_ready();
    std::string log_tail() const;

    std::vector<std::string> extra_args_;
    std::string config_file_;
    std::string password_;
    std::string dir_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace customers::test
