// app.js — what every page of qda serve shares: the session (its CSRF token),
// calls to /api/ (every write with the X-CSRF-Token header), the menu, and
// building elements. Values always go in as text (textContent), never as
// HTML, so nothing from the project can become markup or script.
'use strict';

const qda = {
  session: null,

  el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const k of kids) {
      if (k === null || k === undefined || k === false) continue;
      e.append(k instanceof Node ? k : document.createTextNode(String(k)));
    }
    return e;
  },

  // Append the children that are there (DOM's append would write "null").
  add(parent, ...kids) {
    for (const k of kids) if (k !== null && k !== undefined && k !== false) parent.append(k);
    return parent;
  },

  // The message line of the page: errors and what was done.
  say(msg, error) {
    const s = document.getElementById('status');
    if (!s) return;
    s.textContent = msg || '';
    s.className = error ? 'status error' : 'status';
  },

  async get(path) {
    const r = await fetch(path, { credentials: 'same-origin' });
    if (r.status === 401) { location.href = '/login'; throw new Error('not logged in'); }
    const data = await r.json();
    if (!r.ok) throw new Error(data[0] && data[0].error ? data[0].error : 'HTTP ' + r.status);
    return data;
  },

  // A write: the fields as a form, the session's CSRF token in the header.
  async send(method, path, fields) {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields || {})) if (v !== null && v !== undefined) body.append(k, String(v));
    const r = await fetch(path, {
      method, credentials: 'same-origin', body,
      headers: { 'X-CSRF-Token': qda.session.csrf },
    });
    let data = null;
    try { data = await r.json(); } catch (e) { data = null; }
    if (!r.ok) {
      const err = new Error(data && data[0] && data[0].error ? data[0].error : 'HTTP ' + r.status);
      err.status = r.status;
      throw err;
    }
    return data;
  },

  // "Écoute" and "ecoute" alike, for search as you type.
  fold(s) {
    return (s || '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  },

  // The number of code points in a string of UTF-16 units (an emoji is one).
  codePoints(s) {
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
      n++;
    }
    return n;
  },

  param(name) {
    return new URLSearchParams(location.search).get(name);
  },

  async start(active) {
    qda.session = (await qda.get('/api/session'))[0];
    const nav = document.getElementById('nav');
    const links = [['/', 'Documents'], ['/codebook', 'Codebook'], ['/review', 'Review'], ['/reports', 'Reports']];
    nav.append(qda.el('span', { class: 'brand', text: 'qda' }));
    for (const [href, label] of links)
      nav.append(qda.el('a', { href, class: href === active ? 'active' : null, text: label }));
    nav.append(qda.el('span', { class: 'who', text: qda.session.user + ' (' + qda.session.role + ') · ' + qda.session.project }));
    if (qda.session.team === 'yes') nav.append(qda.el('button', { type: 'button', class: 'logout', text: 'Log out', onclick: async () => {
      await fetch('/logout', { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': qda.session.csrf } });
      location.href = '/';
    } }));
  },

  // A table of rows (objects) with these columns: [key, label, render?].
  table(rows, cols) {
    const t = qda.el('table');
    const head = qda.el('tr');
    for (const [, label] of cols) head.append(qda.el('th', { text: label }));
    t.append(qda.el('thead', {}, head));
    const body = qda.el('tbody');
    for (const row of rows) {
      const tr = qda.el('tr');
      for (const [key, , render] of cols) {
        const td = qda.el('td');
        const v = render ? render(row) : row[key];
        if (v instanceof Node) td.append(v);
        else td.textContent = v === null || v === undefined ? '' : String(v);
        if (typeof row[key] === 'number') td.className = 'num';
        tr.append(td);
      }
      body.append(tr);
    }
    t.append(body);
    return t;
  },
};
