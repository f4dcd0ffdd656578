#include "customers/obs/counter.hpp"

namespace customers::obs {

std::size_t duration_bucket(std::chrono::nanoseconds d) noexcept {
    // Bounds in nanoseconds, computed once at compile time.
    static constexpr auto bounds_ns = [] {
        std::array<std::int64_t, duration_bounds_seconds.size()> ns{};
        for (std::size_t i = 0; i < ns.size(); ++i)
            ns[i] = static_cast<std::int64_t>(duration_bounds_seconds[i] * 1e9 + 0.5);
        return ns;
    }();
    std::size_t i = 0;
    while (i < bounds_ns.size() && d.count() > bounds_ns[i]) ++i;
    return i;
}

}  // namespace customers::obs
