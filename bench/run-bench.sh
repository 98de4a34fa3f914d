#!/usr/bin/env bash
# Runs a benchmark main from devstack's test sources (package io.livestream.devstack.bench) with the test classpath.
# Usage: bench/run-bench.sh ClassName [args...]   e.g. bench/run-bench.sh EdgePublishersBenchmark 20,50 60
# Set SKIP_BUILD=1 to reuse the last build, BENCH_JAVA_OPTS for more JVM options.
set -euo pipefail
cd "$(dirname "$0")/.."
main="$1"; shift
# the benchmarks use what the tests and the cluster use (Chromium and its driver, GStreamer, nginx, Redis); a no-op when present
bash scripts/ensure-prerequisites.sh --tests --cluster >&2
if [ -z "${SKIP_BUILD:-}" ]; then
  # in the reactor (-am): the sibling modules resolve to their target/ directories, nothing is installed in ~/.m2
  mvn -B -q -DskipTests -pl devstack -am test-compile dependency:build-classpath -DincludeScope=test -Dmdep.outputFile=target/test-classpath.txt >&2
fi
# BENCH_JAVA_OPTS go after the defaults, so they can override them (e.g. a fixed, pre-touched heap for RSS figures)
exec java -Xmx4g ${BENCH_JAVA_OPTS:-} -cp "devstack/target/test-classes:devstack/target/classes:$(cat devstack/target/test-classpath.txt)" \
  "io.livestream.devstack.bench.$main" "$@"
