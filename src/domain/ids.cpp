#include "customers/domain/ids.hpp"

#include <chrono>

#include "customers/util/crypto.hpp"

namespace customers::domain {
namespace {

constexpr std::string_view alphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::size_t time_digits = 9;
constexpr std::size_t random_digits = id_length - time_digits;

int digit_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    if (c >= 'a' && c <= 'z') return c - 'a' + 36;
    return -1;
}

void put_base62(std::uint64_t value, char* out, std::size_t digits) noexcept {
    for (std::size_t i = digits; i-- > 0;) {
        out[i] = alphabet[value % 62];
        value /= 62;
    }
}

}  // namespace

std::string make_id(std::uint64_t micros, std::uint64_t random_tail) {
    std::string id(id_length, '0');
    put_base62(micros, id.data(), time_digits);
    put_base62(random_tail, id.data() + time_digits, random_digits);
    return id;
}

std::string new_id() {
    thread_local std::uint64_t last_micros = 0;
    using namespace std::chrono;
    auto micros = static_cast<std::uint64_t>(
        duration_cast<microseconds>(system_clock::now().time_since_epoch()).count());
    if (micros <= last_micros) micros = last_micros + 1;  // same µs, or the clock stepped back
    last_micros = micros;

    std::string id(id_length, '0');
    put_base62(micros, id.data(), time_digits);
    util::random_chars(id.data() + time_digits, random_digits, alphabet);
    return id;
}

bool is_valid_id(std::string_view id) noexcept {
    if (id.size() != id_length) return false;
    for (char c : id)
        if (digit_value(c) < 0) return false;
    return true;
}

std::uint64_t id_micros(std::string_view id) noexcept {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < time_digits && i < id.size(); ++i)
        v = v * 62 + static_cast<std::uint64_t>(digit_value(id[i]));
    return v;
}

}  // namespace customers::domain
