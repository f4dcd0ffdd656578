#include "stall_watchdog.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

namespace customers::fuzz {
namespace {

constexpr std::array<const char*, 13> tcp_state_names{
    "?",     "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",   "TIME_WAIT",
    "CLOSE", "CLOSE_WAIT",  "LAST_ACK", "LISTEN",   "CLOSING",   "NEW_SYN_RECV"};
constexpr unsigned tcp_listen = 0x0A;

const char* tcp_state_name(unsigned st) {
    return st < tcp_state_names.size() ? tcp_state_names[st] : "?";
}

// The system calls a waiting thread of the harness or the server is found in.
std::string syscall_name(long nr) {
    switch (nr) {
        case -1:
            return "none (running or unknown)";
        case SYS_futex:
            return "futex (a lock or condition variable)";
#ifdef SYS_poll
        case SYS_poll:
            return "poll";
#endif
        case SYS_ppoll:
            return "ppoll";
#ifdef SYS_epoll_wait
        case SYS_epoll_wait:
            return "epoll_wait (idle in the event loop)";
#endif
        case SYS_epoll_pwait:
            return "epoll_pwait (idle in the event loop)";
        case SYS_read:
            return "read";
        case SYS_write:
            return "write";
        case SYS_nanosleep:
            return "nanosleep";
        case SYS_clock_nanosleep:
            return "clock_nanosleep";
        default:
            return std::to_string(nr);
    }
}

std::string read_small_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// "0100007F:9F8D", as /proc/net/tcp prints an IPv4 address and port.
std::string proc_net_address(const sockaddr_in& a) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08X:%04X", a.sin_addr.s_addr, ntohs(a.sin_port));
    return buf;
}

std::string describe_client_socket(int fd) {
    tcp_info i{};
    socklen_t len = sizeof i;
    if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &i, &len) != 0) return "  client socket: unknown\n";
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "  client socket: %s, %u bytes sent but not acknowledged, retransmissions %u "
                  "(backoff %u, rto %u ms); last data sent %u ms ago, last data received %u ms "
                  "ago, last ack received %u ms ago\n",
                  tcp_state_name(i.tcpi_state), i.tcpi_unacked, i.tcpi_total_retrans,
                  i.tcpi_backoff, i.tcpi_rto / 1000, i.tcpi_last_data_sent, i.tcpi_last_data_recv,
                  i.tcpi_last_ack_recv);
    return buf;
}

// One /proc/net/tcp row.
struct tcp_row {
    std::string local, remote;
    unsigned state = 0;
    unsigned long tx_queue = 0, rx_queue = 0;
    unsigned long inode = 0;
};

bool parse_tcp_row(const std::string& line, tcp_row& row) {
    std::istringstream f(line);
    std::string slot, st, queues, timer, retransmits, uid, timeout, inode;
    if (!(f >> slot >> row.local >> row.remote >> st >> queues >> timer >> retransmits >> uid >>
          timeout >> inode))
        return false;
    const auto colon = queues.find(':');
    if (colon == std::string::npos) return false;
    try {
        row.state = static_cast<unsigned>(std::stoul(st, nullptr, 16));
        row.tx_queue = std::stoul(queues.substr(0, colon), nullptr, 16);
        row.rx_queue = std::stoul(queues.substr(colon + 1), nullptr, 16);
        row.inode = std::stoul(inode);
    } catch (const std::exception&) {
        return false;  // the header line
    }
    return true;
}

