#!/usr/bin/env bash
# Checker benchmark (a report, not a test): native and WebAssembly (Node) classifications per
# second and the module's sizes (cargo bench --bench checker), then the checker page's
# load-and-first-answer time in headless Chromium on a fresh release build of the site.
# Run it once, by hand: the machine's cores are shared.
set -euo pipefail
cd "$(dirname "$0")/../.."

runs="${1:-5}"
cargo bench --bench checker
cargo run --release -- build --out bench/out/site
if command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM:-}" ]; then
  node --experimental-websocket bench/checker/chromium.mjs bench/out/site "$runs"
else
  echo "bench/checker/run.sh: chromium not found; skipping the browser figure (apt-get install chromium)" >&2
fi
