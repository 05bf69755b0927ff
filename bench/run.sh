#!/usr/bin/env bash
# bench/run.sh: builds generated zh-CN corpora of 1,000 and 10,000 pages with the release binary
# and reports wall time (hyperfine), peak memory (/usr/bin/time -v) and output size.
#
# Usage: bench/run.sh [--work DIR] [--pages "1000 10000"] [--runs N] [--compare] [--no-search]
# The corpora come from bench/gen_corpus.py (deterministic; the same pages in each layout).
#   --work     where corpora and outputs go (default: $TMPDIR or /tmp, /beian-guide-bench);
#              keep it outside watched trees (editors, indexers): file creation there is
#              several times slower and would be measured instead of the generator
#   --compare  also time Hugo, Zola and mdBook on the same pages when they are installed
#              (apt-get install hugo; cargo install mdbook; Zola is not on crates.io: a
#              binary on PATH, or --zola PATH), and end with the issue's table: per size,
#              our and the peers' medians, how many times faster we are, peak MB
#   --zola     the Zola binary to compare with (default: `zola` on PATH)
#   --no-search  build ours without the search index (the site ships with it on)
#   --shipped  build ours as the site ships: with the English edition (`[languages.en]`, every
#              generated page then shown there untranslated) and the myth lint (`lint/`); the
#              default is monolingual without the lint, like the peers' sites
# Needs python3, hyperfine and GNU time (Debian package `time`).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
pages="1000 10000"
runs=5
compare=0
zola=$(command -v zola || true)
# The site ships with its search index, so ours is built with it (the peers have none);
# --no-search shows what the index costs (bench/search.mjs measures what a query loads).
search=true
shipped=0
work="${TMPDIR:-/tmp}/beian-guide-bench"
while [ $# -gt 0 ]; do
  case "$1" in
    --pages) pages=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --compare) compare=1; shift ;;
    --zola) zola=$2; shift 2 ;;
    --search) search=true; shift ;;
    --no-search) search=false; shift ;;
    --shipped) shipped=1; shift ;;
    *) echo "bench/run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
gen="$repo/bench/gen_corpus.py"
command -v hyperfine >/dev/null || { echo "bench/run.sh: install hyperfine" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/run.sh: install GNU time (apt-get install time)" >&2; exit 2; }

target="${CARGO_TARGET_DIR:-$repo/target}"
(cd "$repo" && cargo build --release --locked -p beian-guide --quiet)
bin="$target/release/beian-guide"
mkdir -p "$work"

peak_mb() { # command... → peak RSS in MB
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }'
}

