// reader.js — one document: line numbers, turns and speakers, the codings as
// coloured margin bars; select text, pick a code, and the coding is saved at
// exact code-point positions. The browser's selection offsets count UTF-16
// units: each is converted here, through the text of its own line, to code
// points (an emoji is two units and one code point).
'use strict';

const R = { doc: null, nodes: [], byId: {}, selection: null, chosen: null };

function nodeColor(id) {
  const n = R.byId[id];
  for (let k = n; k; k = R.byId[k.parent]) if (k.color) return k.color;
  return '#888';
}

// The code point of a selection boundary (node, offset), or null when it is
// outside the text.
function pointOf(node, offset) {
  const el = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
  const t = el.closest('.t');
  if (t && node.nodeType === Node.TEXT_NODE) {
    // the line's text is one text node: its UTF-16 prefix, in code points
    const start = Number(t.dataset.start);
    return start + qda.codePoints(node.data.slice(0, offset));
  }
  const line = el.closest('.line');
  if (line) {
    const lt = line.querySelector('.t');
    // an element boundary: before the text (0) or after it
    if (el === line && offset === 0) return Number(lt.dataset.start);
    if (t && offset === 0) return Number(lt.dataset.start);
    return Number(lt.dataset.end);
  }
  const text = document.getElementById('lines');
  if (el === text || text.contains(el)) {
    const lines = text.querySelectorAll('.line');
    if (offset < lines.length) return Number(lines[offset].querySelector('.t').dataset.start);
    return Number(lines[lines.length - 1].querySelector('.t').dataset.end);
  }
  return null;
}

function currentSelection() {
  const sel = window.getSelection();
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  const range = sel.getRangeAt(0);
  const lines = document.getElementById('lines');
  if (!lines.contains(range.startContainer) && !lines.contains(range.endContainer)) return null;
  const a = pointOf(range.startContainer, range.startOffset);
  const b = pointOf(range.endContainer, range.endOffset);
  if (a === null || b === null || b <= a) return null;
  return { start: a, end: b, text: sliceCodePoints(R.doc.text, a, b) };
}

function sliceCodePoints(s, a, b) {
  return Array.from(s).slice(a, b).join('');
}

function renderPicker() {
  const box = document.getElementById('picker');
  box.replaceChildren();
  if (!R.selection) { box.hidden = true; return; }
  box.hidden = false;
  const shown = R.selection.text.length > 120 ? R.selection.text.slice(0, 117) + '…' : R.selection.text;
  box.append(qda.el('p', { class: 'sel', text: '“' + shown + '” [' + R.selection.start + ', ' + R.selection.end + ')' }));
  const input = qda.el('input', { type: 'search', id: 'code-search', placeholder: 'Search a code (id or name)…', autocomplete: 'off', 'aria-label': 'code' });
  const list = qda.el('ul', { id: 'code-list', role: 'listbox' });
  const under = qda.el('select', { id: 'new-under', 'aria-label': 'under' });
  for (const n of R.nodes) if (n.kind !== 'code') under.append(qda.el('option', { value: n.id, text: '  '.repeat(n.depth - 1) + n.node }));
  const memo = qda.el('input', { type: 'text', id: 'code-memo', placeholder: 'memo (optional)' });
  const fill = () => {
    const q = qda.fold(input.value.trim());
    list.replaceChildren();
    let shownN = 0;
    for (const n of R.nodes) {
      if (q && !qda.fold(n.id).includes(q) && !qda.fold(n.node).includes(q)) continue;
      if (shownN++ >= 60) break;
      list.append(qda.el('li', { role: 'option', 'data-id': n.id, onclick: () => codeWith(n.id, false) },
        qda.el('span', { class: 'swatch', style: 'background:' + nodeColor(n.id) }),
        '  '.repeat(n.depth - 1) + n.node + ' ', qda.el('code', { text: n.id })));
    }
    if (q && !R.nodes.some((n) => qda.fold(n.id) === q || qda.fold(n.node) === q))
      list.append(qda.el('li', { class: 'new', onclick: () => codeWith(input.value.trim(), true) },
        'New code “' + input.value.trim() + '” under the theme chosen below'));
    const first = list.querySelector('li');
    if (first) first.classList.add('hit');
  };
  input.addEventListener('input', fill);
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') { ev.preventDefault(); const hit = list.querySelector('li.hit'); if (hit) hit.click(); }
    if (ev.key === 'Escape') { R.selection = null; renderPicker(); }
  });
  box.append(input, list, qda.el('label', {}, 'New codes go under ', under), qda.el('br'), memo);
  fill();
  input.focus();
}

