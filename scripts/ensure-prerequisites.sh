#!/usr/bin/env bash
# Installs what the platform needs beyond Java 17 and Maven, from Debian's apt: libpulse0, which the FFmpeg libraries
# and programs from the bytedeco jar link against, and with --tests also Chromium and its driver for the browser test.
# Kafka, Redis, Flink, FFmpeg and hls.js come from Maven Central / the npm registry during the build.
# Idempotent: a no-op when everything is present.
set -euo pipefail
missing=()
if [ "${1:-}" = "--tests" ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
fi
ldconfig -p 2>/dev/null | grep -q 'libpulse.so.0' || missing+=(libpulse0)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing prerequisites from apt: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 || { $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q "${missing[@]}"; }
fi
[ "${1:-}" = "--tests" ] && echo "test prerequisites: ok (java $(java -version 2>&1 | head -n1 | cut -d'"' -f2), $(/usr/bin/chromium --version 2>/dev/null | head -n1))"
exit 0
