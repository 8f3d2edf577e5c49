// End to end in a real browser: Debian's Chromium (never a downloaded one) driven by
// playwright-core, on the example page served from the repository root. Screenshots and
// the accessibility results go to $ARTIFACTS (default target/browser-artifacts/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync, mkdtempSync, writeFileSync, copyFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { root, cli, folderFiles } from './native.mjs';
import { serve } from './serve.mjs';

const require = createRequire(import.meta.url);
const artifacts = path.resolve(process.env.ARTIFACTS ?? path.join(root, 'target', 'browser-artifacts'));
mkdirSync(artifacts, { recursive: true });
const shot = (name) => path.join(artifacts, name);

const LC = 'constitutions/lambeth.lc';
const DATA = 'constitutions/lambeth/data/2025-26';

let server;
let browser;
let page;
const outside = []; // requests to anywhere but the test server

before(async () => {
  server = await serve(root);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error));
  page.errors = errors;
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(server.url) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    outside.push(url);
    return route.abort();
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const rightsShown = () => page.$$eval('rights-dashboard .rd > .rd-rights > li[data-right]', (items) =>
  items.map((li) => ({
    id: li.dataset.right,
    verdict: li.dataset.verdict,
    text: li.querySelector('summary .rd-verdict').textContent.trim(),
  })));

const TEXT = { upheld: '✓ Upheld', breached: '✗ Breached', insufficient_evidence: '? Insufficient evidence' };

test('the dashboard shows the verdicts of the native report, and a breached right opens to its ward table', async () => {
  const native = JSON.parse(cli('audit', LC, '--data', DATA, '--format', 'json').stdout);
  await page.goto(`${server.url}/pkg/example/`);
  await page.waitForSelector('rights-dashboard .rd-rights > li[data-right]', { timeout: 30_000 });
  const shown = await rightsShown();
  assert.deepEqual(shown, native.rights.map((r) => ({ id: r.id, verdict: r.verdict, text: TEXT[r.verdict] })));
  for (const key of ['home', 'education', 'skills', 'environment', 'information', 'consulted']) {
    assert.ok(shown.some((r) => r.id === key), `the fundamental right ${key} is shown`);
  }

  // A breached right with a duty judged per ward; opened from the keyboard.
  const right = native.rights.find((r) => r.duties.some((d) => d.verdict === 'breached' && d.grouped_by === 'ward'));
  const duty = right.duties.find((d) => d.verdict === 'breached' && d.grouped_by === 'ward');
  await page.focus(`li[data-right="${right.id}"] summary`);
  await page.keyboard.press('Enter');
  const open = await page.$eval(`li[data-right="${right.id}"] details`, (d) => d.open);
  assert.equal(open, true);
  const table = page.locator(`section[data-duty="${duty.id}"] table.rd-groups`);
  await table.waitFor({ state: 'visible' });
  assert.equal(await table.locator('thead th').first().textContent(), 'ward');
  assert.equal(await table.locator('tbody tr').count(), duty.groups.length);
  const breachedRows = await table.locator('tbody tr[data-verdict="breached"]').count();
  assert.equal(breachedRows, duty.groups.filter((g) => g.verdict === 'breached').length);
  assert.ok(breachedRows > 0);
  const firstBreached = duty.groups.find((g) => g.verdict === 'breached');
  const row = table.locator('tbody tr[data-verdict="breached"]').first();
  assert.equal(await row.locator('th').textContent(), firstBreached.group);
  assert.match(await row.textContent(), /Breached/);
  // The referrals and the provenance are there.
  assert.equal(await page.locator('.rd-referrals li').count(), native.referrals.length);
  assert.equal(await page.locator('.rd-provenance tbody tr').count(), native.data_files.length);
  assert.match(await page.locator('.rd-provenance').textContent(), new RegExp(native.constitution.sha256));
  // The data files' digests, from the browser's Web Crypto, are the native command's.
  const digests = await page.locator('.rd-provenance tbody td code').allTextContents();
  assert.deepEqual(digests, native.data_files.map((f) => f.sha256));
  assert.equal(await page.evaluate(() => typeof crypto.subtle?.digest), 'function', 'the page hashes with Web Crypto');
  await page.screenshot({ path: shot('dashboard.png'), fullPage: true });

  // Focus is visible: the focused summary has an outline.
  const outline = await page.$eval(`li[data-right="${right.id}"] summary`, (s) => getComputedStyle(s).outlineStyle);
  assert.equal(outline, 'solid');
});

test('no serious or critical accessibility violations (axe-core)', async () => {
  await page.waitForSelector('constitution-editor .ce-summary:text("No problems found.")');
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const results = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  writeFileSync(shot('axe.json'), JSON.stringify(results.violations, null, 2));
  const serious = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), []);
});

