#pragma once
// An incremental HTTP/1.1 response parser that keeps nothing of the body.
// The load generator only needs to know where a response ends, its status
// and whether the connection stays open; a general parser (Beast's) costs a
// header container per response, this one costs a scan for "\r\n\r\n".
//
// Feed it the unconsumed bytes of the read buffer; it reports how many it
// consumed. A header is consumed only once complete (so it must fit in the
// caller's buffer); a body is consumed as it arrives.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace loadgen {

class response_parser {
  public:
    enum class state { need_more, done, error };

    // Starts a new response; a response to HEAD has no body whatever its
    // Content-Length says.
    void reset(bool head_request) noexcept;

    // Parses from `data`; `consumed` is set to the bytes used. After `done`,
    // status() and keep_alive() describe the response and the next reset()
    // may follow at data + consumed.
    state parse(const char* data, std::size_t size, std::size_t& consumed) noexcept;

    // The peer closed the connection: true when that ends this response (a
    // body delimited by the close, HTTP/1.0 style).
    bool finish_on_eof() const noexcept { return phase_ == phase::until_close; }
    // True when no byte of the current response has been seen yet.
    bool idle() const noexcept { return phase_ == phase::header && scanned_ == 0; }

    int status() const noexcept { return status_; }
    bool keep_alive() const noexcept { return keep_alive_; }

  private:
    enum class phase {
        header,
        body_length,
        chunk_size,
        chunk_data,
        chunk_crlf,
        trailers,
        until_close,
        complete
    };

    state parse_header(const char* data, std::size_t size, std::size_t& consumed) noexcept;
    state parse_chunked(const char* data, std::size_t size, std::size_t& consumed) noexcept;

    phase phase_ = phase::header;
    bool head_ = false;
    std::size_t scanned_ = 0;  // header bytes already searched for CRLFCRLF
    std::uint64_t remaining_ = 0;
    int status_ = 0;
    bool keep_alive_ = true;
};

}  // namespace loadgen
