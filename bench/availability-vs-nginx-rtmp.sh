#!/usr/bin/env bash
# Segment availability from publisher launch, nginx-rtmp's HLS vs our pipeline, the same clip and poller in one run
# (issue 13). Usage: bench/availability-vs-nginx-rtmp.sh [seconds=40]
set -euo pipefail
if [ ! -x /usr/sbin/nginx ] || [ ! -f /usr/lib/nginx/modules/ngx_rtmp_module.so ]; then
  apt-get install -y nginx libnginx-mod-rtmp >&2
fi
exec "$(dirname "$0")/run-bench.sh" AvailabilityVsNginxRtmpBenchmark "${1:-40}"
