#!/usr/bin/env bash
# Segment availability latency through edge, Kafka, Flink and origin (issue 3). Usage: bench/segment-latency.sh [60] [veryfast]
exec "$(dirname "$0")/run-bench.sh" SegmentLatencyBenchmark "${1:-60}" "${2:-veryfast}"
