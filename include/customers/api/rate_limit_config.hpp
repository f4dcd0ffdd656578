#pragma once

#include <cstdint>

namespace customers::api {

// Per-token request rate for /v1 (health, readiness and metrics are
// exempt): a token may send `burst` requests at once, refilled at
// `requests_per_second`; beyond it 429 with Retry-After. Both 0: off.
struct rate_limit_config {
    std::uint32_t requests_per_second = 100;
    std::uint32_t burst = 200;

    bool enabled() const noexcept { return requests_per_second > 0 && burst > 0; }
};

}  // namespace customers::api
