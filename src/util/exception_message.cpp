#include "customers/util/exception_message.hpp"

namespace customers::util {

std::string exception_message(std::exception_ptr e) {
    if (!e) return "no exception";
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        return ex.what();
    } catch (...) {
        return "an exception not derived from std::exception";
    }
}

}  // namespace customers::util
