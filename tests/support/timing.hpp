#pragma once
// How much slower than a plain build the tests' own deadlines must allow
// for. ThreadSanitizer slows the client and the in-process server 5-15x, so
// a deadline that is generous elsewhere (300 ms for a Redis command while
// 30,000 are in flight) expires under it and the test flakes.

namespace customers::test {

#if defined(__SANITIZE_THREAD__)
inline constexpr int timing_scale = 8;
#else
inline constexpr int timing_scale = 1;
#endif

}  // namespace customers::test
