#!/usr/bin/env bash
# Heartbeats per second the audience job sustains on a Flink MiniCluster, with the counts checked (issue 5).
# Usage: bench/audience.sh [viewers:streams,...=10000:1,200000:1,100000:100] [event-time span seconds=40] [parallelism=1] [memory|kafka]
#   memory: a generator source feeds the job directly; kafka: the heartbeats are produced to the embedded Kafka first
#   and read back by the job's Kafka source (bounded at the end offsets).
exec "$(dirname "$0")/run-bench.sh" AudienceBenchmark "${1:-10000:1,200000:1,100000:100}" "${2:-40}" "${3:-1}" "${4:-memory}"
