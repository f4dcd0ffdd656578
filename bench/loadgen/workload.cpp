#include "loadgen/workload.hpp"

#include <algorithm>
#include <charconv>

namespace loadgen {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// Splits off the first whitespace-delimited word of `s`.
std::string_view next_word(std::string_view& s) {
    s = trim(s);
    const auto end = s.find_first_of(" \t");
    const auto word = s.substr(0, end);
    s = end == std::string_view::npos ? std::string_view{} : s.substr(end);
    return word;
}

bool is_method(std::string_view m) {
    return !m.empty() &&
           std::all_of(m.begin(), m.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool istarts_with(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
        if (c != prefix[i]) return false;
    }
    return true;
}

void append_number(std::string& out, std::uint64_t v) {
    char buf[24];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, end);
}

}  // namespace

std::optional<std::vector<request_kind>> parse_mix(std::string_view text, std::string& error) {
    std::vector<request_kind> mix;
    int line_no = 0;
    std::uint64_t total = 0;
    while (!text.empty()) {
        const auto eol = text.find('\n');
        std::string_view line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
        ++line_no;
        line = trim(line);
        if (line.empty() || line.front() == '#') continue;

        const auto fail = [&](const std::string& why) {
            error = "line " + std::to_string(line_no) + ": " + why;
            return std::nullopt;
        };
        request_kind k;
        const auto weight = next_word(line);
        const auto [p, ec] =
            std::from_chars(weight.data(), weight.data() + weight.size(), k.weight);
        if (ec != std::errc{} || p != weight.data() + weight.size() || k.weight > 1'000'000)
            return fail("the weight must be an integer 0..1000000, not '" + std::string(weight) +
                        "'");
        k.method = std::string(next_word(line));
        if (!is_method(k.method)) return fail("expected an upper-case METHOD after the weight");
        k.path = std::string(next_word(line));
        if (k.path.empty() || k.path.front() != '/') return fail("the PATH must start with '/'");
        k.body = std::string(trim(line));
        total += k.weight;
        mix.push_back(std::move(k));
    }
    if (mix.empty()) {
        error = "no request kinds";
        return std::nullopt;
    }
    if (total == 0) {
        error = "all weights are 0";
        return std::nullopt;
    }
    return mix;
}

std::vector<std::string> parse_ids(std::string_view text) {
    std::vector<std::string> ids;
    while (!text.empty()) {
        const auto eol = text.find('\n');
        const auto line = trim(text.substr(0, eol));
        text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
        if (!line.empty()) ids.emplace_back(line);
    }
    return ids;
}

std::vector<request_factory::piece> request_factory::split(std::string_view s) {
    static constexpr std::pair<std::string_view, token> names[] = {
        {"{id}", token::id}, {"{next_id}", token::next_id}, {"{seq}", token::seq}};
    std::vector<piece> out;
    std::string text;
    while (!s.empty()) {
        bool matched = false;
        if (s.front() == '{') {
            for (const auto& [name, tok] : names) {
                if (!s.starts_with(name)) continue;
                if (!text.empty()) out.push_back({token::text, std::move(text)});
                text.clear();
                out.push_back({tok, {}});
                s.remove_prefix(name.size());
                matched = true;
                break;
            }
        }
        if (!matched) {
            text.push_back(s.front());
            s.remove_prefix(1);
        }
    }
    if (!text.empty()) out.push_back({token::text, std::move(text)});
    return out;
}

request_factory::request_factory(std::vector<request_kind> mix, std::vector<std::string> ids,
                                 std::string host, const std::vector<std::string>& headers)
    : ids_(std::move(ids)) {
    bool user_host = false, user_type = false;
    std::string user;
    for (const auto& h : headers) {
        user_host = user_host || istarts_with(h, "host:");
        user_type = user_type || istarts_with(h, "content-type:");
        user += h + "\r\n";
    }
    if (!user_host) common_headers_ = "Host: " + host + "\r\n";
    common_headers_ += user;

    std::uint64_t sum = 0;
    for (const auto& m : mix) {
        if (m.weight == 0) continue;
        kind k;
        k.head = m.method == "HEAD";
        k.path = split(m.path);
        k.body = split(m.body);
        for (const auto* pieces : {&k.path, &k.body})
            for (const auto& pc : *pieces) k.uses[static_cast<int>(pc.kind)] = true;
        k.dynamic = k.has(token::id) || k.has(token::next_id) || k.has(token::seq);
        if (!m.body.empty() && !user_type)
            k.content_type = m.body.front() == '{'
                                 ? "Content-Type: application/json\r\n"
                                 : "Content-Type: application/x-www-form-urlencoded\r\n";
        // Servers may refuse a body-less POST without a length (411).
        k.send_length =
            !m.body.empty() || m.method == "POST" || m.method == "PUT" || m.method == "PATCH";
        k.request_line = m.method + " ";
        if (!k.dynamic) {
            // No placeholders: the whole request is rendered once, here.
            k.fixed = k.request_line + m.path + " HTTP/1.1\r\n" + common_headers_ + k.content_type;
            if (k.send_length)
                k.fixed += "Content-Length: " + std::to_string(m.body.size()) + "\r\n";
            k.fixed += "\r\n" + m.body;
        }
        sum += m.weight;
        cumulative_.push_back(sum);
        kinds_.push_back(std::move(k));
    }
}

void request_factory::render(std::string& out, const std::vector<piece>& pieces,
                             const std::string& id, const std::string& next_id,
                             std::uint64_t seq) const {
    for (const auto& pc : pieces) {
        switch (pc.kind) {
            case token::text:
                out += pc.text;
                break;
            case token::id:
                out += id;
                break;
            case token::next_id:
                out += next_id;
                break;
            case token::seq:
                append_number(out, seq);
                break;
        }
    }
}

bool request_factory::append(std::string& out, fast_rng& rng, bool& head) {
    if (kinds_.empty()) return false;
    std::size_t i = 0;
    if (kinds_.size() > 1) {
        const auto r = rng.below(cumulative_.back());
        i = static_cast<std::size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), r) -
                                     cumulative_.begin());
    }
    const kind& k = kinds_[i];
    head = k.head;
    if (!k.dynamic) {
        out += k.fixed;
        return true;
    }

    static const std::string none;
    const std::string* next_id = &none;
    if (k.has(token::next_id)) {
        const auto n = next_id_.fetch_add(1, std::memory_order_relaxed);
        if (n >= ids_.size()) {
            exhausted_.store(true, std::memory_order_relaxed);
            return false;
        }
        next_id = &ids_[n];
    }
    const std::string* id = &none;
    if (k.has(token::id) && !ids_.empty()) id = &ids_[rng.below(ids_.size())];
    const std::uint64_t seq = k.has(token::seq) ? seq_.fetch_add(1, std::memory_order_relaxed) : 0;

    // The body first, to know its length; one scratch string per thread.
    thread_local std::string body;
    body.clear();
    render(body, k.body, *id, *next_id, seq);
    out += k.request_line;
    render(out, k.path, *id, *next_id, seq);
    out += " HTTP/1.1\r\n";
    out += common_headers_;
    out += k.content_type;
    if (k.send_length) {
        out += "Content-Length: ";
        append_number(out, body.size());
        out += "\r\n";
    }
    out += "\r\n";
    out += body;
    return true;
}

}  // namespace loadgen
