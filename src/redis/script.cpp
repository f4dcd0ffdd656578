#include "customers/redis/script.hpp"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

namespace customers::redis {
namespace {

// SHA-1 (FIPS 180-4), only to name scripts the way Redis does: EVALSHA needs
// the digest before Redis has seen the source. Not used for security. Kept
// here rather than borrowing boost/uuid/detail/sha1.hpp, whose interface is an
// implementation detail that changed in later Boost releases.
class sha1_hasher {
  public:
    std::string hex_digest(std::string_view data) {
        const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
        const std::size_t full_blocks = data.size() / 64;
        for (std::size_t i = 0; i < full_blocks; ++i) block(bytes + i * 64);

        // Padding: 0x80, zeros, then the message length in bits (big endian),
        // which takes one more block or two when fewer than 9 bytes remain.
        std::array<unsigned char, 128> tail{};
        const std::size_t rest = data.size() % 64;
        if (rest != 0) std::memcpy(tail.data(), bytes + full_blocks * 64, rest);
        tail[rest] = 0x80;
        const std::size_t tail_size = rest + 1 + 8 <= 64 ? 64 : 128;
        const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
        for (int i = 0; i < 8; ++i)
            tail[tail_size - 1 - i] = static_cast<unsigned char>(bits >> (8 * i));
        block(tail.data());
        if (tail_size == 128) block(tail.data() + 64);

        static constexpr char digits[] = "0123456789abcdef";
        std::string out;
        out.reserve(40);
        for (std::uint32_t word : h_)
            for (int shift = 28; shift >= 0; shift -= 4)
                out.push_back(digits[(word >> shift) & 0xf]);
        return out;
    }

  private:
    void block(const unsigned char* p) {
        std::uint32_t w[80];
        for (int i = 0; i < 16; ++i)
            w[i] = std::uint32_t{p[4 * i]} << 24 | std::uint32_t{p[4 * i + 1]} << 16 |
                   std::uint32_t{p[4 * i + 2]} << 8 | std::uint32_t{p[4 * i + 3]};
        for (int i = 16; i < 80; ++i)
            w[i] = std::rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);

        std::uint32_t a = h_[0], b = h_[1], c = h_[2], d = h_[3], e = h_[4];
        for (int i = 0; i < 80; ++i) {
            std::uint32_t f, k;
            if (i < 20) {
                f = (b & c) | (~b & d);
                k = 0x5a827999;
            } else if (i < 40) {
                f = b ^ c ^ d;
                k = 0x6ed9eba1;
            } else if (i < 60) {
                f = (b & c) | (b & d) | (c & d);
                k = 0x8f1bbcdc;
            } else {
                f = b ^ c ^ d;
                k = 0xca62c1d6;
            }
            const std::uint32_t t = std::rotl(a, 5) + f + e + k + w[i];
            e = d;
            d = c;
            c = std::rotl(b, 30);
            b = a;
            a = t;
        }
        h_[0] += a;
        h_[1] += b;
        h_[2] += c;
        h_[3] += d;
        h_[4] += e;
    }

    std::uint32_t h_[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
};

}  // namespace

script::script(std::string source)
    : source_(std::move(source)), sha1_(sha1_hasher{}.hex_digest(source_)) {}

}  // namespace customers::redis
