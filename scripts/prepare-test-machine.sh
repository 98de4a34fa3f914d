#!/usr/bin/env bash
# Installs what the test suite needs beyond Java 17 and Maven. Idempotent; a no-op when all is present.
# ffmpeg/ffprobe, Kafka and Redis come from Maven artifacts, so nothing is needed for them here.
set -euo pipefail
echo "test prerequisites: ok (java $(java -version 2>&1 | head -n1 | cut -d'"' -f2), $(mvn -v 2>/dev/null | head -n1 | cut -d' ' -f1-3))"
