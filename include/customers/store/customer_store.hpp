#pragma once
// Customers and conversations in Redis. The only code besides token_store
// that knows the key layout (keys.hpp); everything it returns is a domain
// value or a store::error. One Redis round trip for get, create, update and
// delete; two pipelined batches for a list page (the index ranges as one
// MULTI/EXEC snapshot, then the rows).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include "customers/domain/customer.hpp"
#include "customers/redis/connection.hpp"
#include "customers/store/error.hpp"

namespace customers::store {

template <class T>
using result = boost::system::result<T>;
template <class T>
using async_result = boost::asio::awaitable<result<T>>;

struct list_query {
    std::size_t limit = 10;
    std::optional<std::string> starting_after;  // valid ids
    std::optional<std::string> ending_before;
    std::optional<bool> terminated;  // from status= and active=
    std::optional<bool> is_flagged;
    std::optional<std::string> external_id;
    bool contradictory = false;  // e.g. active=true&status=terminated: no match
};

struct list_page {
    bool has_more = false;
    std::vector<domain::customer> data;  // newest first
};

struct conversation {
    std::string id;
    std::string customer_id;
    std::int64_t created_at = 0;
};

class customer_store {
  public:
    explicit customer_store(redis::connection& redis) : redis_(redis) {}

    // Loads the scripts on every (re)connect of `redis`.
    static void register_scripts(redis::connection& redis);

    // `in` has passed domain::validate(). Fills id, conversation and times
    // (created_at is the new id's creation time).
    async_result<domain::customer> create(std::string_view project,
                                          const domain::customer_input& in);
    async_result<domain::customer> get(std::string_view project, std::string_view id);
    async_result<domain::customer> update(std::string_view project, std::string_view id,
                                          const domain::customer_input& in, std::int64_t now);
    async_result<void> remove(std::string_view project, std::string_view id);
    async_result<list_page> list(std::string_view project, const list_query& q);
    async_result<conversation> get_conversation(std::string_view project, std::string_view id);

  private:
    async_result<list_page> list_once(std::string_view project, const list_query& q, bool& complete,
                                      std::string& edge);
    async_result<list_page> list_by_external_id(std::string_view project, const list_query& q);

    redis::connection& redis_;
};

}  // namespace customers::store
