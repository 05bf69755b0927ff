#!/usr/bin/env bash
# bench/run.sh: builds generated zh-CN corpora of 1,000 and 10,000 pages with the release binary
# and reports, per size, ONE hyperfine run of every build (so the ratios come from the same
# minutes of a shared machine), each build's peak memory (/usr/bin/time -v) and output size.
#
# Usage: bench/run.sh [--work DIR] [--pages "1000 10000"] [--runs N] [--compare] [--zola PATH]
#                     [--no-search] [--threads N] [--bin PATH]
# The corpora come from bench/gen_corpus.py (deterministic; the same pages in each layout).
# The builds timed, every one from an empty output folder (`--prepare` removes it):
#   ours, as shipped   the English edition on (`[languages.en]`: every generated page is then
#                      shown there untranslated) and the myth lint (`lint/`), with the search
#                      index and the precompressed copies, as the site ships
#   ours, monolingual  zh-CN only, no lint (like the peers' sites), search index and copies on
#   ours, rebuild      as shipped, over the previous run's output: what a second `build` of an
#                      unchanged site costs (unchanged files and their copies are linked)
#   Hugo, Zola         with --compare, when installed (apt-get install hugo; Zola is not on
#                      crates.io: a binary on PATH, or --zola PATH); neither writes a search
#                      index or compressed copies here
# The table's last columns say how many times faster than Hugo and than Zola each build is.
#   --work     where corpora and outputs go (default: $TMPDIR or /tmp, /beian-guide-bench);
#              keep it outside watched trees (editors, indexers): file creation there is
#              several times slower and would be measured instead of the generator
#   --no-search  build ours without the search index
#   --threads  RAYON_NUM_THREADS for our builds (default: one per core)
#   --bin      our binary to measure instead of building the release one
# Needs python3, hyperfine and GNU time (Debian package `time`).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
pages="1000 10000"
runs=5
compare=0
zola=$(command -v zola || true)
search=true
threads=""
bin=""
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
    --threads) threads=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    *) echo "bench/run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
gen="$repo/bench/gen_corpus.py"
command -v hyperfine >/dev/null || { echo "bench/run.sh: install hyperfine" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/run.sh: install GNU time (apt-get install time)" >&2; exit 2; }
# shellcheck source=bench/lib.sh
. "$repo/bench/lib.sh"
bench_binary
[ -n "$threads" ] && export RAYON_NUM_THREADS="$threads"
mkdir -p "$work"

# Every build starts from an empty output folder, but the old one is renamed into a trash folder,
# not deleted, until the end: on ext4 without a journal (these machines), a file created within a
# minute or more of a mass deletion costs about 1 ms instead of 0.1 ms (the allocator skips every
# recently deleted inode), so `rm -rf public` before each build made every tool's build time
# depend on how many files the builds before it had written, ours and the peers' alike.
trash="$work/trash"
mkdir -p "$trash"
discard() { # PATH → renamed into the trash (nothing if it does not exist)
  if [ -e "$1" ]; then mv "$1" "$trash/$(date +%s%N)"; fi
}
export -f discard
export trash

peak_mb() { # command... → peak RSS in MB
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }'
}

# our_site N KIND: the neutral corpus with the repository's theme and a book.toml without a
# checker; KIND `shipped` adds the English edition and the myth lint.
our_site() {
  local n=$1 kind=$2 site="$work/$2-$1"
  discard "$site"
  python3 "$gen" --pages "$n" --layout neutral --out "$site" >/dev/null
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
  if [ "$kind" = shipped ]; then
    cp -r "$repo/lint" "$site/"
    printf '[languages.en]\ntitle = "Benchmark"\ndescription = "Generated pages"\n' >> "$site/book.toml"
  fi
}

for n in $pages; do
  names=() cmds=() preps=() outs=()
  add() { # NAME OUTPUT_FOLDER PREPARE COMMAND
    names+=("$1") outs+=("$2") preps+=("$3") cmds+=("$4")
  }
  our_site "$n" shipped
  our_site "$n" mono
  s="$work/shipped-$n" m="$work/mono-$n"
  add "ours, as shipped" "$s/public" "discard $s/public" "$bin build --root $s"
  add "ours, monolingual" "$m/public" "discard $m/public" "$bin build --root $m"
  add "ours, rebuild" "$s/public" "$bin build --root $s" "$bin build --root $s"
  if [ "$compare" = 1 ] && command -v hugo >/dev/null; then
    h="$work/hugo-$n"
    discard "$h"
    python3 "$gen" --pages "$n" --layout hugo --out "$h" >/dev/null
    add "Hugo" "$h/public" "discard $h/public" "hugo --quiet -s $h"
  fi
  if [ "$compare" = 1 ] && [ -n "$zola" ]; then
    z="$work/zola-$n"
    discard "$z"
    python3 "$gen" --pages "$n" --layout zola --out "$z" >/dev/null
    add "Zola" "$z/public" "discard $z/public" "$zola --root $z build"
  fi
  # One --prepare per command, paired in order: each build starts from an empty output folder
  # (the rebuild's prepare is a build, so it starts from a complete one).
  args=()
  for i in "${!cmds[@]}"; do
    args+=(--prepare "${preps[$i]}")
  done
  for i in "${!cmds[@]}"; do
    args+=(--command-name "${names[$i]}" "${cmds[$i]}")
  done
  json="$work/run-$n.json"
  hyperfine --shell bash --style none --warmup 1 --runs "$runs" --export-json "$json" "${args[@]}" >/dev/null
  peaks=() sizes=()
  for i in "${!cmds[@]}"; do
    bash -c "${preps[$i]}" >/dev/null 2>&1
    # shellcheck disable=SC2086  # the command is a word list without quoting
    peaks+=("$(peak_mb ${cmds[$i]})")
    sizes+=("$(du -sm "${outs[$i]}" | cut -f1)")
  done
  python3 - "$json" "$n" "${peaks[*]}" "${sizes[*]}" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
n, peaks, sizes = sys.argv[2], sys.argv[3].split(), sys.argv[4].split()
median = {r["command"]: r["median"] for r in results}
print(f"\n{n} pages: hyperfine medians of {len(results[0]['times'])} runs, one run for all builds")
print("| build | median s | mean ± sd s | CPU s | peak MB | output MB | Hugo ÷ this | Zola ÷ this |")
print("|---|---|---|---|---|---|---|---|")
for r, peak, size in zip(results, peaks, sizes):
    ratio = lambda peer: f"{median[peer] / r['median']:.2f}x" if peer in median else "-"
    print(f"| {r['command']} | {r['median']:.3f} | {r['mean']:.3f} ± {r['stddev'] or 0:.3f} | "
          f"{r['user'] + r['system']:.3f} | {peak} | {size} | {ratio('Hugo')} | {ratio('Zola')} |")
PY
done
rm -rf "$trash"
echo
echo "search index: $search; threads: ${RAYON_NUM_THREADS:-one per core}; load before: see uptime below"
uptime
