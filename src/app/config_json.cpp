// The JSON file layer. Boost 1.81's parse_options cannot reject duplicate keys
// (boost::json::object keeps the last one silently), so the text is first run
// through a basic_parser whose handler only checks syntax and duplicates, then
// parsed into a boost::json::value for the actual reading.

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "config_checks.hpp"
#include "customers/app/config.hpp"

namespace customers::app {
namespace {

namespace json = boost::json;

// basic_parser handler: builds nothing, remembers the dotted path of the first
// duplicate key.
class duplicate_checker {
  public:
    static constexpr std::size_t max_object_size = std::size_t(-1);
    static constexpr std::size_t max_array_size = std::size_t(-1);
    static constexpr std::size_t max_key_size = std::size_t(-1);
    static constexpr std::size_t max_string_size = std::size_t(-1);

    std::string duplicate;  // dotted path; empty: none found

    bool on_document_begin(json::error_code&) { return true; }
    bool on_document_end(json::error_code&) { return true; }
    bool on_array_begin(json::error_code&) { return push(false); }
    bool on_array_end(std::size_t, json::error_code&) { return pop(); }
    bool on_object_begin(json::error_code&) { return push(true); }
    bool on_object_end(std::size_t, json::error_code&) { return pop(); }
    bool on_string_part(json::string_view, std::size_t, json::error_code&) { return true; }
    bool on_string(json::string_view, std::size_t, json::error_code&) { return done(); }
    bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
        key_.append(s.data(), s.size());
        return true;
    }
    bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
        key_.append(s.data(), s.size());
        frame& top = frames_.back();
        if (!top.keys.insert(key_).second) {
            top.current = key_;
            duplicate = path();
            ec = json::make_error_code(json::error::exception);
            return false;
        }
        top.current = std::move(key_);
        key_.clear();
        return true;
    }
    bool on_number_part(json::string_view, json::error_code&) { return true; }
    bool on_int64(std::int64_t, json::string_view, json::error_code&) { return done(); }
    bool on_uint64(std::uint64_t, json::string_view, json::error_code&) { return done(); }
    bool on_double(double, json::string_view, json::error_code&) { return done(); }
    bool on_bool(bool, json::error_code&) { return done(); }
    bool on_null(json::error_code&) { return done(); }
    bool on_comment_part(json::string_view, json::error_code&) { return true; }
    bool on_comment(json::string_view, json::error_code&) { return true; }

  private:
    struct frame {
        bool is_object;
        std::set<std::string> keys;  // objects
        std::string current;         // objects: key of the value being parsed
        std::size_t index = 0;       // arrays: index of the value being parsed
    };

    bool push(bool is_object) {
        frames_.push_back(frame{is_object, {}, {}, 0});
        return true;
    }
    bool pop() {
        frames_.pop_back();
        return done();
    }
    bool done() {
        if (!frames_.empty() && !frames_.back().is_object) ++frames_.back().index;
        return true;
    }
    std::string path() const {
        std::string out;
        for (const frame& f : frames_) {
            if (!f.is_object) {
                out.append("[").append(std::to_string(f.index)).append("]");
                continue;
            }
            if (!out.empty()) out += '.';
            out += f.current;
        }
        return out;
    }

    std::vector<frame> frames_;
    std::string key_;
};

