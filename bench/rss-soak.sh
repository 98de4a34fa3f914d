#!/usr/bin/env bash
# Native-memory soak: runs the whole platform (./livestream up) on a scratch data dir, publishes a 720p30 test
# pattern with the bundled ffmpeg for MINUTES minutes, and samples the platform JVM's RSS every 15 s.
# Usage: bench/rss-soak.sh [MINUTES]   (default 10). Prints "elapsed_s rss_mb" lines and the growth.
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${1:-10}
DATA=$(mktemp -d /tmp/livestream-soak.XXXX)
[ -n "${SKIP_BUILD:-}" ] || ./livestream build >/dev/null
JAR=$(ls devstack/target/devstack-*.jar | head -n1)
java -Xmx2g -XX:NativeMemoryTracking=summary -cp "$JAR:$(cat devstack/target/classpath.txt)" io.livestream.devstack.DevStack --data "$DATA" >"$DATA/platform.log" 2>&1 &
PLATFORM=$!
trap 'kill $PLATFORM 2>/dev/null; wait $PLATFORM 2>/dev/null; rm -rf "$DATA"' EXIT
until grep -q "livestream is ready" "$DATA/platform.log"; do sleep 1; kill -0 $PLATFORM || { cat "$DATA/platform.log"; exit 1; }; done
KEY=$(grep -o "live_[0-9a-f]\{32\}" "$DATA/platform.log" | head -n1)
FF=$(find ~/.javacpp/cache -path '*linux-x86_64-gpl*' -name ffmpeg -type f | head -n1)
LD_LIBRARY_PATH=$(dirname "$FF") "$FF" -hide_banner -loglevel error -re -f lavfi -i testsrc2=size=1280x720:rate=30 \
  -f lavfi -i sine=frequency=440 -t $((MINUTES * 60)) -c:v libx264 -preset veryfast -tune zerolatency -g 60 -b:v 2500k \
  -pix_fmt yuv420p -c:a aac -f flv "rtmp://localhost:1935/live/$KEY" &
FFPID=$!
START=$(date +%s)
FIRST=""
while kill -0 $FFPID 2>/dev/null; do
  RSS=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$PLATFORM/status)
  NOW=$(( $(date +%s) - START ))
  if [ -z "$FIRST" ] && [ $NOW -ge 60 ]; then
    FIRST=$RSS
    jcmd $PLATFORM VM.native_memory baseline >/dev/null
  fi
  echo "$NOW $RSS"
  sleep 15
done
LAST=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$PLATFORM/status)
echo "rss after warm-up (60 s): ${FIRST} MB, at the end: ${LAST} MB, growth: $((LAST - FIRST)) MB over $((MINUTES - 1)) min"
# What the JVM itself committed since the warm-up (heap, threads, code, GC...): RSS growth beyond it is memory the
# JVM does not track, i.e. native libraries (FFmpeg, RocksDB) and the page cache of Kafka's memory-mapped indexes.
jcmd $PLATFORM VM.native_memory summary.diff scale=MB | grep -E "^Total|Java Heap|- +Thread|- +Class|- +Code|- +GC|- +Other|- +Internal" | sed 's/^/  /'
echo "java heap in use at the end: $(jcmd $PLATFORM GC.heap_info | grep -o 'used [0-9]*K' | head -n1)"
