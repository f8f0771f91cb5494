#!/usr/bin/env bash
# Instructions per request of the demo's product page with and without ConsentLayer, and of
# reading the consent from that request (scan vs full cookie parse), counted by callgrind (repeatable whatever else the machine does). Each variant runs twice, with
# 100 and 600 requests; the difference divided by 500 is the cost of one request, free of
# start-up work. Needs valgrind (Debian: apt-get install valgrind).
#
# Run from the repository root: bash examples/demo-shop/benches/count_instructions.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."

cargo bench -p demo-shop --features ssr --bench consent_layer --no-run 2>/dev/null
bench=$(ls -t target/release/deps/consent_layer-* | grep -v '\.d$' | head -n 1)

instructions() { # variant requests
  CONSENT_BENCH_ONLY="$1:$2" valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bench" 2>&1 \
    | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

declare -A per_call
for variant in without with scan parse; do
  low=$(instructions "$variant" 100)
  high=$(instructions "$variant" 600)
  per_call[$variant]=$(( (high - low) / 500 ))
done
printf 'GET /products/1, a decided shopper with 5 cookies:\n'
printf '  without ConsentLayer (config via axum::Extension) %9d instructions\n' "${per_call[without]}"
printf '  with ConsentLayer                                 %9d instructions\n' "${per_call[with]}"
awk -v with="${per_call[with]}" -v without="${per_call[without]}" \
  'BEGIN { printf "  the layer adds %.3f %%\n", 100 * (with - without) / without }'
printf 'Reading the consent from that request:\n'
awk -v scan="${per_call[scan]}" -v parse="${per_call[parse]}" -v page="${per_call[with]}" 'BEGIN {
  printf "  state_for (scan for the one cookie, verify) %9d instructions = %.2f %% of the page\n", scan, 100 * scan / page
  printf "  parse every cookie, then verify            %9d instructions = %.2f %% of the page\n", parse, 100 * parse / page
}'
