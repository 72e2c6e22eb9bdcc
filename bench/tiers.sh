# The tier benchmark, sourced by bench/run (which provides say, die, $trellis, $admin and
# $report): T1, the tier evaluation over $tier_partners partners with $tier_clicks clicks' worth of
# daily rollups (trellis bench-tiers): the first evaluation (everyone placed), the daily case
# (nobody moves) and a day on which a tenth fall short (each warned). Target: under 10 s. The
# previous run's figures are kept in bench/last-tiers.txt and shown beside this run's.
# run_tier_benchmarks sets tier_section and tier_verdict.

tier_section_start="<!-- tier benchmarks: bench/run replaces this section on each run -->"
tier_section_end="<!-- end of the tier benchmarks -->"
tier_partners="${TRELLIS_BENCH_TIER_PARTNERS:-10000}"
tier_clicks="${TRELLIS_BENCH_TIER_CLICKS:-10000000}"
last_tiers=bench/last-tiers.txt

tier_value() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"; }

run_tier_benchmarks() {
  local tdb="${admin/\/postgres\?//bench_tiers?}" out previous result first daily short
  [ "$tdb" != "$admin" ] || die "cannot derive the tier database URL from $admin"
  psql "$admin" -qc "DROP DATABASE IF EXISTS bench_tiers" && psql "$admin" -qc "CREATE DATABASE bench_tiers"
  say "T1 tier evaluation over $tier_partners partners and $tier_clicks clicks of rollups (trellis bench-tiers)"
  out="$(DATABASE_URL="$tdb" TRELLIS_BENCH_ROUTES=true "$trellis" bench-tiers --partners "$tier_partners" --clicks "$tier_clicks")" \
    || die "bench-tiers failed: $out"
  grep -v '^RESULT ' <<<"$out" | sed 's/^/    /'
  result="$(grep '^RESULT ' <<<"$out")"
  first="$(tier_value first "$result")" daily="$(tier_value daily "$result")" short="$(tier_value short "$result")"
  previous="$(cat "$last_tiers" 2>/dev/null || echo "RESULT first=- daily=- short=- seg_who=- seg_revenue=- seg_activity=-")"
  echo "$result" >"$last_tiers"
  local sw sr sa
  sw="$(tier_value seg_who "$result")" sr="$(tier_value seg_revenue "$result")" sa="$(tier_value seg_activity "$result")"
  if awk -v f="$first" -v d="$daily" -v s="$short" -v a="$sw" -v b="$sr" -v c="$sa" \
    'BEGIN { exit !(f < 10 && d < 10 && s < 10 && a < 200 && b < 200 && c < 200) }' \
    && [ "$(tier_value moved_daily "$result")" = 0 ]; then
    tier_verdict=PASS
  else
    tier_verdict=FAIL
  fi
  psql "$admin" -qc "DROP DATABASE IF EXISTS bench_tiers"
  tier_section="$tier_section_start
## Tier evaluation

\`make bench-tiers\` (\`trellis bench-tiers\`, release build): one program, $tier_partners active
partners, 90 days of daily rollups worth $tier_clicks clicks, and four tiers (revenue,
conversions and days in the program). Each evaluation reads every partner's figures in one
query and writes only the partners who move, in one transaction.

| Evaluation | This run | Previous run | Target |
|---|---|---|---|
| First (every partner placed, $(tier_value placed "$result") moves, promotions emailed) | $first s | $(tier_value first "$previous") s | < 10 s |
| Daily case (nobody moves: $(tier_value moved_daily "$result")) | $daily s | $(tier_value daily "$previous") s | < 10 s |
| A tenth fall short ($(tier_value warned "$result") warned by email) | $short s | $(tier_value short "$previous") s | < 10 s |

Segment counts over the same $tier_partners partners (\`repos::segments::count\`, median of 5):

| Segment | This run | Previous run | Target |
|---|---|---|---|
| Who they are (kind and country) | $sw ms | $(tier_value seg_who "$previous") ms | < 200 ms |
| Revenue and conversions over 90 days | $sr ms | $(tier_value seg_revenue "$previous") ms | < 200 ms |
| Active in the last 14 days, activated | $sa ms | $(tier_value seg_activity "$previous") ms | < 200 ms |

Result: **$tier_verdict**.
$tier_section_end"
}

write_tier_section() { replace_section "$tier_section_start" "$tier_section_end" "$tier_section"; }
