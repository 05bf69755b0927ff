#!/usr/bin/env bash
# bench/fuzz.sh: runs every cargo-fuzz target in fuzz/ for a set time each and prints its
# executions and crashes (outside CI; needs the nightly toolchain and `cargo install cargo-fuzz`).
# Seeds come from the repository: the pages, book.toml, the rules file and the checker's case
# table. A crash leaves its input in fuzz/artifacts/<target>/; keep it as a regression test in
# tests/integration/fuzz_regressions.rs once fixed.
#
# Usage: bench/fuzz.sh [--seconds N] [--jobs N] [target ...]   (default: 60 s, every target)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
seconds=60
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(page book_toml checker_input rules)
command -v cargo-fuzz >/dev/null || { echo "bench/fuzz.sh: cargo install cargo-fuzz" >&2; exit 2; }

cd "$repo/fuzz"
copy_named() { # dir ext path... → every *.ext under the paths, named by a hash of its path
  local dir=$1 ext=$2; shift 2
  find "$@" -name "*.$ext" -not -path '*/target/*' -print0 |
    while IFS= read -r -d '' f; do cp "$f" "$dir/$(printf '%s' "$f" | md5sum | cut -c1-12).$ext"; done
}
seed() { # target → seeds in corpus/<target>
  local dir="corpus/$1"; mkdir -p "$dir"
  case "$1" in
    page) copy_named "$dir" md "$repo/content" "$repo/tests/fixtures" ;;
    book_toml) copy_named "$dir" toml "$repo/book.toml" "$repo/tests/fixtures" ;;
    rules) cp "$repo/content/checker/rules.toml" "$dir/" ;;
    checker_input) python3 - "$repo" "$dir" <<'PY'
import json, pathlib, sys
repo, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
n = 0
for f in list((repo / "tests").rglob("*.json")) + list((repo / "checker-core").rglob("*.json")):
    try:
        data = json.loads(f.read_text())
    except Exception:
        continue
    items = data if isinstance(data, list) else data.get("cases", [data]) if isinstance(data, dict) else []
    for item in items:
        if isinstance(item, dict):
            inp = item.get("input", item)
            (out / f"seed-{n}.json").write_text(json.dumps(inp, ensure_ascii=False))
            n += 1
(out / "seed-min.json").write_text('{"today":"2026-12-01","miitLookup":"active_no_access","serverExpiry":"2026-11-05"}')
PY
    ;;
  esac
}

failed=0
printf '%-14s %10s %12s %8s\n' target seconds executions crashes
for t in "${targets[@]}"; do
  seed "$t"
  log="$(mktemp)"
  set +e
  cargo +nightly fuzz run "$t" "corpus/$t" -- -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1
  set -e
  execs=$( (grep -oE 'number_of_executed_units: *[0-9]+' "$log" || true) | grep -oE '[0-9]+$' | tail -1)
  [ -n "$execs" ] || execs=$( (grep -oE '^#[0-9]+' "$log" || true) | tail -1 | tr -d '#')
  crashes=$( (find "artifacts/$t" -type f 2>/dev/null || true) | wc -l)
  printf '%-14s %10s %12s %8s\n' "$t" "$seconds" "${execs:-?}" "$crashes"
  if grep -q 'SUMMARY: libFuzzer\|panicked at' "$log"; then
    failed=1
    grep -m3 'panicked at\|SUMMARY' "$log" | sed 's/^/    /'
  fi
  rm -f "$log"
done
exit "$failed"
