// reports.js — freq by attribute, the co-occurrence heat map and the
// thematic map (drawn by the code that writes the CLI's SVG), agreement.
'use strict';

function chart(id, src, alt) {
  const box = document.getElementById(id);
  box.replaceChildren(qda.el('img', { src, alt, loading: 'lazy' }),
    qda.el('p', {}, qda.el('a', { href: src, text: 'SVG' }), ' · ', qda.el('a', { href: src.replace('format=svg', 'format=json').replace(/^\/api\/map.*/, src), text: 'data' })));
}

function draw() {
  const f = document.getElementById('filters');
  const q = new URLSearchParams();
  for (const [k, v] of new FormData(f)) if (v) q.append(k, v);
  const level = q.get('level') || '';
  chart('freq', '/api/freq?' + q + '&format=svg', 'theme frequencies by ' + (q.get('by') || 'all cases'));
  const c = new URLSearchParams({ level: level === 'all' || !level ? 'theme' : level, format: 'svg' });
  chart('cooccur', '/api/cooccur?' + c, 'co-occurrence heat map');
  chart('map', '/api/map?' + new URLSearchParams({ level: level === 'all' || !level ? 'theme' : level }), 'thematic map');
}

(async () => {
  try {
    await qda.start('/reports');
    const keys = await qda.get('/api/attributes');
    const coders = await qda.get('/api/coders');
    const f = document.getElementById('filters');
    const by = qda.el('select', { name: 'by' }, qda.el('option', { value: '', text: 'no attribute' }));
    for (const k of keys) by.append(qda.el('option', { value: k.key, text: k.key, selected: k.key === 'role' }));
    const level = qda.el('select', { name: 'level' });
    for (const l of ['theme', 'subtheme', 'code', 'all']) level.append(qda.el('option', { value: l, text: l }));
    const count = qda.el('select', { name: 'count' });
    for (const l of ['cases', 'documents', 'segments', 'words']) count.append(qda.el('option', { value: l, text: l }));
    f.append(qda.el('label', {}, 'By', by), qda.el('label', {}, 'Level', level), qda.el('label', {}, 'Count', count),
      qda.el('button', { type: 'submit', text: 'Draw' }));
    f.addEventListener('submit', (ev) => { ev.preventDefault(); draw(); });
    draw();
    const a = document.getElementById('agree-form');
    const ca = qda.el('select', { name: 'a' }), cb = qda.el('select', { name: 'b' });
    coders.forEach((c, i) => { ca.append(qda.el('option', { value: c.name, text: c.name, selected: i === 0 })); cb.append(qda.el('option', { value: c.name, text: c.name, selected: i === 1 })); });
    const unit = qda.el('select', { name: 'unit' });
    for (const u of ['char', 'turn', 'doc']) unit.append(qda.el('option', { value: u, text: u }));
    a.append(qda.el('label', {}, 'Coder A', ca), qda.el('label', {}, 'Coder B', cb), qda.el('label', {}, 'Unit', unit),
      qda.el('button', { type: 'submit', text: 'Compare' }));
    a.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        const rows = (await qda.get('/api/agree?' + new URLSearchParams({ coders: ca.value + ',' + cb.value, unit: unit.value }))).filter((r) => r.document === null);
        const fix = (v, d) => (v === null ? 'n/a' : Number(v).toFixed(d));
        document.getElementById('agree').replaceChildren(qda.table(rows, [
          ['code', 'Code'], ['units', 'Units'], ['agreement', '% agreement', (r) => fix(r.agreement, 1)],
          ['kappa', 'Kappa', (r) => fix(r.kappa, 3)], ['kappa_weighted', 'Weighted kappa', (r) => fix(r.kappa_weighted, 3)],
          ['warning', 'Note'],
        ]));
      } catch (e) { qda.say(e.message, true); }
    });
  } catch (e) {
    qda.say(e.message, true);
  }
})();
