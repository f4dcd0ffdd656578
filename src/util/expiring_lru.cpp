#include "customers/util/expiring_lru.hpp"

namespace customers::util {

const std::string* expiring_lru::find(std::string_view key, clock::time_point now) {
    const auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    const list::iterator e = it->second;
    if (e->expires <= now) {
        index_.erase(it);
        order_.erase(e);
        return nullptr;
    }
    order_.splice(order_.begin(), order_, e);  // iterators stay valid
    return &e->value;
}

void expiring_lru::put(std::string_view key, std::string value, clock::time_point expires) {
    if (capacity_ == 0) return;
    if (const auto it = index_.find(key); it != index_.end()) {
        it->second->value = std::move(value);
        it->second->expires = expires;
        order_.splice(order_.begin(), order_, it->second);
        return;
    }
    if (index_.size() >= capacity_) {
        index_.erase(order_.back().key);
        order_.pop_back();
    }
    order_.push_front(entry{std::string(key), std::move(value), expires});
    index_.emplace(order_.front().key, order_.begin());
}

void expiring_lru::erase(std::string_view key) {
    const auto it = index_.find(key);
    if (it == index_.end()) return;
    const list::iterator e = it->second;
    index_.erase(it);
    order_.erase(e);
}

}  // namespace customers::util
