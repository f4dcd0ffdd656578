// The CPUs `threads: 0` starts: /proc/self/cgroup and cpu.max parsing, and
// the walk up the cgroup hierarchy, on sample file contents.

#include "customers/app/cpu_limit.hpp"

#include <sched.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

namespace app = customers::app;

namespace {

// A cgroup tree given as the cpu.max contents of some of its cgroups; it
// records which cgroups were asked for.
struct fake_tree {
    std::map<std::string, std::string> cpu_max;
    std::vector<std::string> asked;

    app::cpu_max_reader reader() {
        return [this](const std::string& cgroup) -> std::optional<std::string> {
            asked.push_back(cgroup);
            const auto it = cpu_max.find(cgroup);
            if (it == cpu_max.end()) return std::nullopt;
            return it->second;
        };
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(cpu_limit)

BOOST_AUTO_TEST_CASE(cgroup_v2_path_is_the_unified_line) {
    BOOST_TEST(app::cgroup_v2_path("0::/\n").value() == "/");
    BOOST_TEST(app::cgroup_v2_path("0::/system.slice/api.service\n").value() ==
               "/system.slice/api.service");
    // A hybrid system lists the v1 hierarchies first.
    BOOST_TEST(app::cgroup_v2_path("12:cpu,cpuacct:/docker/abc\n4:memory:/docker/abc\n"
                                   "0::/docker/abc\n")
                   .value() == "/docker/abc");
    BOOST_TEST(app::cgroup_v2_path("0::/kubepods/pod1/ctr/").value() == "/kubepods/pod1/ctr");
    BOOST_TEST(app::cgroup_v2_path("0::/a:b\n").value() == "/a:b");  // colons in a name
}

BOOST_AUTO_TEST_CASE(cgroup_v2_path_absent_or_unusable) {
    BOOST_TEST(!app::cgroup_v2_path(""));
    BOOST_TEST(!app::cgroup_v2_path("4:memory:/x\n1:cpu:/x\n"));  // cgroup v1 only
    BOOST_TEST(!app::cgroup_v2_path("0::\n"));                    // no path
    BOOST_TEST(!app::cgroup_v2_path("0::relative/path\n"));       // not absolute
    BOOST_TEST(!app::cgroup_v2_path("0::/../../outside/ns\n"));   // outside our view
    BOOST_TEST(!app::cgroup_v2_path("0::/a/..\n"));
    BOOST_TEST(app::cgroup_v2_path("0::/..hidden\n").value() == "/..hidden");
    BOOST_TEST(!app::cgroup_v2_path("garbage without lines"));
}

BOOST_AUTO_TEST_CASE(cpu_max_quota_over_period_rounded_up) {
    BOOST_TEST(app::cpu_max_limit("100000 100000\n").value() == 1u);
    BOOST_TEST(app::cpu_max_limit("150000 100000\n").value() == 2u);
    BOOST_TEST(app::cpu_max_limit("200000 100000").value() == 2u);
    BOOST_TEST(app::cpu_max_limit("50000 100000\n").value() == 1u);  // half a CPU: one thread
    BOOST_TEST(app::cpu_max_limit("1000 100000\n").value() == 1u);   // cgroup's smallest quota
    BOOST_TEST(app::cpu_max_limit("400000 50000\n").value() == 8u);
    BOOST_TEST(app::cpu_max_limit("18446744073709551615 1\n").value() == 4294967295u);
}

BOOST_AUTO_TEST_CASE(cpu_max_without_limit) {
    BOOST_TEST(!app::cpu_max_limit("max 100000\n"));
    BOOST_TEST(!app::cpu_max_limit("max 100000"));
}

BOOST_AUTO_TEST_CASE(cpu_max_malformed_is_no_limit) {
    for (const char* text :
         {"", "\n", "max", "150000", "150000 ", " 150000 100000", "150000  100000",
          "150000 100000 7", "-1 100000", "+150000 100000", "1.5 1", "0 100000", "150000 0",
          "150000 max", "abc def", "150000\t100000", "99999999999999999999999 1"}) {
        BOOST_TEST_INFO("cpu.max: \"" << text << "\"");
        BOOST_TEST(!app::cpu_max_limit(text));
    }
}

BOOST_AUTO_TEST_CASE(walk_takes_the_smallest_limit_up_to_the_root) {
    fake_tree t;
    t.cpu_max = {{"/kubepods/pod1/ctr", "max 100000\n"},
                 {"/kubepods/pod1", "150000 100000\n"},
                 {"/kubepods", "800000 100000\n"}};
    BOOST_TEST(app::cgroup_cpu_limit("/kubepods/pod1/ctr", t.reader()).value() == 2u);
    const std::vector<std::string> walked{"/kubepods/pod1/ctr", "/kubepods/pod1", "/kubepods", "/"};
    BOOST_TEST(t.asked == walked, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(walk_a_limit_on_the_cgroup_itself_or_at_the_top) {
    fake_tree own;
    own.cpu_max = {{"/a/b", "100000 100000\n"}, {"/a", "max 100000\n"}};
    BOOST_TEST(app::cgroup_cpu_limit("/a/b", own.reader()).value() == 1u);

    // A container's namespace root is "/", and its cpu.max the container's.
    fake_tree top;
    top.cpu_max = {{"/", "300000 100000\n"}};
    BOOST_TEST(app::cgroup_cpu_limit("/", top.reader()).value() == 3u);
    BOOST_TEST(app::cgroup_cpu_limit("/x/y", top.reader()).value() == 3u);
}

BOOST_AUTO_TEST_CASE(walk_without_any_limit) {
    fake_tree none;
    none.cpu_max = {{"/a/b", "max 100000\n"}, {"/a", "garbage\n"}};
    BOOST_TEST(!app::cgroup_cpu_limit("/a/b", none.reader()));
    fake_tree empty;
    BOOST_TEST(!app::cgroup_cpu_limit("/", empty.reader()));
    BOOST_TEST(empty.asked.size() == 1u);
}

// On this machine: never more than the affinity mask allows, never zero.
BOOST_AUTO_TEST_CASE(usable_cpus_within_the_affinity_mask) {
    cpu_set_t mask;
    BOOST_TEST_REQUIRE(::sched_getaffinity(0, sizeof mask, &mask) == 0);
    BOOST_TEST(app::usable_cpus() >= 1u);
    BOOST_TEST(app::usable_cpus() <= static_cast<unsigned>(CPU_COUNT(&mask)));
}

BOOST_AUTO_TEST_SUITE_END()
