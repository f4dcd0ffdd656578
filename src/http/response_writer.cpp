#include "customers/http/response_writer.hpp"

#include <charconv>

#include "customers/http/common_headers.hpp"

namespace customers::http {

void write_head(const response& res, const head_options& opts, std::string& out) {
    out.clear();
    out += "HTTP/1.1 ";
    char num[24];
    auto end = std::to_chars(num, num + sizeof num, res.result_int()).ptr;
    out.append(num, end);
    out += ' ';
    out += bhttp::obsolete_reason(res.result());
    out += "\r\n";
    for (const auto& field : res) {
        out += field.name_string();
        out += ": ";
        out += field.value();
        out += "\r\n";
    }
    out += "Server: ";
    out += server_name;
    out += "\r\nDate: ";
    out += cached_http_date();
    out += "\r\nX-Request-Id: ";
    out += opts.request_id;
    out += "\r\n";
    // No Content-Length on 1xx and 204 (RFC 9110 §8.6), nor on 304, where it
    // would have to be the length of the 200 not sent (§8.6 again).
    const unsigned code = res.result_int();
    if (code >= 200 && code != 204 && code != 304) {
        out += "Content-Length: ";
        end = std::to_chars(num, num + sizeof num, res.body().size()).ptr;
        out.append(num, end);
        out += "\r\n";
    }
    if (!opts.keep_alive)
        out += "Connection: close\r\n";
    else if (opts.request_version < 11)
        out += "Connection: keep-alive\r\n";
    out += "\r\n";
}

}  // namespace customers::http
