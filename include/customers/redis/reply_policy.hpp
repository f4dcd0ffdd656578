#pragma once
// What redis::connection does about a reply beyond handing it to the caller,
// as pure functions (unit-tested without a server).
//
// Redis answers some commands with an error that says nothing about the
// command and everything about the server:
// - READONLY, MASTERDOWN: the server is (now) a replica, e.g. the old primary
//   after a failover that left it reachable. Every write would fail from here
//   on, so the connection delivers the reply, lets the commands in flight
//   finish, and reconnects, resolving the address again.
// - LOADING, BUSY, TRYAGAIN: the server refused the command without running
//   it (dataset still loading, a script running too long, a slot migrating).
//   The same command may be sent again within its deadline.
// Any other error reply (WRONGTYPE, a script's own error...) is the answer.
//
// A script's error raised while it runs carries " script: <sha1>" (Redis 7);
// such a reply is never retried, since the script may have written before it
// failed. A script must not itself return these codes with
// redis.error_reply(): that reply cannot be told from the server's own.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "customers/redis/reply.hpp"

namespace customers::redis {

enum class reply_action {
    deliver,    // the reply is the answer
    reconnect,  // deliver it, then reconnect: the server is not the primary
    retry,      // the command did not run: send it again if time allows
};

// The error code of an error reply: its first word ("WRONGTYPE"); empty for
// a reply that is not an error.
std::string_view error_code_of(const reply& r) noexcept;

reply_action action_for(const reply& r) noexcept;

// Where the retryable tail of a pipelined batch's replies starts: the index
// of the first of the replies that all ask for a retry and come after every
// other reply; replies.size() when the last reply is not retryable. Only such
// a tail is sent again: a command in the middle cannot be replayed after the
// later ones have run without changing their order.
std::size_t retryable_tail(std::span<const reply> replies) noexcept;

// Why the server that answered ROLE this way is not the primary a connection
// needs; empty when it is, or when it cannot tell (an error reply: ROLE not
// permitted to this user, or a proxy that does not know it).
std::string role_refusal(const reply& role);

}  // namespace customers::redis
