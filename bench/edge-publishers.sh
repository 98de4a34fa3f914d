#!/usr/bin/env bash
# Concurrent publishers one RTMP edge holds with no lost record (issue 2). Usage: bench/edge-publishers.sh [20,50] [60]
exec "$(dirname "$0")/run-bench.sh" EdgePublishersBenchmark "${1:-20,50}" "${2:-60}"
