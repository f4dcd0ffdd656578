#include "customers/util/log_throttle.hpp"

namespace customers::log {

namespace {
// The window that kinds beyond max_kinds share.
constexpr std::string_view overflow_kind = "\x01(other kinds)";
}  // namespace

throttle::throttle(clock::duration interval, std::size_t max_kinds)
    : interval_(interval), max_kinds_(max_kinds) {}

std::optional<std::uint64_t> throttle::admit(std::string_view kind, clock::time_point now) {
    const std::lock_guard lock(mutex_);
    auto it = windows_.find(std::string(kind));
    if (it == windows_.end()) {
        if (windows_.size() >= max_kinds_) {
            // Forget kinds that have been quiet for a whole interval (their
            // held-back count, if any, is dropped with them).
            std::erase_if(windows_,
                          [&](const auto& w) { return now - w.second.opened >= interval_; });
        }
        if (windows_.size() >= max_kinds_) kind = overflow_kind;
        auto [inserted, fresh] = windows_.try_emplace(std::string(kind), window{now, 0});
        if (fresh) return 0;
        it = inserted;
    }
    window& w = it->second;
    if (now - w.opened < interval_) {
        ++w.held_back;
        return std::nullopt;
    }
    const std::uint64_t held_back = w.held_back;
    w = window{now, 0};
    return held_back;
}

}  // namespace customers::log
