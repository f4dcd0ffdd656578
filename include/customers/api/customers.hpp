#pragma once
// The /v1 endpoints (API.md §4): decode and validate, call the store, map
// its result to a response. They run behind the v1 gate (v1.hpp), which has
// authenticated the caller and gives its project.

#include <string>

#include <boost/asio/awaitable.hpp>

#include "customers/api/request_context.hpp"

namespace customers::api {

boost::asio::awaitable<http::response> list_customers(request_context& ctx,
                                                      const std::string& project);
boost::asio::awaitable<http::response> create_customer(request_context& ctx,
                                                       const std::string& project);
boost::asio::awaitable<http::response> retrieve_customer(request_context& ctx,
                                                         const std::string& project);
boost::asio::awaitable<http::response> update_customer(request_context& ctx,
                                                       const std::string& project);
boost::asio::awaitable<http::response> delete_customer(request_context& ctx,
                                                       const std::string& project);
boost::asio::awaitable<http::response> retrieve_conversation(request_context& ctx,
                                                             const std::string& project);

}  // namespace customers::api
