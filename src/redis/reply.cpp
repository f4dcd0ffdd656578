#include "customers/redis/reply.hpp"

#include <hiredis/hiredis.h>

namespace customers::redis {

reply from_hiredis(const redisReply& r) {
    reply out;
    // hiredis allocates str even for empty strings, but a hand-built reply
    // may not: never read through a null pointer.
    auto text = [&r] { return r.str != nullptr ? std::string(r.str, r.len) : std::string(); };
    switch (r.type) {
        case REDIS_REPLY_STRING:
            out.kind = reply::type::string;
            out.str = text();
            break;
        case REDIS_REPLY_STATUS:
            out.kind = reply::type::status;
            out.str = text();
            break;
        case REDIS_REPLY_ERROR:
            out.kind = reply::type::error;
            out.str = text();
            break;
        case REDIS_REPLY_INTEGER:
            out.kind = reply::type::integer;
            out.integer = r.integer;
            break;
        case REDIS_REPLY_NIL:
            out.kind = reply::type::nil;
            break;
        case REDIS_REPLY_ARRAY:
            out.kind = reply::type::array;
            out.elements.reserve(r.elements);
            // Recursion is bounded: hiredis rejects nesting deeper than 7.
            for (std::size_t i = 0; i < r.elements; ++i)
                out.elements.push_back(r.element[i] != nullptr ? from_hiredis(*r.element[i])
                                                               : reply{});
            break;
        default:
            // hiredis 0.14 produces only the six types above (RESP2); a newer
            // library could hand us RESP3 types. Surface it instead of
            // guessing what the value means.
            out.kind = reply::type::error;
            out.str = "ERR unsupported reply type " + std::to_string(r.type);
            break;
    }
    return out;
}

}  // namespace customers::redis
