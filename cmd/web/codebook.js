// codebook.js — the codebook tree with counts, definitions, include and
// exclude criteria and status; a node's extracts with the CLI's filters.
'use strict';

async function extracts(node) {
  const box = document.getElementById('extracts');
  box.replaceChildren(qda.el('h2', { text: node.node + ' (' + node.id + ')' }));
  const f = qda.el('form', { class: 'filters' });
  const coder = qda.el('input', { name: 'coder', placeholder: 'every coder', size: 10 });
  const where = qda.el('input', { name: 'where', placeholder: 'role=patient', size: 14 });
  const review = qda.el('select', { name: 'review' }, qda.el('option', { value: 'any', text: 'any' }),
    qda.el('option', { value: 'accepted', text: 'accepted' }), qda.el('option', { value: 'not-disputed', text: 'not disputed' }));
  const noauto = qda.el('input', { type: 'checkbox', name: 'no_auto', value: '1' });
  f.append(qda.el('label', {}, 'Coder', coder), qda.el('label', {}, 'Where', where), qda.el('label', {}, 'Review', review),
    qda.el('label', {}, 'No autocode', noauto), qda.el('button', { type: 'submit', text: 'Retrieve' }));
  const list = qda.el('div');
  box.append(f, list);
  const run = async () => {
    const q = new URLSearchParams({ code: node.id, context: '1', limit: '200' });
    for (const [k, v] of new FormData(f)) if (v) q.append(k, v);
    try {
      const rows = await qda.get('/api/retrieve?' + q);
      list.replaceChildren(qda.el('p', { class: 'hint', text: rows.length + ' extract' + (rows.length === 1 ? '' : 's') + (rows.length === 200 ? ' (the first 200)' : '') }));
      for (const e of rows)
        list.append(qda.el('div', { class: 'item' },
          qda.el('div', { class: 'head' }, qda.el('a', { href: '/doc?name=' + encodeURIComponent(e.document), text: e.document }),
            ' · lines ' + e.line_first + '-' + e.line_last + ' · ' + e.code + ' · ' + e.coder + (e.attributes ? ' · ' + e.attributes : '')),
          e.context_before ? qda.el('div', { class: 'context', text: e.context_before }) : null,
          qda.el('blockquote', { text: e.text }),
          e.context_after ? qda.el('div', { class: 'context', text: e.context_after }) : null,
          e.memo ? qda.el('p', { class: 'memo', text: 'Memo: ' + e.memo }) : null));
    } catch (err) { qda.say(err.message, true); }
  };
  f.addEventListener('submit', (ev) => { ev.preventDefault(); run(); });
  run();
}

(async () => {
  try {
    await qda.start('/codebook');
    const nodes = await qda.get('/api/codebook');
    const tree = document.getElementById('tree');
    if (!nodes.length) tree.append(qda.el('p', { text: 'No codebook yet: qda codebook load FILE.yaml' }));
    for (const n of nodes) {
      const d = qda.el('div', { class: 'node', style: 'padding-left:' + (n.depth - 1) * 1.4 + 'rem', tabindex: 0,
        onclick: () => extracts(n), onkeydown: (ev) => { if (ev.key === 'Enter') extracts(n); } },
        qda.el('div', {}, qda.el('span', { class: 'swatch', style: 'background:' + (n.color || '#ccc') }),
          qda.el('strong', { text: n.node }), ' ', qda.el('code', { text: n.id })),
        qda.el('div', { class: 'meta', text: n.kind + ' · ' + (n.status || 'no status') + ' · ' + n.segments + ' passages in ' + n.documents + ' documents' }),
        n.definition ? qda.el('div', { class: 'def', text: n.definition }) : null,
        n.include ? qda.el('div', { class: 'def', text: 'Include: ' + n.include }) : null,
        n.exclude ? qda.el('div', { class: 'def', text: 'Exclude: ' + n.exclude }) : null);
      tree.append(d);
    }
  } catch (e) {
    qda.say(e.message, true);
  }
})();
