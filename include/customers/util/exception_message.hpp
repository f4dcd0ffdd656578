#pragma once

#include <exception>
#include <string>

namespace customers::util {

// What an exception says (what() of a std::exception), for a log line.
std::string exception_message(std::exception_ptr e);

}  // namespace customers::util
