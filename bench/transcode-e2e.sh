#!/usr/bin/env bash
# The whole pipeline (publish -c copy as fast as the edge takes it -> Kafka -> transcode job -> every rung ended at
# the origin) vs the ffmpeg program making the same ladder from the same clip, in one run (issue 13).
# Usage: bench/transcode-e2e.sh [seconds=30] [height=1080]
exec "$(dirname "$0")/run-bench.sh" TranscodePipelineBenchmark "${1:-30}" "${2:-1080}"
