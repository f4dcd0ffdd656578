#pragma once
// The RESP codec, free of I/O so it can be tested without a network. A
// hiredis redisReader decodes, straight into redis::reply values through its
// object-function hooks; commands are encoded here, byte for byte as
// hiredis's redisFormatCommandArgv does (tested against it), but without its
// per-argument sprintf and allocation.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <boost/system/result.hpp>

#include "customers/redis/reply.hpp"

struct redisReader;

namespace customers::redis {

// Appends one command (an array of bulk strings, binary-safe) to `out`.
// Throws std::invalid_argument for an empty command: Redis would silently
// ignore it and never reply, leaving the caller waiting.
void encode_command(std::string& out, std::span<const std::string_view> args);

// Turns a byte stream into replies. Bytes may arrive split anywhere; one feed
// may hold many replies.
class decoder {
  public:
    decoder();
    ~decoder();
    decoder(const decoder&) = delete;
    decoder& operator=(const decoder&) = delete;

    // Copies the bytes into the reader's buffer.
    void feed(std::string_view bytes);

    // The next complete reply, or an empty optional when more bytes are
    // needed. error::protocol_error once the stream is malformed; that state
    // is sticky until reset(), as the stream cannot be resynchronised.
    boost::system::result<std::optional<reply>> next();

    // hiredis' description of the protocol error, empty if none.
    std::string last_error() const;

    // Discards buffered bytes and any partial reply (for a new connection).
    void reset();

  private:
    redisReader* reader_;
};

}  // namespace customers::redis
