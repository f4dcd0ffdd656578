#pragma once
// Watches one connection of fuzz_http to its in-process server while the
// harness waits for it, so that a silent connection is measured fairly and
// explains itself:
//  - silence is counted in time the server could have used: wall time minus
//    what the machine withheld (the longer of the harness thread's and the
//    server worker's time spent runnable but waiting for a CPU), so a
//    starved process is not taken for a hung server;
//  - describe() reports the kernel's view of the moment: TCP_INFO of the
//    client socket, the server's side of the same connection and its
//    listener from /proc/net/tcp (accepted or not, bytes the server has not
//    read), and what each thread is doing (state, system call, CPU time and
//    run-queue wait). It needs nothing from the server, so it works whatever
//    state the server is in, and costs nothing until a wait times out.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace customers::fuzz {

// One thread's scheduler view, from /proc/self/task/<tid>/.
struct thread_sample {
    char state = '?';           // R running/runnable, S sleeping, D uninterruptible, ...
    std::uint64_t cpu_ns = 0;   // time spent on a CPU
    std::uint64_t wait_ns = 0;  // time spent runnable but waiting for a CPU
    long syscall = -1;          // the system call it is blocked in (-1: none or unknown)
};

thread_sample sample_thread(pid_t tid);

// The calling thread's id.
pid_t current_tid();

class stall_watchdog {
  public:
    using clock = std::chrono::steady_clock;

    // `fd`: the client socket; the server listens on 127.0.0.1:`server_port`
    // and serves it from thread `server_tid`. Call from the harness thread.
    stall_watchdog(int fd, std::uint16_t server_port, pid_t server_tid);

    // Bytes moved (or the connection ended): the silence is over.
    void on_progress() noexcept { quiet_since_.reset(); }
    // A wait of `slice` passed with nothing to send or receive. Returns how
    // long the connection has been silent in time the server could have used.
    clock::duration on_quiet(clock::duration slice);

    // The report, several lines, each indented by two spaces.
    std::string describe() const;

  private:
    struct quiet_start {
        clock::time_point at;
        clock::duration before;  // silence already seen when it was noticed
        thread_sample harness;
        thread_sample server;
    };

    int fd_;
    std::uint16_t server_port_;
    pid_t harness_tid_;
    pid_t server_tid_;
    std::optional<quiet_start> quiet_since_;
};

}  // namespace customers::fuzz
