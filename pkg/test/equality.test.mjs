// The package gives byte for byte what the native command prints, on every bundled
// constitution and its sample data, and keeps answering after failures and traps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, mkdtempSync, writeFileSync, copyFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, bundled, folderFiles } from './native.mjs';
import * as engine from '../constitution.js';

await engine.init();

test('version is the crate version', () => {
  const cargo = readFileSync('Cargo.toml', 'utf8').match(/^version = "(.+)"$/m)[1];
  assert.equal(engine.version(), cargo);
  assert.equal(JSON.parse(readFileSync('pkg/package.json', 'utf8')).version, cargo);
});

for (const { area, lc, data } of bundled()) {
  test(`${area}: check, audit, explain and format equal the CLI's`, () => {
    const source = readFileSync(lc, 'utf8');
    const files = folderFiles(data);
    assert.ok(Object.keys(files).length > 5, `sample data for ${area}`);

    const checked = cli('check', '--format', 'json', lc);
    assert.equal(engine.checkJson(source, lc), checked.stdout);

    const audited = cli('audit', lc, '--data', data, '--format', 'json');
    assert.equal(audited.status, 0, audited.stderr);
    const report = engine.auditJson(source, files, { name: lc });
    assert.equal(report, audited.stdout);
    assert.equal(JSON.parse(report).rights.length >= 6, true);

    // A duty breached if there is one (its explanation has failing samples), else the first.
    const duties = JSON.parse(report).rights.flatMap((r) => r.duties);
    const duty = (duties.find((d) => d.verdict === 'breached') ?? duties[0]).id;
    const explained = cli('explain', lc, '--data', data, '--duty', duty, '--format', 'json');
    assert.equal(explained.status, 0, explained.stderr);
    assert.equal(engine.explainJson(source, files, duty, { name: lc }), explained.stdout);

    assert.equal(engine.format(source, lc), source, 'bundled constitutions are canonical');
  });
}

test('options: period and failing cap as the CLI takes them', () => {
  const { lc, data } = bundled().find((b) => b.area === 'lambeth');
  const native = cli('audit', lc, '--data', data, '--format', 'json', '--period', '2025-07-01..2025-12-31', '--failing', '3');
  assert.equal(native.status, 0, native.stderr);
  const wasm = engine.auditJson(readFileSync(lc, 'utf8'), folderFiles(data), {
    name: lc,
    period: '2025-07-01..2025-12-31',
    failing: 3,
  });
  assert.equal(wasm, native.stdout);
  assert.equal(JSON.parse(wasm).period.from, '2025-07-01');
});

test('one file named RECORD=NAME or by its record kind, as the CLI names --data arguments', () => {
  const { lc, data } = bundled().find((b) => b.area === 'lambeth');
  const foi = `${data}/foi_request.csv`;
  const native = cli('audit', lc, '--data', `foi_request=${foi}`, '--format', 'json');
  const text = readFileSync(foi, 'utf8');
  assert.equal(engine.auditJson(readFileSync(lc, 'utf8'), { [`foi_request=${foi}`]: text }, { name: lc }), native.stdout);
  assert.deepEqual(engine.dataRecords(readFileSync(lc, 'utf8'), 'x/foi_request.csv'), ['foi_request']);
  assert.throws(() => engine.dataRecords(readFileSync(lc, 'utf8'), 'notes.txt'), /cannot tell which record kind/);
});

