#include "customers/store/scripts.hpp"

#include <string>

namespace customers::store::scripts {
namespace {

// bucket(s, n): 32-bit FNV-1a of the bytes of s, modulo n; the same function
// as keys::bucket() in C++ (tests/unit/test_keys.cpp pins values, and an
// integration test checks the two agree). Lua 5.1 numbers are doubles and
// `bit` works on signed 32-bit values: the multiplication by the FNV prime
// 16777619 = 2^24 + 403 is split into a shift and a product below 2^42,
// which bit.tobit reduces modulo 2^32 exactly.
//
// Why not every key is in KEYS: the bucket of a username, external id or
// conversation id the script reads from the customer hash (delete; the old
// external id in update) is only known inside the script, so the script
// builds that key itself from a "{P}:xx:" prefix passed in ARGV. The prefix
// carries the project's hash tag, so the key is in the same Cluster slot as
// the declared keys.
constexpr const char* bucket_function = R"lua(
local function bucket(s, n)
  local h = 2166136261
  for i = 1, #s do
    h = bit.bxor(h, string.byte(s, i))
    h = bit.tobit(bit.lshift(h, 24) + h * 403)
  end
  if h < 0 then h = h + 4294967296 end
  return h % n
end
)lua";

}  // namespace

const redis::script& create_customer() {
    // Every value is known to the caller: all keys are in KEYS.
    static const redis::script s{R"lua(
if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then return 'username' end
if ARGV[3] ~= '' and redis.call('HEXISTS', KEYS[3], ARGV[3]) == 1 then return 'external_id' end
redis.call('HSET', KEYS[1], unpack(ARGV, 6))
redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[3], ARGV[3], ARGV[1]) end
redis.call('HSET', KEYS[4], ARGV[4], ARGV[5])
redis.call('ZADD', KEYS[5], 0, ARGV[1])
return 'OK'
)lua"};
    return s;
}

const redis::script& update_customer() {
    // KEYS[2] is the bucket of the new external id; the old one's bucket is
    // computed here from ARGV[11] (prefix) and ARGV[12] (bucket count).
    static const redis::script s{std::string(bucket_function) + R"lua(
local h = KEYS[1]
local cur = redis.call('HMGET', h, 'u', 'x', 's', 'f')
if not cur[1] then return false end
local id, now = ARGV[1], ARGV[2]
local oldx, oldt, oldf = cur[2], cur[3] == 't', cur[4] == '1'
if ARGV[3] == 's' and ARGV[4] ~= oldx then
  local owner = redis.call('HGET', KEYS[2], ARGV[4])
  if owner and owner ~= id then return 'external_id' end
end
if ARGV[3] ~= 'k' and ARGV[4] ~= oldx then
  if oldx then redis.call('HDEL', ARGV[11] .. bucket(oldx, tonumber(ARGV[12])), oldx) end
  if ARGV[3] == 's' then
    redis.call('HSET', KEYS[2], ARGV[4], id)
    redis.call('HSET', h, 'x', ARGV[4])
  else
    redis.call('HDEL', h, 'x')
  end
end
local newt, newf = oldt, oldf
if ARGV[5] == 'a' then newt = false elseif ARGV[5] == 't' then newt = true end
if ARGV[6] == '0' then newf = false elseif ARGV[6] == '1' then newf = true end
if newt ~= oldt then
  if newt then redis.call('HSET', h, 's', 't', 'T', now) else redis.call('HDEL', h, 's', 'T') end
end
if newf ~= oldf then
  if newf then redis.call('HSET', h, 'f', '1') else redis.call('HDEL', h, 'f') end
end
if newt ~= oldt or newf ~= oldf then
  local function part(t, f) return 3 + (t and 2 or 0) + (f and 1 or 0) end
  redis.call('ZREM', KEYS[part(oldt, oldf)], id)
  redis.call('ZADD', KEYS[part(newt, newf)], 0, id)
end
if ARGV[7] == 's' then redis.call('HSET', h, 'd', ARGV[8])
elseif ARGV[7] == 'n' then redis.call('HDEL', h, 'd') end
if ARGV[9] == 's' then redis.call('HSET', h, 'm', ARGV[10])
elseif ARGV[9] == 'n' then redis.call('HDEL', h, 'm') end
redis.call('HSET', h, 'U', now)
return redis.call('HGETALL', h)
)lua"};
    return s;
}

const redis::script& delete_customer() {
    // The username, external id and conversation id are read from the
    // customer hash: their buckets are computed here (see bucket_function).
    static const redis::script s{std::string(bucket_function) + R"lua(
local cur = redis.call('HMGET', KEYS[1], 'u', 'x', 'v', 's', 'f')
if not cur[1] then return 0 end
local n = tonumber(ARGV[5])
redis.call('DEL', KEYS[1])
redis.call('HDEL', ARGV[2] .. bucket(cur[1], n), cur[1])
if cur[2] then redis.call('HDEL', ARGV[3] .. bucket(cur[2], n), cur[2]) end
if cur[3] then redis.call('HDEL', ARGV[4] .. bucket(cur[3], n), cur[3]) end
local part = 2 + (cur[4] == 't' and 2 or 0) + (cur[5] == '1' and 1 or 0)
redis.call('ZREM', KEYS[part], ARGV[1])
return 1
)lua"};
    return s;
}

}  // namespace customers::store::scripts
