#pragma once
// The live connections of one I/O thread, so that a graceful shutdown can
// close the idle ones at once and let busy ones finish their request. Used
// from that thread only: an intrusive list, no locks, no allocation.

#include <cstddef>

#include <boost/beast/core/tcp_stream.hpp>

#include "customers/obs/counter.hpp"

namespace customers::http {

class connection_tracker {
  public:
    struct entry {
        boost::beast::tcp_stream* stream = nullptr;
        bool busy = false;  // between the first byte of a request and its response
        entry* prev = nullptr;
        entry* next = nullptr;
    };

    // Registers on construction, unregisters on destruction.
    class scoped {
      public:
        scoped(connection_tracker& t, boost::beast::tcp_stream& s);
        ~scoped();
        scoped(const scoped&) = delete;
        scoped& operator=(const scoped&) = delete;
        void set_busy(bool b) noexcept { entry_.busy = b; }

      private:
        connection_tracker& tracker_;
        entry entry_;
    };

    std::size_t size() const noexcept { return size_; }
    // Mirrors size() into `gauge` (http_connections_active) from now on.
    void report_to(obs::single_writer_counter* gauge) noexcept { gauge_ = gauge; }
    bool shutting_down() const noexcept { return shutting_down_; }

    // From now on connections close after their current response; idle ones
    // are cancelled now.
    void begin_shutdown();
    // Closes every connection, busy or not (the drain deadline passed).
    void close_all();

  private:
    void add(entry& e) noexcept;
    void remove(entry& e) noexcept;

    entry* head_ = nullptr;
    std::size_t size_ = 0;
    obs::single_writer_counter* gauge_ = nullptr;
    bool shutting_down_ = false;
};

}  // namespace customers::http
