#pragma once
// The server's endpoints: the route table, and the request handler a
// session calls, which dispatches through it with one thread's services.

#include <span>

#include "customers/api/request_context.hpp"
#include "customers/http/handler.hpp"

namespace customers::api {

// The server's route table.
std::span<const route> routes() noexcept;

class endpoints final : public http::request_handler {
  public:
    explicit endpoints(services& svc) noexcept : svc_(svc) {}
    boost::asio::awaitable<http::response> handle(const http::request& req,
                                                  http::request_facts& facts) override;

  private:
    services& svc_;
};

}  // namespace customers::api
