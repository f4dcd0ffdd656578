#pragma once
// The process-wide count of open client connections, held against
// http.max_connections. Every worker thread's acceptor shares one instance
// (a connection may land on any thread), so the count is one atomic.

#include <atomic>
#include <cstddef>
#include <utility>

namespace customers::http {

class connection_limit {
  public:
    explicit connection_limit(std::size_t max) noexcept : max_(max) {}

    // One counted connection; released when destroyed (or moved from).
    class slot {
      public:
        slot() = default;
        slot(slot&& o) noexcept : owner_(std::exchange(o.owner_, nullptr)) {}
        slot& operator=(slot&& o) noexcept {
            if (this != &o) {
                reset();
                owner_ = std::exchange(o.owner_, nullptr);
            }
            return *this;
        }
        ~slot() { reset(); }
        explicit operator bool() const noexcept { return owner_ != nullptr; }

      private:
        friend class connection_limit;
        explicit slot(connection_limit* owner) noexcept : owner_(owner) {}
        void reset() noexcept {
            if (owner_) owner_->open_.fetch_sub(1, std::memory_order_relaxed);
            owner_ = nullptr;
        }
        connection_limit* owner_ = nullptr;
    };

    // A slot, or an empty one when max() connections are already open.
    slot try_acquire() noexcept {
        if (open_.fetch_add(1, std::memory_order_relaxed) >= max_) {
            open_.fetch_sub(1, std::memory_order_relaxed);
            return slot{};
        }
        return slot{this};
    }

    std::size_t open() const noexcept { return open_.load(std::memory_order_relaxed); }
    std::size_t max() const noexcept { return max_; }

  private:
    std::atomic<std::size_t> open_{0};
    std::size_t max_;
};

}  // namespace customers::http
