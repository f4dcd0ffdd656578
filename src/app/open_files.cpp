#include "customers/app/open_files.hpp"

#include <sys/resource.h>

#include <limits>

namespace customers::app {

std::uint64_t raise_open_file_limit() noexcept {
    rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return 0;
    if (lim.rlim_cur < lim.rlim_max) {
        rlimit raised = lim;
        raised.rlim_cur = lim.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) lim = raised;
    }
    if (lim.rlim_cur == RLIM_INFINITY) return std::numeric_limits<std::uint64_t>::max();
    return static_cast<std::uint64_t>(lim.rlim_cur);
}

}  // namespace customers::app
