#!/usr/bin/env bash
# bench/linear.sh: shows that no stage grows faster than its input. Builds one-page sites whose
# page holds N footnotes, N headings, N links, or plain text of the same size in bytes, with the
# release binary, and prints each build's best wall time of --runs and its ratio to plain text.
# A ratio that grows with N is a superlinear stage (the print edition once was quadratic in
# footnotes: 10,000 took 5.5 s). `broken` is a page with N links to missing pages: the build
# fails with N errors, and reporting them must stay linear too (each error's source line was
# once found by scanning the file, and the errors deduplicated through a list: 8,000 took 7.5 s).
# This is a benchmark, not a test: it asserts nothing.
#
# Usage: bench/linear.sh [--n "2500 10000 20000"] [--runs N] [--work DIR] [--kinds "..."] [--bin PATH]
#   --kinds  which pages to build besides plain text (default: footnotes headings links broken)
#   --bin    a beian-guide binary to measure instead of building the release one (to compare
#            two versions)
# Needs python3.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
ns="2500 10000 20000"
runs=3
work="${TMPDIR:-/tmp}/beian-guide-linear"
kinds="footnotes headings links broken"
bin=""
bench_option() { # --kinds "…"
  case "$1" in
    --kinds) kinds=$2 ;;
    *) return 1 ;;
  esac
}
# shellcheck source=bench/lib.sh
. "$repo/bench/lib.sh"
bench_parse bench/linear.sh "$@"
bench_binary
mkdir -p "$work"

printf '%-10s %8s %12s %10s %8s\n' kind n bytes best_ms ratio
for n in $ns; do
  plain_ms=""
  for kind in plain $kinds; do
    site="$work/$kind-$n"
    rm -rf "$site"
    bench_site "$site" 线性 '[output.html]\nbase-url = "https://bench.invalid/"\n'
    python3 - "$site" "$kind" "$n" <<'PY'
import sys
site, kind, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def body(kind):
    if kind == "footnotes":
        refs = "".join(f"第{i}条说明[^{i}]。\n" for i in range(n))
        return refs + "\n" + "".join(f"[^{i}]: 注释{i}。\n" for i in range(n))
    if kind == "headings":
        return "".join(f"## 标题{i}\n\n段落{i}。\n\n" for i in range(n))
    if kind == "links":
        return "".join(f"看[首页](_index.md)第{i}次。\n" for i in range(n))
    if kind == "broken":
        return "".join(f"看[缺页](missing-{i}.md)第{i}次。\n" for i in range(n))
    return None
# Plain text (short paragraphs) matches the footnotes page's size in bytes (the largest of the three).
text = body(kind)
if text is None:
    size = len(body("footnotes").encode())
    line = "这是一段普通的正文，没有任何标记。\n\n"
    text = line * (size // len(line.encode()) + 1)
open(site + "/content/page.md", "w").write('+++\ntitle = "页面"\n+++\n\n' + text)
PY
    bytes=$(wc -c < "$site/content/page.md")
    best=""
    for _ in $(seq "$runs"); do
      rm -rf "$site/public"
      start=$(date +%s%N)
      "$bin" build --root "$site" >/dev/null 2>&1 || true  # `broken` fails, as it should
      ms=$(( ($(date +%s%N) - start) / 1000000 ))
      if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
    done
    [ "$kind" = plain ] && plain_ms=$best
    ratio=$(python3 -c "print(f'{$best / max($plain_ms, 1):.2f}')")
    printf '%-10s %8d %12d %10d %8s\n' "$kind" "$n" "$bytes" "$best" "$ratio"
  done
done
