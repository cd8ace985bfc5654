#!/usr/bin/env node
// End-to-end test of the reviewer UI (web/review) against the real server:
//
//   node tests/browser/review_ui_test.mjs SMARTOCR_BINARY UI_DIST_DIR OUTPUT_DIR
//
// Starts `SMARTOCR_BINARY serve --ui-dir UI_DIST_DIR` on a free port with a fresh data
// directory, renders three small receipts with Chromium, submits them as jobs (webhooks
// to a loopback receiver), then drives Debian's headless Chromium at 1280x800 through
// the UI: sign in, queue and its keys, a document (overlay boxes on the words, zoom,
// heatmap), a field edited by typing, by clicking a word and by Shift+dragging a
// rectangle around two words (saved, then read back through the API), a plain drag
// panning, approve with the keyboard, reject with a reason, a document claimed by
// someone else, the help overlay and a narrow window. Then checks through the API: the reviews rows, review.status, the
// webhooks, the CSV export, a viewer's 403 and another tenant's 404. Screenshots go to
// OUTPUT_DIR.
//
// Exit: 0 pass, 1 fail, 77 skipped (no /usr/bin/chromium or no web/review/node_modules;
// with CI=true or SMARTOCR_REQUIRE_ALL=1 those are failures too).
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  Fatal, check, createKey as createKeyWith, launchChromium, log, prerequisites, require_, run, sleep, startServer as startServerWith,
  until,
} from './harness.mjs';

const TENANT = 'acme';
const OTHER_TENANT = 'globex';

const [binaryArg, distArg, outArg] = process.argv.slice(2);
if (!binaryArg || !distArg || !outArg) {
  console.error('usage: node tests/browser/review_ui_test.mjs SMARTOCR_BINARY UI_DIST_DIR OUTPUT_DIR');
  process.exit(2);
}
const BINARY = path.resolve(binaryArg);
const DIST = path.resolve(distArg);
const OUT = path.resolve(outArg);
const { chromium } = prerequisites();

let browser = null;
let receiver = null;
let tmp = null;
process.on('exit', () => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

// ---- the server and the API ----
const createKey = (dataDir, tenant, role) => createKeyWith(BINARY, dataDir, tenant, role);

function startServer(dataDir) {
  return startServerWith({
    binary: BINARY,
    dataDir,
    logPath: path.join(OUT, 'server.log'),
    args: ['--ui-dir', DIST, '--workers', '1', '--webhook-allow', '127.0.0.1', '--rate-per-s', '0', '--tenant-rate-per-s', '0'],
  });
}

let BASE = '';
async function api(method, route, key, body, { raw = false } = {}) {
  const headers = { Authorization: `Bearer ${key}` };
  const init = { method, headers };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(`${BASE}${route}`, init);
  const text = await res.text();
  if (raw) return { status: res.status, text, headers: res.headers };
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, json, text };
}

// ---- webhook receiver ----
const events = [];
function startReceiver() {
  return new Promise((resolve) => {
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        try {
          const json = JSON.parse(body);
          events.push({ type: req.headers['smartocr-event-type'] || json.type, json });
        } catch {
          events.push({ type: req.headers['smartocr-event-type'] || '?', json: null });
        }
        res.writeHead(200).end('ok');
      });
    });
    receiver.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${receiver.address().port}/hook`));
  });
}

// ---- receipts, drawn by Chromium ----
const RECEIPTS = [
  { shop: 'CORNER MARKET', street: '12 High Street', date: '14/03/2024', items: [['Milk 1L', '1.29'], ['Bread', '2.49'], ['Apples 1kg', '3.20']], total: '6.98' },
  { shop: 'GREEN GROCER', street: '7 Station Road', date: '02/11/2023', items: [['Tomatoes', '2.10'], ['Cheese', '4.75'], ['Coffee', '6.90']], total: '13.75' },
  { shop: 'CITY PHARMACY', street: '99 Park Lane', date: '21/06/2024', items: [['Plasters', '3.99'], ['Vitamin C', '5.49']], total: '9.48' },
];

function receiptHtml(r) {
  const row = (a, b, style = '') => `<div style="display:flex;justify-content:space-between;${style}"><span>${a}</span><span>${b}</span></div>`;
  return `<!doctype html><html><body style="margin:0;background:#fff">
