// Plays one playlist in one of the third-party players the platform is checked with (Shaka Player in low-latency
// mode, video.js with its HLS engine VHS, hls.js in low-latency mode; dash.js in low-latency mode on the LL-DASH
// manifest, /live/{id}/manifest.mpd) and reports its state in window.playerState:
// currentTime, latency (seconds behind live, by the player's own measure), fatalError (null while none).
'use strict';

window.playerState = { player: null, fatalError: null, latency: null, latencyBasis: null, currentTime: 0, lowLatency: null };
const params = new URLSearchParams(location.search);
const which = params.get('player') || 'shaka';
const src = params.get('src');
const video = document.getElementById('video');

function fail(message) {
  window.playerState.fatalError = String(message);
  document.getElementById('status').textContent = 'fatal: ' + message;
}

function load(script) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = script;
    s.onload = resolve;
    s.onerror = () => reject(new Error('could not load ' + script));
    document.head.appendChild(s);
  });
}

function report(latency, basis) {
  window.playerState.latency = Number.isFinite(latency) ? latency : null;
  window.playerState.latencyBasis = basis;
  document.getElementById('latency').textContent = Number.isFinite(latency) ? latency.toFixed(2) + ' s (' + basis + ')' : '–';
}

async function shaka() {
  await load('/static/vendor/shaka-player.compiled.js');
  window.shaka.polyfill.installAll();
  if (!window.shaka.Player.isBrowserSupported()) throw new Error('Shaka Player: browser not supported');
  const player = new window.shaka.Player();
  await player.attach(video);
  // retries as a production player would have them: one part request that misses (the origin's window moved on
  // a loaded box) is tried again instead of ending playback after Shaka's default two attempts
  const retry = { maxAttempts: 6, baseDelay: 250, backoffFactor: 2, fuzzFactor: 0.5, timeout: 10000 };
  player.configure({ streaming: { lowLatencyMode: true, retryParameters: retry }, manifest: { retryParameters: retry } });
  // the error's data (for a network error: the URI and the HTTP status) says which request failed
  player.addEventListener('error', e => {
    if (e.detail && e.detail.severity === 2) fail('shaka ' + e.detail.code + ' ' + JSON.stringify(e.detail.data || []).slice(0, 300));
  });
  await player.load(src);
  setInterval(() => {
    const at = player.getPlayheadTimeAsDate(); // from EXT-X-PROGRAM-DATE-TIME
    if (at) report((Date.now() - at.getTime()) / 1000, 'program date-time');
  }, 250);
}

async function videojs() {
  await load('/static/vendor/video.min.js');
  video.classList.add('video-js');
  const player = window.videojs(video, { liveui: true, html5: { vhs: { overrideNative: true, llhls: true } } });
  player.on('error', () => { const e = player.error(); fail('video.js ' + (e ? e.code + ' ' + e.message : 'error')); });
  player.src({ src: src, type: 'application/x-mpegURL' });
  player.play().catch(() => {}); // muted autoplay; a refusal is not a player failure
  setInterval(() => {
    // VHS gives no program date-time clock: the distance to the live edge, by its tracker or the seekable range
    const tracker = player.liveTracker;
    if (tracker && tracker.isLive() && Number.isFinite(tracker.liveCurrentTime())) {
      report(tracker.liveCurrentTime() - player.currentTime(), 'behind the live edge');
    } else {
      const seekable = player.seekable();
      if (seekable && seekable.length) report(seekable.end(seekable.length - 1) - player.currentTime(), 'behind the seekable end');
    }
  }, 250);
}

async function hlsjs() {
  await load('/static/vendor/hls.min.js');
  const hls = new window.Hls({ lowLatencyMode: true });
  hls.on(window.Hls.Events.ERROR, (_, data) => { if (data.fatal) fail('hls.js ' + data.type + ': ' + data.details); });
  hls.loadSource(src);
  hls.attachMedia(video);
  // glass-to-glass by EXT-X-PROGRAM-DATE-TIME (the edge's clock when the frame arrived), as for Shaka; hls.js's own
  // latency estimate until the first date is known
  setInterval(() => {
    const at = hls.playingDate;
    if (at) report((Date.now() - at.getTime()) / 1000, 'program date-time');
    else report(hls.latency, 'hls.js latency');
  }, 250);
}

async function dashjs() {
  await load('/static/vendor/dash.all.min.js');
  const player = window.dashjs.MediaPlayer().create();
  // dash.js 5 plays low-latency by itself when the MPD says the live segment is incomplete
  // (availabilityTimeComplete=false): it fetches that segment as it grows; liveDelay is its distance to live,
  // kept by speeding up or slowing down playback a little (live catch-up)
  player.updateSettings({
    streaming: {
      delay: { liveDelay: 1.5 },
      liveCatchup: { enabled: true, maxDrift: 1.5, playbackRate: { min: -0.1, max: 0.1 } },
      buffer: { stallThreshold: 0.05 },
      retryAttempts: { MediaSegment: 6 }
    }
  });
  player.on(window.dashjs.MediaPlayer.events.ERROR, e => {
    const error = e && e.error;
    fail('dash.js ' + (error ? error.code + ' ' + error.message : 'error'));
  });
  player.on(window.dashjs.MediaPlayer.events.PLAYBACK_ERROR, e => fail('dash.js playback ' + (e && e.error ? e.error : 'error')));
  player.initialize(video, src, true);
  window.dashPlayer = player;
  // its latency: the wall clock (synchronised to the origin's /time) minus the presentation time being played
  setInterval(() => {
    report(player.getCurrentLiveLatency(), 'dash.js live latency');
    window.playerState.lowLatency = player.getLowLatencyModeEnabled();
  }, 250);
}

const players = { shaka, videojs, hlsjs, dashjs };
window.playerState.player = which;
document.getElementById('player').textContent = which;
setInterval(() => { window.playerState.currentTime = video.currentTime; }, 100);
if (!src) fail('no src parameter');
else if (!players[which]) fail('unknown player ' + which);
else {
  video.play().catch(() => {});
  // the stack says where in the player it failed (its error alone rarely does)
  players[which]().catch(e => fail(e && e.message ? e.message + (e.stack ? ' | ' + e.stack.split('\n').slice(0, 6).join(' < ') : '') : e));
}
