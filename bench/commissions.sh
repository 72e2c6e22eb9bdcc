# The commission benchmarks, sourced by bench/run (which provides say, die, $trellis, $admin,
# $work, $cpu, $commit, $engine_conversions, $stored_commissions and $last_commission):
#   C1, the engine alone on one thread over synthetic conversions generated before timing (no
#       database): trellis bench-commission-engine;
#   C2, trellis verify-commissions over commissions seeded into a fresh database by
#       trellis bench-seed-commissions.
# run_commission_benchmarks sets commission_section (markdown between the two markers below) and
# commission_verdict, and rewrites $last_commission when the run passed.

section_start="<!-- commission benchmarks: bench/run replaces this section on each run -->"
section_end="<!-- end of the commission benchmarks -->"

# previous KEY: the last run's value, or nothing (the file has one "key": value per line).
previous() {
  [ -f "$last_commission" ] || return 0
  sed -nE "s/^ *\"$1\": *\"?([^\",]*)\"?,?$/\1/p" "$last_commission" | head -n 1
}

# vs_previous NOW BEFORE COMPARABLE: "1.02×", or why there is nothing to compare with.
vs_previous() {
  if [ -z "$2" ]; then
    echo "no previous run"
  elif [ "$3" != yes ]; then
    echo "not comparable (other sizes)"
  else
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f×", (b > 0 ? a / b : 0) }'
  fi
}