<div id="r" style="width:520px;padding:28px 32px;background:#fff;color:#000;font:22px/1.5 'DejaVu Sans Mono',monospace">
<div style="text-align:center;font-size:30px;font-weight:bold">${r.shop}</div>
<div style="text-align:center">${r.street}</div>
<div style="margin-top:10px">Date: ${r.date}  10:42</div>
<div style="border-top:2px dashed #000;margin:10px 0"></div>
${r.items.map(([a, b]) => row(a, b)).join('\n')}
<div style="border-top:2px dashed #000;margin:10px 0"></div>
${row('TOTAL', r.total, 'font-weight:bold;font-size:26px')}
${row('CASH', '20.00')}
<div style="text-align:center;margin-top:12px">THANK YOU</div>
</div></body></html>`;
}

async function renderReceipts(context) {
  const page = await context.newPage();
  const pngs = [];
  for (const r of RECEIPTS) {
    await page.setContent(receiptHtml(r));
    pngs.push(await page.locator('#r').screenshot({ type: 'png' }));
  }
  await page.close();
  return pngs;
}

async function submit(key, png, name, webhookUrl) {
  const form = new FormData();
  form.append('file', new Blob([png], { type: 'image/png' }), name);
  form.append('doc_type', 'receipt');
  if (webhookUrl) form.append('webhook_url', webhookUrl);
  const r = await api('POST', '/ocr/jobs', key, form);
  require_(r.status === 202 && r.json?.id, `POST /ocr/jobs ${name} is 202`, `${r.status} ${r.text.slice(0, 300)}`);
  return r.json.id;
}

// ---- UI helpers ----
async function shot(page, name) {
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: false });
  log(`screenshot ${name}.png`);
}

async function openDocId(page) {
  return (await page.locator('h1.doc-title').innerText()).replace(/^Document\s*/, '').trim();
}

async function waitDocReady(page, notId = '') {
  await page.waitForFunction(
    (not) => {
      const t = document.querySelector('h1.doc-title');
      const v = document.querySelector('.viewport[data-ready="true"]');
      const id = t ? t.textContent.replace(/^Document\s*/, '').trim() : '';
      return !!v && !!id && id !== not && document.querySelectorAll('.box-word').length > 0;
    },
    notId,
    { timeout: 15_000 },
  );
  return openDocId(page);
}

/** Page coordinates of a rectangle around two adjacent words (the first line holding two). */
function twoAdjacentWords(resPage) {
  for (const [b, block] of resPage.blocks.entries()) {
    for (const [l, line] of block.lines.entries()) {
      if (line.words.length < 2) continue;
      const [w0, w1] = line.words;
      return { path: `${b}-${l}-0`, words: [w0, w1], bbox: [0, 1, 2, 3].map((k) => (k < 2 ? Math.min : Math.max)(w0.bbox[k], w1.bbox[k])) };
    }
  }
  return null;
}

/** Shift+drags from one corner of `bbox` (normalized, padded by `pad` px) to the other;
 *  returns whether a selection rectangle showed mid-drag and the viewport's scroll change. */
async function shiftDrag(page, bbox, shotName = '', pad = 4) {
  const img = await page.locator('img.page-image').boundingBox();
  const x0 = img.x + bbox[0] * img.width - pad;
  const y0 = img.y + bbox[1] * img.height - pad;
  const x1 = img.x + bbox[2] * img.width + pad;
  const y1 = img.y + bbox[3] * img.height + pad;
  const scroll = () => page.locator('.viewport').evaluate((v) => [v.scrollLeft, v.scrollTop]);
  const before = await scroll();
  await page.keyboard.down('Shift');
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  await page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, { steps: 4 });
  await page.mouse.move(x1, y1, { steps: 4 });
  const shown = await page.locator('.marquee').isVisible();
  if (shotName) await shot(page, shotName);
  await page.mouse.up();
  await page.keyboard.up('Shift');
  const after = await scroll();
  return { shown, scrolled: Math.hypot(after[0] - before[0], after[1] - before[1]) };
}

/** Compares word boxes on screen with the result JSON's bbox x the rendered image size. */
async function checkOverlay(page, result, label) {
  const pageNo = Number(await page.locator('.viewport').getAttribute('data-page'));
  const resPage = result.pages.find((p) => p.number === pageNo) ?? result.pages[0];
  const img = await page.locator('img.page-image').boundingBox();
  const natural = await page.locator('img.page-image').evaluate((i) => [i.naturalWidth, i.naturalHeight]);
  check(natural[0] === resPage.width && natural[1] === resPage.height,
    `${label}: page image is the result's page size`, `image ${natural.join('x')}, result ${resPage.width}x${resPage.height}`);
  const boxes = page.locator('.box-word');
  const n = await boxes.count();
  const picks = [...new Set([0, Math.floor(n / 2), n - 1])];
  let worst = 0;
  let detail = '';
  for (const i of picks) {
    const el = boxes.nth(i);
    const p = (await el.getAttribute('data-path')).split('-').map(Number);
    const word = resPage.blocks[p[0]].lines[p[1]].words[p[2]];
    const text = await el.getAttribute('data-text');
    if (text !== word.text) detail += ` word ${p.join('-')} text ${text} != ${word.text};`;
    const b = await el.boundingBox();
    const [x0, y0, x1, y1] = word.bbox;
    const want = { x: img.x + x0 * img.width, y: img.y + y0 * img.height, width: (x1 - x0) * img.width, height: (y1 - y0) * img.height };
    for (const k of ['x', 'y', 'width', 'height']) {
      const d = Math.abs(b[k] - want[k]);
      if (d > worst) worst = d;
      if (d > 2) detail += ` word ${p.join('-')} "${word.text}" ${k} ${b[k].toFixed(1)} vs ${want[k].toFixed(1)};`;
    }
  }
  check(!detail && n > 0, `${label}: ${picks.length} word boxes sit on their words (within 2 px; worst ${worst.toFixed(2)} px)`, detail || 'no word boxes');
}

