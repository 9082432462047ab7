-- wrk script for scripts/load-test: each request goes to a page picked at random from the file
-- named by LOAD_TEST_PATHS (one path per line: the home page, every section, the contacts, the
-- checker and its results), sent as an HTTPS request behind a proxy would be.
local paths = {}
for line in io.lines(os.getenv("LOAD_TEST_PATHS")) do
  if line ~= "" then paths[#paths + 1] = line end
end
assert(#paths > 0, "no paths to request")

local headers = { ["X-Forwarded-Proto"] = "https", ["Accept-Encoding"] = "br, gzip" }

function setup(thread)
  thread:set("seed", math.random(1, 2 ^ 30))
end

function init(args)
  math.randomseed(seed or os.time())
end

function request()
  return wrk.format("GET", paths[math.random(#paths)], headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.1f connect=%d read=%d write=%d timeout=%d status=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f\n",
    summary.requests, summary.duration / 1e6, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
