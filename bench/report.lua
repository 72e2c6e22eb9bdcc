-- make bench: prints wrk's totals as one machine-readable line for bench/run (the GET
-- benchmarks B1..B3 need no per-request script, so this adds no per-request overhead).
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d status_errors=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