async function codeWith(code, isNew) {
  const s = R.selection;
  if (!s) return;
  try {
    const res = await qda.send('POST', '/api/codings', {
      doc: R.doc.name, start: s.start, end: s.end, code,
      new: isNew ? 1 : null, under: isNew ? document.getElementById('new-under').value : null,
      memo: document.getElementById('code-memo').value || null, version: R.doc.version,
    });
    const c = res[0];
    qda.say((c.created === 'yes' ? 'Coded ' : 'Already coded ') + '“' + c.text + '” as ' + c.code + ' (coding ' + c.id + ').');
    R.selection = null;
    window.getSelection().removeAllRanges();
    await load();
  } catch (e) {
    qda.say(e.message, true);
  }
}

function showCoding(c) {
  const box = document.getElementById('coding');
  box.hidden = false;
  box.replaceChildren();
  for (const b of document.querySelectorAll('.bar.selected')) b.classList.remove('selected');
  for (const b of document.querySelectorAll('.bar[data-id="' + c.id + '"]')) b.classList.add('selected');
  const n = R.byId[c.code];
  box.append(
    qda.el('h2', {}, qda.el('span', { class: 'swatch', style: 'background:' + nodeColor(c.code) }), n ? n.node : c.code),
    qda.el('p', { class: 'head', text: 'coding ' + c.id + ' · ' + c.coder + ' · ' + c.method + ' · ' + c.state + ' · lines ' + c.lines }),
    qda.el('blockquote', { text: c.text }));
  if (c.memo) box.append(qda.el('p', { class: 'memo', text: 'Memo: ' + c.memo }));
  const memo = qda.el('textarea', { id: 'memo-text', rows: 2, placeholder: 'A memo on this coding' });
  const actions = qda.el('div', { class: 'actions' });
  actions.append(qda.el('button', { type: 'button', text: 'Add memo', onclick: async () => {
    if (!memo.value.trim()) return;
    try {
      await qda.send('POST', '/api/memos', { coding: c.id, text: memo.value, version: c.version });
      qda.say('Memo added to coding ' + c.id + '.');
      await load(c.id);
    } catch (e) { qda.say(e.message, true); }
  } }));
  if (c.coder === qda.session.user)
    actions.append(qda.el('button', { type: 'button', id: 'remove-coding', text: 'Remove my coding', onclick: async () => {
      try {
        await qda.send('DELETE', '/api/codings?id=' + c.id + '&version=' + encodeURIComponent(c.version));
        qda.say('Removed coding ' + c.id + ' (kept in the record as removed).');
        box.hidden = true;
        await load();
      } catch (e) { qda.say(e.message, true); }
    } }));
  box.append(memo, actions);
}

// Each coding a column of the margin, the first free one over its lines.
function layoutBars(codings) {
  const cols = [];
  const sorted = codings.slice().sort((a, b) => a.start - b.start || b.end - a.end);
  for (const c of sorted) {
    const [f, l] = c.lines.split('-').map(Number);
    c.f = f; c.l = l;
    let k = 0;
    while (cols[k] !== undefined && cols[k] >= f) k++;
    cols[k] = l;
    c.col = k;
  }
  return Math.max(1, cols.length);
}

