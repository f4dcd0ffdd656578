#include "loadgen/options.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

namespace loadgen {
namespace {

bool read_file(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream ss;
    ss << in.rdbuf();
    out = ss.str();
    return true;
}

std::optional<double> parse_number(std::string_view s) {
    double v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::optional<int> parse_int(std::string_view s, int min, int max) {
    int v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v < min || v > max) return std::nullopt;
    return v;
}

bool uses_ids(const std::vector<request_kind>& mix) {
    for (const auto& k : mix)
        for (const auto* s : {&k.path, &k.body})
            if (s->find("{id}") != std::string::npos || s->find("{next_id}") != std::string::npos)
                return true;
    return false;
}

}  // namespace

std::string options::host_header() const {
    const bool v6 = host.find(':') != std::string::npos;
    std::string h = v6 ? "[" + host + "]" : host;
    if (port != "80") h += ":" + port;
    return h;
}

std::optional<duration> parse_duration(std::string_view text) {
    const auto unit_at = text.find_first_not_of("0123456789.");
    const auto number = parse_number(text.substr(0, unit_at));
    if (!number || *number < 0) return std::nullopt;
    const auto unit =
        unit_at == std::string_view::npos ? std::string_view{"s"} : text.substr(unit_at);
    double ns_per_unit = 0;
    if (unit == "us")
        ns_per_unit = 1e3;
    else if (unit == "ms")
        ns_per_unit = 1e6;
    else if (unit == "s")
        ns_per_unit = 1e9;
    else if (unit == "m")
        ns_per_unit = 60e9;
    else if (unit == "h")
        ns_per_unit = 3600e9;
    else
        return std::nullopt;
    const double ns = *number * ns_per_unit;
    if (ns > 1e18) return std::nullopt;  // ~31 years: a typo
    return duration(static_cast<std::int64_t>(std::llround(ns)));
}

bool parse_url(std::string_view url, options& out, std::string& error) {
    constexpr std::string_view scheme = "http://";
    if (!url.starts_with(scheme)) {
        error = "--url must start with http:// (no TLS support)";
        return false;
    }
    url.remove_prefix(scheme.size());
    const auto slash = url.find('/');
    const auto path = slash == std::string_view::npos ? std::string_view{} : url.substr(slash);
    if (!path.empty() && path != "/") {
        error = "--url takes no path; use --path or --mix";
        return false;
    }
    auto authority = url.substr(0, slash);
    std::string_view host, port = "80";
    if (authority.starts_with("[")) {  // [v6]:port
        const auto close = authority.find(']');
        if (close == std::string_view::npos) {
            error = "--url: unbalanced '['";
            return false;
        }
        host = authority.substr(1, close - 1);
        authority.remove_prefix(close + 1);
        if (authority.starts_with(":"))
            port = authority.substr(1);
        else if (!authority.empty())
            host = {};
    } else {
        const auto colon = authority.rfind(':');
        host = authority.substr(0, colon);
        if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    }
    if (host.empty() || !parse_int(port, 1, 65535)) {
        error = "--url must look like http://HOST:PORT";
        return false;
    }
    out.host = std::string(host);
    out.port = std::string(port);
    return true;
}

std::string usage() {
    return R"(usage: loadgen --url http://HOST:PORT [options]
  --connections N      connections in total (64)
  --threads T          threads, each with its own event loop (1)
  --duration D         measured time, e.g. 500ms, 10s, 2m (10s)
  --warmup D           time before measuring (0s)
  --rate R             open loop: R requests/s in total, latency from each
                       request's intended send time; absent: closed loop
  --pipeline D         requests in flight per connection (1)
  --method M --path P --body B     one request kind (GET /healthz), or
  --mix FILE           lines of `WEIGHT METHOD PATH [BODY]`
  --ids FILE           one id per line, for {id} and {next_id}
  --header "N: v"      sent with every request (repeatable)
  --timeout D          per request; then an error and a reconnect (5s)
  --json FILE          write the result as JSON
)";
}

