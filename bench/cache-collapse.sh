#!/usr/bin/env bash
# docs/capacity.md's scaled-down check of the capacity model: VIEWERS simulated LL-HLS players (blocking reload, then
# the part) on the demo stream's 360p rendition through the cluster's nginx cache in front of its two origins, for
# SECONDS; prints the origins' request rate and CPU as the model predicts them and as measured, beside what the
# viewers asked of the cache. Brings the one-machine cluster up (./livestream cluster up) if it is not running, and
# leaves it as it found it.
# Usage: bench/cache-collapse.sh [VIEWERS=1000] [SECONDS=60]   env: SKIP_BUILD=1
set -euo pipefail
cd "$(dirname "$0")/.."
VIEWERS=${1:-1000}
SECONDS_RUN=${2:-60}
started=
if ! ./livestream cluster status --json 2>/dev/null | grep -q '"role":"balancer","index":1,"pid":[0-9]*,"ports":\[[0-9,]*\],"up":true'; then
  ./livestream cluster up >&2
  started=1
fi
trap '[ -n "$started" ] && ./livestream cluster down >&2' EXIT
if [ -z "${SKIP_BUILD:-}" ]; then
  # in the reactor (-am): the sibling modules resolve to their target/ directories, nothing is installed
  mvn -B -q -DskipTests -pl devstack -am test-compile dependency:build-classpath -DincludeScope=test -Dmdep.outputFile=target/test-classpath.txt >&2
fi
FF=$(find ~/.javacpp/cache -path '*linux-x86_64-gpl*' -name ffmpeg -type f | head -n1)
export LD_LIBRARY_PATH=$(dirname "$FF")
java -Xmx2g -cp "devstack/target/test-classes:devstack/target/classes:$(cat devstack/target/test-classpath.txt)" \
  io.livestream.devstack.bench.CacheCollapseCheck "$VIEWERS" "$SECONDS_RUN"
