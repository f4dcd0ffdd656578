// fuzz_replay ROOT...: runs every file under ROOT/<harness>/ through that
// harness (corpus and regression inputs), without libFuzzer, so the ordinary
// ASan/UBSan build checks them on every test run. A harness aborts on a
// broken invariant; a sanitizer report aborts too. Exit 0 when all passed.
//
// Inputs run as under libFuzzer, whose -timeout check is a SIGALRM that can
// interrupt any blocking call of the harness (poll() fails with EINTR): here
// the alarm comes every millisecond instead of every few seconds, so a
// harness that takes the interruption for a failure fails on every run, not
// once in a long fuzzing session.

#include <sys/time.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "fuzz_target.hpp"

namespace customers::fuzz {
namespace {

std::map<std::string, target_fn, std::less<>>& registry() {
    static std::map<std::string, target_fn, std::less<>> targets;
    return targets;
}

// libFuzzer's way: a handler without SA_RESTART, on a repeating timer.
void start_alarms() {
    struct sigaction action {};
    action.sa_handler = [](int) {};
    sigemptyset(&action.sa_mask);
    if (::sigaction(SIGALRM, &action, nullptr) != 0) std::perror("sigaction");
    const itimerval every_ms{{0, 1000}, {0, 1000}};
    if (::setitimer(ITIMER_REAL, &every_ms, nullptr) != 0) std::perror("setitimer");
}

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

bool register_target(std::string_view name, target_fn fn) {
    registry().emplace(std::string(name), fn);
    return true;
}

}  // namespace customers::fuzz

int main(int argc, char** argv) {
    namespace fs = std::filesystem;
    using customers::fuzz::registry;
    if (argc < 2) {
        std::cerr << "usage: fuzz_replay ROOT...   (ROOT/<harness>/<input files>)\n";
        return 2;
    }
    customers::fuzz::start_alarms();
    std::size_t total = 0;
    for (int a = 1; a < argc; ++a) {
        const fs::path root = argv[a];
        if (!fs::is_directory(root)) {
            std::cerr << "not a directory: " << root << "\n";
            return 2;
        }
        for (const auto& dir : fs::directory_iterator(root)) {
            if (!dir.is_directory()) continue;
            const std::string name = dir.path().filename().string();
            const auto target = registry().find(name);
            if (target == registry().end()) {
                std::cerr << "no harness named " << name << " (directory " << dir.path() << ")\n";
                return 2;
            }
            std::vector<fs::path> files;
            for (const auto& f : fs::recursive_directory_iterator(dir.path()))
                if (f.is_regular_file()) files.push_back(f.path());
            std::sort(files.begin(), files.end());
            for (const auto& f : files) {
                const std::string data = customers::fuzz::read_file(f);
                std::cerr << name << ": " << f.string() << "\n";
                target->second(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
            }
            std::cout << name << ": " << files.size() << " inputs from " << root.string() << "\n";
            total += files.size();
        }
    }
    std::cout << "fuzz_replay: " << total << " inputs passed\n";
    return total > 0 ? 0 : 1;
}
