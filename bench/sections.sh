# Sections of docs/benchmarks.md that one script rewrites and the others keep. Sourced by
# bench/run and bench/soak, which set $report (the file) and $work (a scratch folder).

soak_start="<!-- soak: make soak (bench/soak) replaces this section on each run -->"
soak_end="<!-- end of the soak section -->"

# replace_section START END CONTENT: replaces the report's lines from START to END with
# CONTENT (or appends CONTENT), leaving the rest as it was.
replace_section() {
  mkdir -p "$(dirname "$report")"
  printf '%s\n' "$3" >"$work/section.md"
  if [ -f "$report" ] && grep -qxF "$1" "$report"; then
    awk -v start="$1" -v end="$2" -v section="$work/section.md" '
      $0 == start { while ((getline line < section) > 0) print line; skipping = 1; next }
      skipping { if ($0 == end) skipping = 0; next }
      { print }' "$report" >"$work/report.md"
  elif [ -f "$report" ]; then
    { cat "$report"; echo; cat "$work/section.md"; } >"$work/report.md"
  else
    { printf '# Benchmarks\n\n'; cat "$work/section.md"; } >"$work/report.md"
  fi
  cp "$work/report.md" "$report"
}

# section_of START END: the report's lines from START to END, both included (nothing if absent).
section_of() {
  [ -f "$report" ] || return 0
  awk -v start="$1" -v end="$2" '$0 == start { keep = 1 } keep { print } keep && $0 == end { exit }' "$report"
}