std::string describe_position(std::string_view text, std::size_t offset) {
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

json::value parse_strict(std::string_view text, const std::string& source) {
    json::parse_options options;  // strict: no comments, no trailing commas
    {
        auto checker = std::make_unique<json::basic_parser<duplicate_checker>>(options);
        json::error_code ec;
        std::size_t used = checker->write_some(false, text.data(), text.size(), ec);
        if (!checker->handler().duplicate.empty())
            throw config_error(checker->handler().duplicate, "duplicate key");
        if (ec) {
            throw config_error(
                source, "invalid JSON at " + describe_position(text, used) + ": " + ec.message());
        }
        if (used != text.size()) {
            throw config_error(source, "invalid JSON at " + describe_position(text, used) +
                                           ": extra data after the document");
        }
    }
    json::error_code ec;
    json::value doc = json::parse(json::string_view(text.data(), text.size()), ec, {}, options);
    if (ec) throw config_error(source, "invalid JSON: " + ec.message());
    return doc;
}

bool is_doc_key(json::string_view key) {
    return !key.empty() && key.front() == '_';
}

std::string join(std::string_view section, json::string_view key) {
    std::string out(section);
    if (!out.empty()) out += '.';
    out.append(key.data(), key.size());
    return out;
}

[[noreturn]] void type_error(const std::string& key, std::string_view expected,
                             const json::value& got) {
    const json::string_view kind = json::to_string(got.kind());
    throw config_error(key, "expected " + std::string(expected) + ", got " +
                                std::string(kind.data(), kind.size()));
}

const json::object& get_object(const json::value& v, const std::string& key) {
    if (const auto* obj = v.if_object()) return *obj;
    type_error(key, "an object", v);
}

std::string get_string(const json::value& v, const std::string& key) {
    if (const auto* s = v.if_string()) return std::string(s->data(), s->size());
    type_error(key, "a string", v);
}

std::int64_t get_integer(const json::value& v, const std::string& key, std::int64_t min,
                         std::int64_t max, std::string_view unit) {
    if (const auto* i = v.if_int64()) {
        detail::check_range(*i, key, min, max, unit);
        return *i;
    }
    if (const auto* u = v.if_uint64())  // only above INT64_MAX
        detail::throw_out_of_range(key, min, max, unit, std::to_string(*u));
    type_error(key, "an integer", v);
}

bool get_bool(const json::value& v, const std::string& key) {
    if (const auto* b = v.if_bool()) return *b;
    type_error(key, "true or false", v);
}

milliseconds get_ms(const json::value& v, const std::string& key) {
    return milliseconds(get_integer(v, key, detail::min_timeout_ms, detail::max_timeout_ms, "ms"));
}

[[noreturn]] void unknown(const std::string& key) {
    throw config_error(key, "unknown key");
}

void apply_http(http_config& h, const json::object& obj) {
    for (const auto& [k, v] : obj) {
        if (is_doc_key(k)) continue;
        const std::string key = join("http", k);
        if (k == "header_timeout_ms") {
            h.header_timeout = get_ms(v, key);
        } else if (k == "body_timeout_ms") {
            h.body_timeout = get_ms(v, key);
        } else if (k == "idle_timeout_ms") {
            h.idle_timeout = get_ms(v, key);
        } else if (k == "max_header_bytes") {
            h.max_header_bytes = static_cast<std::size_t>(
                get_integer(v, key, detail::min_header_bytes, detail::max_header_bytes, "bytes"));
        } else if (k == "max_body_bytes") {
            h.max_body_bytes = static_cast<std::size_t>(
                get_integer(v, key, detail::min_body_bytes, detail::max_body_bytes, "bytes"));
        } else if (k == "shutdown_timeout_ms") {
            h.shutdown_timeout = get_ms(v, key);
        } else if (k == "max_connections") {
            h.max_connections = static_cast<std::size_t>(
                get_integer(v, key, detail::min_connections, detail::max_connections, {}));
        } else if (k == "max_auth_failures") {
            h.max_auth_failures =
                static_cast<unsigned>(get_integer(v, key, 0, detail::max_auth_failures, {}));
        } else {
            unknown(key);
        }
    }
}

void apply_redis(redis_config& r, const json::object& obj) {
    for (const auto& [k, v] : obj) {
        if (is_doc_key(k)) continue;
        const std::string key = join("redis", k);
        if (k == "url") {
            std::string url = get_string(v, key);
            detail::check_redis_url(url, key);
            r.url = std::move(url);
        } else if (k == "command_timeout_ms") {
            r.command_timeout = get_ms(v, key);
        } else if (k == "connect_timeout_ms") {
            r.connect_timeout = get_ms(v, key);
        } else if (k == "reconnect_min_ms") {
            r.reconnect_min = get_ms(v, key);
        } else if (k == "reconnect_max_ms") {
            r.reconnect_max = get_ms(v, key);
        } else {
            unknown(key);
        }
    }
}

void apply_rate_limit(rate_limit_config& r, const json::object& obj) {
    for (const auto& [k, v] : obj) {
        if (is_doc_key(k)) continue;
        const std::string key = join("rate_limit", k);
        if (k == "requests_per_second") {
            r.requests_per_second =
                static_cast<std::uint32_t>(get_integer(v, key, 0, detail::max_rate, {}));
        } else if (k == "burst") {
            r.burst = static_cast<std::uint32_t>(get_integer(v, key, 0, detail::max_rate, {}));
        } else {
            unknown(key);
        }
    }
}

config apply_document(config c, std::string_view text, const std::string& source) {
    const json::value doc = parse_strict(text, source);
    const auto* root = doc.if_object();
    if (!root) throw config_error(source, "expected a JSON object at the top level");
    for (const auto& [k, v] : *root) {
        if (is_doc_key(k)) continue;
        const std::string key = join("", k);
        if (k == "listen") {
            parse_listen(get_string(v, key), key, c.listen_host, c.listen_port);
        } else if (k == "threads") {
            c.threads = static_cast<unsigned>(get_integer(v, key, 0, detail::max_threads, {}));
        } else if (k == "log_level") {
            std::string level = get_string(v, key);
            detail::check_log_level(level, key);
            c.log_level = std::move(level);
        } else if (k == "access_log") {
            c.access_log = get_bool(v, key);
        } else if (k == "http") {
            apply_http(c.http, get_object(v, key));
        } else if (k == "redis") {
            apply_redis(c.redis, get_object(v, key));
        } else if (k == "rate_limit") {
            apply_rate_limit(c.rate_limit, get_object(v, key));
        } else {
            unknown(key);
        }
    }
    return c;
}

}  // namespace

config apply_json(config base, std::string_view json_text) {
    return apply_document(std::move(base), json_text, "--config");
}

config apply_json_file(config base, const std::string& path) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                         &std::fclose);
    if (!file) {
        const int error = errno;
        throw config_error(path, std::string("cannot open: ") + std::strerror(error));
    }
    std::string text;
    char buffer[4096];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) text.append(buffer, n);
    if (std::ferror(file.get())) {
        const int error = errno;
        throw config_error(path, std::string("cannot read: ") + std::strerror(error));
    }
    return apply_document(std::move(base), text, path);
}

}  // namespace customers::app
