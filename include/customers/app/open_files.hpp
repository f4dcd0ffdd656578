#pragma once

#include <cstdint>

namespace customers::app {

// Raises the soft RLIMIT_NOFILE to the hard limit (every client connection
// is a descriptor) and returns the soft limit now in force; RLIM_INFINITY
// is reported as UINT64_MAX.
std::uint64_t raise_open_file_limit() noexcept;

}  // namespace customers::app
