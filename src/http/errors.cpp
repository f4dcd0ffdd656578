#include "customers/http/errors.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "customers/util/text.hpp"

namespace customers::http {

std::string_view error_type_for(status s) noexcept {
    return static_cast<unsigned>(s) >= 500 ? "api_error" : "invalid_request";
}

std::string error_body(status s, std::string_view message, std::string_view param) {
    const std::string_view type = error_type_for(s);
    boost::json::object body;
    body["type"] = type;
    // Messages quote client input (a path, a parameter name), which may be
    // any bytes; Boost.JSON would copy them through, and invalid UTF-8 is not
    // JSON a client can parse.
    body["message"] = util::utf8_or_replacement(message);
    if (!param.empty()) body["param"] = util::utf8_or_replacement(param);
    std::string url = "https://protocol.chat/docs/errors/";
    url += type;
    body["documentation_url"] = url;
    return boost::json::serialize(body);
}

response make_json(status s, std::string body) {
    response res{s, 11};
    res.set(bhttp::field::content_type, "application/json");
    res.body() = std::move(body);
    return res;
}

response make_error(status s, std::string_view message, std::string_view param) {
    return make_json(s, error_body(s, message, param));
}

response make_unavailable(std::string_view message, std::chrono::seconds retry_after) {
    response res = make_error(status::service_unavailable, message);
    res.set(bhttp::field::retry_after, std::to_string(retry_after.count()));
    return res;
}

}  // namespace customers::http
