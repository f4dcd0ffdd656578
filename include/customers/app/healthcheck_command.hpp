#pragma once
// customers-server healthcheck [--url http://HOST:PORT/PATH] [--timeout-ms N]
//
// One HTTP GET (default: /healthz on the server's own listen address, read
// from the same --config/--listen/environment layers as the server) with a
// deadline on the whole exchange. Made for container HEALTHCHECKs, where a
// slim image has no curl: exit 0 when the answer is 2xx, 1 otherwise.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "customers/app/config.hpp"

namespace customers::app {

struct probe_target {
    std::string host;  // a name or an address; IPv6 without brackets
    std::uint16_t port = 80;
    std::string path = "/";

    bool operator==(const probe_target&) const = default;
};

// "http://HOST[:PORT][/PATH]", HOST possibly "[IPV6]"; nullopt for anything
// else (other schemes, user info, a bad port, spaces or control characters).
std::optional<probe_target> parse_probe_url(std::string_view url);

// /healthz at the configured listen address; a wildcard host (0.0.0.0, ::)
// becomes the loopback address of its family. Throws config_error when the
// port is 0, since the kernel's choice cannot be known from outside.
probe_target default_probe_target(const config& cfg);

// Exit code: 0 healthy (2xx), 1 anything else (refused, timed out, non-2xx,
// malformed answer), 2 usage or configuration error.
int run_healthcheck_command(std::span<const std::string_view> args, const env_lookup& getenv);

}  // namespace customers::app
