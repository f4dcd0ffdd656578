#pragma once
// The Prometheus text exposition format (version 0.0.4): HELP and TYPE
// lines, then samples with escaped label values.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "customers/obs/counter.hpp"

namespace customers::obs {

inline constexpr std::string_view exposition_content_type =
    "text/plain; version=0.0.4; charset=utf-8";

using label = std::pair<std::string_view, std::string_view>;  // name, value

class exposition {
  public:
    // "# HELP name help" and "# TYPE name type" (counter, gauge, histogram).
    void family(std::string_view name, std::string_view type, std::string_view help);

    void sample(std::string_view name, std::initializer_list<label> labels, std::uint64_t value);
    void sample(std::string_view name, std::initializer_list<label> labels, double value);

    // name_bucket{...,le="..."} (cumulative, ending with +Inf), name_sum in
    // seconds and name_count, for one label set.
    void histogram(std::string_view name, std::initializer_list<label> labels,
                   const histogram_totals& h);

    const std::string& text() const noexcept { return out_; }
    std::string take() noexcept { return std::move(out_); }

  private:
    void series(std::string_view name, std::initializer_list<label> labels,
                const label* extra = nullptr);
    std::string out_;
};

// Appends `value` as a label value: backslash, double quote and line feed
// escaped as \\, \" and \n.
void append_label_value(std::string& out, std::string_view value);

// Appends a sample value: shortest round-trip form, "+Inf"/"-Inf"/"NaN".
void append_number(std::string& out, double value);

}  // namespace customers::obs
