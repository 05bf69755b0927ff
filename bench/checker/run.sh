#!/usr/bin/env bash
# Checker benchmark (a report, not a test): native and WebAssembly (Node) classifications per
# second and the module's sizes (cargo bench --bench checker), then how soon a shared checker
# link shows its answer in headless Chromium, on a slow phone network and unthrottled, with the
# site built fresh (release) and served by nginx with deploy/nginx.conf (precompressed .gz
# copies, as deployed; without nginx, by chromium.mjs's own server, which serves them the same
# way). Run it once, by hand: the machine's cores are shared.
#
#   bench/checker/run.sh [RUNS]           RUNS Chromium loads per language and network (5)
#   BEFORE=DIR bench/checker/run.sh       also loads the site built in DIR, in turn with the new
#                                         one (for a before/after on the same machine load)
set -euo pipefail
cd "$(dirname "$0")/../.."

runs="${1:-5}"
cargo bench --bench checker
cargo run --release -- build --out bench/out/site
chromium="${CHROMIUM:-/usr/bin/chromium}"
if ! [ -x "$chromium" ]; then
  echo "bench/checker/run.sh: chromium not found; skipping the browser figures (apt-get install chromium)" >&2
  exit 0
fi
node=(node --experimental-websocket bench/checker/chromium.mjs)
nginx="${NGINX:-/usr/sbin/nginx}"
if [ -n "${BEFORE:-}" ] || ! [ -x "$nginx" ]; then
  # Two sites in turn (or no nginx): chromium.mjs serves them itself, as nginx would.
  [ -x "$nginx" ] || echo "bench/checker/run.sh: no nginx ($nginx); chromium.mjs serves the site" >&2
  "${node[@]}" ${BEFORE:+"$BEFORE"} bench/out/site "$runs"
  exit 0
fi

# deploy/nginx.conf as it is, with its listen and root lines filled in (as tests/integration/nginx.rs
# does), in a main configuration that keeps everything nginx writes in bench/out/nginx.
dir="$PWD/bench/out/nginx"
mkdir -p "$dir"
port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
brotli=/usr/lib/nginx/modules/ngx_http_brotli_static_module.so
site=$(sed -e "s|^\(\s*\)listen 80;|\1listen 127.0.0.1:$port;|" \
  -e "s|^\(\s*\)root /srv/beian-guide/public;|\1root $PWD/bench/out/site;|" deploy/nginx.conf)
[ -f "$brotli" ] || site=$(printf '%s\n' "$site" | grep -v 'brotli_static')
{
  [ -f "$brotli" ] && echo "load_module $brotli;"
  cat <<EOF
daemon off;
master_process off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 64; }
http {
include /etc/nginx/mime.types;
default_type application/octet-stream;
access_log $dir/access.log;
client_body_temp_path $dir/body;
proxy_temp_path $dir/proxy;
fastcgi_temp_path $dir/fastcgi;
uwsgi_temp_path $dir/uwsgi;
scgi_temp_path $dir/scgi;
$site
}
EOF
} >"$dir/nginx.conf"
"$nginx" -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" &
nginx_pid=$!
trap 'kill "$nginx_pid" 2>/dev/null; wait "$nginx_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  kill -0 "$nginx_pid" 2>/dev/null || { echo "nginx stopped; see $dir/error.log" >&2; exit 1; }
  sleep 0.1
done
"${node[@]}" --url "http://127.0.0.1:$port/" "$runs" ${BENCH_ARGS:-}