test('readable at 320 px: nothing wider than the screen but the scrolling tables', async () => {
  await page.setViewportSize({ width: 320, height: 800 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 320, `page is ${width}px wide`);
  await page.screenshot({ path: shot('dashboard-320.png'), fullPage: false });
  await page.setViewportSize({ width: 1280, height: 900 });
});

test('a citizen loads a data file through the file input and the verdicts change', async () => {
  // Every FOI request answered the day it came in.
  const lines = readFileSync(`${DATA}/foi_request.csv`, 'utf8').trimEnd().split('\n');
  const fixed = [lines[0], ...lines.slice(1).map((line) => {
    const cells = line.split(',');
    cells[4] = cells[3];
    cells[5] = '';
    return cells.join(',');
  })].join('\n') + '\n';
  const dir = mkdtempSync(path.join(tmpdir(), 'constitution-own-'));
  for (const name of readdirSync(DATA)) copyFileSync(`${DATA}/${name}`, path.join(dir, name));
  writeFileSync(path.join(dir, 'foi_request.csv'), fixed);
  const before = JSON.parse(cli('audit', LC, '--data', DATA, '--format', 'json').stdout);
  const expected = JSON.parse(cli('audit', LC, '--data', dir, '--format', 'json').stdout);
  const verdicts = (report) => report.rights.map((r) => ({ id: r.id, verdict: r.verdict, text: TEXT[r.verdict] }));
  assert.notDeepEqual(verdicts(expected), verdicts(before), 'the fixed file changes a verdict');

  await page.setInputFiles('rights-dashboard input[type=file]', {
    name: 'foi_request.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(fixed),
  });
  await page.waitForSelector('rights-dashboard .rd-summary:has-text("Includes your own data")');
  assert.deepEqual(await rightsShown(), verdicts(expected));
  const provenance = await page.locator('.rd-provenance tbody th').allTextContents();
  assert.ok(provenance.includes('foi_request.csv'), 'the citizen\'s file is named in the provenance');
  await page.screenshot({ path: shot('dashboard-own-data.png'), fullPage: true });

  await page.getByRole('button', { name: 'Back to the published data' }).click();
  await page.waitForFunction(() => !document.querySelector('rights-dashboard .rd-summary').textContent.includes('your own'));
  assert.deepEqual(await rightsShown(), verdicts(before));
});

test('the drafting view lists and marks a diagnostic as you type, and formats', async () => {
  const editor = page.locator('constitution-editor textarea');
  await page.waitForSelector('constitution-editor .ce-summary:text("No problems found.")');
  await editor.focus();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\nright broken "A right with nothing in it" {', { delay: 5 });
  await page.waitForSelector('constitution-editor .ce-diagnostics li[data-severity="error"]');
  const text = await editor.inputValue();
  const dir = mkdtempSync(path.join(tmpdir(), 'constitution-draft-'));
  writeFileSync(path.join(dir, 'lambeth.lc'), text);
  const native = JSON.parse(cli('check', '--format', 'json', path.join(dir, 'lambeth.lc')).stdout);
  assert.ok(native.length > 0);
  const listed = await page.$$eval('constitution-editor .ce-diagnostics li', (items) =>
    items.map((li) => ({ code: li.dataset.code, severity: li.dataset.severity, text: li.textContent })));
  assert.deepEqual(listed.map((d) => d.code), native.map((d) => d.code));
  for (const [i, d] of native.entries()) {
    assert.ok(listed[i].text.includes(`line ${d.line}, column ${d.column}`));
    assert.ok(listed[i].text.includes(d.message));
  }
  assert.equal(await editor.getAttribute('aria-invalid'), 'true');
  assert.ok(await page.locator('constitution-editor .ce-marks mark.ce-e').count() > 0, 'the span is marked');
  await page.locator('constitution-editor').screenshot({ path: shot('editor-diagnostic.png') });

  // Syntax errors: formatting is refused and says why.
  await page.getByRole('button', { name: 'Format' }).click();
  await page.waitForSelector('constitution-editor .ce-format-status:has-text("Not formatted")');

  // Fixing it clears the list; Format puts a messy file in the canonical layout.
  const clean = readFileSync(LC, 'utf8');
  await editor.fill(clean.replace(/^ {4}duty/gm, '      duty'));
  await page.getByRole('button', { name: 'Format' }).click();
  await page.waitForFunction((expected) => document.querySelector('constitution-editor textarea').value === expected, clean);
  await page.waitForSelector('constitution-editor .ce-summary:text("No problems found.")');
});

test('the page made no request outside its own server and threw nothing', () => {
  assert.deepEqual(outside, []);
  assert.deepEqual(page.errors.map(String), []);
});
