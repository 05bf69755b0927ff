#!/usr/bin/env bash
# bench/search-collisions.sh: the search stage on crafted text against ordinary text with the
# same number of distinct CJK bigrams (issue 22, item 16). The crafted pages hold bigrams that
# all share their second character (一好 丁好 七好 …), which a hasher that keeps the low bits
# of its input puts in one bucket; the ordinary pages hold as many distinct bigrams with varied
# characters. Prints the search stage's best time (from `build --verbose`) of --runs builds
# for each and their ratio: with a collision-resistant hasher the ratio stays near 1 as N grows.
# A benchmark, not a test: it asserts nothing.
#
# Usage: bench/search-collisions.sh [--n "5000 10000 20000"] [--runs N] [--work DIR] [--bin PATH]
# Needs python3. --bin defaults to the release binary (built first).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
ns="5000 10000 20000"
runs=3
work="${TMPDIR:-/tmp}/beian-guide-collisions"
bin=""
# shellcheck source=bench/lib.sh
. "$repo/bench/lib.sh"
bench_parse bench/search-collisions.sh "$@"
bench_binary
mkdir -p "$work"

printf '%-9s %7s %10s %8s\n' kind n search_ms ratio
for n in $ns; do
  base_ms=""
  for kind in ordinary crafted; do
    site="$work/$kind-$n"
    rm -rf "$site"
    bench_site "$site" 碰撞 ''
    python3 - "$site" "$kind" "$n" <<'PY'
import random, sys
site, kind, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
han = [chr(c) for c in range(0x4E00, 0x9FA5)]
rng = random.Random(7)
if kind == "crafted":
    # n distinct bigrams X好, each on its own line: every one shares its second character.
    lines = [han[i] + "好" for i in range(n)]
else:
    # n distinct bigrams of varied characters (pairs drawn without repeats), same layout.
    seen, lines = set(), []
    while len(lines) < n:
        a, b = rng.choice(han), rng.choice(han)
        if a + b not in seen:
            seen.add(a + b)
            lines.append(a + b)
open(site + "/content/page.md", "w").write('+++\ntitle = "页面"\n+++\n\n' + "\n\n".join(lines) + "\n")
PY
    best=""
    for _ in $(seq "$runs"); do
      ms=$("$bin" build --root "$site" --out "$site/public" --verbose 2>&1 | awk '$1 == "search" { gsub(/ms/, "", $2); print $2; exit }')
      if [ -z "$ms" ]; then echo "bench/search-collisions.sh: no search time in --verbose output" >&2; exit 1; fi
      if [ -z "$best" ] || awk -v a="$ms" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$ms; fi
    done
    [ "$kind" = ordinary ] && base_ms=$best
    ratio=$(awk -v a="$best" -v b="$base_ms" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
    printf '%-9s %7s %10s %8s\n' "$kind" "$n" "$best" "$ratio"
  done
done