test('data files as bytes (or with their SHA-256) give the same report as text', () => {
  const { lc, data } = bundled().find((b) => b.area === 'lambeth');
  const source = readFileSync(lc, 'utf8');
  const native = cli('audit', lc, '--data', data, '--format', 'json').stdout;
  const names = Object.keys(folderFiles(data));
  const as = (read) => Object.fromEntries(names.map((name) => [name, read(name)]));
  assert.equal(engine.auditJson(source, as((n) => readFileSync(n)), { name: lc }), native);
  assert.equal(engine.auditJson(source, new Map(Object.entries(as((n) => Uint8Array.from(readFileSync(n)).buffer))), { name: lc }), native);
  const withDigest = as((n) => ({ data: readFileSync(n), sha256: createHash('sha256').update(readFileSync(n)).digest('hex').toUpperCase() }));
  assert.equal(engine.auditJson(source, withDigest, { name: lc }), native);
  // A given digest is trusted as given, and is what the report shows.
  const foi = `${data}/foi_request.csv`;
  const given = engine.audit(source, { [foi]: { data: readFileSync(foi, 'utf8'), sha256: 'ab'.repeat(32) } });
  assert.equal(given.data_files[0].sha256, 'ab'.repeat(32));
  assert.throws(() => engine.audit(source, { [foi]: { data: '', sha256: 'abc' } }), /SHA-256 given for .* is not 64 hexadecimal digits/);
  // Bytes that are not UTF-8: the CLI's message, without its `error: ` prefix.
  const dir = mkdtempSync(path.join(tmpdir(), 'constitution-utf8-'));
  const latin1 = path.join(dir, 'foi_request.csv');
  writeFileSync(latin1, Buffer.concat([readFileSync(foi), Buffer.from('X-1,\xe9\n', 'latin1')]));
  const refused = cli('audit', lc, '--data', latin1, '--format', 'json');
  assert.equal(refused.status, 2);
  assert.throws(() => engine.auditJson(source, { [latin1]: readFileSync(latin1) }, { name: lc }), (error) => {
    assert.equal(`error: ${error.message}\n`, refused.stderr);
    return true;
  });
});

test("the engine's SHA-256 and the one the wrapper gives agree on every bundled data file", async () => {
  // The module's own calls, beside the wrapper: one file at a time, hashed by the engine
  // (no digest given) and by node:crypto (given), as the wrapper does in Node.
  const glue = await import('../dist/constitution.js?digests');
  glue.initSync({ module: new WebAssembly.Module(readFileSync('pkg/dist/constitution_bg.wasm')) });
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  let compared = 0;
  for (const { lc, data } of bundled()) {
    const source = readFileSync(lc, 'utf8');
    for (const name of Object.keys(folderFiles(data))) {
      for (const bytes of [readFileSync(name), Buffer.concat([bom, readFileSync(name)])]) {
        const audit = (sha256) => {
          const files = new glue.Files();
          files.add(name, bytes, sha256);
          return glue.audit(source, files, '{}');
        };
        const computed = audit(undefined);
        const digest = createHash('sha256').update(bytes.subarray(bytes[0] === 0xef ? 3 : 0)).digest('hex');
        assert.equal(JSON.parse(computed).data_files[0].sha256, digest, name);
        assert.equal(audit(digest), computed, name);
        compared += 1;
      }
    }
  }
  assert.ok(compared > 50, `${compared} files compared`);
});

test('diagnostics of every fixture equal the CLI check --format json', () => {
  const dir = 'tests/fixtures/diagnostics';
  const fixtures = readdirSync(dir).filter((f) => f.endsWith('.lc')).sort();
  assert.ok(fixtures.length > 20);
  for (const name of fixtures) {
    const file = `${dir}/${name}`;
    const native = cli('check', '--format', 'json', file);
    const wasm = engine.checkJson(readFileSync(file, 'utf8'), file);
    assert.equal(wasm, native.stdout, file);
    assert.ok(JSON.parse(wasm).length > 0, `${file} has diagnostics`);
  }
});

