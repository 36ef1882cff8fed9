-- wrk script: each request decodes a fresh random latent point, so no cache can answer it.
--   wrk -t2 -c32 -d10s -s deploy/wrk-random-z.lua http://127.0.0.1:8000
-- MODEL (default vae-2d) and LATENT_DIM (default 2) pick the model; z is uniform in [-3, 3].
-- Prints the count of non-200 answers, to prove a fail-over test lost no request.
local model = os.getenv("MODEL") or "vae-2d"
local dim = tonumber(os.getenv("LATENT_DIM") or "2")
local threads, counter = {}, 1

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  -- one seed per thread, or every thread would send the same sequence
  math.randomseed(os.time() * 1000 + id)
  bad = 0
end

function request()
  local z = {}
  for i = 1, dim do z[i] = string.format("%.4f", math.random() * 6 - 3) end
  return wrk.format("GET", "/api/models/" .. model .. "/decode?z=" .. table.concat(z, ","))
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("bad") end
  local e = summary.errors
  io.write(string.format("non-200 answers: %d; socket errors: connect %d, read %d, write %d, timeout %d\n",
    total, e.connect, e.read, e.write, e.timeout))
end
