#pragma once
// What to send: the request mix (weighted request kinds with placeholders)
// and the factory that renders the next request's bytes.
//
// Mix file: one kind per line, `WEIGHT METHOD PATH [BODY]`; `#` comments
// and blank lines are ignored. The body is the rest of the line. In PATH and
// BODY:
//   {id}       a uniformly random line of the ids file
//   {next_id}  the next unused line of the ids file (each used once)
//   {seq}      a process-wide unique increasing integer (from 1)
// Each placeholder has one value per request: `{seq}` twice in one request
// is the same number. Other `{...}` text is sent as is (JSON bodies).

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loadgen {

struct request_kind {
    unsigned weight = 1;
    std::string method = "GET";
    std::string path = "/healthz";
    std::string body;
};

// Parses a mix file's text; on failure returns nullopt and sets `error`
// ("line N: ...").
std::optional<std::vector<request_kind>> parse_mix(std::string_view text, std::string& error);

// Lines of an ids file, trimmed, blank lines skipped.
std::vector<std::string> parse_ids(std::string_view text);

// splitmix64: tiny, fast, good enough to pick request kinds and ids. One per
// thread.
struct fast_rng {
    std::uint64_t state;
    explicit fast_rng(std::uint64_t seed) : state(seed) {}
    std::uint64_t next() noexcept {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Uniform enough in [0, n) for n far below 2^64.
    std::uint64_t below(std::uint64_t n) noexcept { return n ? next() % n : 0; }
};

// Renders requests. Shared by all threads: the templates are read-only,
// {next_id} and {seq} are atomics.
class request_factory {
  public:
    // `host` is the Host header value; `headers` are "Name: value" lines
    // sent with every request (a Host or Content-Type among them replaces
    // ours).
    request_factory(std::vector<request_kind> mix, std::vector<std::string> ids, std::string host,
                    const std::vector<std::string>& headers);

    // Appends the bytes of the next request (a random kind by weight) to
    // `out`; `head` says whether it is a HEAD request. False, and nothing
    // appended, once {next_id} has run out.
    bool append(std::string& out, fast_rng& rng, bool& head);

    bool ids_exhausted() const noexcept { return exhausted_.load(std::memory_order_relaxed); }

  private:
    enum class token { text, id, next_id, seq };
    struct piece {
        token kind;
        std::string text;
    };
    struct kind {
        bool head = false;
        bool dynamic = false;      // has placeholders
        std::string fixed;         // the whole request, when not dynamic
        std::string request_line;  // "METHOD " (dynamic only)
        std::vector<piece> path;   // dynamic only
        std::vector<piece> body;   // dynamic only
        std::string content_type;  // header line or empty
        bool send_length = false;  // Content-Length even when the body is empty
        bool uses[4] = {};         // indexed by token
        bool has(token t) const { return uses[static_cast<int>(t)]; }
    };

    static std::vector<piece> split(std::string_view s);
    void render(std::string& out, const std::vector<piece>& pieces, const std::string& id,
                const std::string& next_id, std::uint64_t seq) const;

    std::vector<kind> kinds_;
    std::vector<std::uint64_t> cumulative_;  // running weight sums
    std::vector<std::string> ids_;
    std::string common_headers_;  // "Host: ..\r\n" + user headers
    std::atomic<std::uint64_t> next_id_{0};
    std::atomic<std::uint64_t> seq_{1};
    std::atomic<bool> exhausted_{false};
};

}  // namespace loadgen
