#pragma once
// One harness source serves two builds. With libFuzzer (CUSTOMERS_LIBFUZZER,
// the clang build of scripts/fuzz) CUSTOMERS_FUZZ_TARGET(name) defines
// LLVMFuzzerTestOneInput; otherwise it registers the function under `name`
// in fuzz_replay, which runs every corpus and regression file through it in
// the ordinary sanitizer build (ctest entry fuzz_replay).
//
// Harnesses report a broken invariant with FUZZ_CHECK, which aborts: both
// libFuzzer and ctest then keep the input that did it.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace customers::fuzz {

using target_fn = int (*)(const std::uint8_t* data, std::size_t size);

// Registers a harness for fuzz_replay (static initialisation).
bool register_target(std::string_view name, target_fn fn);

[[noreturn]] inline void check_failed(const char* expr, std::string_view what, const char* file,
                                      int line) {
    std::fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed: %.*s\n", file, line, expr,
                 static_cast<int>(what.size()), what.data());
    std::abort();
}

}  // namespace customers::fuzz

#define FUZZ_CHECK(cond, what)                                                           \
    do {                                                                                 \
        if (!(cond)) ::customers::fuzz::check_failed(#cond, (what), __FILE__, __LINE__); \
    } while (false)

#ifdef CUSTOMERS_LIBFUZZER
#define CUSTOMERS_FUZZ_TARGET(name) \
    extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
#else
#define CUSTOMERS_FUZZ_TARGET(name)                                            \
    static int fuzz_target_##name(const std::uint8_t* data, std::size_t size); \
    [[maybe_unused]] static const bool fuzz_registered_##name =                \
        ::customers::fuzz::register_target(#name, fuzz_target_##name);         \
    static int fuzz_target_##name(const std::uint8_t* data, std::size_t size)
#endif
