# The deal benchmarks, sourced by bench/run (which provides say, die, $trellis, $admin, $work,
# $cpu, $commit and $deal_count):
#   D1, 100 concurrent registrations of one account by 100 partners (exactly one accepted), in
#       rounds, against 100 concurrent registrations of 100 different accounts in between:
#       trellis bench-deals register;
#   D2, the pipeline report over $deal_count deals against the same report over 1,000 deals in
#       the same database: the report's data (trellis bench-deals report, the server function's
#       work) and the whole page over HTTP from a release server (curl, logged in as an operator).
# run_deal_benchmarks sets deal_section (markdown between the two markers below) and
# deal_verdict.

deal_section_start="<!-- deal benchmarks: bench/run replaces this section on each run -->"
deal_section_end="<!-- end of the deal benchmarks -->"

# page_times BASE PATH ROUNDS JAR: "p50 max" in ms of ROUNDS sequential GETs (after two warm-ups),
# or dies when one is not a 200.
page_times() {
  local base="$1" path="$2" rounds="$3" jar="$4" i line code seconds
  local times=()
  for i in $(seq $((rounds + 2))); do
    line="$(curl -s -b "$jar" -o /dev/null -w '%{http_code} %{time_total}' "$base$path")"
    read -r code seconds <<<"$line"
    [ "$code" = 200 ] || die "GET $path answered $code"
    [ "$i" -gt 2 ] && times+=("$seconds")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{ t[NR] = $1 * 1000 } END { printf "%.1f %.1f", t[int((NR + 1) / 2)], t[NR] }'
}

