#pragma once
// Expected failures of the stores, as error codes. Handlers map them to
// responses: not_found 404, *_taken 409, unavailable 503 (token_taken is
// only met by the token command).

#include <boost/system/error_code.hpp>

namespace customers::store {

enum class error {
    not_found = 1,
    username_taken,
    external_id_taken,
    unavailable,  // Redis unreachable, timed out, or answered an error
    corrupt,      // a stored value that cannot be decoded
    token_taken,  // the token already belongs to another project
};

const boost::system::error_category& error_category() noexcept;

inline boost::system::error_code make_error_code(error e) noexcept {
    return {static_cast<int>(e), error_category()};
}

}  // namespace customers::store

template <>
struct boost::system::is_error_code_enum<customers::store::error> : std::true_type {};
