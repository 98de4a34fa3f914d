#!/usr/bin/env bash
# Glass-to-glass latency per player in headless Chromium (issues 7 and 12), one player after the other on one live
# stream. Usage: bench/glass-to-glass.sh [seconds=60] [players=hlsjs,shaka,videojs,dashjs] [part-target-ms=250]
exec "$(dirname "$0")/run-bench.sh" GlassToGlassBenchmark "${1:-60}" "${2:-hlsjs,shaka,videojs,dashjs}" "${3:-250}"
