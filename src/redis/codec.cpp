#include "customers/redis/codec.hpp"

#include <cstddef>
#include <limits>
#include <new>
#include <stdexcept>

#include <hiredis/hiredis.h>
#include <boost/container/small_vector.hpp>

#include "customers/redis/error.hpp"

namespace customers::redis {

void encode_command(std::string& out, std::span<const std::string_view> args) {
    if (args.empty()) throw std::invalid_argument("redis: empty command");
    if (args.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw std::invalid_argument("redis: too many arguments");

    // Most commands have a handful of arguments: keep the argv on the stack.
    boost::container::small_vector<const char*, 16> argv;
    boost::container::small_vector<std::size_t, 16> lengths;
    argv.reserve(args.size());
    lengths.reserve(args.size());
    for (auto a : args) {
        // hiredis reads exactly `length` bytes, so a view need not be
        // NUL-terminated; an empty view may have a null data() though.
        argv.push_back(a.data() != nullptr ? a.data() : "");
        lengths.push_back(a.size());
    }

    char* encoded = nullptr;
    const int length = redisFormatCommandArgv(&encoded, static_cast<int>(args.size()), argv.data(),
                                              lengths.data());
    if (length < 0) throw std::bad_alloc();
    out.append(encoded, static_cast<std::size_t>(length));
    redisFreeCommand(encoded);
}

decoder::decoder() : reader_(redisReaderCreate()) {
    if (reader_ == nullptr) throw std::bad_alloc();
}

decoder::~decoder() {
    redisReaderFree(reader_);
}

void decoder::feed(std::string_view bytes) {
    // A failure here (reader already in error, or out of memory) leaves the
    // reader's err set, which next() reports.
    if (!bytes.empty()) redisReaderFeed(reader_, bytes.data(), bytes.size());
}

boost::system::result<std::optional<reply>> decoder::next() {
    if (reader_->err != 0) return error::protocol_error;
    void* raw = nullptr;
    if (redisReaderGetReply(reader_, &raw) != REDIS_OK) return error::protocol_error;
    if (raw == nullptr) return std::optional<reply>{};  // incomplete: wait for more bytes

    auto* r = static_cast<redisReply*>(raw);
    // Copy, then free: the hiredis object must not outlive this call even if
    // the copy throws (bad_alloc).
    struct release {
        redisReply* r;
        ~release() { freeReplyObject(r); }
    } guard{r};
    return std::optional<reply>{from_hiredis(*r)};
}

std::string decoder::last_error() const {
    return reader_->err != 0 ? reader_->errstr : "";
}

void decoder::reset() {
    redisReader* fresh = redisReaderCreate();
    if (fresh == nullptr) throw std::bad_alloc();
    redisReaderFree(reader_);
    reader_ = fresh;
}

}  // namespace customers::redis
