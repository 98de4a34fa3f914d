// Watch page: hls.js in low-latency mode, a quality menu, latency to live, the viewer count and the chat panel.
const streamId = decodeURIComponent(location.pathname.split('/').pop());
const params = new URLSearchParams(location.search);
const video = document.getElementById('video');
const status = document.getElementById('status');
// one viewer session per page load, sent in the player beacon (below); media URLs stay the same for every viewer,
// so the cache in front of the origins collapses their requests
const vsid = (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2)).replace(/-/g, '');
const source = params.get('src') || '/live/' + encodeURIComponent(streamId) + '/master.m3u8';
window.playerState = { fatalError: null, levels: 0 };

function startPlayer() {
  if (window.Hls && Hls.isSupported()) {
    const hls = new Hls({
      lowLatencyMode: true, // target latency = the playlist's PART-HOLD-BACK
      maxLiveSyncPlaybackRate: 1.1, // catch up gently after a stall instead of staying behind
    });
    window.hls = hls;
    hls.on(Hls.Events.MANIFEST_PARSED, (_, data) => {
      const select = document.getElementById('quality');
      select.replaceChildren(ls.el('option', { value: '-1', textContent: 'Auto' }),
        ...data.levels.map((level, i) => ls.el('option', { value: String(i), textContent: (level.height || '?') + 'p · ' + Math.round(level.bitrate / 1000) + ' kbit/s' })));
      window.playerState.levels = data.levels.length;
      video.play().catch(() => { status.textContent = 'press play to start'; });
    });
    hls.on(Hls.Events.ERROR, (_, data) => {
      if (!data.fatal) return;
      window.playerState.fatalError = data.type + ': ' + data.details;
      status.textContent = 'playback error, retrying…';
      if (data.type === Hls.ErrorTypes.NETWORK_ERROR) setTimeout(() => hls.startLoad(), 2000);
      else if (data.type === Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
    });
    document.getElementById('quality').addEventListener('change', e => { hls.currentLevel = Number(e.target.value); });
    hls.loadSource(source);
    hls.attachMedia(video);
    setInterval(() => {
      const latency = hls.latency;
      document.getElementById('latency').textContent = Number.isFinite(latency) && latency > 0 ? latency.toFixed(1) + ' s' : '–';
    }, 1000);
  } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
    video.src = source; // Safari plays HLS natively
  } else {
    status.textContent = 'this browser cannot play HLS';
  }
}

async function refreshStream() {
  try {
    const s = await ls.json('/api/streams/' + encodeURIComponent(streamId));
    document.getElementById('title').textContent = s.title || streamId;
    document.title = 'livestream: ' + (s.title || streamId);
    document.getElementById('viewers').textContent = s.viewerCount ?? 0;
    status.textContent = s.status === 'live' ? (s.reconnecting ? 'reconnecting…' : 'live') : s.status;
  } catch (e) {
    status.textContent = e.message;
  }
}

// --- chat -----------------------------------------------------------------------------------------------------------
const messages = document.getElementById('messages');
let socket = null;
let role = 'viewer';

function addLine(user, text, cls) {
  const item = ls.el('li', { className: cls || '' });
  if (user) item.append(ls.el('span', { className: 'user', textContent: user }));
  item.append(document.createTextNode(text)); // text, never HTML
  messages.append(item);
  while (messages.children.length > 300) messages.firstChild.remove();
  messages.scrollTop = messages.scrollHeight;
}

function onFrame(frame) {
  switch (frame.type) {
    case 'welcome': role = frame.role; document.getElementById('mod').classList.toggle('on', role !== 'viewer'); break;
    case 'history': frame.messages.forEach(m => addLine(m.user, m.text)); break;
    case 'message': addLine(frame.message.user, frame.message.text); break;
    case 'moderation': addLine(null, frame.action + (frame.target ? ' ' + frame.target : '') + ' by ' + (frame.by || 'a moderator'), 'system'); break;
    case 'error': addLine(null, frame.message || frame.code, 'system error'); break;
  }
}

async function connectChat(token) {
  const config = await ls.webConfig();
  const url = config.chatWsUrl + '/chat/' + encodeURIComponent(streamId) + (token ? '?token=' + encodeURIComponent(token) : '');
  if (socket) { socket.onclose = null; socket.onmessage = null; socket.close(1000); }
  socket = new WebSocket(url);
  socket.onmessage = e => onFrame(JSON.parse(e.data));
  socket.onclose = e => { if (e.code !== 1000) addLine(null, 'chat disconnected' + (e.reason ? ': ' + e.reason : ''), 'system'); };
  window.chatSocket = socket;
}

document.getElementById('join').addEventListener('submit', async e => {
  e.preventDefault();
  const username = document.getElementById('username').value.trim();
  const config = await ls.webConfig();
  const body = { username, streamId };
  const owner = JSON.parse(localStorage.getItem('livestream.owned') || '{}')[streamId];
  if (owner) body.broadcasterToken = owner.broadcasterToken;
  try {
    const token = await ls.json(config.chatHttpUrl + '/api/chat/token', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    messages.replaceChildren();
    await connectChat(token.token);
    document.getElementById('text').disabled = false;
    document.getElementById('sendButton').disabled = false;
    document.getElementById('join').hidden = true;
    document.getElementById('text').focus();
  } catch (err) {
    addLine(null, 'could not join: ' + err.message, 'system error');
  }
});

document.getElementById('send').addEventListener('submit', e => {
  e.preventDefault();
  const input = document.getElementById('text');
  const text = input.value.trim();
  if (!text || !socket || socket.readyState !== WebSocket.OPEN) return;
  socket.send(JSON.stringify({ type: 'send', text }));
  input.value = '';
});

document.getElementById('mod').addEventListener('click', e => {
  const action = e.target.dataset && e.target.dataset.action;
  if (!action || !socket) return;
  const frame = { type: 'moderate', action };
  const target = document.getElementById('modTarget').value.trim();
  if (['ban', 'unban', 'timeout'].includes(action)) frame.target = target;
  if (action === 'timeout') frame.seconds = 600;
  if (action === 'slow') frame.seconds = 10;
  socket.send(JSON.stringify(frame));
});

// --- player beacon ---------------------------------------------------------------------------------------------------
// While the video plays, a heartbeat every BEACON_MS to the heartbeat route (the chat gateway batches them into
// live.viewer-heartbeats for the audience job, whose 30 s windows see three of them): viewers are counted from what
// players say, not from playlist requests, which the cache answers without the origin
const BEACON_MS = 10000;
let lastBeacon = 0;

function currentRendition() {
  const hls = window.hls;
  const level = hls && hls.levels && hls.levels[hls.currentLevel >= 0 ? hls.currentLevel : hls.loadLevel];
  const match = level && /\/([^/]+)\/[^/]*\.m3u8/.exec(level.uri || level.url || '');
  return match ? decodeURIComponent(match[1]) : undefined;
}

function beacon() {
  if (video.paused || video.ended) return;
  lastBeacon = Date.now();
  fetch('/api/streams/' + encodeURIComponent(streamId) + '/heartbeat', {
    method: 'POST', keepalive: true, headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ vsid, rendition: currentRendition() }),
  }).catch(() => {}); // a lost beacon is one of three in the window
}

video.addEventListener('playing', () => { if (Date.now() - lastBeacon > BEACON_MS / 2) beacon(); });
setInterval(beacon, BEACON_MS);

startPlayer();
refreshStream();
setInterval(refreshStream, 5000);
connectChat(null); // read-only until a name is picked
