// review.js — the reviewer's queue (what qda review walks): each coding with
// its passage in context, the code's definition and criteria; accept,
// dispute, suggest a code, comment. Then the disputes.
'use strict';

const V = { nodes: [] };

function item(it) {
  const box = qda.el('div', { class: 'item', 'data-id': it.id });
  const [f] = it.lines.split('-');
  qda.add(box, 
    qda.el('div', { class: 'head' }, 'coding ' + it.id + ' · ',
      qda.el('a', { href: '/doc?name=' + encodeURIComponent(it.document) + '#' + f, text: it.document }),
      ' · lines ' + it.lines + (it.speaker ? ' · ' + it.speaker : '') + ' · by ' + it.coder + ' (' + it.method + ') · ' + it.state),
    qda.el('h3', {}, it.code_name + ' ', qda.el('code', { text: it.code })),
    it.definition ? qda.el('p', { class: 'criteria', text: it.definition }) : null,
    it.include ? qda.el('p', { class: 'criteria', text: 'Include: ' + it.include }) : null,
    it.exclude ? qda.el('p', { class: 'criteria', text: 'Exclude: ' + it.exclude }) : null,
    it.context_before ? qda.el('div', { class: 'context', text: it.context_before }) : null,
    qda.el('blockquote', { class: 'extract', text: it.extract }),
    it.context_after ? qda.el('div', { class: 'context', text: it.context_after }) : null);
  const comment = qda.el('input', { type: 'text', class: 'comment', placeholder: 'comment (why)', size: 40 });
  const suggest = qda.el('select', { class: 'suggest', 'aria-label': 'suggest a code' }, qda.el('option', { value: '', text: 'suggest a code…' }));
  for (const n of V.nodes) suggest.append(qda.el('option', { value: n.id, text: '  '.repeat(n.depth - 1) + n.node }));
  const act = async (verdict) => {
    const fields = { coding: it.id, verdict, version: it.version, comment: comment.value || null };
    if (verdict === 'suggest') {
      if (!suggest.value) { qda.say('Choose the code to suggest first.', true); return; }
      fields.suggested = suggest.value;
    }
    if (verdict === 'comment' && !comment.value) { qda.say('Write the comment first.', true); return; }
    try {
      const r = (await qda.send('POST', '/api/review', fields))[0];
      it.version = r.version;
      box.classList.add('done');
      box.querySelector('.head').append(' → ' + verdict + (r.recorded === 'no' ? ' (already recorded)' : ''));
      qda.say('Coding ' + it.id + ': ' + verdict + ' recorded; it is now ' + r.state + '.');
      disputes();
    } catch (e) { qda.say(e.message, true); }
  };
  const can = qda.session.role === 'reviewer';
  box.append(qda.el('div', { class: 'actions' },
    qda.el('button', { type: 'button', class: 'accept primary', text: 'Accept', disabled: !can, onclick: () => act('accept') }),
    qda.el('button', { type: 'button', class: 'dispute', text: 'Dispute', disabled: !can, onclick: () => act('dispute') }),
    suggest, qda.el('button', { type: 'button', class: 'suggest-btn', text: 'Suggest', disabled: !can, onclick: () => act('suggest') }),
    comment, qda.el('button', { type: 'button', class: 'comment-btn', text: 'Comment', disabled: !can, onclick: () => act('comment') })));
  return box;
}

let asked = 0;

async function queue() {
  const f = document.getElementById('filters');
  const q = new URLSearchParams({ limit: '20' });
  for (const [k, v] of new FormData(f)) if (v) q.append(k, v);
  // only the latest question is shown: an earlier answer coming late is dropped
  const mine = ++asked;
  const rows = await qda.get('/api/review/queue?' + q);
  if (mine !== asked) return;
  const box = document.getElementById('queue');
  box.replaceChildren(qda.el('p', { class: 'hint', text: rows.length ? 'The next ' + rows.length + ' coding' + (rows.length === 1 ? '' : 's') + ' to review.' : 'Nothing left to review with these filters.' }));
  if (qda.session.role !== 'reviewer')
    box.append(qda.el('p', { class: 'error', text: 'Your account is a coder’s: a reviewer’s account records verdicts.' }));
  for (const it of rows) box.append(item(it));
}

async function disputes() {
  const rows = await qda.get('/api/disputes');
  const box = document.getElementById('disputes');
  box.replaceChildren(rows.length ? qda.table(rows, [
    ['coding', 'Coding'], ['document', 'Document'], ['lines', 'Lines'], ['code', 'Code'], ['coder', 'Coder'],
    ['reviewer', 'Reviewer'], ['suggested', 'Suggested'], ['comment', 'Comment'], ['extract', 'Extract'], ['removed', 'Removed'],
  ]) : qda.el('p', { class: 'hint', text: 'No disputed coding.' }));
}

(async () => {
  try {
    await qda.start('/review');
    V.nodes = await qda.get('/api/codebook');
    const coders = await qda.get('/api/coders');
    const f = document.getElementById('filters');
    const theme = qda.el('select', { name: 'code' }, qda.el('option', { value: '', text: 'every theme' }));
    for (const n of V.nodes) theme.append(qda.el('option', { value: n.id, text: '  '.repeat(n.depth - 1) + n.node }));
    const coder = qda.el('select', { name: 'coder' }, qda.el('option', { value: '', text: 'every coder' }));
    for (const c of coders) coder.append(qda.el('option', { value: c.name, text: c.name }));
    f.append(qda.el('label', {}, 'Theme', theme), qda.el('label', {}, 'Coder', coder),
      qda.el('label', {}, 'Only autocoded', qda.el('input', { type: 'checkbox', name: 'auto', value: '1' })),
      qda.el('label', {}, 'Also reviewed', qda.el('input', { type: 'checkbox', name: 'all', value: '1' })),
      qda.el('button', { type: 'submit', text: 'Show' }));
    f.addEventListener('submit', (ev) => { ev.preventDefault(); queue().catch((e) => qda.say(e.message, true)); });
    await queue();
    await disputes();
  } catch (e) {
    qda.say(e.message, true);
  }
})();
