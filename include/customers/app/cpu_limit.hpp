#pragma once
// How many CPUs this process may use, for `threads: 0`: the CPUs of its
// affinity mask (taskset, a cpuset), capped by the cgroup v2 CPU bandwidth
// limit (cpu.max, what a container's --cpus sets) of its cgroup and of every
// ancestor. hardware_concurrency() counts the machine's CPUs instead, and a
// container limited to 2 of 64 would start 64 threads that mostly wait.
//
// The parsing and the walk up the hierarchy are pure functions over file
// contents, for tests; usable_cpus() reads the running system.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace customers::app {

// The process's cgroup v2 path (e.g. "/system.slice/x.service") from the
// contents of /proc/self/cgroup: its "0::<path>" line; cgroup v1 lines
// ("4:memory:/x") are skipped. nullopt when there is no v2 line or its path
// is not an absolute path inside the visible hierarchy (no ".." in it).
std::optional<std::string> cgroup_v2_path(std::string_view proc_self_cgroup);

// The CPUs the contents of a cpu.max file allow: "<quota> <period>" in
// microseconds gives quota / period rounded up ("150000 100000" is 2);
// "max <period>" is no limit (nullopt). Anything else, a zero quota or
// period included, is not a limit that can be trusted: nullopt too.
std::optional<unsigned> cpu_max_limit(std::string_view cpu_max);

// Reads the cpu.max of the cgroup at a path ("/a/b"; "/" for the root);
// nullopt when it has none (the root of the hierarchy, or no cpu controller).
using cpu_max_reader = std::function<std::optional<std::string>(const std::string& cgroup)>;

// The smallest limit of the cgroup at `path` and of each of its ancestors up
// to "/": a child cannot use more than any parent allows. nullopt: none.
std::optional<unsigned> cgroup_cpu_limit(std::string_view path, const cpu_max_reader& read);

// The CPUs in this thread's affinity mask capped by the cgroup v2 limit read
// from /proc/self/cgroup and /sys/fs/cgroup/<path>/cpu.max; at least 1.
unsigned usable_cpus();

}  // namespace customers::app
