#!/usr/bin/env bash
# Soak (issue 14): the dev stack (one platform JVM, its Kafka and Redis) for MINUTES minutes under a steady audience:
#   - three publishers (the bundled ffmpeg, SIZE at 30 fps, 1 s GOPs); the third stops cleanly and reconnects every
#     5 minutes (a new session each time), the other two publish throughout;
#   - VIEWERS viewers polling the LL-HLS playlists (SoakLoad; SOAK_VIEWER_MODE=parts for low-latency ones) spread
#     over the streams;
#   - CHAT_RATE chat messages/s posted through the API host, one WebSocket per room counting deliveries.
# Every 30 s a line: the platform JVM's RSS, heap in use, threads, open files; Kafka's disk; Redis's memory; the
# platform log's ERROR lines so far. At the end: flatness after the warm-up (first 5 minutes, or 1/6 of a short run),
# frames in (each ffmpeg's own count) = frames out (every rendition of every recorded session, counted by ffprobe
# from the origin's VOD playlists), chat accepted = delivered, viewer requests by answer.
# Usage: bench/soak.sh [MINUTES=60]    env: SKIP_BUILD=1, SOAK_VIEWERS=200, SOAK_CHAT_RATE=20, SOAK_SIZE=426x240,
#        SOAK_LADDER=source,144p:150 (three streams the dev stack keeps up with on 2 cores: one transcode subtask
#        encodes its streams one frame at a time, and 854x480 or 640x360 with a lower rung
#        rung fell minutes behind, an overload the soak is not about), SOAK_OUT=target/soak (samples.txt, summary.txt, logs). Needs ports 1935, 8080,
#        8081, 8090, 9092, 6379 free (the dev stack's defaults).
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${1:-60}
VIEWERS=${SOAK_VIEWERS:-200}
CHAT_RATE=${SOAK_CHAT_RATE:-20}
# segments: a viewer reloads the LL-HLS playlist once a second and fetches each new segment; parts: a low-latency
# player (blocking reload, then each part: three times the requests, more than these 2 cores serve beside the rest)
VIEWER_MODE=${SOAK_VIEWER_MODE:-segments}
SIZE=${SOAK_SIZE:-426x240}
LADDER=${SOAK_LADDER:-source,144p:150}
OUT=${SOAK_OUT:-target/soak}
RECONNECT_S=300
SAMPLE_S=30
SECONDS_TOTAL=$((MINUTES * 60))
LOWEST=$(echo "$LADDER" | tr ',' '\n' | tail -n1 | cut -d: -f1) # the rendition the viewers play
WARMUP_S=$(( SECONDS_TOTAL / 6 < 300 ? SECONDS_TOTAL / 6 : 300 ))
mkdir -p "$OUT"; rm -f "$OUT"/*.log "$OUT"/*.txt "$OUT"/*.progress
DATA=$(mktemp -d /tmp/livestream-soak.XXXX)

if [ -z "${SKIP_BUILD:-}" ]; then
  echo "building..." >&2
  mvn -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -DincludeScope=runtime -pl devstack -am >&2
  mvn -B -q -DskipTests -pl devstack -am test-compile dependency:build-classpath -DincludeScope=test -Dmdep.outputFile=target/test-classpath.txt >&2
fi
bash scripts/ensure-prerequisites.sh >&2
FF=$(find ~/.javacpp/cache -path '*linux-x86_64-gpl*' -name ffmpeg -type f | head -n1)
FFPROBE=$(dirname "$FF")/ffprobe
export LD_LIBRARY_PATH=$(dirname "$FF")
JAR=$(ls devstack/target/devstack-*.jar | head -n1)

PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  [ -n "${PLATFORM:-}" ] && { kill "$PLATFORM" 2>/dev/null; wait "$PLATFORM" 2>/dev/null || true; }
  echo "the platform's data (recordings, Kafka, logs) stays in $DATA" >&2
}
trap cleanup EXIT

echo "platform: ./livestream up on $DATA, ladder $LADDER" >&2
java -Xmx3g -cp "$JAR:$(cat devstack/target/classpath.txt)" io.livestream.devstack.DevStack --data "$DATA" --ladder "$LADDER" \
  >"$OUT/platform.log" 2>&1 &
PLATFORM=$!
until grep -q "livestream is ready" "$OUT/platform.log" 2>/dev/null; do
  sleep 1; kill -0 $PLATFORM 2>/dev/null || { tail -40 "$OUT/platform.log"; exit 1; }
done
TOKEN=$(cat "$DATA/admin.token")
IDS=(); KEYS=()
for i in 1 2 3; do
  body=$(curl -sf -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"title\":\"soak $i\",\"broadcasterId\":\"soak\"}" http://localhost:8080/api/streams)
  IDS+=("$(echo "$body" | grep -o '"id":"[^"]*"' | head -n1 | cut -d'"' -f4)")
  KEYS+=("$(echo "$body" | grep -o '"streamKey":"[^"]*"' | cut -d'"' -f4)")
done
echo "streams ${IDS[*]}; $VIEWERS viewers ($VIEWER_MODE), $CHAT_RATE chat messages/s, $MINUTES min" >&2

publish() { # key seconds progress-file log
  "$FF" -hide_banner -loglevel error -nostats -progress "$3" -re -f lavfi -i "testsrc2=size=$SIZE:rate=30" \
    -f lavfi -i sine=frequency=440:sample_rate=48000 -t "$2" -c:v libx264 -preset ultrafast -tune zerolatency -g 30 -bf 0 \
    -b:v 1500k -pix_fmt yuv420p -c:a aac -b:a 96k -f flv "rtmp://localhost:1935/live/$1" >>"$4" 2>&1
}
START=$(date +%s)
for i in 0 1; do
  publish "${KEYS[$i]}" "$SECONDS_TOTAL" "$OUT/publisher-$i.progress" "$OUT/publisher-$i.log" &
  PIDS+=($!)
done
( # the reconnecting publisher: clean stops, a new session every RECONNECT_S
  n=0
  while [ $(( $(date +%s) - START + 10 )) -lt "$SECONDS_TOTAL" ]; do
    left=$(( SECONDS_TOTAL - ($(date +%s) - START) ))
    publish "${KEYS[2]}" $(( left < RECONNECT_S ? left : RECONNECT_S )) "$OUT/publisher-2-$n.progress" "$OUT/publisher-2.log" || true
    n=$((n + 1)); sleep 2
  done
) &
PIDS+=($!)
sleep 5 # the streams go live before the audience arrives
java -Xmx1g -cp "devstack/target/test-classes:devstack/target/classes:$(cat devstack/target/test-classpath.txt)" \
  io.livestream.devstack.bench.SoakLoad http://localhost:8080 ws://localhost:8090 "$(IFS=,; echo "${IDS[*]}")" \
  "$VIEWERS" "$CHAT_RATE" $((SECONDS_TOTAL - 5)) "$LOWEST" "$VIEWER_MODE" >"$OUT/load.txt" 2>"$OUT/load.log" &
LOAD=$!
PIDS+=($LOAD)

sample() { # never fails the run: a probe that races (du while Kafka deletes a segment) prints what it got
  set +e +o pipefail
  local pid=$PLATFORM now rss heap threads fds kafka redis errors
  now=$(( $(date +%s) - START ))
  rss=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status)
  threads=$(awk '/Threads/ {print $2}' /proc/$pid/status)
  fds=$(ls /proc/$pid/fd | wc -l)
  heap=$(jcmd $pid GC.heap_info 2>/dev/null | grep -o 'used [0-9]*K' | head -n1 | tr -dc 0-9)
  kafka=$(du -sm "$DATA"/kafka* 2>/dev/null | awk '{s += $1} END {print s + 0}')
  redis=$(redis-cli -p 6379 info memory 2>/dev/null | awk -F: '/^used_memory:/ {print int($2/1048576)}' | tr -d '\r')
  errors=$(grep -c " ERROR " "$OUT/platform.log" || true)
  # how far behind live the furthest stream is: now minus its newest segment's PROGRAM-DATE-TIME, end included
  lag=$(for id in "${IDS[@]}"; do
      pdt=$(curl -s -m 2 "http://localhost:8080/live/$id/$LOWEST/index.m3u8" | grep PROGRAM-DATE-TIME | tail -n1 | cut -d: -f2-)
      [ -n "$pdt" ] && echo $(( $(date +%s%3N) - $(date -d "$pdt" +%s%3N) ))
    done | sort -n | tail -n1)
  echo "$now $rss $(( ${heap:-0} / 1024 )) $threads $fds $kafka ${redis:-?} $errors ${lag:-?}"
  set -e -o pipefail
}
echo "# elapsed_s rss_mb heap_used_mb threads open_files kafka_disk_mb redis_used_mb error_lines max_behind_live_ms" | tee "$OUT/samples.txt"
while kill -0 $LOAD 2>/dev/null; do
  sample | tee -a "$OUT/samples.txt"
  sleep $SAMPLE_S
done
wait "${PIDS[@]}" 2>/dev/null || true
sleep 15 # the last sessions end and their recordings close
sample | tee -a "$OUT/samples.txt"

set +e +o pipefail # the summary reads what it can; a failed count shows as such instead of ending the run
{
  echo "soak: $MINUTES min, 3 publishers $SIZE@30 (one reconnecting every $((RECONNECT_S / 60)) min), ladder $LADDER, $VIEWERS viewers ($VIEWER_MODE), $CHAT_RATE chat msg/s"
  awk -v w=$WARMUP_S '!/^#/ && $1 >= w { for (i = 2; i <= 9; i++) { if (!(i in lo) || $i < lo[i]) lo[i] = $i; if ($i > hi[i]) hi[i] = $i; last[i] = $i }
      if (!seen) { for (i = 2; i <= 9; i++) first[i] = $i; seen = 1 } }
    END { split("rss_mb heap_used_mb threads open_files kafka_disk_mb redis_used_mb error_lines behind_live_ms", n, " ");
      printf "after the warm-up (%d s): metric first -> last [min, max]\n", w;
      for (i = 2; i <= 9; i++) printf "  %-14s %s -> %s [%s, %s]\n", n[i - 1], first[i], last[i], lo[i], hi[i] }' "$OUT/samples.txt"
  echo "error lines in the platform log: $(grep -c " ERROR " "$OUT/platform.log" || true)"
  echo "frames (video) in = out, per stream:"
  for i in 0 1 2; do
    in=0
    for f in "$OUT"/publisher-$i.progress "$OUT"/publisher-$i-*.progress; do
      [ -f "$f" ] && in=$(( in + $(grep -o '^frame=[0-9]*' "$f" | tail -n1 | cut -d= -f2) ))
    done
    sessions=$(curl -sf "http://localhost:8080/api/streams/${IDS[$i]}/recordings" | grep -o '"sessionId":"[^"]*"' | cut -d'"' -f4)
    for r in $(echo "$LADDER" | tr ',' '\n' | cut -d: -f1); do
      out=0
      for s in $sessions; do
        n=$("$FFPROBE" -v error -select_streams v:0 -count_packets -show_entries stream=nb_read_packets -of csv=p=0 \
          "http://localhost:8080/vod/$s/$r/index.m3u8" 2>>"$OUT/ffprobe.log" | tr -dc '0-9\n' | sed -n 1p)
        out=$(( out + ${n:-0} ))
        listed=$(curl -s "http://localhost:8080/vod/$s/$r/index.m3u8" | grep -c EXTINF)
        echo "    session $s $r: $listed segments listed, ${n:-?} frames read" >>"$OUT/recordings.txt"
      done
      echo "  stream $((i + 1)) ($(echo "$sessions" | wc -w) sessions) $r: in $in, out $out, lost $(( in - out ))"
    done
  done
  echo "audience and chat (SoakLoad):"
  sed 's/^/  /' "$OUT/load.txt"
} | tee "$OUT/summary.txt"
