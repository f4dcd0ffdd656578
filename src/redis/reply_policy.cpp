#include "customers/redis/reply_policy.hpp"

#include <array>

namespace customers::redis {

namespace {

bool any_of(std::string_view code, std::span<const std::string_view> codes) noexcept {
    for (std::string_view c : codes)
        if (code == c) return true;
    return false;
}

// Only the server's own refusals: a script's error raised mid-run names the
// script, and that script may have written something already.
bool raised_by_script(const reply& r) noexcept {
    return r.str.find(" script: ") != std::string::npos;
}

}  // namespace

std::string_view error_code_of(const reply& r) noexcept {
    if (!r.is_error()) return {};
    const std::string_view text = r.str;
    return text.substr(0, text.find(' '));
}

reply_action action_for(const reply& r) noexcept {
    // Whole words: BUSYKEY and BUSYGROUP are ordinary answers.
    static constexpr std::array<std::string_view, 2> not_primary{"READONLY", "MASTERDOWN"};
    static constexpr std::array<std::string_view, 3> not_run{"LOADING", "BUSY", "TRYAGAIN"};
    const std::string_view code = error_code_of(r);
    if (code.empty()) return reply_action::deliver;
    if (any_of(code, not_primary)) return reply_action::reconnect;
    if (any_of(code, not_run) && !raised_by_script(r)) return reply_action::retry;
    return reply_action::deliver;
}

std::size_t retryable_tail(std::span<const reply> replies) noexcept {
    std::size_t start = replies.size();
    while (start > 0 && action_for(replies[start - 1]) == reply_action::retry) --start;
    return start;
}

std::string role_refusal(const reply& role) {
    if (role.kind != reply::type::array || role.elements.empty()) return {};
    const std::string& name = role.elements[0].str;
    if (name == "master") return {};
    if (name == "slave" || name == "replica") {
        std::string text = "the server is a replica";
        if (role.elements.size() >= 3)
            text += " of " + role.elements[1].str + ":" + std::to_string(role.elements[2].integer);
        return text + " (ROLE)";
    }
    return "the server's ROLE is '" + name + "', not master";
}

}  // namespace customers::redis
