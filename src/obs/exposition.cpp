#include "customers/obs/exposition.hpp"

#include <charconv>
#include <cmath>

namespace customers::obs {

void append_label_value(std::string& out, std::string_view value) {
    for (char c : value) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '"':
                out += "\\\"";
                break;
            case '\n':
                out += "\\n";
                break;
            default:
                out += c;
        }
    }
}

void append_number(std::string& out, double value) {
    if (std::isnan(value)) {
        out += "NaN";
        return;
    }
    if (std::isinf(value)) {
        out += value > 0 ? "+Inf" : "-Inf";
        return;
    }
    char buf[32];
    // Whole numbers as integers ("10", not "1e+01"); others in the shortest
    // form that reads back exactly: fixed-point in the usual range
    // ("0.0005", "1795565456.6"), scientific outside it.
    if (std::trunc(value) == value && std::fabs(value) < 9007199254740992.0) {
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(value));
        out.append(buf, end);
        return;
    }
    const double magnitude = std::fabs(value);
    const auto format = magnitude >= 1e-4 && magnitude < 1e15 ? std::chars_format::fixed
                                                              : std::chars_format::general;
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, format);
    out.append(buf, end);
}

namespace {

void append_uint(std::string& out, std::uint64_t v) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, end);
}

// HELP text escapes backslash and line feed only.
void append_help(std::string& out, std::string_view help) {
    for (char c : help) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
}

}  // namespace

void exposition::family(std::string_view name, std::string_view type, std::string_view help) {
    out_.append("# HELP ").append(name).append(" ");
    append_help(out_, help);
    out_.append("\n# TYPE ").append(name).append(" ").append(type).append("\n");
}

void exposition::series(std::string_view name, std::initializer_list<label> labels,
                        const label* extra) {
    out_.append(name);
    if (labels.size() == 0 && !extra) {
        out_ += ' ';
        return;
    }
    char sep = '{';
    auto one = [&](const label& l) {
        out_ += sep;
        out_.append(l.first).append("=\"");
        append_label_value(out_, l.second);
        out_ += '"';
        sep = ',';
    };
    for (const label& l : labels) one(l);
    if (extra) one(*extra);
    out_ += "} ";
}

void exposition::sample(std::string_view name, std::initializer_list<label> labels,
                        std::uint64_t value) {
    series(name, labels);
    append_uint(out_, value);
    out_ += '\n';
}

void exposition::sample(std::string_view name, std::initializer_list<label> labels, double value) {
    series(name, labels);
    append_number(out_, value);
    out_ += '\n';
}

void exposition::histogram(std::string_view name, std::initializer_list<label> labels,
                           const histogram_totals& h) {
    const std::string bucket = std::string(name) + "_bucket";
    std::uint64_t cumulative = 0;
    std::string le;
    for (std::size_t i = 0; i < duration_buckets; ++i) {
        cumulative += h.buckets[i];
        le.clear();
        if (i < duration_bounds_seconds.size())
            append_number(le, duration_bounds_seconds[i]);
        else
            le = "+Inf";
        const label le_label{"le", le};
        series(bucket, labels, &le_label);
        append_uint(out_, cumulative);
        out_ += '\n';
    }
    sample(std::string(name) + "_sum", labels, static_cast<double>(h.sum_ns) / 1e9);
    sample(std::string(name) + "_count", labels, cumulative);
}

}  // namespace customers::obs
