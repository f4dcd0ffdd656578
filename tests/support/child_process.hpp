#pragma once
// A child process for tests (the real customers-server binary): spawned
// with posix_spawn, signalled, waited for with a timeout, killed on
// destruction if still running.

#include <sys/types.h>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace customers::test {

class child_process {
  public:
    // argv[0] is the executable path. stdout/stderr go to `log_file` when set.
    explicit child_process(std::vector<std::string> argv, const std::string& log_file = {});
    ~child_process();
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    pid_t pid() const noexcept { return pid_; }
    void signal(int signo) const;
    // The exit code, -signal when killed by a signal, nullopt on timeout.
    std::optional<int> wait(std::chrono::milliseconds timeout);

  private:
    pid_t pid_ = -1;
    bool reaped_ = false;
};

// A process's resident set size (VmRSS) in KiB, -1 when it cannot be read.
long resident_kib(pid_t pid);

// Runs `command` with /bin/sh (popen): what it printed on stdout, and its
// exit code (-1 if it did not exit normally). Throws if it cannot start.
struct shell_result {
    std::string out;
    int exit_code = -1;
};
shell_result run_shell(const std::string& command);

}  // namespace customers::test
