#!/usr/bin/env bash
# Linear cost of one classification (checker contract v3, "Corners settled"): times
# `beian-guide classify` on inputs of 17,500, 35,000 and 70,000 distinct unknown keys (each
# under 1 MiB), start-up and printing included. Linear cost doubles the time with the keys; the
# contract asks for 70,000 keys in well under a second. A report, not a test: run it by hand.
#
#   bench/checker/unknown-keys.sh [BINARY]     (default: a release build of this checkout)
#   ROOT=../other-checkout bench/checker/unknown-keys.sh ../other-checkout/target/release/beian-guide
#                                              (another version, with its own rules file)
set -euo pipefail
cd "$(dirname "$0")/../.."

bin="${1:-}"
if [ -z "$bin" ]; then
  cargo build --release --locked --quiet
  bin=target/release/beian-guide
fi
out=bench/out/unknown-keys
mkdir -p "$out"
for n in 17500 35000 70000; do
  file="$out/keys-$n.json"
  {
    printf '{"today": "2026-10-20"'
    seq 0 $((n - 1)) | sed 's/.*/, "k&": 1/' | tr -d '\n'
    printf '}\n'
  } >"$file"
  bytes=$(wc -c <"$file")
  start=$(date +%s%N)
  "$bin" classify "$file" --root "${ROOT:-.}" >"$out/answer-$n.json" || test $? -eq 1
  end=$(date +%s%N)
  errors=$(grep -c '"code": "INVALID_VALUE"' "$out/answer-$n.json" || true)
  printf '%6d keys  %8d bytes  %6d errors  %6.3f s\n' "$n" "$bytes" "$errors" \
    "$(echo "($end - $start) / 1000000000" | bc -l)"
done
