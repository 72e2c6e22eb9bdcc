# The payout benchmark, sourced by bench/run (which provides say, die, $trellis, $admin, $work
# and $report): P1, a payout run over $payout_partners partners and $payout_entries payable
# ledger entries (trellis bench-payouts): its creation and its approval (each under 30 s), the
# SEPA file (under 10 s), and the process's peak memory. The previous run's figures are kept in
# bench/last-payouts.txt and shown beside this run's.
# run_payout_benchmarks sets payout_section and payout_verdict.

payout_section_start="<!-- payout benchmarks: bench/run replaces this section on each run -->"
payout_section_end="<!-- end of the payout benchmarks -->"
payout_partners="${TRELLIS_BENCH_PAYOUT_PARTNERS:-10000}"
payout_entries="${TRELLIS_BENCH_PAYOUT_ENTRIES:-1000000}"
last_payouts=bench/last-payouts.txt

payout_value() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"; }

run_payout_benchmarks() {
  local pdb="${admin/\/postgres\?//bench_payouts?}" out previous
  [ "$pdb" != "$admin" ] || die "cannot derive the payout database URL from $admin"
  psql "$admin" -qc "DROP DATABASE IF EXISTS bench_payouts" && psql "$admin" -qc "CREATE DATABASE bench_payouts"
  say "P1 a payout run over $payout_partners partners and $payout_entries entries (trellis bench-payouts)"
  out="$(DATABASE_URL="$pdb" TRELLIS_BENCH_ROUTES=true "$trellis" bench-payouts --partners "$payout_partners" --entries "$payout_entries")" \
    || die "bench-payouts failed: $out"
  grep -v '^RESULT ' <<<"$out" | sed 's/^/    /'
  local result create approve sepa rss items unbalanced
  result="$(grep '^RESULT ' <<<"$out")"
  create="$(payout_value create "$result")" approve="$(payout_value approve "$result")"
  sepa="$(payout_value sepa "$result")" rss="$(payout_value peak_rss_mib "$result")"
  items="$(payout_value items "$result")" unbalanced="$(payout_value unbalanced "$result")"
  previous="$(cat "$last_payouts" 2>/dev/null || echo "RESULT create=- approve=- sepa=- peak_rss_mib=-")"
  echo "$result" >"$last_payouts"
  if awk -v c="$create" -v a="$approve" -v s="$sepa" 'BEGIN { exit !(c < 30 && a < 30 && s < 10) }' && [ "$unbalanced" = 0 ]; then
    payout_verdict=PASS
  else
    payout_verdict=FAIL
  fi
  psql "$admin" -qc "DROP DATABASE IF EXISTS bench_payouts"
  payout_section="$payout_section_start
## Payout runs

\`make bench-payouts\` (\`trellis bench-payouts\`, release build): one brand, $payout_partners partners
with sealed SEPA details and a W-8BEN, and $payout_entries payable ledger entries spread over them.
The run is gathered, summed and attached in the database (a temporary table and set-based
statements), so the server holds one row per partner, never one per entry.
Run on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit.

| Step | This run | Previous run | Target |
|---|---|---|---|
| Make the run ($items payments) | $create s | $(payout_value create "$previous") s | < 30 s |
| Approve it (second person) | $approve s | $(payout_value approve "$previous") s | < 30 s |
| SEPA file (pain.001.001.03, every IBAN opened) | $sepa s | $(payout_value sepa "$previous") s | < 10 s |
| Peak memory of the process | $rss MiB | $(payout_value peak_rss_mib "$previous") MiB | bounded |

Items whose amount differs from the sum of their entries: $unbalanced. Result: **$payout_verdict**.
$payout_section_end"
}

write_payout_section() { replace_section "$payout_section_start" "$payout_section_end" "$payout_section"; }