stats() { # hyperfine JSON → "mean stddev min cpu median" (cpu = mean user + system seconds)
  python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; print(f\"{r['mean']:.3f} {r['stddev'] or 0:.3f} {r['min']:.3f} {r['user'] + r['system']:.3f} {r['median']:.3f}\")" "$1"
}
ratio() { # ours theirs → how many times faster we are, e.g. 3.14x
  python3 -c "import sys; print(f'{float(sys.argv[2]) / float(sys.argv[1]):.2f}x')" "$1" "$2"
}

# time_peer PAGES NAME OUTPUT_FOLDER COMMAND...: generates the corpus in NAME's layout into
# $work/NAME-PAGES (the folder COMMAND builds), times COMMAND with hyperfine, measures its peak
# memory and prints its row; leaves the median and peak in peer_median and peer_peak.
time_peer() {
  local n=$1 name=$2 output=$3; shift 3
  local dir="$work/$name-$n"
  rm -rf "$dir"
  python3 "$gen" --pages "$n" --layout "$name" --out "$dir" >/dev/null
  hyperfine --style none --warmup 1 --runs "$runs" --export-json "$work/$name-$n.json" \
    "$(printf '%q ' "$@")" >/dev/null
  read -r mean sd min cpu peer_median < <(stats "$work/$name-$n.json")
  peer_peak=$(peak_mb "$@")
  printf '%-8s %-11s %8s %8s %8s %8s %8s %9s %7s\n' "$n" "$name" "$peer_median" "$mean" "$sd" "$min" "$cpu" "$peer_peak" "$(du -sm "$dir/$output" | cut -f1)"
}
table=""

printf '%-8s %-11s %8s %8s %8s %8s %8s %9s %7s\n' pages tool median_s mean_s sd_s min_s cpu_s peak_MB out_MB
for n in $pages; do
  site="$work/neutral-$n"
  python3 "$gen" --pages "$n" --layout neutral --out "$site" >/dev/null
  # The corpus has content only: add the repository's theme and a book.toml without a checker.
  cp -r "$repo/templates" "$repo/static" "$site/"
  cat > "$site/book.toml" <<TOML
[book]
title = "基准测试"
language = "zh-CN"
[output.html]
base-url = "https://bench.example.org/"
[checker]
rules = "no-checker.toml"
wasm = false
[search]
enabled = $search
TOML
  if [ "$shipped" = 1 ]; then
    cp -r "$repo/lint" "$site/"
    printf '[languages.en]\ntitle = "Benchmark"\ndescription = "Generated pages"\n' >> "$site/book.toml"
  fi
  json="$work/neutral-$n.json"
  # Each run also deletes the previous output (the build swaps a fresh folder in), as Zola
  # and Hugo's clean builds do; on a slow disk that I/O dominates the 10,000-page figure.
  hyperfine --style none --warmup 1 --runs "$runs" --export-json "$json" \
    "$bin build --root $site" >/dev/null
  read -r mean sd min cpu median < <(stats "$json")
  peak=$(peak_mb "$bin" build --root "$site")
  size=$(du -sm "$site/public" | cut -f1)
  printf '%-8s %-11s %8s %8s %8s %8s %8s %9s %7s\n' "$n" beian-guide "$median" "$mean" "$sd" "$min" "$cpu" "$peak" "$size"
  ours=$median ours_peak=$peak

  if [ "$compare" = 1 ] && command -v hugo >/dev/null; then
    time_peer "$n" hugo public hugo --quiet -s "$work/hugo-$n"
    row=$(printf '| %s | %s s / %s s | %s | %s MB / %s MB |' "$n" "$ours" "$peer_median" "$(ratio "$ours" "$peer_median")" "$ours_peak" "$peer_peak")
    if [ -n "$zola" ]; then
      # `zola build` replaces its `public` folder on every run, as ours does.
      time_peer "$n" zola public "$zola" --root "$work/zola-$n" build
      row+=$(printf ' %s s | %s | %s MB |' "$peer_median" "$(ratio "$ours" "$peer_median")" "$peer_peak")
    fi
    table+="$row"$'\n'
  fi
  if [ "$compare" = 1 ] && command -v mdbook >/dev/null; then
    ms="$work/mdbook-$n"
    python3 "$gen" --pages "$n" --layout mdbook --out "$ms" >/dev/null
    hyperfine --style none --warmup 0 --runs 1 --export-json "$json.mdbook" "mdbook build $ms" >/dev/null
    read -r mean sd min cpu median < <(stats "$json.mdbook")
    printf '%-8s %-11s %8s %8s %8s %8s %8s %9s %7s\n' "$n" mdbook "$median" "$mean" "$sd" "$min" "$cpu" "-" "$(du -sm "$ms/book" | cut -f1)"
  fi
done
if [ -n "$table" ]; then
  echo
  echo "search index: $search; hyperfine medians of $runs runs, each replacing the previous output"
  if [ -n "$zola" ]; then
    echo "| pages | ours / Hugo | Hugo ÷ ours (faster) | peak: ours / Hugo | Zola | Zola ÷ ours | Zola peak |"
    echo "|---|---|---|---|---|---|---|"
  else
    echo "| pages | ours / Hugo | Hugo ÷ ours (faster) | peak: ours / Hugo |"
    echo "|---|---|---|---|"
  fi
  printf '%s' "$table"
fi