parsed_args parse_args(int argc, const char* const* argv) {
    parsed_args r;
    options o;
    std::string url, mix_file, ids_file;
    std::optional<std::string> method, path, body;

    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "-h" || arg == "--help") {
            r.help = true;
            return r;
        }
        std::string_view value;
        bool inline_value = false;
        if (const auto eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
            value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
            inline_value = true;
        }
        const auto fail = [&](std::string why) {
            r.error = std::move(why);
            return r;
        };
        if (!arg.starts_with("--")) return fail("unexpected argument '" + std::string(arg) + "'");
        if (!inline_value) {
            if (i + 1 >= argc) return fail(std::string(arg) + " needs a value");
            value = argv[++i];
        }
        const auto bad = [&] {
            return fail("bad value for " + std::string(arg) + ": '" + std::string(value) + "'");
        };
        const std::string v(value);
        if (arg == "--url")
            url = v;
        else if (arg == "--connections") {
            const auto n = parse_int(value, 1, 1'000'000);
            if (!n) return bad();
            o.connections = *n;
        } else if (arg == "--threads") {
            const auto n = parse_int(value, 1, 1024);
            if (!n) return bad();
            o.threads = *n;
        } else if (arg == "--pipeline") {
            const auto n = parse_int(value, 1, 100'000);
            if (!n) return bad();
            o.pipeline = *n;
        } else if (arg == "--duration" || arg == "--warmup" || arg == "--timeout") {
            const auto d = parse_duration(value);
            if (!d || (arg != "--warmup" && *d <= duration::zero())) return bad();
            (arg == "--duration" ? o.run_time : arg == "--warmup" ? o.warmup : o.timeout) = *d;
        } else if (arg == "--rate") {
            const auto n = parse_number(value);
            if (!n || *n <= 0) return bad();
            o.rate = *n;
        } else if (arg == "--method")
            method = v;
        else if (arg == "--path")
            path = v;
        else if (arg == "--body")
            body = v;
        else if (arg == "--mix")
            mix_file = v;
        else if (arg == "--ids")
            ids_file = v;
        else if (arg == "--header") {
            const auto colon = value.find(':');
            if (colon == std::string_view::npos || colon == 0) return bad();
            o.headers.push_back(v);
        } else if (arg == "--json")
            o.json_path = v;
        else
            return fail("unknown option " + std::string(arg));
    }

    if (url.empty()) {
        r.error = "--url is required";
        return r;
    }
    if (!parse_url(url, o, r.error)) return r;
    o.threads = std::min(o.threads, o.connections);

    if (!mix_file.empty()) {
        if (method || path || body) {
            r.error = "--mix replaces --method/--path/--body; give one or the other";
            return r;
        }
        std::string text, error;
        if (!read_file(mix_file, text)) {
            r.error = "cannot read --mix file " + mix_file;
            return r;
        }
        auto mix = parse_mix(text, error);
        if (!mix) {
            r.error = mix_file + ": " + error;
            return r;
        }
        o.mix = std::move(*mix);
    } else {
        request_kind k;
        if (method) k.method = *method;
        if (path) k.path = *path;
        if (body) k.body = *body;
        // The same checks as a mix line.
        std::string error;
        if (!parse_mix("1 " + k.method + " " + k.path, error)) {
            r.error = "bad --method or --path: " + error.substr(error.find(':') + 2);
            return r;
        }
        o.mix = {std::move(k)};
    }

    if (!ids_file.empty()) {
        std::string text;
        if (!read_file(ids_file, text)) {
            r.error = "cannot read --ids file " + ids_file;
            return r;
        }
        o.ids = parse_ids(text);
    }
    if (uses_ids(o.mix) && o.ids.empty()) {
        r.error = "{id} or {next_id} needs a non-empty --ids file";
        return r;
    }
    r.opts = std::move(o);
    return r;
}

}  // namespace loadgen