test('format equals the CLI fmt on a file that needs it', () => {
  const file = 'tests/fixtures/diagnostics/E001_syntax_error.lc';
  assert.throws(() => engine.format(readFileSync(file, 'utf8'), file), (error) => {
    assert.equal(error.name, 'ConstitutionError');
    assert.match(error.message, /not formatted because it has syntax errors/);
    assert.deepEqual(error.diagnostics, engine.check(readFileSync(file, 'utf8'), file).filter((d) => d.code.startsWith('E0')));
    return true;
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'constitution-fmt-'));
  const copy = path.join(dir, 'lambeth.lc');
  const messy = readFileSync('constitutions/lambeth.lc', 'utf8').replace(/^ {4}/gm, '\t ').replace(/ \{$/gm, '   {');
  writeFileSync(copy, messy);
  assert.equal(cli('fmt', copy).status, 0);
  const formatted = engine.format(messy);
  assert.notEqual(formatted, messy);
  assert.equal(formatted, readFileSync(copy, 'utf8'));
});

test('failures throw a ConstitutionError with the diagnostics, and the next call works', () => {
  const broken = readFileSync('tests/fixtures/diagnostics/E103_unknown_record.lc', 'utf8');
  const { lc, data } = bundled().find((b) => b.area === 'lambeth');
  const files = folderFiles(data);
  // Errors found by the checker (no data needed to find them)...
  assert.throws(() => engine.audit(broken, {}, { name: 'broken.lc' }), (error) => {
    assert.equal(error.message, '`broken.lc` has errors; fix them before auditing');
    assert.ok(error.diagnostics.some((d) => d.code === 'E103' && d.file === 'broken.lc'));
    return true;
  });
  // ... and syntax errors, before any file is looked at.
  const syntax = readFileSync('tests/fixtures/diagnostics/E001_syntax_error.lc', 'utf8');
  assert.throws(() => engine.audit(syntax, files, { name: 'syntax.lc' }), (error) => {
    assert.equal(error.message, '`syntax.lc` has errors; fix them before auditing');
    assert.deepEqual(error.diagnostics.map((d) => d.code), engine.check(syntax, 'syntax.lc').map((d) => d.code));
    return true;
  });
  // A file the constitution has no record kind for: the CLI's message.
  assert.throws(() => engine.audit(readFileSync(lc, 'utf8'), { 'notes.csv': 'a,b\n' }), /`notes.csv`: cannot tell which record kind/);
  // A data file that cannot be read: the CLI's message, without its `error: ` prefix.
  const dir = mkdtempSync(path.join(tmpdir(), 'constitution-bad-'));
  for (const name of readdirSync(data)) copyFileSync(`${data}/${name}`, path.join(dir, name));
  writeFileSync(path.join(dir, 'commission.json'), '[{"oops": ');
  const native = cli('audit', lc, '--data', dir, '--format', 'json');
  assert.equal(native.status, 2);
  const bad = { ...folderFiles(dir) };
  assert.throws(() => engine.auditJson(readFileSync(lc, 'utf8'), bad, { name: lc }), (error) => {
    assert.equal(`error: ${error.message}\n`, native.stderr);
    return true;
  });
  assert.throws(() => engine.audit(readFileSync(lc, 'utf8'), files, { period: '2026-01-01..2025-01-01' }), /ends before it starts/);
  assert.throws(() => engine.audit(readFileSync(lc, 'utf8'), files, { colour: 'red' }), /unknown field `colour`/);
  assert.throws(() => engine.explain(readFileSync(lc, 'utf8'), files, 'home.nothing', { name: lc }), /no duty `home.nothing`/);
  // Still answering.
  assert.equal(engine.audit(readFileSync(lc, 'utf8'), files, { name: lc }).rights.length, 7);
});

test('a trap does not kill the engine: the instance is replaced and calls go on', async () => {
  const source = readFileSync('constitutions/oldham.lc', 'utf8');
  const before = engine.checkJson(source);
  assert.throws(() => engine.__trap(), (error) => {
    assert.equal(error.name, 'ConstitutionError');
    assert.ok(error.cause instanceof WebAssembly.RuntimeError);
    return true;
  });
  assert.equal(engine.checkJson(source), before, 'the spare instance answers at once');
  // Two traps in a row: the second waits for a fresh instance.
  assert.throws(() => engine.__trap());
  await engine.init();
  assert.equal(engine.checkJson(source), before);
  assert.equal(engine.format(source), source);
});
