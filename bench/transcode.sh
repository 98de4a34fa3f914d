#!/usr/bin/env bash
# Real-time factor of our transcoder vs the ffmpeg program on the same ladder (issue 3).
# Usage: bench/transcode.sh [720,1080] [seconds=20] [preset=veryfast] [ladder=source,720p:2800,480p:1400,360p:800]
exec "$(dirname "$0")/run-bench.sh" TranscodeBenchmark "${1:-720,1080}" "${2:-20}" "${3:-veryfast}" ${4:+"$4"}
