#!/usr/bin/env bash
# FAILOVER.md's figures: the failover suite with every fault repeated TRIALS times (default 5) on one cluster, then
# the table of medians and worst cases per fault (also in devstack/target/failover-table.md; every trial's raw
# figures in devstack/target/failover-results.jsonl).
#   bench/failover.sh            # 5 trials per fault
#   TRIALS=1 bench/failover.sh
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f devstack/target/failover-results.jsonl
./livestream test --failover -Dfailover.trials="${TRIALS:-5}" || status=$?
echo
cat devstack/target/failover-table.md
exit "${status:-0}"
