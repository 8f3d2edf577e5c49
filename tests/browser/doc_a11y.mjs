// Accessibility of `constitution doc --format html`: each page given on the command line is
// opened in headless Chromium and checked with axe-core (WCAG 2.1 A and AA, and best
// practice); the page must make no request outside itself. Uses the browser set-up of the
// WebAssembly package (pkg/node_modules: playwright-core and axe-core; Debian's chromium).
// Run by scripts/test when that set-up is present.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const modules = path.join(root, 'pkg/node_modules');
const { chromium } = await import(path.join(modules, 'playwright-core/index.mjs'));
const axeSource = fs.readFileSync(path.join(modules, 'axe-core/axe.min.js'), 'utf8');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
let problems = 0;
for (const file of process.argv.slice(2)) {
  const page = await browser.newPage();
  const outside = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('file://')) outside.push(r.url());
  });
  await page.goto('file://' + path.resolve(file));
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, {
      runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
    }),
  );
  console.log(
    `${file}: ${result.violations.length} violations, ${result.passes.length} rules passed, ` +
      `${outside.length} outside requests`,
  );
  for (const v of result.violations) {
    console.log(`  ${v.id} (${v.impact}): ${v.help}, ${v.nodes.length} elements`);
  }
  for (const url of outside) console.log(`  outside request: ${url}`);
  problems += result.violations.length + outside.length;
  await page.close();
}
await browser.close();
process.exit(problems ? 1 : 0);
