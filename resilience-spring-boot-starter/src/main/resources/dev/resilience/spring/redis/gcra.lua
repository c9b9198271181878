-- The GCRA rule of dev.resilience.core.Gcra, run inside Redis: one round trip decides a call
-- against every limit of its bucket (one key per limit, all under one hash tag, so that they sit
-- on one Redis Cluster node), all or none.
--
-- State: each key holds its bucket's tat, the instant it would be full again, in microseconds of
-- the Redis server's clock (integers below 2^53: exact in Lua's doubles). A missing key is a
-- full bucket, and each key expires when its bucket is full again.
--
-- KEYS[i]  the bucket of limit i
-- ARGV[1]  the longest wait the caller accepts (us); 0 never waits; with 'hold', the pause (us)
-- ARGV[2]  now (us), or '' to read the server's clock (only tests pass a time)
-- ARGV[3]  tokens wanted: 0 only reads; n >= 1 takes as many as every limit has now, up to n,
--          and when some limit has none, reserves one token within the wait; 'hold' holds
--          every limit empty for ARGV[1] us from now (a downstream asked to wait): no token before
--          then, exactly one then; a tat already later stays, so a hold never shortens a bucket
-- ARGV[2 + 2i], ARGV[3 + 2i]  limit i's interval between tokens and tolerance (burst - 1) * interval (us)
--
-- Returns {wait, count, now, tat 1, ..., tat n}: wait >= 0 is the microseconds the admitted
-- caller waits, count the tokens it took; wait = -1 is a rejection, which changed nothing, and
-- count is then the microseconds until every limit has a token. The tats are the buckets' state
-- after the call (never before now), so that the caller can tell what is left without asking again.
local now
if ARGV[2] == '' then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000000 + tonumber(time[2])
else
  now = tonumber(ARGV[2])
end
local max_wait = tonumber(ARGV[1])
local hold = ARGV[3] == 'hold'
local wanted = hold and 0 or tonumber(ARGV[3])
local answer = {0, 0, now}
local wait = 0
local take = wanted
for i = 1, #KEYS do
  local interval = tonumber(ARGV[2 + 2 * i])
  local tolerance = tonumber(ARGV[3 + 2 * i])
  local tat = tonumber(redis.call('GET', KEYS[i])) or now
  if tat < now then
    tat = now
  end
  if hold and now + max_wait + tolerance > tat then
    tat = now + max_wait + tolerance
    redis.call('SET', KEYS[i], string.format('%.0f', tat), 'PX', math.ceil((tat - now) / 1000))
  end
  answer[3 + i] = tat
  local limit_wait = tat - tolerance - now
  if limit_wait > wait then
    wait = limit_wait
  end
  -- tokens this limit has now: tat + (k - 1) * interval <= now + tolerance
  local has = math.floor((now + tolerance - tat) / interval) + 1
  if has < take then
    take = has
  end
end
if wanted == 0 then
  return answer
end
if take < 1 then
  if wait > max_wait then
    answer[1] = -1
    answer[2] = wait
    return answer
  end
  take = 1
end
answer[1] = wait
answer[2] = take
for i = 1, #KEYS do
  local tat = answer[3 + i] + take * tonumber(ARGV[2 + 2 * i])
  answer[3 + i] = tat
  redis.call('SET', KEYS[i], string.format('%.0f', tat), 'PX', math.ceil((tat - now) / 1000))
end
return answer
