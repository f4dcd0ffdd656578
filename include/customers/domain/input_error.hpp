#pragma once
// What went wrong with a request's input: the message and parameter of a 400
// (API.md §4). Domain rules, body decoders and query parsers all report
// through it.

#include <string>
#include <string_view>
#include <utility>

namespace customers::domain {

struct input_error {
    std::string message;
    std::string param;  // may be empty
};

// The error for `param`; an empty `param` when no single parameter is to blame
// (a malformed body as a whole).
inline input_error invalid(std::string_view param, std::string message) {
    return {std::move(message), std::string(param)};
}

}  // namespace customers::domain
