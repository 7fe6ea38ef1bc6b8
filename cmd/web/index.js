// index.js — the documents: case, role, format, size, read and coded status.
'use strict';

(async () => {
  try {
    await qda.start('/');
    const docs = await qda.get('/api/documents');
    const box = document.getElementById('docs');
    if (!docs.length) {
      box.append(qda.el('p', { text: 'No document yet: import transcripts with qda import FILE...' }));
      return;
    }
    box.append(qda.table(docs, [
      ['name', 'Document', (d) => qda.el('a', { href: '/doc?name=' + encodeURIComponent(d.name), text: d.name })],
      ['case', 'Case'], ['role', 'Role'], ['format', 'Format'], ['turns', 'Turns'], ['words', 'Words'],
      ['speakers', 'Speakers'],
      ['read', 'Read by me', (d) => (d.read === 'yes' ? '✓ read' : '')],
      ['read_by', 'Read by'],
      ['codings', 'Codings'], ['mine', 'Mine'],
    ]));
  } catch (e) {
    qda.say(e.message, true);
  }
})();
