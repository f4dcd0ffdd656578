#include "customers/redis/error.hpp"

#include <string>

namespace customers::redis {
namespace {

class category final : public boost::system::error_category {
  public:
    const char* name() const noexcept override { return "customers.redis"; }

    std::string message(int ev) const override {
        switch (static_cast<error>(ev)) {
            case error::not_connected:
                return "not connected to Redis";
            case error::timeout:
                return "Redis command timed out";
            case error::connection_lost:
                return "connection to Redis lost";
            case error::protocol_error:
                return "Redis protocol error";
            case error::shutting_down:
                return "Redis connection shutting down";
        }
        return "unknown Redis error " + std::to_string(ev);
    }
};

}  // namespace

const boost::system::error_category& error_category() noexcept {
    static const category instance;
    return instance;
}

}  // namespace customers::redis
