// loadgen: an HTTP/1.1 load generator, closed or open loop (see usage()).
// Parses the command line, runs, prints a summary and optionally writes
// JSON. Exit codes: 0 the run completed (HTTP errors included), 1 nothing
// could connect, 2 bad arguments.

#include <fstream>
#include <iostream>

#include "loadgen/options.hpp"
#include "loadgen/result.hpp"
#include "loadgen/run.hpp"

int main(int argc, char** argv) {
    const auto args = loadgen::parse_args(argc, argv);
    if (args.help) {
        std::cout << loadgen::usage();
        return 0;
    }
    if (!args.opts) {
        std::cerr << "loadgen: " << args.error << "\n" << loadgen::usage();
        return 2;
    }
    // Opened before the run: a bad path should not cost a whole run.
    std::ofstream json;
    if (!args.opts->json_path.empty()) {
        json.open(args.opts->json_path);
        if (!json) {
            std::cerr << "loadgen: cannot write " << args.opts->json_path << "\n";
            return 2;
        }
    }
    const auto r = loadgen::run(*args.opts);
    std::cout << loadgen::summary(r) << std::flush;
    if (json.is_open()) {
        json << loadgen::to_json(r) << std::flush;
        if (!json) std::cerr << "loadgen: writing " << args.opts->json_path << " failed\n";
    }
    return loadgen::exit_code(r);
}
