#include "customers/util/time_format.hpp"

#include <ctime>

namespace customers::util {

void append_utc_second(std::string& out, std::int64_t epoch_seconds) {
    const std::time_t secs = static_cast<std::time_t>(epoch_seconds);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[40];
    out.append(buf, std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm));
}

void append_millis_z(std::string& out, std::int64_t ms) {
    const char digits[4] = {char('0' + ms / 100), char('0' + ms / 10 % 10), char('0' + ms % 10),
                            'Z'};
    out.append(digits, 4);
}

void append_rfc3339_ms(std::string& out, std::chrono::system_clock::time_point t) {
    using namespace std::chrono;
    const auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
    append_utc_second(out, ms / 1000);
    out += '.';
    append_millis_z(out, ms % 1000);
}

}  // namespace customers::util
