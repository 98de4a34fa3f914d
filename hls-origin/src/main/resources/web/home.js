// Home: the live streams, refreshed every 5 s without a reload.
async function refresh() {
  try {
    const body = await ls.json('/api/streams/live');
    const streams = Array.isArray(body) ? body : (body.streams || []);
    const list = document.getElementById('streams');
    list.replaceChildren(...streams.map(s => ls.el('li', { className: 'card' },
      ls.el('a', { href: '/watch/' + encodeURIComponent(s.id), textContent: s.title || s.id }),
      ls.el('div', { className: 'muted' },
        ls.el('span', { className: 'badge', textContent: 'LIVE' }), ' ',
        (s.viewerCount || 0) + ' viewers · live for ' + ls.since(s.startedAt)))));
    document.getElementById('empty').hidden = streams.length > 0;
  } catch (e) {
    document.getElementById('empty').hidden = false;
  }
}
refresh();
setInterval(refresh, 5000);
