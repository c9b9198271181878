-- The GCRA rule of dev.resilience.core.Gcra, run inside Redis: one round trip decides a call
-- against every limit of its bucket (one key per limit, all under one hash tag, so that they sit
-- on one Redis Cluster node), all or none.
--
-- State: each key holds its bucket's tat, the instant it would be full again, in microseconds of
-- the Redis server's clock (integers below 2^53: exact in Lua's doubles). A missing key is a
-- full bucket, and each key expires when its bucket is full again.
--
-- KEYS[i]  the bucket of limit i
-- ARGV[1]  the longest wait the caller accepts (us); 0 never waits
-- ARGV[2]  now (us), or '' to read the server's clock (only tests pass a time)
-- ARGV[1 + 2i], ARGV[2 + 2i]  limit i's interval between tokens and tolerance (burst - 1) * interval (us)
--
-- Returns {wait, retry}: wait >= 0 is the microseconds the admitted caller waits for its
-- reserved tokens; wait = -1 is a rejection, which changed nothing, and retry is then the
-- microseconds until every limit has a token.
local now
if ARGV[2] == '' then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000000 + tonumber(time[2])
else
  now = tonumber(ARGV[2])
end
local max_wait = tonumber(ARGV[1])
local wait = 0
local next_tats = {}
for i = 1, #KEYS do
  local interval = tonumber(ARGV[1 + 2 * i])
  local tolerance = tonumber(ARGV[2 + 2 * i])
  local tat = tonumber(redis.call('GET', KEYS[i])) or now
  if tat < now then
    tat = now
  end
  local limit_wait = tat - tolerance - now
  if limit_wait > wait then
    wait = limit_wait
  end
  next_tats[i] = tat + interval
end
if wait > max_wait then
  return {-1, wait}
end
for i = 1, #KEYS do
  local full_in_ms = math.ceil((next_tats[i] - now) / 1000)
  redis.call('SET', KEYS[i], string.format('%.0f', next_tats[i]), 'PX', full_in_ms)
end
return {wait, 0}
