#pragma once
// A map of at most `capacity` strings, each with an expiry. When it is full,
// an insert evicts the least recently used entry (one entry, not all), so a
// burst of new keys cannot push out keys that are in use while they keep
// being used. Not thread-safe (one per thread).

#include <chrono>
#include <cstddef>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

namespace customers::util {

class expiring_lru {
  public:
    using clock = std::chrono::steady_clock;

    explicit expiring_lru(std::size_t capacity) : capacity_(capacity) {}
    // The index holds views of the entries' keys: copies would dangle.
    expiring_lru(const expiring_lru&) = delete;
    expiring_lru& operator=(const expiring_lru&) = delete;

    // The value under `key`, or nullptr when there is none or it expired at
    // `now` (then it is dropped). A hit makes the entry the most recently
    // used. The pointer is valid until the next change.
    const std::string* find(std::string_view key, clock::time_point now);
    // Inserts or replaces, as the most recently used entry.
    void put(std::string_view key, std::string value, clock::time_point expires);
    void erase(std::string_view key);

    std::size_t size() const noexcept { return index_.size(); }
    std::size_t capacity() const noexcept { return capacity_; }

  private:
    struct entry {
        std::string key, value;
        clock::time_point expires;
    };
    using list = std::list<entry>;

    std::size_t capacity_;
    list order_;  // most recently used first
    // Views of the keys in `order_` (list nodes never move).
    std::unordered_map<std::string_view, list::iterator> index_;
};

}  // namespace customers::util