run_commission_benchmarks() {
  local out line load
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  say "C1 commission engine: $engine_conversions synthetic conversions on one thread (trellis bench-commission-engine)"
  out="$("$trellis" bench-commission-engine --conversions "$engine_conversions")" || die "bench-commission-engine failed"
  grep -v '^RESULT ' <<<"$out" | sed 's/^/    /'
  line="$(grep '^RESULT ' <<<"$out")" || die "bench-commission-engine printed no RESULT line"
  local conversions partners plans rounds best_seconds per_core total checksum
  eval "$(sed -E 's/^RESULT //' <<<"$line")"
  local c1_rounds
  c1_rounds="$(grep '^round ' <<<"$out" | awk '{ printf "%s%s s", (NR > 1 ? ", " : ""), $3 }')"

  local cdb="${admin/\/postgres\?//bench_commissions?}"
  [ "$cdb" != "$admin" ] || die "cannot derive the commission database URL from $admin"
  psql "$admin" -qc "CREATE DATABASE bench_commissions"
  DATABASE_URL="$cdb" "$trellis" migrate
  say "C2 seeding $stored_commissions conversions and their commissions (trellis bench-seed-commissions)"
  out="$(DATABASE_URL="$cdb" TRELLIS_BENCH_ROUTES=true "$trellis" bench-seed-commissions --count "$stored_commissions")" \
    || die "bench-seed-commissions failed"
  grep -v '^RESULT ' <<<"$out" | sed 's/^/    /'
  line="$(grep '^RESULT ' <<<"$out")" || die "bench-seed-commissions printed no RESULT line"
  local s_conversions s_accruals s_overrides s_seconds s_total s_phases
  eval "$(sed -E 's/^RESULT //; s/([a-z_]+)=/s_\1=/g' <<<"$line")"
  s_phases="$(grep -m1 '^  generating ' <<<"$out" | sed 's/^ *//')"
  # Autovacuum would long have visited a ledger this size; without it the first reader of the
  # fresh rows would also pay for setting their hint bits.
  psql "$cdb" -qc "VACUUM (ANALYZE) conversions, commissions, partner_terms, commission_plans"

  say "C2 trellis verify-commissions"
  local t0 t1 rc
  t0="$(date +%s%N)"
  set +e
  out="$(DATABASE_URL="$cdb" "$trellis" verify-commissions 2>&1)"
  rc=$?
  set -e
  t1="$(date +%s%N)"
  head -n 5 <<<"$out" | sed 's/^/    /'
  line="$(grep -m1 '^checked ' <<<"$out")" || die "verify-commissions printed no summary: $out"
  local v_checked v_seconds v_wall v_rate
  v_checked="$(awk '{ print $2 }' <<<"$line")"
  v_seconds="$(awk '{ print $5 }' <<<"$line")"
  v_wall="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')"
  v_rate="$(awk -v n="$v_checked" -v s="$v_seconds" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')"
  if [ "$rc" = 0 ] && grep -q ': all match$' <<<"$line" && [ "$v_checked" = "$((s_accruals + s_overrides))" ]; then
    commission_verdict=PASS
  else
    commission_verdict=FAIL
  fi
  psql "$admin" -qc "DROP DATABASE bench_commissions"

  local p_date p_commit p_conversions p_per_core p_checksum p_checked p_seconds
  p_date="$(previous date)"
  p_commit="$(previous commit)"
  p_conversions="$(previous engine_conversions)"
  p_per_core="$(previous engine_per_core)"
  p_checksum="$(previous engine_checksum)"
  p_checked="$(previous verify_commissions)"
  p_seconds="$(previous verify_seconds)"
  local c1_same=no c2_same=no c1_prev="–" c2_prev="–" previous_run="none"
  [ "$p_conversions" = "$conversions" ] && c1_same=yes
  [ "$p_checked" = "$v_checked" ] && c2_same=yes
  [ -n "$p_per_core" ] && c1_prev="$p_per_core conversions/s ($p_conversions conversions)"
  [ -n "$p_seconds" ] && c2_prev="$p_seconds s ($p_checked commissions)"
  [ -n "$p_date" ] && previous_run="$p_date, commit $p_commit"
  local c1_times c2_times same_amounts="no previous run to compare them with"
  c1_times="$(vs_previous "$per_core" "$p_per_core" "$c1_same")"
  c2_times="$(vs_previous "$v_seconds" "$p_seconds" "$c2_same")"
  if [ -n "$p_checksum" ] && [ "$c1_same" = yes ]; then
    if [ "$p_checksum" = "$checksum" ]; then
      same_amounts="the same amounts as the previous run"
    else
      same_amounts="**not the previous run's amounts** ($p_checksum): the engine or the workload changed"
    fi
  fi

  commission_section="$section_start
## Commission engine

Command: \`make bench-commissions\` (also part of \`make bench\`).
Run on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit.
Machine: $(nproc) CPUs ($cpu); load average before (1, 5, 15 min): $load.
Previous run: $previous_run. Each run's results are kept in \`bench/last-commission.json\` for the next.

| Benchmark | Work | Result | Previous run | × previous |
|---|---|---:|---:|---:|
| C1 engine alone, one thread | $conversions synthetic conversions, $partners partners, $plans plans | **$per_core conversions/s per core** | $c1_prev | $c1_times |
| C2 \`trellis verify-commissions\` | $v_checked stored commissions ($s_accruals accruals, $s_overrides overrides) | **$v_seconds s** ($v_rate/s) | $c2_prev | $c2_times |

× previous is this run's result divided by the previous run's: above 1 is faster for C1
(conversions per second), below 1 is faster for C2 (seconds). The machine's other load moves both.

- **C1** (\`trellis bench-commission-engine\`): \`compute(&Plan, &Inputs)\` for every conversion
  on one thread, which is one core. The conversions are generated before the clock starts: two
  years of a program whose partners (a few large, many small; one in four changes terms, some
  have per-partner overrides) are on eight plans: percent with a minimum amount and a denied
  country, CPA and CPL with a monthly cap, marginal revenue tiers with a cap per conversion,
  whole-quarter count tiers, net RevShare with negative carryover, hybrid CPA plus RevShare,
  recurring subscriptions for 12 months in some countries, and capped whole-month revenue tiers.
  Each conversion's period totals, carried-in balance and customer age are what the ledger would
  hold at accrual time. The fastest of the rounds counts:
  $c1_rounds.
  Total commission: EUR $total; checksum of the amounts: $checksum,
  $same_amounts.
- **C2**: \`trellis bench-seed-commissions --count $stored_commissions\` (hidden, refused without
  \`TRELLIS_BENCH_ROUTES=true\`) made the program, partners, memberships, coupons, plans, terms
  versions and masters through the repositories, then inserted the conversions with their
  customer bindings, accruals (terms version, inputs, and the amount the engine computed from
  them), routing decisions and masters' overrides with multi-row INSERTs (1,000 conversions per
  round), on one connection per core, and rebuilt the rollups:
  $s_seconds s ($s_phases).
  After a \`VACUUM ANALYZE\` (autovacuum's work on a real ledger), \`verify-commissions\`
  recomputed every accrual and override from its recorded terms version and inputs in
  $v_seconds s (the command's own measure; $v_wall s for the whole process).
  Verdict: **$commission_verdict** (every seeded commission checked, all match).
$section_end"

  if [ "$commission_verdict" = PASS ]; then
    cat >"$last_commission" <<EOF
{
  "date": "$(date -u '+%Y-%m-%d %H:%M UTC')",
  "commit": "$commit",
  "engine_conversions": $conversions,
  "engine_per_core": $per_core,
  "engine_checksum": "$checksum",
  "verify_commissions": $v_checked,
  "verify_seconds": $v_seconds,
  "seed_seconds": $s_seconds
}
EOF
  fi
  say "C1: $per_core conversions/s per core (× previous: $c1_times);" \
    "C2: verify-commissions checked $v_checked commissions in $v_seconds s (× previous: $c2_times): $commission_verdict"
}

# Replaces the commission section of the report (or adds it), leaving the rest as it was.
write_commission_section() {
  replace_section "$section_start" "$section_end" "$commission_section"
}
