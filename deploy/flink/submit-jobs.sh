#!/bin/bash
# Submits the four jobs of the platform to the session cluster at $JOBMANAGER (host:port of its REST API), each
# detached, skipping any job already running (so re-running this one-shot after a restart is harmless).
#   JOBMANAGER=jobmanager:8081 KAFKA=kafka:9092 REDIS=redis://redis:6379 /opt/submit-jobs.sh
set -euo pipefail
JOBMANAGER="${JOBMANAGER:-jobmanager:8081}"
KAFKA="${KAFKA:-kafka:9092}"
REDIS="${REDIS:-redis://redis:6379}"
JAR=/opt/jobs.jar
CHECKPOINTS="${CHECKPOINTS:-file:///opt/flink/checkpoints}"

echo "waiting for a TaskManager with free slots at $JOBMANAGER..."
for _ in $(seq 1 120); do
    if wget -qO- "http://$JOBMANAGER/overview" | grep -q '"slots-available":[1-9]'; then break; fi
    sleep 2
done

running=$(flink list -m "$JOBMANAGER" -r 2>/dev/null || true)

submit() { # job name (as the job class names it), main class, arguments...
    local name="$1" main="$2"; shift 2
    if grep -q ": $name (RUNNING)" <<<"$running"; then
        echo "$name is already running"
        return
    fi
    echo "submitting $name ($main)"
    # every job sets its own checkpointing and restart strategy (jobs/checkpoint/JobCheckpointing)
    flink run -m "$JOBMANAGER" -d -c "$main" "$JAR" "$@"
}

# each job checkpoints under $CHECKPOINTS/<job name>; the transcoder ends a session's playlists, and the health job's
# lifecycle ends a dropped stream, once the registry's reconnect grace (15 s) is over, as in the dev stack
submit transcode io.livestream.jobs.TranscodeJob --bootstrap "$KAFKA" \
    --ladder "${LADDER:-source,720p:2800,480p:1400,360p:800}" --preset "${PRESET:-veryfast}" \
    --idle-timeout-ms "${RECONNECT_GRACE_MS:-15000}" --checkpoint-dir "$CHECKPOINTS"
submit stream-health io.livestream.jobs.HealthJob --bootstrap "$KAFKA" --redis "$REDIS" \
    --reconnect-grace-ms "${RECONNECT_GRACE_MS:-15000}" --checkpoint-dir "$CHECKPOINTS"
submit chat io.livestream.jobs.ChatJob --bootstrap "$KAFKA" --redis "$REDIS" --checkpoint-dir "$CHECKPOINTS"
submit audience io.livestream.jobs.AudienceJob --bootstrap "$KAFKA" --redis "$REDIS" --checkpoint-dir "$CHECKPOINTS"
echo "all jobs submitted; the dashboard is on port 8081"
