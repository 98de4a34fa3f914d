#!/usr/bin/env bash
# Installs what the platform needs beyond Java 17 and Maven, from Debian's apt: libpulse0, which the FFmpeg libraries
# and programs from the bytedeco jar link against; with --tests also Chromium and its driver for the browser test;
# with --cluster what `./livestream cluster up` runs besides Java: nginx with its stream module (the RTMP balancer
# and the HLS cache) and redis-server.
# Kafka, Redis (dev stack), Flink, FFmpeg and hls.js come from Maven Central / the npm registry during the build.
# Idempotent: a no-op when everything is present. Flags combine: --tests --cluster.
set -euo pipefail
tests=false
cluster=false
for arg in "$@"; do
  case "$arg" in
    --tests) tests=true ;;
    --cluster) cluster=true ;;
    *) echo "ensure-prerequisites: unknown flag $arg" >&2; exit 2 ;;
  esac
done
missing=()
if $tests; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  # GStreamer publishes from a non-ffmpeg encoder in GStreamerPublishEndToEndTest (x264enc: ugly, rtmp2sink: bad, avenc_aac: libav)
  for p in gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
fi
if $cluster; then
  [ -x /usr/sbin/nginx ] || missing+=(nginx)
  [ -f /usr/lib/nginx/modules/ngx_stream_module.so ] || missing+=(libnginx-mod-stream)
  [ -x /usr/bin/redis-server ] || missing+=(redis-server)
fi
ldconfig -p 2>/dev/null | grep -q 'libpulse.so.0' || missing+=(libpulse0)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing prerequisites from apt: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # policy-rc.d 101: the packages' own services (nginx on 80, redis on 6379) must not start; the cluster runs its own
  own_policy=false
  if $cluster && [ ! -e /usr/sbin/policy-rc.d ]; then
    $SUDO sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d'
    own_policy=true
  fi
  $SUDO apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 || { $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q "${missing[@]}"; }
  if $own_policy; then $SUDO rm -f /usr/sbin/policy-rc.d; fi
fi
$tests && echo "test prerequisites: ok (java $(java -version 2>&1 | head -n1 | cut -d'"' -f2), $(/usr/bin/chromium --version 2>/dev/null | head -n1))"
$cluster && echo "cluster prerequisites: ok ($(/usr/sbin/nginx -v 2>&1), $(/usr/bin/redis-server --version | cut -d' ' -f1-3))"
exit 0
