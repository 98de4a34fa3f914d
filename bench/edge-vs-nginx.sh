#!/usr/bin/env bash
# Our RTMP edge vs nginx-rtmp, side by side in one run: N publishers x 2.5 Mbit/s -c copy for S seconds, CPU and RSS
# of each server and the ratio (issue 13). Usage: bench/edge-vs-nginx.sh [publishers=50] [seconds=30]
# EDGE_JVM_OPTS="..." replaces the edge's production JVM options (to measure a flag's before/after).
set -euo pipefail
if [ ! -x /usr/sbin/nginx ] || [ ! -f /usr/lib/nginx/modules/ngx_rtmp_module.so ]; then
  apt-get install -y nginx libnginx-mod-rtmp >&2
fi
exec "$(dirname "$0")/run-bench.sh" EdgeVsNginxBenchmark "${1:-50}" "${2:-30}"
