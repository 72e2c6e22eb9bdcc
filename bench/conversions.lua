-- make bench, B4: POST /api/v1/conversions. Every request reports a new order id except about
-- 10%, which replay the identical body of one of the thread's last 256 orders (a merchant
-- retrying). Some replays race the original still in flight on another connection; the API
-- must answer them 200 as well. Arguments: API_KEY RUN_PREFIX COUPON [PARTNERS]: every new order
-- carries the coupon COUPON, or with PARTNERS, COUPON1..COUPON<PARTNERS> picked at random (one
-- coupon per partner, so the orders spread over that many partners).
-- Counts 201 (stored), 200 (replay answered) and anything else, and prints them in done().

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  key, run, coupon, partners = args[1], args[2] or "b4", args[3], tonumber(args[4] or "0")
  created, replayed, other, sent_new, sent_replay = 0, 0, 0, 0, 0
  first_other = ""
  ring, ring_size, n = {}, 256, 0
  math.randomseed(id * 7919 + os.time())
  headers = { ["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json" }
end

local function body_for(i)
  local order = string.format("%s-%d-%d", run, id, i)
  local amount = string.format("%d.%02d", 10 + i % 90, i % 100)
  local code = coupon
  if partners > 0 then code = coupon .. math.random(partners) end
  return string.format('{"order_id":"%s","amount":"%s","currency":"EUR","coupon":"%s"}', order, amount, code)
end

function request()
  local body
  if n > 0 and math.random() < 0.10 then
    body = ring[math.random(math.min(n, ring_size))]
    sent_replay = sent_replay + 1
  else
    n = n + 1
    body = body_for(n)
    ring[(n - 1) % ring_size + 1] = body
    sent_new = sent_new + 1
  end
  return wrk.format("POST", "/api/v1/conversions", headers, body)
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  elseif status == 200 then
    replayed = replayed + 1
  else
    other = other + 1
    if first_other == "" then first_other = status .. " " .. string.sub(body or "", 1, 300) end
  end
end

function done(summary, latency, requests)
  local t = { created = 0, replayed = 0, other = 0, sent_new = 0, sent_replay = 0 }
  local first = ""
  for _, thread in ipairs(threads) do
    for k in pairs(t) do t[k] = t[k] + thread:get(k) end
    if first == "" then first = thread:get("first_other") end
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d status_errors=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
  io.write(string.format(
    "CONVERSIONS created=%d replayed=%d other=%d sent_new=%d sent_replay=%d\n",
    t.created, t.replayed, t.other, t.sent_new, t.sent_replay))
  if first ~= "" then io.write("FIRST_OTHER " .. first:gsub("\n", " ") .. "\n") end
end
