-- wrk script of tests/Bench/run.sh: POSTs a Bot Framework activity with a bearer token.
--   BENCH_BODY    file holding the activity JSON
--   BENCH_TOKEN   the JWT for the Authorization header
--   BENCH_REPS    (bodies with markers) size of the rep pool
--   BENCH_RUN     (bodies with markers) a tag that keeps activity ids unique across runs
--   BENCH_PAUSE_MS  (optional) how long each connection waits before its next request: a paced load
-- A body with __ID__, __REP__, __AAD__ and __CUST__ markers is filled in per request: a unique activity id (the
-- idempotency key of a credit), the next rep of the pool (so no rep runs out of budget) and a customer no one
-- credited before (so the repeat-customer rule never fires). Any other body is sent as it is.
local body = assert(io.open(os.getenv("BENCH_BODY"), "rb")):read("*a")
wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")

local pause = tonumber(os.getenv("BENCH_PAUSE_MS") or "0")
if pause > 0 then
  function delay() return pause end
end

local threads = {}

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

if body:find("__ID__", 1, true) then
  local reps = tonumber(os.getenv("BENCH_REPS") or "2000")
  local run = os.getenv("BENCH_RUN") or "run"
  local sent = 0
  local fields = {}
  request = function()
    sent = sent + 1
    -- Threads interleave over the pool, so concurrent requests are for different reps.
    local rep = (sent * 2 + (thread_id or 0)) % reps
    local n = string.format("%s-%d-%d", run, thread_id or 0, sent)
    fields.ID = "bench-" .. n
    fields.REP = tostring(rep)
    fields.AAD = string.format("00000000-0000-0000-0000-%012d", rep)
    fields.CUST = "CUST-" .. n
    return wrk.format(nil, nil, nil, (body:gsub("__(%u+)__", fields)))
  end
end

-- One machine-readable line for run.sh; wrk's own report (with --latency) is printed above it.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("wrk-result requests=%d duration_us=%d p50_us=%d p99_us=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
