#!/usr/bin/env bash
# Overload (issue 13): N 1080p publishers through edge, Kafka, the transcode job and the origin; availability per
# stream with the overload policy on (catch-up lag 5000 ms) or off (0). Usage: bench/overload.sh [3] [90] [5000]
exec "$(dirname "$0")/run-bench.sh" OverloadBenchmark "${1:-3}" "${2:-90}" "${3:-5000}"
