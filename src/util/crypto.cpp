#include "customers/util/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace customers::util {

void random_bytes(unsigned char* out, std::size_t n) {
    if (RAND_bytes(out, static_cast<int>(n)) != 1)
        throw std::runtime_error("the system CSPRNG failed");
}

std::string sha256_hex(std::string_view data) {
    // EVP_sha256() makes OpenSSL 3 look the algorithm up on every call (it
    // cost more than the hashing); fetched once, the digest is reused.
    // A context per thread is reused too, instead of one allocated per call.
    static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    struct context {
        EVP_MD_CTX* ctx = EVP_MD_CTX_new();
        ~context() { EVP_MD_CTX_free(ctx); }
    };
    thread_local context local;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!sha256 || !local.ctx || EVP_DigestInit_ex2(local.ctx, sha256, nullptr) != 1 ||
        EVP_DigestUpdate(local.ctx, data.data(), data.size()) != 1 ||
        EVP_DigestFinal_ex(local.ctx, digest, &len) != 1)
        throw std::runtime_error("SHA-256 failed");
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(len * 2, '0');
    for (unsigned int i = 0; i < len; ++i) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void random_chars(char* out, std::size_t n, std::string_view alphabet62) {
    // Bytes >= 248 (4 * 62) are rejected so that every character is equally
    // likely.
    std::size_t filled = 0;
    while (filled < n) {
        unsigned char bytes[32];
        random_bytes(bytes, sizeof bytes);
        for (unsigned char b : bytes) {
            if (b >= 248) continue;
            out[filled++] = alphabet62[b % 62];
            if (filled == n) break;
        }
    }
}

std::string random_token(std::size_t n) {
    std::string out(n, '0');
    random_chars(out.data(), n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
    return out;
}

}  // namespace customers::util