function render() {
  const d = R.doc;
  const box = document.getElementById('doc');
  box.replaceChildren(qda.el('h1', { text: d.name }));
  const ncols = layoutBars(d.codings);
  const lines = qda.el('div', { id: 'lines', style: '--bars:' + (ncols * 10 + 6) + 'px' });
  const interviewers = new Set(d.speakers.filter((s) => s.role === 'interviewer').map((s) => s.speaker));
  const barsAt = {};
  for (const c of d.codings) for (let k = c.f; k <= c.l; k++) (barsAt[k] = barsAt[k] || []).push(c);
  for (const l of d.lines) {
    const cls = ['line'];
    if (l.turn_start === 'yes') cls.push('turn');
    if (l.speaker && interviewers.has(l.speaker)) cls.push('interviewer');
    const bars = qda.el('div', { class: 'bars' });
    for (const c of barsAt[l.line] || []) {
      const b = qda.el('span', {
        class: 'bar' + (c.f === l.line ? ' first' : '') + (c.l === l.line ? ' last' : '') +
          (c.coder === qda.session.user ? ' mine' : '') + (c.state === 'disputed' ? ' disputed' : ''),
        'data-id': c.id, title: c.code + ' — ' + c.coder + ' (' + c.state + ')', role: 'button',
        style: 'left:' + (c.col * 10) + 'px;background-color:' + nodeColor(c.code),
        onclick: () => showCoding(c),
      });
      bars.append(b);
    }
    const n = qda.el('span', { class: 'n', text: String(l.line) });
    if (l.turn_start === 'yes') {
      n.title = 'turn ' + l.turn + (l.speaker ? ' · ' + l.speaker : '');
      n.append(qda.el('span', { class: 'tn', text: 'T' + l.turn }));
    }
    // the line's text as one text node: the selection's offsets are then
    // offsets into it
    const t = qda.el('span', { class: 't', 'data-start': l.start, 'data-end': l.end });
    t.append(document.createTextNode(l.text));
    lines.append(qda.el('div', { class: cls.join(' '), 'data-line': l.line }, n, t, bars));
  }
  box.append(lines);
  const legend = document.getElementById('legend');
  legend.replaceChildren(qda.el('h2', { text: 'Codes in this document' }));
  const used = [...new Set(d.codings.map((c) => c.code))];
  for (const id of used) {
    const k = d.codings.filter((c) => c.code === id).length;
    legend.append(qda.el('div', {}, qda.el('span', { class: 'swatch', style: 'background:' + nodeColor(id) }),
      (R.byId[id] ? R.byId[id].node : id) + ' (' + k + ')'));
  }
  legend.append(qda.el('p', { class: 'hint', text: 'Turns: ' + d.turns.length + ' · speakers: ' +
    d.speakers.map((s) => s.speaker + (s.role === 'interviewer' ? ' (interviewer)' : '')).join(', ') }));
}

async function load(keep) {
  const data = await qda.get('/api/document?name=' + encodeURIComponent(qda.param('name')));
  R.doc = Object.assign({}, data.document[0], { lines: data.lines, turns: data.turns, speakers: data.speakers, codings: data.codings });
  document.title = 'qda — ' + R.doc.name;
  render();
  if (keep) {
    const c = R.doc.codings.find((x) => x.id === keep);
    if (c) showCoding(c);
  }
}

(async () => {
  try {
    await qda.start('/doc');
    R.nodes = await qda.get('/api/codebook');
    for (const n of R.nodes) R.byId[n.id] = n;
    await load();
    document.getElementById('doc').addEventListener('mouseup', () => {
      const s = currentSelection();
      if (s) { R.selection = s; renderPicker(); }
    });
    document.addEventListener('keyup', (ev) => {
      if (ev.shiftKey && ev.key.startsWith('Arrow')) {
        const s = currentSelection();
        if (s) { R.selection = s; renderPicker(); }
      }
    });
  } catch (e) {
    qda.say(e.message, true);
  }
})();
