#!/usr/bin/env bash
# Glass-to-glass latency as hls.js reports it in headless Chromium (issue 7). Usage: bench/glass-to-glass.sh [60]
exec "$(dirname "$0")/run-bench.sh" GlassToGlassBenchmark "${1:-60}"
