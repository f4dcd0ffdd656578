#include "customers/api/openapi.hpp"

#include <boost/beast/http/field.hpp>

#include "customers/http/errors.hpp"

namespace customers::api {
namespace {

namespace bhttp = boost::beast::http;

// Whether an If-None-Match value ("*" or a list of entity tags, weak or
// strong) matches the document's tag (RFC 9110 §13.1.2, weak comparison).
bool matches_etag(std::string_view if_none_match, std::string_view etag) {
    while (!if_none_match.empty()) {
        const std::size_t comma = if_none_match.find(',');
        std::string_view tag = if_none_match.substr(0, comma);
        while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
        while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
        if (tag.starts_with("W/")) tag.remove_prefix(2);
        if (tag == "*" || tag == etag) return true;
        if (comma == std::string_view::npos) break;
        if_none_match.remove_prefix(comma + 1);
    }
    return false;
}

}  // namespace

boost::asio::awaitable<http::response> serve_openapi(request_context& ctx) {
    // The document changes only with the binary: an hour of caching, then a
    // cheap revalidation.
    constexpr std::string_view cache_control = "public, max-age=3600";
    const auto inm = ctx.req.find(bhttp::field::if_none_match);
    if (inm != ctx.req.end() && matches_etag(inm->value(), openapi_etag())) {
        http::response res{http::status::not_modified, 11};
        res.set(bhttp::field::etag, openapi_etag());
        res.set(bhttp::field::cache_control, cache_control);
        co_return res;
    }
    http::response res = http::make_json(http::status::ok, std::string(openapi_json()));
    res.set(bhttp::field::etag, openapi_etag());
    res.set(bhttp::field::cache_control, cache_control);
    co_return res;
}

}  // namespace customers::api
