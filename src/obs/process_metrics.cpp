#include "customers/obs/process_metrics.hpp"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace customers::obs {
namespace {

std::optional<std::string> read_file(const char* path) {
    std::FILE* f = std::fopen(path, "r");
    if (!f) return std::nullopt;
    std::string text;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    std::fclose(f);
    return text;
}

// The fields of /proc/self/stat after the command name, which is in
// parentheses and may itself contain spaces and parentheses.
std::vector<std::string_view> stat_fields(std::string_view stat) {
    std::vector<std::string_view> fields;
    const std::size_t close = stat.rfind(')');
    if (close == std::string_view::npos) return fields;
    std::string_view rest = stat.substr(close + 1);
    while (!rest.empty()) {
        const std::size_t start = rest.find_first_not_of(" \n");
        if (start == std::string_view::npos) break;
        rest.remove_prefix(start);
        const std::size_t end = std::min(rest.find_first_of(" \n"), rest.size());
        fields.push_back(rest.substr(0, end));
        rest.remove_prefix(end);
    }
    return fields;
}

std::optional<std::uint64_t> to_u64(std::string_view s) {
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

// The boot time, from the "btime" line of /proc/stat.
std::optional<std::uint64_t> boot_time_seconds() {
    const auto text = read_file("/proc/stat");
    if (!text) return std::nullopt;
    const std::size_t at = text->find("\nbtime ");
    if (at == std::string::npos) return std::nullopt;
    const std::size_t begin = at + 7;
    const std::size_t end = text->find('\n', begin);
    return to_u64(std::string_view(*text).substr(begin, end - begin));
}

std::optional<std::uint64_t> open_fds() {
    DIR* dir = ::opendir("/proc/self/fd");
    if (!dir) return std::nullopt;
    std::uint64_t n = 0;
    while (const dirent* e = ::readdir(dir))
        if (e->d_name[0] != '.') ++n;
    ::closedir(dir);
    return n - 1;  // not the descriptor of the directory being read
}

}  // namespace

void append_process_metrics(exposition& out) {
    const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
    const double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
    const auto stat = read_file("/proc/self/stat");
    // Fields counted from the state (field 3 of proc(5)) as index 0.
    const auto f = stat ? stat_fields(*stat) : std::vector<std::string_view>{};
    auto field = [&](std::size_t proc5_number) -> std::optional<std::uint64_t> {
        const std::size_t i = proc5_number - 3;
        return i < f.size() ? to_u64(f[i]) : std::nullopt;
    };
    const auto utime = field(14), stime = field(15), start = field(22), vsize = field(23),
               rss = field(24);
    if (utime && stime && ticks > 0) {
        out.family("process_cpu_seconds_total", "counter",
                   "Total user and system CPU time spent in seconds.");
        out.sample("process_cpu_seconds_total", {}, static_cast<double>(*utime + *stime) / ticks);
    }
    if (rss) {
        out.family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
        out.sample("process_resident_memory_bytes", {}, static_cast<double>(*rss) * page);
    }
    if (vsize) {
        out.family("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.");
        out.sample("process_virtual_memory_bytes", {}, *vsize);
    }
    if (const auto fds = open_fds()) {
        out.family("process_open_fds", "gauge", "Number of open file descriptors.");
        out.sample("process_open_fds", {}, *fds);
    }
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        out.family("process_max_fds", "gauge", "Maximum number of open file descriptors.");
        out.sample("process_max_fds", {}, static_cast<std::uint64_t>(limit.rlim_cur));
    }
    const auto boot = boot_time_seconds();
    if (start && boot && ticks > 0) {
        out.family("process_start_time_seconds", "gauge",
                   "Start time of the process since unix epoch in seconds.");
        out.sample("process_start_time_seconds", {},
                   static_cast<double>(*boot) + static_cast<double>(*start) / ticks);
    }
}

}  // namespace customers::obs
