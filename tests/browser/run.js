// run.js — qda serve in a real headless Chromium (the system's, driven by
// puppeteer-core): what a coder and a reviewer do with the mouse.
//   node run.js code BASE NAME PASSWORD DOC PHRASE CODE   select PHRASE in DOC, pick CODE; prints the coding
//   node run.js dispute BASE NAME PASSWORD CODING COMMENT the reviewer disputes a coding on the review page
//   node run.js shots BASE NAME PASSWORD DOC DIR          screenshots of the reader, review page and freq chart
//   node run.js local URL                                  one person's server: its address with the token opens the documents
'use strict';
const fs = require('fs');
const puppeteer = require('puppeteer-core');

function chromium() {
  for (const p of [process.env.CHROMIUM, '/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'])
    if (p && fs.existsSync(p)) return p;
  throw new Error('no chromium found');
}

async function open() {
  const browser = await puppeteer.launch({
    executablePath: chromium(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--lang=fr-FR'],
  });
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.on('pageerror', (e) => { console.error('page error: ' + e.message); process.exitCode = 3; });
  // nothing but the server itself is ever asked for
  const origin = new URL(process.argv[3]).origin;
  page.on('request', (r) => {
    if (new URL(r.url()).origin !== origin && !r.url().startsWith('data:')) {
      console.error('request outside the server: ' + r.url());
      process.exitCode = 4;
    }
  });
  return { browser, page };
}

async function login(page, base, name, password) {
  await page.goto(base + '/login');
  await page.type('input[name=name]', name);
  await page.type('input[name=password]', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
}

async function status(page, re) {
  await page.waitForFunction((src) => new RegExp(src).test(document.getElementById('status').textContent), { timeout: 10000 }, re.source);
  return page.$eval('#status', (e) => e.textContent);
}

// Drag the mouse over the phrase, as a person selects it.
async function select(page, phrase) {
  const box = await page.evaluate((phrase) => {
    for (const t of document.querySelectorAll('#lines .t')) {
      const node = t.firstChild;
      if (!node) continue;
      const i = node.data.indexOf(phrase);
      if (i < 0) continue;
      t.scrollIntoView({ block: 'center' });
      const r = document.createRange();
      r.setStart(node, i);
      r.setEnd(node, i + 1);
      const a = r.getBoundingClientRect();
      // the last character: a surrogate pair is one character on screen
      let j = i + phrase.length - 1;
      const c = node.data.charCodeAt(j);
      if (c >= 0xdc00 && c <= 0xdfff) j--;
      r.setStart(node, j);
      r.setEnd(node, i + phrase.length);
      const b = r.getBoundingClientRect();
      return { x1: a.left + 1, y1: (a.top + a.bottom) / 2, x2: b.right - 1, y2: (b.top + b.bottom) / 2 };
    }
    return null;
  }, phrase);
  if (!box) throw new Error('phrase not found on the page: ' + phrase);
  await page.mouse.move(box.x1, box.y1);
  await page.mouse.down();
  await page.mouse.move((box.x1 + box.x2) / 2, (box.y1 + box.y2) / 2, { steps: 5 });
  await page.mouse.move(box.x2, box.y2, { steps: 5 });
  await page.mouse.up();
  // the picker shows what was selected (the focus then moves to its search box)
  await page.waitForSelector('#picker .sel');
  const got = await page.$eval('#picker .sel', (e) => e.textContent);
  if (!got.startsWith('“' + phrase + '” [')) throw new Error('the mouse selected ' + got + ', not «' + phrase + '»');
}

async function code(base, name, password, doc, phrase, codeId) {
  const { browser, page } = await open();
  try {
    await login(page, base, name, password);
    await page.goto(base + '/doc?name=' + encodeURIComponent(doc));
    await page.waitForSelector('#lines .line');
    await select(page, phrase);
    await page.waitForSelector('#code-search');
    await page.type('#code-search', codeId);
    await page.waitForSelector('#code-list li.hit[data-id="' + codeId + '"]');
    await page.keyboard.press('Enter');
    console.log(await status(page, /^Coded /));
    // the new coding's bar is in the margin
    await page.waitForSelector('.bar.mine');
  } finally {
    await browser.close();
  }
}

async function dispute(base, name, password, coding, comment) {
  const { browser, page } = await open();
  try {
    await login(page, base, name, password);
    await page.goto(base + '/review');
    await page.waitForSelector('#queue .hint');
    const item = '.item[data-id="' + coding + '"]';
    await page.select('#filters select[name=coder]', 'ana');
    await page.click('#filters button[type=submit]');
    await page.waitForSelector(item);
    await page.type(item + ' input.comment', comment);
    await page.click(item + ' button.dispute');
    console.log(await status(page, /dispute recorded/));
    await page.waitForFunction((c) => [...document.querySelectorAll('#disputes td')].some((td) => td.textContent === c), {}, comment);
  } finally {
    await browser.close();
  }
}

async function shots(base, name, password, doc, dir) {
  const { browser, page } = await open();
  try {
    await login(page, base, name, password);
    await page.goto(base + '/doc?name=' + encodeURIComponent(doc));
    await page.waitForSelector('#lines .bar');
    await page.click('#lines .bar');
    await page.screenshot({ path: dir + '/reader.png' });
    await page.goto(base + '/review');
    await page.waitForSelector('.item');
    await page.screenshot({ path: dir + '/review.png' });
    await page.goto(base + '/reports');
    await page.waitForFunction(() => { const i = document.querySelector('#freq img'); return i && i.complete && i.naturalWidth > 0; });
    await page.screenshot({ path: dir + '/freq.png' });
    await page.goto(base + '/api/freq?by=role&format=svg');
    await page.screenshot({ path: dir + '/freq-svg.png' });
  } finally {
    await browser.close();
  }
}

async function local(url) {
  const { browser, page } = await open();
  try {
    await page.goto(url);
    // the token was exchanged for a cookie and left the address bar
    if (new URL(page.url()).search !== '') throw new Error('the token stayed in the address: ' + page.url());
    await page.waitForSelector('#docs tbody tr');
    const n = await page.$$eval('#docs tbody tr', (rows) => rows.length);
    const who = await page.$eval('.nav .who', (e) => e.textContent);
    console.log(n + ' documents for ' + who);
  } finally {
    await browser.close();
  }
}

const [, , what, ...a] = process.argv;
const jobs = { code, dispute, shots, local };
if (!jobs[what]) {
  console.error('usage: node run.js code|dispute|shots BASE ...');
  process.exit(2);
}
jobs[what](...a).catch((e) => { console.error(e.message); process.exit(1); });
