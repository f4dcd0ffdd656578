#include "customers/util/crypto.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace customers::util {

void random_bytes(unsigned char* out, std::size_t n) {
    if (RAND_bytes(out, static_cast<int>(n)) != 1)
        throw std::runtime_error("the system CSPRNG failed");
}

std::string sha256_hex(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 failed");
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(len * 2, '0');
    for (unsigned int i = 0; i < len; ++i) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    return out;
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
