#!/usr/bin/env bash
# Chat fan-out (issue 5): one gateway + Kafka + Redis + the chat job on a Flink MiniCluster, N WebSocket clients in one
# room, M messages/s submitted per step: messages in/s, deliveries/s, submit-to-delivery p50/p99, and per hop
# (gateway, Kafka, the chat job, Redis, the fan-out) where each message's time went.
# Usage: bench/chat-fanout.sh [clients=5000] [rates=5,10,25,50] [seconds per rate=15]
exec "$(dirname "$0")/run-bench.sh" ChatFanoutBenchmark "${1:-5000}" "${2:-5,10,25,50}" "${3:-15}"
