#pragma once
// The /v1 endpoints (API.md §4): decode and validate, call the store, map
// its result to a response.

#include <boost/asio/awaitable.hpp>

#include "customers/http/router.hpp"

namespace customers::api {

boost::asio::awaitable<http::response> list_customers(http::request_context& ctx);
boost::asio::awaitable<http::response> create_customer(http::request_context& ctx);
boost::asio::awaitable<http::response> retrieve_customer(http::request_context& ctx);
boost::asio::awaitable<http::response> update_customer(http::request_context& ctx);
boost::asio::awaitable<http::response> delete_customer(http::request_context& ctx);
boost::asio::awaitable<http::response> retrieve_conversation(http::request_context& ctx);

}  // namespace customers::api
