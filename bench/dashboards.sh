# The dashboard benchmark, sourced by bench/run (which provides say, die, replace_section,
# $trellis, $admin, $work, $cpu and $commit):
#   B6, the partner dashboard (/portal) and the console program overview
#       (/console/programs/ID), each a whole server-rendered page from a release server, fetched
#       one after another with curl, first over the demo's rollups (the baseline) and then with
#       $dash_clicks clicks and $dash_conversions conversions more in the program's rollups
#       (bench/dashboards.sql: a year of a long tail of 1,000 partners). Target: p95 under 50 ms.
# run_dashboard_benchmarks sets dashboard_section and dashboard_verdict.

dashboard_section_start="<!-- dashboard benchmarks: bench/run replaces this section on each run -->"
dashboard_section_end="<!-- end of the dashboard benchmarks -->"
dash_clicks="${BENCH_DASH_CLICKS:-10000000}"
dash_conversions="${BENCH_DASH_CONVERSIONS:-1000000}"
dash_rounds="${BENCH_DASH_ROUNDS:-100}"

# page_percentiles BASE PATH JAR: "p50 p95 max" in ms of $dash_rounds sequential GETs after five
# warm-ups; dies when one is not a 200.
page_percentiles() {
  local i line code seconds times=()
  for i in $(seq $((dash_rounds + 5))); do
    line="$(curl -s -b "$3" -o /dev/null -w '%{http_code} %{time_total}' "$1$2")"
    read -r code seconds <<<"$line"
    [ "$code" = 200 ] || die "GET $2 answered $code"
    [ "$i" -gt 5 ] && times+=("$seconds")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{ t[NR] = $1 * 1000 }
    END { printf "%.1f %.1f %.1f", t[int((NR + 1) / 2)], t[int(NR * 0.95 + 0.999)], t[NR] }'
}

# log_in BASE JAR EMAIL: a session in JAR for a demo login.
log_in() {
  local token
  token="$(curl -s -c "$2" -b "$2" "$1/login" | sed -n 's/.*name="csrf-token" content="\([0-9a-f]*\)".*/\1/p' | head -n 1)"
  curl -s -c "$2" -b "$2" -o /dev/null --data-urlencode "csrf_token=$token" --data-urlencode "email=$3" \
    --data-urlencode "password=trellis-demo-2026" --data "next=" "$1/login"
}

run_dashboard_benchmarks() {
  local ddb="${admin/\/postgres\?//bench_dashboards?}" base pid program load
  [ "$ddb" != "$admin" ] || die "cannot derive the dashboard database URL from $admin"
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  psql "$admin" -qc "DROP DATABASE IF EXISTS bench_dashboards" && psql "$admin" -qc "CREATE DATABASE bench_dashboards"
  DATABASE_URL="$ddb" "$trellis" seed-demo >/dev/null
  DATABASE_URL="$ddb" TRELLIS_BENCH_ROUTES=true "$trellis" bench-conversions partners --program acme-affiliates \
    --prefix DASH --count 1000 >/dev/null
  program="$(psql "$ddb" -Atc "SELECT id FROM programs WHERE slug = 'acme-affiliates'")"

  say "B6 starting a release server for the dashboards"
  start_release_server dashboards "$ddb" 39370
  base="$server_base" pid="$server_pid_of"
  local partner_jar="$work/dash-partner" operator_jar="$work/dash-operator"
  log_in "$base" "$partner_jar" hello@lumenmedia.test
  log_in "$base" "$operator_jar" admin@acme.test

  local pages=("/portal" "$partner_jar" "/console/programs/$program" "$operator_jar"
    "/console/programs/$program?from=$(date -u -d '-364 days' +%F)&to=$(date -u +%F)" "$operator_jar")
  local small=() large=() i
  say "B6 baseline: the dashboards over the demo's rollups ($dash_rounds rounds each)"
  for ((i = 0; i < ${#pages[@]}; i += 2)); do small+=("$(page_percentiles "$base" "${pages[i]}" "${pages[i + 1]}")"); done
  say "B6 adding $dash_clicks clicks and $dash_conversions conversions to the program's rollups"
  psql "$ddb" -q -v program="$program" -v clicks="$dash_clicks" -v conversions="$dash_conversions" \
    -v partner_email=hello@lumenmedia.test -f bench/dashboards.sql | sed 's/^/    /'
  local rows
  rows="$(psql "$ddb" -Atc "SELECT count(*) || ' rollup rows, ' || sum(clicks) || ' clicks, ' || sum(conversions) || ' conversions' FROM daily_stats")"
  for ((i = 0; i < ${#pages[@]}; i += 2)); do large+=("$(page_percentiles "$base" "${pages[i]}" "${pages[i + 1]}")"); done
  kill "$pid" && wait "$pid" 2>/dev/null || true
  psql "$admin" -qc "DROP DATABASE bench_dashboards"

  local labels=("partner dashboard \`/portal\` (last 30 days)" "program overview \`/console/programs/ID\` (last 30 days)"
    "program overview, last 365 days (\`?from=…&to=…\`)")
  local table="" s50 s95 smax l50 l95 lmax verdict
  dashboard_verdict=PASS
  for i in 0 1 2; do
    read -r s50 s95 smax <<<"${small[i]}"
    read -r l50 l95 lmax <<<"${large[i]}"
    if [ "$i" -lt 2 ]; then
      verdict="$(awk -v p="$l95" 'BEGIN { print (p < 50 ? "PASS" : "FAIL") }')"
      [ "$verdict" = PASS ] || dashboard_verdict=FAIL
    else
      verdict="(no target)"
    fi
    table="$table
| ${labels[i]} | $s50 / $s95 | $l50 / $l95 / $lmax | $(awk -v a="$l95" -v b="$s95" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }') | $verdict |"
    say "B6 ${labels[i]}: p95 $l95 ms with the rollups full, $s95 ms over the demo ($verdict)"
  done
  dashboard_section="$dashboard_section_start
## Dashboards over 10 million clicks

Command: \`make bench-dashboards\` (also part of \`make bench\`).
Run on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit.
Machine: $(nproc) CPUs ($cpu); load average before (1, 5, 15 min): $load.
Rollups at the end: $rows.

| B6 page (release build, whole page over HTTP) | demo only: p50 / p95 ms | full: p50 / p95 / max ms | × demo (p95) | target p95 < 50 ms |
|---|---:|---:|---:|---|$table

- Each page is fetched $dash_rounds times one after another with curl (after five warm-ups), logged
  in as the demo partner (Lumen Media, who ranks first, so the busiest partner's figures) and as
  the demo admin. Times are curl's, on the same machine, so they are the server's time plus a
  loopback round trip.
- The rollups (bench/dashboards.sql): 1,000 partners, two links each and three sub-ids, a year of
  days; the partner ranked r is active on a day with probability min(1, 30/r), so a few partners
  are busy every day and most rarely are.
- A report reads the rollups in its period once: one \`GROUPING SETS\` query gives the totals,
  the days, the links, the sub-ids and the partners, over the (program, day) index (migration 18)
  or, for a partner, the primary key's (program, partner, day) prefix; names are read only for
  the rows listed.
$dashboard_section_end"
}

write_dashboard_section() {
  replace_section "$dashboard_section_start" "$dashboard_section_end" "$dashboard_section"
}
