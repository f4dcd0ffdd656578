#include "support/redis_server.hpp"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace customers::test {

namespace {

using namespace std::chrono_literals;

std::runtime_error failure(const std::string& what) {
    return std::runtime_error("redis_server: " + what);
}

struct context_deleter {
    void operator()(redisContext* c) const { redisFree(c); }
};
using context_ptr = std::unique_ptr<redisContext, context_deleter>;

struct reply_deleter {
    void operator()(redisReply* r) const { freeReplyObject(r); }
};
using reply_ptr = std::unique_ptr<redisReply, reply_deleter>;

reply_ptr run(redisContext* c, const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const auto& a : args) {
        argv.push_back(a.data());
        lengths.push_back(a.size());
    }
    return reply_ptr(static_cast<redisReply*>(
        redisCommandArgv(c, static_cast<int>(args.size()), argv.data(), lengths.data())));
}

context_ptr connect_sync(std::uint16_t port) {
    const timeval timeout{1, 0};
    context_ptr c(redisConnectWithTimeout("127.0.0.1", port, timeout));
    if (!c) throw failure("cannot allocate a hiredis context");
    if (c->err == 0) redisSetTimeout(c.get(), timeout);
    return c;
}

}  // namespace

std::uint16_t free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw failure(std::string("socket: ") + std::strerror(errno));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        const int err = errno;
        ::close(fd);
        throw failure(std::string("bind: ") + std::strerror(err));
    }
    ::close(fd);
    return ntohs(addr.sin_port);
}

redis_server::redis_server(std::vector<std::string> extra_args, std::string config_file)
    : extra_args_(std::move(extra_args)), config_file_(std::move(config_file)) {
    for (std::size_t i = 0; i + 1 < extra_args_.size(); ++i)
        if (extra_args_[i] == "--requirepass") password_ = extra_args_[i + 1];

    // A unix socket path must fit in sockaddr_un (108 bytes): a long $TMPDIR
    // would break the socket, so fall back to /tmp then.
    std::string templ = (std::filesystem::temp_directory_path() / "cust-redis-XXXXXX").string();
    if (templ.size() + std::string_view("/redis.sock").size() >= 100)
        templ = "/tmp/cust-redis-XXXXXX";
    if (::mkdtemp(templ.data()) == nullptr)
        throw failure("mkdtemp: " + std::string(std::strerror(errno)));
    dir_ = templ;

    // The port was free when picked but may be taken before redis binds it.
    for (int attempt = 0; attempt < 5; ++attempt) {
        port_ = free_port();
        if (launch()) return;
    }
    const std::string log = log_tail();
    std::filesystem::remove_all(dir_);
    throw failure("could not start redis-server (is it on PATH, or $REDIS_SERVER set?):\n" + log);
}

redis_server::~redis_server() {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

std::string redis_server::url() const {
    return "redis://127.0.0.1:" + std::to_string(port_);
}
std::string redis_server::unix_socket() const {
    return dir_ + "/redis.sock";
}
std::string redis_server::unix_url() const {
    return "unix://" + unix_socket();
}

void redis_server::stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);  // also ends a SIGSTOPped process
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
}

void redis_server::start() {
    if (pid_ > 0) return;
    // Same port: the old listener is gone, but give the kernel a moment.
    for (int attempt = 0; attempt < 10; ++attempt) {
        if (launch()) return;
        std::this_thread::sleep_for(100ms);
    }
    throw failure("could not restart redis-server on port " + std::to_string(port_) + ":\n" +
                  log_tail());
}

void redis_server::restart_empty() {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_ + "/appendonlydir", ignored);
    std::filesystem::remove(dir_ + "/dump.rdb", ignored);
    start();
}

void redis_server::pause() {
    if (pid_ > 0) ::kill(pid_, SIGSTOP);
}

void redis_server::resume() {
    if (pid_ > 0) ::kill(pid_, SIGCONT);
}

bool redis_server::launch() {
    std::vector<std::string> args = {"redis-server"};
    if (!config_file_.empty()) args.push_back(config_file_);  // must come first
    const std::vector<std::string> ours = {
        "--port",      std::to_string(port_), "--bind",      "127.0.0.1", "--unixsocket",
        unix_socket(), "--unixsocketperm",    "700",         "--dir",     dir_,
        "--logfile",   dir_ + "/redis.log",   "--daemonize", "no"};
    args.insert(args.end(), ours.begin(), ours.end());
    if (config_file_.empty())
        for (const char* a : {"--save", "", "--appendonly", "no"}) args.emplace_back(a);
    args.insert(args.end(), extra_args_.begin(), extra_args_.end());
    const char* env_binary = std::getenv("REDIS_SERVER");
    const std::string binary =
        env_binary != nullptr && *env_binary != '\0' ? env_binary : "redis-server";
    const std::string console_log = dir_ + "/console.log";

    // Everything the child needs is prepared before fork(): after it, only
    // async-signal-safe calls are allowed.
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const pid_t parent = ::getpid();

    const pid_t pid = ::fork();
    if (pid < 0) throw failure("fork: " + std::string(std::strerror(errno)));
    if (pid == 0) {
        // Don't outlive a test binary that crashes before its destructors run.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(126);
        const int fd = ::open(console_log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0) {
            ::dup2(fd, STDOUT_FILENO);
            ::dup2(fd, STDERR_FILENO);
            ::close(fd);
        }
        ::execvp(binary.c_str(), argv.data());
        ::_exit(127);
    }
    pid_ = pid;
    if (wait_ready()) return true;
    stop();
    return false;
}

bool redis_server::wait_ready() {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {  // exited: port taken, bad args...
            pid_ = -1;
            return false;
        }
        auto c = connect_sync(port_);
        // Any reply will do: with requirepass, PING answers NOAUTH.
        if (c->err == 0 && run(c.get(), {"PING"})) return true;
        std::this_thread::sleep_for(20ms);
    }
    throw failure("redis-server did not answer PING within 10 s:\n" + log_tail());
}

std::string redis_server::log_tail() const {
    std::ostringstream out;
    for (const char* name : {"/console.log", "/redis.log"}) {
        std::ifstream in(dir_ + name);
        if (in) out << in.rdbuf();
    }
    std::string text = out.str();
    return text.size() > 4000 ? text.substr(text.size() - 4000) : text;
}

redis::reply redis_server::command(const std::vector<std::string>& args, int db) const {
    auto c = connect_sync(port_);
    if (c->err != 0) throw failure("connect: " + std::string(c->errstr));
    auto checked = [&c](const std::vector<std::string>& cmd) {
        reply_ptr r = run(c.get(), cmd);
        if (!r) throw failure(cmd.front() + ": " + std::string(c->errstr));
        if (r->type == REDIS_REPLY_ERROR) throw failure(cmd.front() + ": " + r->str);
    };
    if (!password_.empty()) checked({"AUTH", password_});
    if (db != 0) checked({"SELECT", std::to_string(db)});
    reply_ptr r = run(c.get(), args);
    if (!r) throw failure(args.front() + ": " + std::string(c->errstr));
    return redis::from_hiredis(*r);
}

}  // namespace customers::test