deal_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# deal_result KEY OUTPUT: the value of KEY= on OUTPUT's RESULT line.
deal_result() { grep '^RESULT ' <<<"$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

# time_report_at N: seeds the bench database up to N deals, then times the report's data and the
# page (uses run_deal_benchmarks' $ddb, $base and $jar); sets T_SEED, T_DATA and T_PAGE.
time_report_at() {
  local out
  say "D2 seeding up to $1 deals (trellis bench-deals seed), then timing the report"
  out="$(DATABASE_URL="$ddb" TRELLIS_BENCH_ROUTES=true "$trellis" bench-deals seed --deals "$1")" || die "bench-deals seed failed"
  T_SEED="$(deal_result seconds "$out")"
  T_DATA="$(DATABASE_URL="$ddb" TRELLIS_BENCH_ROUTES=true "$trellis" bench-deals report)" || die "bench-deals report failed"
  grep -v '^RESULT ' <<<"$T_DATA" | sed 's/^/    /'
  T_PAGE="$(page_times "$base" /console/reports/deals 20 "$jar")"
}

run_deal_benchmarks() {
  local ddb="${admin/\/postgres\?//bench_deals?}" out load port base jar pid token
  [ "$ddb" != "$admin" ] || die "cannot derive the deal database URL from $admin"
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  psql "$admin" -qc "DROP DATABASE IF EXISTS bench_deals" && psql "$admin" -qc "CREATE DATABASE bench_deals"
  DATABASE_URL="$ddb" "$trellis" migrate
  local password
  password="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  printf '%s' "$password" | DATABASE_URL="$ddb" "$trellis" create-operator --email bench@deals.test --role viewer --password-stdin >/dev/null

  say "D2 starting a release server for the report page"
  start_release_server deals "$ddb" 39270
  base="$server_base" pid="$server_pid_of"
  jar="$work/deals-cookies"
  token="$(curl -s -c "$jar" -b "$jar" "$base/login" | sed -n 's/.*name="csrf-token" content="\([0-9a-f]*\)".*/\1/p' | head -n 1)"
  curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "csrf_token=$token" --data-urlencode "email=bench@deals.test" \
    --data-urlencode "password=$password" --data "next=" "$base/login"

  local small=1000 s_data s_page l_data l_page s_seed l_seed
  time_report_at "$small"
  s_seed="$T_SEED" s_data="$T_DATA" s_page="$T_PAGE"
  time_report_at "$deal_count"
  l_seed="$T_SEED" l_data="$T_DATA" l_page="$T_PAGE"
  kill "$pid" && wait "$pid" 2>/dev/null || true

  say "D1 rounds of 100 concurrent registrations (trellis bench-deals register)"
  local rc
  set +e
  out="$(DATABASE_URL="$ddb" TRELLIS_BENCH_ROUTES=true "$trellis" bench-deals register 2>&1)"
  rc=$?
  set -e
  grep -v '^RESULT ' <<<"$out" | sed 's/^/    /'
  grep -q '^RESULT ' <<<"$out" || die "bench-deals register printed no RESULT line: $out"
  if [ "$rc" = 0 ] && [ "$(deal_result failures "$out")" = 0 ]; then deal_verdict=PASS; else deal_verdict=FAIL; fi
  local c50 c99 b50 b99 rounds pool
  c50="$(deal_result conflict_p50_ms "$out")" c99="$(deal_result conflict_p99_ms "$out")"
  b50="$(deal_result baseline_p50_ms "$out")" b99="$(deal_result baseline_p99_ms "$out")"
  rounds="$(deal_result rounds "$out")" pool="$(deal_result pool "$out")"

  say "D3 registrations one after another with 1,000 and $deal_count open deals (trellis bench-deals near-matches)"
  set +e
  local near
  near="$(DATABASE_URL="$ddb" TRELLIS_BENCH_ROUTES=true "$trellis" bench-deals near-matches --open-deals "$deal_count" 2>&1)"
  rc=$?
  set -e
  grep -v '^RESULT ' <<<"$near" | sed 's/^/    /'
  grep -q '^RESULT ' <<<"$near" || die "bench-deals near-matches printed no RESULT line: $near"
  local n_count n50s n99s n50l n99l nws nwl near_verdict
  n_count="$(deal_result registrations "$near")"
  n50s="$(deal_result small_p50_ms "$near")" n99s="$(deal_result small_p99_ms "$near")" nws="$(deal_result small_warned "$near")"
  n50l="$(deal_result large_p50_ms "$near")" n99l="$(deal_result large_p99_ms "$near")" nwl="$(deal_result large_warned "$near")"
  near_verdict="$(awk -v p="$n99l" -v rc="$rc" -v w="$nwl" -v n="$n_count" 'BEGIN { print (rc == 0 && p < 50 && w == n ? "PASS" : "FAIL") }')"
  [ "$near_verdict" = PASS ] || deal_verdict=FAIL
  psql "$admin" -qc "DROP DATABASE bench_deals"

  local sa sam so sp spm la lam lo lp lpm
  sa="$(deal_result all_p50_ms "$s_data")" sam="$(deal_result all_max_ms "$s_data")" so="$(deal_result one_p50_ms "$s_data")"
  la="$(deal_result all_p50_ms "$l_data")" lam="$(deal_result all_max_ms "$l_data")" lo="$(deal_result one_p50_ms "$l_data")"
  read -r sp spm <<<"$s_page"
  read -r lp lpm <<<"$l_page"

  deal_section="$deal_section_start
## Deal registration and the pipeline report

Command: \`make bench-deals\` (also part of \`make bench\`).
Run on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit.
Machine: $(nproc) CPUs ($cpu); load average before (1, 5, 15 min): $load.

| Benchmark | Work | p50 ms | p99 / max ms | × baseline (p50) |
|---|---|---:|---:|---:|
| D1 baseline: 100 concurrent registrations of 100 different accounts | $rounds rounds, pool of $pool connections | $b50 | $b99 (p99) | 1.00 |
| D1 100 concurrent registrations of **one** account by 100 partners | $rounds rounds, same pool | $c50 | $c99 (p99) | $(deal_ratio "$c50" "$b50") |
| D3 baseline: registration, 1000 open deals in the program, near-match warning | $n_count one after another | $n50s | $n99s (p99) | 1.00 |
| D3 registration, $deal_count open deals in the program, near-match warning | the same | $n50l | $n99l (p99) | $(deal_ratio "$n50l" "$n50s") |
| D2 baseline: report data, $small deals, no filters | every query, table, card and chart of the page | $sa | $sam (max) | 1.00 |
| D2 report data, $deal_count deals, no filters | the same | $la | $lam (max) | $(deal_ratio "$la" "$sa") |
| D2 report data, $deal_count deals, one program, last 90 days | the same | $lo | | $(deal_ratio "$lo" "$so") |
| D2 baseline: whole page over HTTP, $small deals | \`GET /console/reports/deals\`, logged in | $sp | $spm (max) | 1.00 |
| D2 whole page over HTTP, $deal_count deals | the same | $lp | $lpm (max) | $(deal_ratio "$lp" "$sp") |

- **D1** (\`trellis bench-deals register\`): each round releases 100 tasks at once; each takes a
  connection from the pool and registers through the partner's registration flow
  (\`backend::deals::register\`: the checks, the program's rules, near matches, the history, the audit
  event and the approvers' email; the partial unique index decides conflicts). Latency runs from the release to the answer, waiting for a connection included.
  Conflict and baseline rounds alternate. Exactly one registration per conflict round must be
  accepted and every baseline registration: **$deal_verdict**. A refused registration has nothing to
  commit, while every baseline registration commits (a WAL flush each), so the conflict rounds
  need not be slower than the baseline.
- **D3** (\`trellis bench-deals near-matches\`): a program filled with open registrations
  (pending and approved), then registrations through the same flow one after another, each for a
  new domain under a stored company's name, so each must carry a near-match warning ($nws and $nwl
  of $n_count did). Near matches come from the deals' stored match keys through a GIN index, not
  from a scan of the program's open deals. Target: p99 under 50 ms with $deal_count open deals:
  **$near_verdict**.
- **D2** (\`trellis bench-deals seed\`, then \`trellis bench-deals report\`): six programs (USD and
  EUR), 2,000 partners of five kinds, deals over a year of weeks in every status and stage,
  inserted with \`generate_series\` ($small deals in $s_seed s, the rest in $l_seed s) and
  \`VACUUM ANALYZE\`d. Report data is \`api::deal_reports::build::report\`, what the page's server
  function does after the operator check; 20 timed rounds after 2 warm-ups on one connection. The
  page is fetched 20 times one after another with curl from a release server, as an operator.
  The report reads the deals table itself (no rollup): each query aggregates the deals first and
  joins names to the groups, the open pipeline comes from a partial covering index, and the
  unfiltered report scans the table for win rates and SLA compliance.
$deal_section_end"
  say "D1: one account p99 $c99 ms against $b99 ms; D3: registration p99 $n99l ms at $deal_count open deals ($near_verdict); D2: report data $la ms at $deal_count deals against $sa ms at $small"
}

write_deal_section() {
  replace_section "$deal_section_start" "$deal_section_end" "$deal_section"
}
