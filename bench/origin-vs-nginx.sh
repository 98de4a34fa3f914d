#!/usr/bin/env bash
# Our origin vs nginx serving the same playlist and segment, side by side (wrk). Needs Debian's nginx and wrk:
#   sudo apt-get install -y nginx-light wrk
# Usage: bench/origin-vs-nginx.sh [seconds=10] [connections=64] [rounds=1]
exec "$(dirname "$0")/run-bench.sh" OriginVsNginxBenchmark "${1:-10}" "${2:-64}" "${3:-1}"
