-- wrk script: a fresh random query per request (a slider drag asks for a new z every time, so no
-- response cache can make the figure), and one JSON summary line at the end for bench/run.py.
--   wrk -t1 -c32 -d10s -s bench/query.lua http://127.0.0.1:PORT/api/models/vae-2d/decode -- decode
local mode

init = function(args)
  mode = args[1] or "fixed"
  -- Each wrk thread has its own Lua state: seed each differently.
  local address = tonumber(tostring({}):match("0x(%x+)") or "0", 16) or 0
  math.randomseed(os.time() + address % 1000003)
end

local function uniform(a, b)
  return a + (b - a) * math.random()
end

request = function()
  local path = wrk.path
  if mode == "decode" then
    path = string.format("%s?z=%.4f,%.4f", wrk.path, uniform(-3, 3), uniform(-3, 3))
  elseif mode == "generate" then
    path = string.format("%s?n=16&seed=%d", wrk.path, math.random(0, 2147483646))
  elseif mode == "density" then
    path = string.format("%s?points=400&x=%.4f", wrk.path, uniform(0, 1))
  elseif mode == "hypotheses" then
    -- A fresh 2-D skeleton of 15 joints (metres) each time: x, y within ±0.8 of the pelvis.
    local values = {}
    for i = 1, 30 do values[i] = string.format("%.3f", uniform(-0.8, 0.8)) end
    path = string.format("%s?joints=%s", wrk.path, table.concat(values, ","))
  elseif mode == "post_z" then
    -- The same fresh z as "decode", as the JSON body a LitServe endpoint takes.
    local body = string.format('{"z":[%.4f,%.4f]}', uniform(-3, 3), uniform(-3, 3))
    return wrk.format("POST", path, {["Content-Type"] = "application/json"}, body)
  end
  return wrk.format("GET", path)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"errors_connect":%d,"errors_read":%d,' ..
    '"errors_write":%d,"errors_status":%d,"errors_timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,' ..
    '"mean_us":%.1f,"max_us":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))
end
