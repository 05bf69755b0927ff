#!/usr/bin/env bash
# bench/rebuild.sh: how long `serve` takes from saving one page to telling open pages to reload,
# on a generated 1,000-page site (the issue's target: at most 100 ms).
#
# Starts `beian-guide serve --port 0` (release build) on a corpus from gen_corpus.py, listens to
# its event stream, then edits one page N times: each sample is the time from the write to the
# `reload` event, so it includes the file watcher, the debounce, the rebuild into memory and
# the event delivery; the next edit waits for `settled` (the print edition and search index
# rebuilt after the reload). Prints every sample, then median, min, max and p90.
#
# Usage: bench/rebuild.sh [--work DIR] [--pages N] [--runs N]   (pages from bench/gen_corpus.py)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
pages=1000
runs=30
work="${TMPDIR:-/tmp}/beian-guide-rebuild-bench"
while [ $# -gt 0 ]; do
  case "$1" in
    --pages) pages=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    *) echo "bench/rebuild.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
gen="$repo/bench/gen_corpus.py"

target="${CARGO_TARGET_DIR:-$repo/target}"
(cd "$repo" && cargo build --release -p beian-guide --quiet)
bin="$target/release/beian-guide"

site="$work/neutral-$pages"
rm -rf "$site"
mkdir -p "$work"
python3 "$gen" --pages "$pages" --layout neutral --out "$site" >/dev/null
cp -r "$repo/templates" "$repo/static" "$site/"
cat > "$site/book.toml" <<TOML
[book]
title = "基准测试"
language = "zh-CN"
[checker]
rules = "no-checker.toml"
wasm = false
TOML

log="$work/serve.log"
"$bin" serve --root "$site" --port 0 >"$work/serve.out" 2>"$log" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT

python3 - "$site" "$work/serve.out" "$runs" <<'PY'
import os, socket, statistics, sys, time
site, out_file, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
deadline = time.time() + 120
url = None
while time.time() < deadline and not url:
    try:
        line = open(out_file).readline()
        if line.startswith("serving "):
            url = line.split()[1]
    except FileNotFoundError:
        pass
    time.sleep(0.05)
if not url:
    sys.exit("serve did not start; see serve.log")
port = int(url.rstrip("/").rsplit(":", 1)[1])
sock = socket.create_connection(("127.0.0.1", port))
sock.sendall(b"GET /__serve/events HTTP/1.1\r\nHost: x\r\n\r\n")
buf = b""
def next_event():
    global buf
    while b"\n\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            sys.exit("event stream closed")
        buf += chunk
    ev, buf = buf.split(b"\n\n", 1)
    lines = ev.decode().splitlines()
    return next((l[7:] for l in lines if l.startswith("event: ")), None)
while next_event() != "state":
    pass
# One ordinary page somewhere in the middle of the corpus.
pages = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(site, "content"))
               for f in fs if f.endswith(".md") and f != "_index.md")
page = pages[len(pages) // 2]
original = open(page, encoding="utf-8").read()
samples = []
for i in range(runs):
    text = original + f"\n\n第 {i} 次修改。\n"
    t0 = time.perf_counter()
    with open(page, "w", encoding="utf-8") as f:
        f.write(text)
    while True:
        ev = next_event()
        if ev == "reload":
            break
        if ev == "build-error":
            sys.exit("the edit broke the build; see serve.log")
    samples.append((time.perf_counter() - t0) * 1000)
    # Wait until the print edition and search index have caught up, so that every sample
    # starts from an idle server (as when a person saves every few seconds).
    while next_event() != "settled":
        pass
open(page, "w", encoding="utf-8").write(original)
samples_sorted = sorted(samples)
p90 = samples_sorted[min(len(samples) - 1, int(0.9 * len(samples)))]
print("samples_ms " + " ".join(f"{s:.1f}" for s in samples))
print(f"edited={os.path.relpath(page, site)} runs={runs} median_ms={statistics.median(samples):.1f} "
      f"min_ms={samples_sorted[0]:.1f} p90_ms={p90:.1f} max_ms={samples_sorted[-1]:.1f}")
PY
echo "serve's own timing of the last rebuilds:"
grep '^built' "$log" | tail -3
