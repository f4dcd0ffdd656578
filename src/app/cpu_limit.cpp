#include "customers/app/cpu_limit.hpp"

#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <limits>
#include <thread>

namespace customers::app {
namespace {

std::string_view trim_line_end(std::string_view s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' '))
        s.remove_suffix(1);
    return s;
}

// A decimal number and nothing else (no sign, no spaces).
std::optional<std::uint64_t> parse_count(std::string_view s) {
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return value;
}

std::optional<std::string> read_whole_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The CPUs this thread may run on; the machine's count if the mask cannot
// be read. The mask is grown until it holds every CPU the kernel knows of.
unsigned affinity_cpus() {
    for (std::size_t n = CPU_SETSIZE; n <= (1u << 20); n *= 2) {
        cpu_set_t* set = CPU_ALLOC(n);
        if (!set) break;
        const std::size_t size = CPU_ALLOC_SIZE(n);
        const bool read = ::sched_getaffinity(0, size, set) == 0;
        const int count = read ? CPU_COUNT_S(size, set) : 0;
        CPU_FREE(set);
        if (read) return static_cast<unsigned>(count);
        if (errno != EINVAL) break;  // EINVAL: the mask is too small for this kernel
    }
    return std::thread::hardware_concurrency();
}

}  // namespace

std::optional<std::string> cgroup_v2_path(std::string_view proc_self_cgroup) {
    constexpr std::string_view unified = "0::";
    while (!proc_self_cgroup.empty()) {
        const auto eol = proc_self_cgroup.find('\n');
        const std::string_view line = proc_self_cgroup.substr(0, eol);
        proc_self_cgroup.remove_prefix(eol == std::string_view::npos ? proc_self_cgroup.size()
                                                                     : eol + 1);
        if (!line.starts_with(unified)) continue;
        std::string_view path = trim_line_end(line.substr(unified.size()));
        // A cgroup outside this namespace's view shows as "/../..": its files
        // are not under /sys/fs/cgroup.
        const bool climbs = path.find("/../") != std::string_view::npos || path.ends_with("/..");
        if (!path.starts_with('/') || climbs) return std::nullopt;
        while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
        return std::string(path);
    }
    return std::nullopt;
}

std::optional<unsigned> cpu_max_limit(std::string_view cpu_max) {
    const std::string_view line = trim_line_end(cpu_max);
    const auto space = line.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    const std::string_view quota_text = line.substr(0, space);
    const auto period = parse_count(line.substr(space + 1));
    if (!period || *period == 0) return std::nullopt;
    if (quota_text == "max") return std::nullopt;
    const auto quota = parse_count(quota_text);
    if (!quota || *quota == 0) return std::nullopt;
    // Rounded up: 1.5 CPUs of time is best served by 2 threads.
    const std::uint64_t cpus = *quota / *period + (*quota % *period != 0 ? 1 : 0);
    return static_cast<unsigned>(
        std::min<std::uint64_t>(cpus, std::numeric_limits<unsigned>::max()));
}

std::optional<unsigned> cgroup_cpu_limit(std::string_view path, const cpu_max_reader& read) {
    std::optional<unsigned> smallest;
    std::string dir(path);
    for (;;) {
        if (const auto text = read(dir)) {
            if (const auto limit = cpu_max_limit(*text))
                smallest = smallest ? std::min(*smallest, *limit) : *limit;
        }
        if (dir == "/" || dir.empty()) break;
        const auto slash = dir.rfind('/');
        dir.resize(slash == 0 || slash == std::string::npos ? 1 : slash);  // "/a" -> "/"
    }
    return smallest;
}

unsigned usable_cpus() {
    unsigned cpus = affinity_cpus();
    if (const auto path = cgroup_v2_path(read_whole_file("/proc/self/cgroup").value_or(""))) {
        const auto limit = cgroup_cpu_limit(*path, [](const std::string& cgroup) {
            return read_whole_file("/sys/fs/cgroup" + (cgroup == "/" ? std::string() : cgroup) +
                                   "/cpu.max");
        });
        if (limit) cpus = std::min(cpus, *limit);
    }
    return std::max(1u, cpus);
}

}  // namespace customers::app
