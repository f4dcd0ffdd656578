#pragma once
// The few cryptographic primitives the server needs, from OpenSSL's libcrypto
// rather than hand-rolled: random bytes from a CSPRNG, SHA-256, and a
// comparison whose time does not depend on where two secrets differ.

#include <cstddef>
#include <string>
#include <string_view>

namespace customers::util {

// Fills `out` from the CSPRNG; throws std::runtime_error if it fails (a
// broken system, not an expected condition).
void random_bytes(unsigned char* out, std::size_t n);

// Lowercase hex SHA-256 of `data` (64 characters).
std::string sha256_hex(std::string_view data);

// Fills out[0..n) with characters of a 62-character alphabet, uniformly,
// from the CSPRNG.
void random_chars(char* out, std::size_t n, std::string_view alphabet62);

// Equal sizes and bytes, in time independent of the contents.
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

// n random characters of [A-Za-z0-9] (a bearer token).
std::string random_token(std::size_t n);

}  // namespace customers::util
