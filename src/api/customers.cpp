#include "customers/api/customers.hpp"

#include <chrono>

#include "customers/api/customer_decode.hpp"
#include "customers/api/customer_json.hpp"
#include "customers/api/list_params.hpp"
#include "customers/domain/ids.hpp"
#include "customers/http/errors.hpp"
#include "customers/util/log.hpp"

namespace customers::api {
namespace {

namespace asio = boost::asio;
using http::response;
using http::status;

std::int64_t unix_now() {
    using namespace std::chrono;
    return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

response bad_input(const domain::input_error& e) {
    return http::make_error(status::bad_request, e.message, e.param);
}

response not_found(std::string_view what, std::string_view id) {
    return http::make_error(status::not_found,
                            "no such " + std::string(what) + ": " + std::string(id), "id");
}

// A store failure as a response; `id` names the resource for a 404.
response from_store_error(boost::system::error_code ec, std::string_view what,
                          std::string_view id) {
    if (ec == store::error::not_found) return not_found(what, id);
    if (ec == store::error::username_taken)
        return http::make_error(status::conflict, "a customer with this username already exists",
                                "username");
    if (ec == store::error::external_id_taken)
        return http::make_error(status::conflict, "a customer with this external_id already exists",
                                "external_id");
    if (ec == store::error::unavailable)
        return http::make_unavailable("the data store is unavailable; retry shortly");
    log::error("store failure for ", what, " ", id, ": ", ec.message());
    return http::make_error(status::internal_server_error, "internal error");
}

// A malformed id is a 404 (as for any id that names nothing) and never
// reaches a Redis key.
std::optional<response> malformed_id(std::string_view what, std::string_view id) {
    if (domain::is_valid_id(id)) return std::nullopt;
    return not_found(what, id);
}

// Decodes and validates a create or update body.
std::optional<response> decode_body(const http::request& req, domain::operation op,
                                    domain::customer_input& in) {
    const auto format = format_of(req[boost::beast::http::field::content_type]);
    if (format == body_format::unsupported)
        return http::make_error(status::unsupported_media_type,
                                "send the body as application/json or "
                                "application/x-www-form-urlencoded");
    const auto error = format == body_format::json ? decode_json(req.body(), op, in)
                                                   : decode_form(req.body(), op, in);
    if (error) return bad_input(*error);
    if (auto invalid = domain::validate(in, op)) return bad_input(*invalid);
    return std::nullopt;
}

}  // namespace

asio::awaitable<response> list_customers(request_context& ctx, const std::string& project) {
    store::list_query q;
    if (auto e = parse_list_query(ctx.query, q)) co_return bad_input(*e);
    auto page = co_await ctx.svc.customers.list(project, q);
    if (!page) co_return from_store_error(page.error(), "customer", {});
    co_return http::make_json(status::ok, customer_list_json(page->has_more, page->data));
}

asio::awaitable<response> create_customer(request_context& ctx, const std::string& project) {
    domain::customer_input in;
    if (auto rejected = decode_body(ctx.req, domain::operation::create, in))
        co_return std::move(*rejected);
    auto created = co_await ctx.svc.customers.create(project, in);
    if (!created) co_return from_store_error(created.error(), "customer", {});
    response r = http::make_json(status::created, customer_json(*created));
    r.set(boost::beast::http::field::location, "/v1/customers/" + created->id);
    co_return r;
}

asio::awaitable<response> retrieve_customer(request_context& ctx, const std::string& project) {
    const std::string_view id = ctx.params[0];
    if (auto rejected = malformed_id("customer", id)) co_return std::move(*rejected);
    auto found = co_await ctx.svc.customers.get(project, id);
    if (!found) co_return from_store_error(found.error(), "customer", id);
    co_return http::make_json(status::ok, customer_json(*found));
}

asio::awaitable<response> update_customer(request_context& ctx, const std::string& project) {
    const std::string_view id = ctx.params[0];
    if (auto rejected = malformed_id("customer", id)) co_return std::move(*rejected);
    domain::customer_input in;
    if (auto rejected = decode_body(ctx.req, domain::operation::update, in))
        co_return std::move(*rejected);
    auto updated = co_await ctx.svc.customers.update(project, id, in, unix_now());
    if (!updated) co_return from_store_error(updated.error(), "customer", id);
    co_return http::make_json(status::ok, customer_json(*updated));
}

asio::awaitable<response> delete_customer(request_context& ctx, const std::string& project) {
    const std::string_view id = ctx.params[0];
    if (auto rejected = malformed_id("customer", id)) co_return std::move(*rejected);
    auto removed = co_await ctx.svc.customers.remove(project, id);
    if (!removed) co_return from_store_error(removed.error(), "customer", id);
    co_return response{status::no_content, 11};
}

asio::awaitable<response> retrieve_conversation(request_context& ctx, const std::string& project) {
    const std::string_view id = ctx.params[0];
    if (auto rejected = malformed_id("conversation", id)) co_return std::move(*rejected);
    auto found = co_await ctx.svc.customers.get_conversation(project, id);
    if (!found) co_return from_store_error(found.error(), "conversation", id);
    co_return http::make_json(status::ok,
                              conversation_json(found->id, found->customer_id, found->created_at));
}

}  // namespace customers::api
