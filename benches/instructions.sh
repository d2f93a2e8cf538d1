#!/usr/bin/env bash
# Instructions per municipality-month, counted by valgrind's callgrind: the same count for the
# same binary and input however busy the machine is, so it can guard performance in CI where
# timings would flake.
#
#   benches/instructions.sh                 # print the count
#   benches/instructions.sh --budget 2000   # also exit 1 if the count exceeds the budget
#
# The workload is one replication of the calibrated baseline on one thread, through the CLI
# (set-up, the whole calendar with burn-in, and writing every output): 273 408
# municipality-months.
set -euo pipefail
cd "$(dirname "$0")/.."
budget=""
if [ "${1:-}" = "--budget" ]; then budget=${2:?--budget needs a number}; fi
command -v valgrind >/dev/null || { echo "valgrind is not installed (Debian: apt-get install valgrind)"; exit 2; }
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
  ./target/release/samspill run scenarios/baseline.toml --replications 1 --threads 1 --out "$work/run" --quiet 2>"$work/valgrind.log" \
  || { tail -20 "$work/valgrind.log"; echo "the run under callgrind failed"; exit 1; }
total=$(awk '/^(summary|totals):/ {print $2; exit}' "$work/callgrind.out")
months=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['municipality_months'])" "$work/run/manifest.json")
per=$(( total / months ))
echo "instructions: ${total} in all, ${per} per municipality-month (baseline, 1 replication, 1 thread, set-up and outputs included)"
if [ -n "$budget" ] && [ "$per" -gt "$budget" ]; then
  echo "FAIL: ${per} instructions per municipality-month exceeds the budget of ${budget}: the engine has become much slower"
  exit 1
fi
