-- One request shape for wrk, from the environment of scripts/bench.py:
--   BENCH_METHOD, BENCH_PATH, BENCH_BODY, BENCH_HEADERS ("Name: value" lines), BENCH_RUNS.
-- With BENCH_RUNS set, each request names one of that many ledger runs (?run=bench-<n>), so the
-- ledger records them instead of stopping at one run's cap.
wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.body = os.getenv("BENCH_BODY")
for line in (os.getenv("BENCH_HEADERS") or ""):gmatch("[^\n]+") do
  local name, value = line:match("^([^:]+):%s*(.*)$")
  wrk.headers[name] = value
end

local path = os.getenv("BENCH_PATH") or "/"
local runs = tonumber(os.getenv("BENCH_RUNS") or "0")
local counter = 0

request = function()
  if runs > 0 then
    counter = counter + 1
    local separator = path:find("?", 1, true) and "&" or "?"
    return wrk.format(nil, path .. separator .. "run=bench-" .. string.format("%08d", counter % runs))
  end
  return wrk.format(nil, path)
end

-- How many answers were 429 (the login throttle): each thread counts its own, done() adds them.
local threads = {}
setup = function(thread) table.insert(threads, thread) end
throttled = 0
response = function(status) if status == 429 then throttled = throttled + 1 end end

-- One line scripts/bench.py parses (wrk's own summary, with "Non-2xx or 3xx responses", follows).
done = function(summary, latency, requests)
  local status_429 = 0
  for _, thread in ipairs(threads) do status_429 = status_429 + thread:get("throttled") end
  io.write(string.format("BENCH p50_ms=%.2f p99_ms=%.2f rps=%.1f requests=%d errors=%d status_429=%d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, status_429))
end
