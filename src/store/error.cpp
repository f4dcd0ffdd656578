#include "customers/store/error.hpp"

#include <string>

namespace customers::store {
namespace {

class category final : public boost::system::error_category {
  public:
    const char* name() const noexcept override { return "customers.store"; }
    std::string message(int ev) const override {
        switch (static_cast<error>(ev)) {
            case error::not_found:
                return "not found";
            case error::username_taken:
                return "username already taken";
            case error::external_id_taken:
                return "external_id already taken";
            case error::unavailable:
                return "data store unavailable";
            case error::corrupt:
                return "stored data cannot be decoded";
            case error::token_taken:
                return "the token already belongs to another project";
        }
        return "unknown store error";
    }
};

}  // namespace

const boost::system::error_category& error_category() noexcept {
    static const category c;
    return c;
}

}  // namespace customers::store