// ---- the test ----
async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  require_(fs.existsSync(path.join(DIST, 'index.html')), `UI build present (${DIST}/index.html)`, 'run web/review/build.sh');
  require_(fs.existsSync(BINARY), `binary present (${BINARY})`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smartocr-review-ui-'));
  const dataDir = path.join(tmp, 'data');
  fs.mkdirSync(dataDir);

  const keys = {
    admin: createKey(dataDir, TENANT, 'admin'),
    reviewer: createKey(dataDir, TENANT, 'reviewer'),
    reviewer2: createKey(dataDir, TENANT, 'reviewer'),
    viewer: createKey(dataDir, TENANT, 'viewer'),
    other: createKey(dataDir, OTHER_TENANT, 'admin'),
  };
  log('keys created');
  const hook = await startReceiver();
  BASE = await startServer(dataDir);
  log(`server at ${BASE}`);

  const settings = await api('PUT', '/admin/tenant/settings', keys.admin, { review_threshold: 0.99 });
  require_(settings.status === 200, 'PUT /admin/tenant/settings review_threshold 0.99', `${settings.status} ${settings.text}`);

  browser = await launchChromium(chromium);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const pngs = await renderReceipts(context);
  log(`rendered ${pngs.length} receipts`);

  const jobs = [];
  for (let i = 0; i < pngs.length; i++) jobs.push(await submit(keys.admin, pngs[i], `receipt${i + 1}.png`, hook));
  const otherJob = await submit(keys.other, pngs[0], 'other.png', '');
  for (const id of jobs) {
    const job = await until(`${id} to succeed`, async () => {
      const r = await api('GET', `/ocr/jobs/${id}`, keys.admin);
      if (['failed', 'quarantined', 'cancelled'].includes(r.json?.status)) throw new Fatal(`${id} ${r.json.status}: ${r.json.error_message}`);
      return r.json?.status === 'succeeded' ? r.json : null;
    }, 45_000, 200);
    require_(job.review && typeof job.review === 'object', `${id}: job JSON carries review`, JSON.stringify(job).slice(0, 300));
    require_(job.review.status === 'to_review', `${id}: review.status to_review`, JSON.stringify(job.review));
  }
  log('jobs succeeded');

  const results = {};
  for (const id of jobs) results[id] = (await api('GET', `/ocr/jobs/${id}/result`, keys.reviewer)).json;

  // -- the UI --
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  const ui = await page.goto(`${BASE}/review/`);
  require_(ui && ui.ok(), 'GET /review/ serves the UI', ui ? `HTTP ${ui.status()}` : 'no response');

  await page.getByLabel('API key').fill('sk_wrong_key');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.message.error[data-code="unauthenticated"]').waitFor({ timeout: 5000 });
  check(true, 'a wrong key shows the unauthenticated error with its code');
  await page.getByLabel('API key').fill(keys.reviewer);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('table.queue-table tbody tr').nth(2).waitFor({ timeout: 10_000 });
  check(await page.evaluate(() => sessionStorage.length > 0), 'the key is kept in sessionStorage');
  const rows = await page.locator('table.queue-table tbody tr').count();
  check(rows === 3, 'the queue lists the three documents', `${rows} rows`);
  const toReview = await page.locator('.count[data-status="to_review"] strong').innerText();
  check(toReview === '3', 'the queue counts 3 to_review', toReview);
  await shot(page, '01-queue');

  // Filters: a max confidence below every document empties the table; clearing restores it.
  await page.getByLabel('Max. confidence').fill('0.0001');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.locator('.queue p.empty').waitFor({ timeout: 5000 });
  check(true, 'max_confidence filter empties the queue');
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.locator('table.queue-table tbody tr').nth(2).waitFor({ timeout: 5000 });

  // Keyboard: j, j, k, Enter opens the second row.
  await page.locator('main').focus();
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  const selected = await page.locator('table.queue-table tbody tr[aria-selected="true"]').getAttribute('data-index');
  check(selected === '1', 'j/k move the queue selection', `selected row ${selected}`);
  const wantOpen = await page.locator('table.queue-table tbody tr[aria-selected="true"]').getAttribute('data-job-id');
  await page.keyboard.press('Enter');
  const docA = await waitDocReady(page);
  check(docA === wantOpen, 'Enter opens the selected document', `${docA} vs ${wantOpen}`);
  await page.locator('#claim-status.held').waitFor({ timeout: 5000 });
  check(true, 'opening the document claimed it');
  const resA = results[docA];
  const engineText = await page.locator('[data-meta="engine"]').innerText();
  check(resA.engine && engineText.includes(resA.engine.version), 'the engine version is shown', engineText);
  const jobA = (await api('GET', `/ocr/jobs/${docA}`, keys.reviewer)).json;
  check(jobA.review?.status === 'in_review' && jobA.review?.claimed_by, `${docA} is in_review after the UI claimed it`, JSON.stringify(jobA.review));
  const traceText = await page.locator('[data-meta="trace-id"]').innerText();
  check(jobA.trace_id && traceText === jobA.trace_id, 'the trace id is shown', `${traceText} vs ${jobA.trace_id}`);
  await shot(page, '02-document');

  await checkOverlay(page, resA, 'fit width');
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await checkOverlay(page, resA, 'zoomed in');
  await page.keyboard.press('h');
  const heat = await page.locator('.box-word').first().evaluate((e) => getComputedStyle(e).backgroundColor);
  check(heat !== 'rgba(0, 0, 0, 0)' && heat !== 'transparent', 'the heatmap tints word boxes', heat);
  await page.keyboard.press('t');
  check(await page.locator('.text-layer').isVisible(), 'the text layer opens beside the image');
  await shot(page, '03-zoom-heatmap-text');
  await page.keyboard.press('h');
  await page.keyboard.press('t');
  await page.keyboard.press('0');

  const fieldNames = await page.locator('.field-input').evaluateAll((els) => els.map((e) => e.dataset.field));
  require_(fieldNames.length > 0, 'the field panel lists fields', JSON.stringify(resA.fields));
  const typed = fieldNames.includes('total') ? 'total' : fieldNames[0];
  const clicked = fieldNames.find((n) => n !== typed) ?? typed;

  // `n` goes to a low-confidence field (every field is, with review_threshold 0.99).
  await page.locator('.viewport').focus();
  await page.keyboard.press('n');
  const lowField = await page.evaluate(() => document.activeElement?.closest('.field-row.low')?.dataset.field ?? '');
  check(lowField !== '', 'n focuses a low-confidence field', lowField);
  await page.keyboard.press('Escape');

  // A field box selects its field (when the field has a box on this page).
  const boxed = resA.fields.find((f) => f.page >= 1 && f.bbox[2] > f.bbox[0]);
  if (boxed) {
    await page.locator(`.box-field[data-field="${boxed.name}"] .box-tag`).click();
    const sel = await page.locator('.field-row.selected').getAttribute('data-field');
    check(sel === boxed.name, 'clicking a field box selects the field', `${sel} vs ${boxed.name}`);
  }
  // Clicking a field in the panel highlights its box.
  if (boxed) {
    await page.locator(`.field-row[data-field="${boxed.name}"] label`).click();
    check(await page.locator(`.box-field.selected[data-field="${boxed.name}"]`).count() === 1, 'clicking a field highlights its box');
  }

  // Shift+drag a rectangle around two adjacent words: with no field selected it selects the
  // field whose box it overlaps most; with one selected it fills it with both words, in order.
  const pageNo = Number(await page.locator('.viewport').getAttribute('data-page'));
  const resPage = resA.pages.find((p) => p.number === pageNo) ?? resA.pages[0];
  const pair = twoAdjacentWords(resPage);
  require_(pair, 'the receipt has a line of two words', resPage.text);
  const pairText = pair.words.map((w) => w.text).join(' ');
  const area = (f) => {
    const w = Math.min(f.bbox[2], pair.bbox[2]) - Math.max(f.bbox[0], pair.bbox[0]);
    const h = Math.min(f.bbox[3], pair.bbox[3]) - Math.max(f.bbox[1], pair.bbox[1]);
    return w > 0 && h > 0 ? w * h : 0;
  };
  const covered = resA.fields.filter((f) => f.page === pageNo && area(f) > 0).sort((a, b) => area(b) - area(a))[0];
  await page.locator(`.box-word[data-path="${pair.path}"]`).scrollIntoViewIfNeeded();
  await page.locator('.viewport').focus();
  await page.keyboard.press('Escape'); // drops the field selection
  if (covered) {
    await shiftDrag(page, pair.bbox);
    const sel = await page.locator('.field-row.selected').getAttribute('data-field').catch(() => null);
    check(sel === covered.name, 'Shift+drag with no field selected selects the field it overlaps most', `${sel} vs ${covered.name}`);
  }
  const dragged = fieldNames.find((n) => n !== typed && n !== clicked && resA.fields.find((f) => f.name === n)?.value !== pairText)
    ?? fieldNames.find((n) => n !== typed) ?? typed;
  await page.locator(`.field-row[data-field="${dragged}"] label`).click();
  await page.locator(`.box-word[data-path="${pair.path}"]`).scrollIntoViewIfNeeded();
  const drag = await shiftDrag(page, pair.bbox, '04a-shift-dragging');
  check(drag.shown, 'Shift+drag shows the selection rectangle while dragging');
  check(drag.scrolled === 0, 'Shift+drag does not pan the page', `scrolled ${drag.scrolled} px`);
  const draggedInput = page.locator(`.field-input[data-field="${dragged}"]`);
  const dragValue = await draggedInput.inputValue();
  check(dragValue === pairText, 'Shift+drag around two words fills the selected field with both, in order', `${JSON.stringify(dragValue)} vs ${JSON.stringify(pairText)}`);
  const unsaved = (await page.locator('.field-row.edited').evaluateAll((els) => els.map((e) => e.dataset.field))).includes(dragged)
    && /\(1\)/.test(await page.locator('button.save').innerText());
  check(unsaved, 'the Shift+drag value is an unsaved edit (row marked, Save edits (1))');
  await shot(page, '04b-shift-drag-filled');
  await page.locator('button.save').click();
  await page.locator('.message.notice', { hasText: `Saved 1 field: ${dragged}` }).waitFor({ timeout: 5000 });
  const savedFields = (await api('GET', `/ocr/jobs/${docA}/fields`, keys.reviewer)).json?.fields ?? [];
  const savedDrag = savedFields.find((f) => f.name === dragged);
  check(savedDrag?.value === pairText && savedDrag?.source === 'review', 'the Shift+drag edit reached the API (GET /fields)', JSON.stringify(savedDrag));

  // Line items: add a row in the grid, type its description and amount, save; the API
  // keeps the cells (the amount normalized) and the reviewed CSV lists the item.
  const rowsBefore = await page.locator('.item-grid tbody tr').evaluateAll((els) => els.map((e) => Number(e.dataset.row)));
  const itemRow = Math.max(0, ...rowsBefore) + 1;
  await page.locator('button.add-item').click();
  const descName = `line_items[${itemRow}].description`;
  const amountName = `line_items[${itemRow}].amount`;
  const focusedCell = await page.evaluate(() => document.activeElement?.dataset?.field ?? '');
  check(focusedCell === descName, 'Add item row focuses the new row\'s first cell', focusedCell);
  await page.keyboard.type('Gift card');
  await page.locator(`.cell-input[data-field="${amountName}"]`).fill('5,00');
  await shot(page, '04c-item-row');
  await page.locator('button.save').click();
  await page.locator('.message.notice', { hasText: 'Saved 2 fields' }).waitFor({ timeout: 5000 });
  const cells = (await api('GET', `/ocr/jobs/${docA}/fields`, keys.reviewer)).json?.fields ?? [];
  const desc = cells.find((f) => f.name === descName);
  const amount = cells.find((f) => f.name === amountName);
  check(desc?.value === 'Gift card' && amount?.normalized === '5.00' && amount?.source === 'review',
    "the grid's cells reached the API (GET /fields)", JSON.stringify([desc, amount]));
  const csvA = await api('GET', `/ocr/jobs/${docA}/result?format=csv`, keys.reviewer);
  check(csvA.text.includes(',line_item,,,,,,0,Gift card,,,"5,00"'), 'the reviewed CSV lists the item added in the grid', csvA.text);
  check(await page.locator(`tr[data-row="${itemRow}"] .cell-input`).count() === 4, 'the saved row shows its four cells');

  // A plain drag still pans (zoomed in, so there is room to).
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await page.getByRole('button', { name: 'Zoom in' }).click();
  const vp = await page.locator('.viewport').boundingBox();
  const scrollBefore = await page.locator('.viewport').evaluate((v) => [v.scrollLeft, v.scrollTop]);
  await page.mouse.move(vp.x + vp.width / 2, vp.y + vp.height / 2);
  await page.mouse.down();
  await page.mouse.move(vp.x + vp.width / 2 - 80, vp.y + vp.height / 2 - 60, { steps: 5 });
  await page.mouse.up();
  const scrollAfter = await page.locator('.viewport').evaluate((v) => [v.scrollLeft, v.scrollTop]);
  const noRect = (await page.locator('.marquee').count()) === 0;
  check(scrollAfter[0] > scrollBefore[0] && noRect,
    'a plain drag pans the page (no rectangle)', `scroll ${scrollBefore.join(',')} -> ${scrollAfter.join(',')}`);
  await page.locator('.viewport').focus();
  await page.keyboard.press('0');

  // Typing into a field.
  const input = page.locator(`.field-input[data-field="${typed}"]`);
  await input.click();
  await input.press('Control+a');
  await input.pressSequentially('42.42');
  // Clicking a word fills the selected field.
  await page.locator(`.field-row[data-field="${clicked}"] label`).click();
  const word = page.locator('.box-word').first();
  const wordText = await word.getAttribute('data-text');
  await word.click();
  const filled = await page.locator(`.field-input[data-field="${clicked}"]`).inputValue();
  if (clicked === typed) {
    check(filled === wordText, 'clicking a word fills the selected field', `${filled} vs ${wordText}`);
    await input.fill('42.42');
  } else {
    check(filled === wordText, 'clicking a word fills the selected field', `${filled} vs ${wordText}`);
  }
  // Tab moves to the next field.
  await page.locator(`.field-input[data-field="${fieldNames[0]}"]`).focus();
  await page.keyboard.press('Tab');
  if (fieldNames.length > 1) {
    const focused = await page.evaluate(() => document.activeElement?.dataset?.field ?? '');
    check(focused === fieldNames[1], 'Tab moves to the next field', focused);
  }
  await page.locator('#edit-reason').fill('ui test: corrected total');
  await shot(page, '04-edited');

  // Approve with the keyboard: Esc leaves the input, `a` saves the edits and approves,
  // then the next queued document opens.
  await page.keyboard.press('Escape');
  await page.keyboard.press('a');
  const docB = await waitDocReady(page, docA);
  check(docB !== docA && jobs.includes(docB), 'approve auto-advances to the next queued document', docB);
  await page.locator('#claim-status.held').waitFor({ timeout: 5000 });
  await shot(page, '05-after-approve');
  const docC = jobs.find((j) => j !== docA && j !== docB);

  // Someone else claims the third document meanwhile.
  const c2 = await api('POST', `/ocr/jobs/${docC}/review/claim`, keys.reviewer2, {});
  check(c2.status === 200, 'a second reviewer claims the third document', `${c2.status} ${c2.text}`);

  // Reject with a reason from the picker.
  await page.keyboard.press('r');
  const dialog = page.locator('#reject-dialog');
  await dialog.waitFor({ state: 'visible', timeout: 5000 });
  const codes = await dialog.locator('input[name=reason_code]').evaluateAll((els) => els.map((e) => e.value));
  check(codes.includes('illegible') && codes.length >= 5, 'the reject picker lists the reason codes', codes.join(','));
  await dialog.locator('input[value="illegible"]').check();
  await dialog.getByLabel('Comment (optional)').fill('ui test: blurry');
  await shot(page, '06-reject-dialog');
  await dialog.getByRole('button', { name: 'Reject document' }).click();
  // docC is claimed by someone else, so nothing is left: back to the queue.
  await page.locator('.queue').waitFor({ timeout: 10_000 });
  await page.locator('.message.notice', { hasText: `Rejected ${docB}` }).waitFor({ timeout: 5000 });
  check(true, 'reject returns to the queue once nothing else is open for this reviewer');
  await shot(page, '07-queue-after-decisions');
  // The counts filter the queue: Approved lists the approved document only.
  await page.locator('.count[data-status="approved"]').click();
  const approvedRows = await page.locator(`table.queue-table tbody tr[data-job-id="${docA}"]`).waitFor({ timeout: 5000 })
    .then(async () => page.locator('table.queue-table tbody tr').count())
    .catch(async () => `none; ${await page.locator('#messages').innerText()}`);
  check(approvedRows === 1, 'the Approved count filters the queue to the approved document', String(approvedRows));
  await page.locator('.count[data-status="approved"]').click();

  // The document claimed by another key: 409 review_claimed, shown clearly, read-only.
  await page.evaluate((id) => (location.hash = `#/doc/${id}`), docC);
  await waitDocReady(page);
  const claimLine = page.locator('#claim-status.other');
  await claimLine.waitFor({ timeout: 5000 });
  const claimText = await claimLine.innerText();
  check(claimText.includes('review_claimed'), 'a document claimed by another key shows 409 review_claimed', claimText);
  check(await page.getByRole('button', { name: 'Approve' }).isDisabled(), 'approve is disabled without the claim');
  await shot(page, '08-claimed-by-other');

  // Help overlay.
  await page.locator('main').focus();
  await page.keyboard.press('?');
  await page.locator('dialog#help').waitFor({ state: 'visible', timeout: 3000 });
  check(true, '? opens the help overlay');
  const helpText = await page.locator('dialog#help').innerText();
  check(/Shift\+drag/.test(helpText), 'the help overlay explains Shift+drag on the page', helpText.slice(-300));
  await shot(page, '09-help');
  await page.keyboard.press('Escape');

  // A narrow window: the layout wraps instead of overflowing sideways.
  await page.setViewportSize({ width: 560, height: 800 });
  await sleep(200);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, 'a narrow window (560 px) does not scroll sideways (document)', `${overflow} px too wide`);
  await shot(page, '10-narrow-document');
  await page.evaluate(() => (location.hash = '#/queue'));
  await page.locator('.queue .counts').waitFor({ timeout: 5000 });
  await shot(page, '11-narrow-queue');
  check(consoleErrors.length === 0, 'no uncaught errors in the page', consoleErrors.join(' | '));

  // A viewer signs in, reads the queue and a document, and is told it is read-only.
  const viewerPage = await context.newPage();
  await viewerPage.goto(`${BASE}/review/#/doc/${docC}`);
  await viewerPage.getByLabel('API key').fill(keys.viewer);
  await viewerPage.getByRole('button', { name: 'Sign in' }).click();
  await waitDocReady(viewerPage);
  const viewerLine = await viewerPage.locator('#claim-status').innerText();
  check(/forbidden/.test(viewerLine) && (await viewerPage.locator('.field-input').first().getAttribute('readonly')) !== null,
    'a viewer sees the document read-only (claim 403 forbidden shown)', viewerLine);
  await shot(viewerPage, '12-viewer-read-only');
  await viewerPage.close();

  // -- through the API --
  const jA = (await api('GET', `/ocr/jobs/${docA}`, keys.reviewer)).json;
  const jB = (await api('GET', `/ocr/jobs/${docB}`, keys.reviewer)).json;
  check(jA.review?.status === 'approved' && jA.review?.decided_by, `${docA} review.status approved`, JSON.stringify(jA.review));
  check(jB.review?.status === 'rejected' && jB.review?.reason_code === 'illegible' && jB.review?.comment === 'ui test: blurry',
    `${docB} review.status rejected (illegible, with the comment)`, JSON.stringify(jB.review));

  const rvA = await api('GET', `/ocr/jobs/${docA}/reviews`, keys.viewer);
  const rowsA = rvA.json?.reviews ?? [];
  const s = (x) => (typeof x === 'string' ? x : JSON.stringify(x ?? ''));
  const editRow = rowsA.find((r) => s(r.after).includes('42.42'));
  check(rvA.status === 200 && editRow && editRow.reason === 'ui test: corrected total',
    `${docA}: a reviews row holds the typed edit and its reason`, JSON.stringify(rowsA).slice(0, 600));
  check(rowsA.some((r) => s(r.after).includes(wordText) && r.actor), `${docA}: a reviews row holds the clicked word`, wordText);
  check(rowsA.some((r) => /approve/i.test(r.action)), `${docA}: a reviews row records the approval`, rowsA.map((r) => r.action).join(','));
  const rowsB = (await api('GET', `/ocr/jobs/${docB}/reviews`, keys.reviewer)).json?.reviews ?? [];
  check(rowsB.some((r) => /reject/i.test(r.action) && (s(r.after).includes('illegible') || s(r.reason).includes('illegible'))),
    `${docB}: a reviews row records the rejection with its reason code`, JSON.stringify(rowsB).slice(0, 600));
  const created = rowsA.map((r) => r.created_at);
  check(created.every((t, i) => i === 0 || t >= created[i - 1]), 'reviews rows are oldest first', created.join(','));

  const got = await until('the review webhooks', () => {
    const a = events.find((e) => e.type === 'job.review.approved' && e.json?.data?.job_id === docA);
    const r = events.find((e) => e.type === 'job.review.rejected' && e.json?.data?.job_id === docB);
    return a && r ? { a, r } : null;
  }, 15_000, 200).catch((e) => {
    check(false, 'webhooks job.review.approved and job.review.rejected arrive', `${e.message}; got ${events.map((x) => x.type).join(',')}`);
    return null;
  });
  if (got) check(true, 'webhooks job.review.approved and job.review.rejected arrive');

  const csv = await api('GET', '/review/export?format=csv', keys.viewer, undefined, { raw: true });
  check(csv.status === 200 && csv.text.includes(docA) && csv.text.includes('42.42') && !csv.text.includes(docB),
    'GET /review/export?format=csv lists the approved document with the edited value (and not the rejected one)',
    `${csv.status} ${csv.text.slice(0, 400)}`);

  const vApprove = await api('POST', `/ocr/jobs/${docC}/review/approve`, keys.viewer, {});
  check(vApprove.status === 403 && vApprove.json?.error?.code === 'forbidden', 'a viewer key cannot approve (403 forbidden)', `${vApprove.status} ${vApprove.text}`);
  const vQueue = await api('GET', '/review/queue', keys.viewer);
  check(vQueue.status === 200, 'a viewer key may read the queue', `${vQueue.status}`);
  const foreign = await api('GET', `/ocr/jobs/${otherJob}`, keys.reviewer);
  check(foreign.status === 404, "another tenant's job is 404", `${foreign.status}`);
  const foreignClaim = await api('POST', `/ocr/jobs/${otherJob}/review/claim`, keys.reviewer, {});
  check(foreignClaim.status === 404, "another tenant's job cannot be claimed (404)", `${foreignClaim.status} ${foreignClaim.text}`);
  const patchClaimed = await api('PATCH', `/ocr/jobs/${docC}/fields`, keys.reviewer, { fields: { total: '1.00' }, reason: 'x' });
  check(patchClaimed.status === 409 && patchClaimed.json?.error?.code === 'review_claimed',
    "editing a document another key holds is 409 review_claimed", `${patchClaimed.status} ${patchClaimed.text}`);
  const badReason = await api('POST', `/ocr/jobs/${docC}/review/reject`, keys.reviewer2, { reason_code: 'not_a_code' });
  check(badReason.status === 422 && badReason.json?.error?.code === 'invalid_field',
    'a reason code outside the tenant list is 422 invalid_field', `${badReason.status} ${badReason.text}`);
  const decideAgain = await api('POST', `/ocr/jobs/${docA}/review/approve`, keys.reviewer, {});
  check(decideAgain.status === 409 && decideAgain.json?.error?.code === 'review_decided', 'deciding again is 409 review_decided', `${decideAgain.status} ${decideAgain.text}`);

  // Re-run one page with another engine from the document screen: the job reads again,
  // the audit names the page, the result says which engine read it.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.evaluate((id) => (location.hash = `#/doc/${id}`), docA);
  await waitDocReady(page);
  await page.getByRole('button', { name: 'Re-run…' }).click();
  const rerunDialog = page.locator('#rerun-dialog');
  await rerunDialog.waitFor({ state: 'visible', timeout: 5000 });
  // Another engine than the one that read the document (auto may have picked hybrid).
  const firstEngine = results[docA]?.engine?.name;
  const otherEngine = firstEngine === 'tesseract' ? 'hybrid' : 'tesseract';
  await rerunDialog.getByLabel('Engine').selectOption(otherEngine);
  await rerunDialog.locator('input[name=scope][value=page]').check();
  await shot(page, '13-rerun-dialog');
  await rerunDialog.getByRole('button', { name: 'Re-run', exact: true }).click();
  await page.locator('.message.notice', { hasText: `Re-running page 1 of ${docA}` }).waitFor({ timeout: 10_000 });
  check(true, 'the re-run dialog queues page 1 again and returns to the queue');
  const audit = await api('GET', `/admin/audit?job_id=${docA}`, keys.admin);
  const rerunRow = (audit.json?.entries ?? []).find((e) => e.action === 'job.rerun');
  check(JSON.stringify(rerunRow?.after) === JSON.stringify({ engine: otherEngine, pages: [1] }),
    'the audit row job.rerun records the engine and the page', JSON.stringify(rerunRow));
  const reread = await until(`${docA} to succeed again`, async () => {
    const r = await api('GET', `/ocr/jobs/${docA}`, keys.admin);
    return r.json?.status === 'succeeded' ? r.json : null;
  }, 45_000, 200);
  const rereadResult = (await api('GET', `/ocr/jobs/${docA}/result`, keys.reviewer)).json;
  check((rereadResult?.warnings ?? []).some((w) => /page 1 read with/.test(w)) && rereadResult?.engine?.name === firstEngine,
    `the re-run result says which engine read page 1 (${otherEngine}) and keeps the document's (${firstEngine})`,
    JSON.stringify({ warnings: rereadResult?.warnings, engine: rereadResult?.engine }));
  check(reread.review?.status !== 'approved', 'a re-run opens the review again from the new result', JSON.stringify(reread.review));
}

await run(main, {
  cleanup: async () => {
    await browser?.close();
    receiver?.close();
  },
  done: `; screenshots in ${OUT}`,
});
