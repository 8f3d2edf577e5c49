// Output safety in the browser: a constitution and data whose every shown text tries to be
// markup (`<script>`, `<img onerror>`, `<svg onload>`, `javascript:` URLs, quotes) go
// through the dashboard and the editor. Nothing runs, no element comes from the input, and
// the text is shown as text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { root } from './native.mjs';
import { serve } from './serve.mjs';

const artifacts = path.resolve(process.env.ARTIFACTS ?? path.join(root, 'target', 'browser-artifacts'));
mkdirSync(artifacts, { recursive: true });

let server;
let browser;

before(async () => {
  server = await serve(root);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('hostile text in a constitution and its data is shown as text, never run', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const dialogs = [];
  const errors = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(`${server.url}/pkg/test/fixtures/hostile/`);
  await page.waitForSelector('rights-dashboard .rd-rights > li[data-right]', { timeout: 30_000 });
  await page.waitForSelector('constitution-editor .ce-summary');
  // Open every right and every details element, so every table is rendered.
  await page.$$eval('details', (all) => all.forEach((d) => { d.open = true; }));

  const found = await page.evaluate(() => {
    const fromInput = [...document.querySelectorAll('script, img, svg, iframe, object, embed, b, a')]
      .filter((el) => !(el.tagName === 'SCRIPT' && el.getAttribute('src') === '../../../dashboard.js'))
      .map((el) => el.outerHTML.slice(0, 120));
    const handlers = [...document.querySelectorAll('*')]
      .flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith('on') || /javascript:/i.test(a.value))
        .map((a) => `${el.tagName} ${a.name}=${a.value}`));
    return { fromInput, handlers, text: document.body.innerText };
  });
  await page.screenshot({ path: path.join(artifacts, 'hostile.png'), fullPage: true });
  assert.deepEqual(found.fromInput, [], 'elements made from input');
  assert.deepEqual(found.handlers, [], 'handlers or javascript: URLs from input');
  assert.deepEqual(dialogs, [], 'nothing ran');
  assert.deepEqual(errors, []);
  // The hostile strings are there, as text: the constitution's name, a body, a ward, a key.
  for (const text of ["<script>alert('name')</script>", '<img src=x onerror=alert(2)>',
    '<script>alert(6)</script>', '<b onmouseover=alert(0)>']) {
    assert.ok(found.text.includes(text), `${text} not shown as text`);
  }
  await page.close();
});
