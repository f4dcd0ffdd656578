#include "customers/store/scripts.hpp"

namespace customers::store::scripts {

const redis::script& create_customer() {
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
    static const redis::script s{R"lua(
local h = KEYS[1]
local cur = redis.call('HMGET', h, 'c', 'x', 's', 'f')
if not cur[1] then return false end
local id, now = ARGV[1], ARGV[2]
local oldx, oldt, oldf = cur[2], cur[3] == 't', cur[4] == '1'
if ARGV[3] == 's' and ARGV[4] ~= oldx then
  local owner = redis.call('HGET', KEYS[2], ARGV[4])
  if owner and owner ~= id then return 'external_id' end
end
if ARGV[3] ~= 'k' and ARGV[4] ~= oldx then
  if oldx then redis.call('HDEL', KEYS[2], oldx) end
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
    static const redis::script s{R"lua(
local cur = redis.call('HMGET', KEYS[1], 'u', 'x', 'v', 's', 'f')
if not cur[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HDEL', KEYS[2], cur[1])
if cur[2] then redis.call('HDEL', KEYS[3], cur[2]) end
if cur[3] then redis.call('HDEL', KEYS[4], cur[3]) end
local part = 5 + (cur[4] == 't' and 2 or 0) + (cur[5] == '1' and 1 or 0)
redis.call('ZREM', KEYS[part], ARGV[1])
return 1
)lua"};
    return s;
}

}  // namespace customers::store::scripts