// The server's side of this connection and its listener, from /proc/net/tcp:
// whether the server has accepted the connection (one waiting in the accept
// queue has no descriptor, inode 0, yet), the bytes it has not read, and
// how many sockets on its port are in each state.
std::string describe_server_sockets(int fd, std::uint16_t server_port) {
    sockaddr_in client{};
    socklen_t len = sizeof client;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&client), &len);
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    server.sin_port = htons(server_port);
    const std::string server_addr = proc_net_address(server);
    const std::string client_addr = proc_net_address(client);

    std::ifstream in("/proc/net/tcp");
    std::string line;
    std::string own = "none (the connection never reached the server, or is gone)";
    std::string listener = "not found";
    std::map<std::string, unsigned> by_state;
    tcp_row row;
    while (std::getline(in, line)) {
        if (!parse_tcp_row(line, row) || !row.local.ends_with(server_addr.substr(8))) continue;
        ++by_state[tcp_state_name(row.state)];
        if (row.local != server_addr) continue;
        if (row.state == tcp_listen) {
            listener = std::to_string(row.rx_queue) + " connection(s) waiting to be accepted";
        } else if (row.remote == client_addr) {
            own = std::string(tcp_state_name(row.state)) + ", " + std::to_string(row.rx_queue) +
                  " bytes not read by the server, " + std::to_string(row.tx_queue) +
                  " bytes it sent not acknowledged, " +
                  (row.inode == 0 ? "not accepted by the server (no descriptor)"
                                  : "accepted by the server");
        }
    }
    std::string out = "  server side of this connection: " + own + "\n  listener: " + listener +
                      "\n  sockets on the server's port:";
    for (const auto& [state, n] : by_state) out += " " + state + " " + std::to_string(n);
    return out + "\n";
}

std::uint64_t grown(std::uint64_t now, std::uint64_t before) {
    return now > before ? now - before : 0;  // 0 too when the thread is gone
}

// `who` is the harness itself (reading this) or the server's worker, whose
// system call tells what it waits for.
std::string describe_thread(const char* who, pid_t tid, const thread_sample* before) {
    const thread_sample now = sample_thread(tid);
    std::string out =
        "  " + std::string(who) + " thread " + std::to_string(tid) + ": state " + now.state;
    if (tid != current_tid()) out += ", in system call " + syscall_name(now.syscall);
    if (before) {
        char buf[160];
        std::snprintf(buf, sizeof buf,
                      "; during the silence %.1f ms on a CPU, %.1f ms runnable but waiting for one",
                      static_cast<double>(grown(now.cpu_ns, before->cpu_ns)) / 1e6,
                      static_cast<double>(grown(now.wait_ns, before->wait_ns)) / 1e6);
        out += buf;
    }
    return out + "\n";
}

}  // namespace

pid_t current_tid() {
    return static_cast<pid_t>(::syscall(SYS_gettid));
}

thread_sample sample_thread(pid_t tid) {
    thread_sample s;
    const std::string dir = "/proc/self/task/" + std::to_string(tid) + "/";
    const std::string stat = read_small_file(dir + "stat");
    // "tid (comm) S ...": the command may contain spaces and parentheses.
    if (const auto close = stat.rfind(')'); close != std::string::npos && close + 2 < stat.size())
        s.state = stat[close + 2];
    std::istringstream(read_small_file(dir + "schedstat")) >> s.cpu_ns >> s.wait_ns;
    const std::string call = read_small_file(dir + "syscall");
    if (!call.empty() && !call.starts_with("running")) std::istringstream(call) >> s.syscall;
    return s;
}

stall_watchdog::stall_watchdog(int fd, std::uint16_t server_port, pid_t server_tid)
    : fd_(fd), server_port_(server_port), harness_tid_(current_tid()), server_tid_(server_tid) {}

stall_watchdog::clock::duration stall_watchdog::on_quiet(clock::duration slice) {
    const auto now = clock::now();
    if (!quiet_since_) {
        // Sampled only now: the fast path (every exchange) reads no /proc file.
        quiet_since_ =
            quiet_start{now, slice, sample_thread(harness_tid_), sample_thread(server_tid_)};
        return slice;
    }
    const quiet_start& q = *quiet_since_;
    const auto withheld = std::chrono::nanoseconds(
        std::max(grown(sample_thread(harness_tid_).wait_ns, q.harness.wait_ns),
                 grown(sample_thread(server_tid_).wait_ns, q.server.wait_ns)));
    const clock::duration wall = q.before + (now - q.at);
    return wall > withheld ? wall - withheld : clock::duration::zero();
}

std::string stall_watchdog::describe() const {
    const thread_sample* harness_before = quiet_since_ ? &quiet_since_->harness : nullptr;
    const thread_sample* server_before = quiet_since_ ? &quiet_since_->server : nullptr;
    return describe_client_socket(fd_) + describe_server_sockets(fd_, server_port_) +
           describe_thread("harness", harness_tid_, harness_before) +
           describe_thread("server worker", server_tid_, server_before);
}

}  // namespace customers::fuzz
