// Broadcaster console. The stream key and broadcaster token are shown once by the API; the token (never the key)
// is kept in this browser's localStorage so the owner can end the stream and rotate the key later. Creating a stream
// needs the operator token: typed in, or passed as /console#operator=<token> (a fragment never reaches a server or its
// logs); it is kept in localStorage too.
const OWNED = 'livestream.owned';
const OPERATOR = 'livestream.operatorToken';
const operatorField = document.getElementById('operatorToken');
const fromFragment = new URLSearchParams(location.hash.substring(1)).get('operator');
if (fromFragment) {
  localStorage.setItem(OPERATOR, fromFragment);
  history.replaceState(null, '', location.pathname);
}
operatorField.value = localStorage.getItem(OPERATOR) || '';
const owned = () => JSON.parse(localStorage.getItem(OWNED) || '{}');
let selected = null;

document.getElementById('create').addEventListener('submit', async e => {
  e.preventDefault();
  document.getElementById('createError').textContent = '';
  try {
    const operator = operatorField.value.trim();
    localStorage.setItem(OPERATOR, operator);
    const s = await ls.json('/api/streams', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + operator },
      body: JSON.stringify({ title: document.getElementById('newTitle').value, broadcasterId: document.getElementById('broadcasterId').value }) });
    const all = owned();
    all[s.id] = { broadcasterToken: s.broadcasterToken, title: s.title };
    localStorage.setItem(OWNED, JSON.stringify(all));
    const url = s.ingestUrl || '';
    document.getElementById('ingestServer').textContent = url.substring(0, url.lastIndexOf('/'));
    document.getElementById('streamKey').textContent = s.streamKey;
    document.getElementById('created').hidden = false;
    await refreshMine();
    select(s.id);
  } catch (err) {
    document.getElementById('createError').textContent = err.message;
  }
});

async function refreshMine() {
  const rows = [];
  for (const id of Object.keys(owned())) {
    try {
      const s = await ls.json('/api/streams/' + encodeURIComponent(id));
      const button = ls.el('button', { type: 'button', className: 'secondary', textContent: 'Open' });
      button.addEventListener('click', () => select(id));
      rows.push(ls.el('tr', {}, ls.el('td', { textContent: s.title }), ls.el('td', { textContent: s.status + (s.reconnecting ? ' (reconnecting)' : '') }),
        ls.el('td', { textContent: String(s.viewerCount ?? 0) }), ls.el('td', { textContent: (s.health && s.health.status) || '–' }), ls.el('td', {}, button)));
    } catch (e) { /* a stream deleted elsewhere */ }
  }
  document.getElementById('mine').replaceChildren(...rows);
}

function authorized(id) {
  return { Authorization: 'Bearer ' + owned()[id].broadcasterToken, 'Content-Type': 'application/json' };
}

async function select(id) {
  selected = id;
  document.getElementById('detail').hidden = false;
  document.getElementById('detail-title').textContent = owned()[id].title || id;
  document.getElementById('watchLink').href = '/watch/' + encodeURIComponent(id);
  document.getElementById('rotated').hidden = true;
  await refreshDetail();
}

document.getElementById('end').addEventListener('click', async () => {
  try {
    await ls.json('/api/streams/' + encodeURIComponent(selected) + '/end', { method: 'POST', headers: authorized(selected), body: '{}' });
    await refreshMine();
  } catch (err) { document.getElementById('detailError').textContent = err.message; }
});

document.getElementById('rotate').addEventListener('click', async () => {
  try {
    const r = await ls.json('/api/streams/' + encodeURIComponent(selected) + '/key/rotate', { method: 'POST', headers: authorized(selected), body: '{}' });
    document.getElementById('rotatedKey').textContent = r.streamKey;
    document.getElementById('rotated').hidden = false;
  } catch (err) { document.getElementById('detailError').textContent = err.message; }
});

function chart(canvas, points, color) {
  const g = canvas.getContext('2d');
  const w = canvas.width, h = canvas.height, now = Date.now(), span = 10 * 60 * 1000;
  g.clearRect(0, 0, w, h);
  const max = Math.max(1, ...points.map(p => p.v)) * 1.15;
  g.fillStyle = '#adadb8';
  g.font = '12px system-ui';
  g.fillText(Math.round(max), 4, 12);
  g.strokeStyle = color;
  g.lineWidth = 2;
  g.beginPath();
  points.forEach((p, i) => {
    const x = w - (now - p.t) / span * w, y = h - p.v / max * h;
    i ? g.lineTo(x, y) : g.moveTo(x, y);
  });
  g.stroke();
}

async function refreshDetail() {
  if (!selected) return;
  try {
    const health = await ls.json('/api/streams/' + encodeURIComponent(selected) + '/health');
    const history = health.history || [];
    const time = w => w.windowEndMs || Date.parse(w.at) || Date.now();
    chart(document.getElementById('bitrateChart'), history.map(w => ({ t: time(w), v: (w.videoKbps || 0) + (w.audioKbps || 0) })), '#9147ff');
    chart(document.getElementById('fpsChart'), history.map(w => ({ t: time(w), v: w.fps || 0 })), '#00c8af');
    const warnings = (health.summary && health.summary.warnings) || [];
    document.getElementById('warnings').textContent = warnings.length ? 'Warnings: ' + warnings.join(', ') : 'No health warnings.';
    const rec = await ls.json('/api/streams/' + encodeURIComponent(selected) + '/recordings');
    document.getElementById('recordings').replaceChildren(...(rec.recordings || []).map(r => ls.el('tr', {},
      ls.el('td', { textContent: r.startedAt || r.start || '' }),
      ls.el('td', { textContent: r.durationSec != null ? Math.round(r.durationSec) + ' s' : (r.duration || '') }),
      ls.el('td', {}, ls.el('a', { href: '/watch/' + encodeURIComponent(selected) + '?src=' + encodeURIComponent(new URL(r.playbackUrl, location.href).pathname), textContent: 'Play' })))));
  } catch (err) {
    document.getElementById('detailError').textContent = err.message;
  }
}

refreshMine();
setInterval(() => { refreshMine(); refreshDetail(); }, 5000);
