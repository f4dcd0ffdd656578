#include "customers/http/common_headers.hpp"

#include <array>
#include <ctime>
#include <random>

namespace customers::http {

std::string_view cached_http_date() {
    struct cache {
        std::time_t second = -1;
        std::array<char, 32> text{};
        std::size_t size = 0;
    };
    thread_local cache c;
    const std::time_t now = std::time(nullptr);
    if (now != c.second) {
        std::tm tm{};
        gmtime_r(&now, &tm);
        c.size = std::strftime(c.text.data(), c.text.size(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
        c.second = now;
    }
    return {c.text.data(), c.size};
}

bool is_safe_request_id(std::string_view id) noexcept {
    if (id.empty() || id.size() > 64) return false;
    for (char ch : id) {
        const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                        (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-';
        if (!ok) return false;
    }
    return true;
}

std::string fresh_request_id() {
    static constexpr std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    thread_local std::mt19937_64 rng{std::random_device{}()};
    std::string id(16, '\0');
    std::uint64_t bits = 0;
    int left = 0;
    for (char& ch : id) {
        if (left == 0) {
            bits = rng();
            left = 10;  // 10 draws of 6 bits from 64
        }
        // 62 symbols from 6 bits: the small bias is harmless for a trace id.
        ch = alphabet[(bits & 63) % alphabet.size()];
        bits >>= 6;
        --left;
    }
    return id;
}

}  // namespace customers::http
