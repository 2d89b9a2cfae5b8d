-- wrk's side of `python -m eval.bench_load --client wrk`: POST /ask with the bodies in the file named
-- by BODIES (one JSON object a line), each thread starting at its own place in them; at the end one
-- line the script reads: requests, errors (connect read write status timeout), latency p50 p95 p99 in µs.
local bodies = {}
for line in io.lines(os.getenv("BODIES")) do bodies[#bodies + 1] = line end
local threads = 0
local at = 0

function setup(thread)
  threads = threads + 1
  thread:set("at", threads * 37)
end

function request()
  at = at % #bodies + 1
  return wrk.format("POST", "/ask", {["Content-Type"] = "application/json"}, bodies[at])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d %d %d %d\n", summary.requests, e.connect, e.read, e.write,
                         e.status, e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
