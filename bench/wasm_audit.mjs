// One audit through the WebAssembly package under Node, for bench/run:
//   node bench/wasm_audit.mjs CONSTITUTION PERIOD FILE…
// Prints {"seconds": …}: reading the files from disk as bytes and the audit (the module
// loaded first), the same work `constitution audit … --format json --failing 1000000000`
// does natively: the bytes are copied into the module's memory, checked as UTF-8, hashed
// (by node:crypto in the package's wrapper, as the native command hashes with the CPU's SHA
// instructions), parsed and audited, and the report is returned as a string.
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..', 'pkg');
const { init, auditJson } = await import(join(pkg, 'constitution.js'));
await init(readFileSync(join(pkg, 'dist', 'constitution_bg.wasm')));

const [constitution, period, ...paths] = process.argv.slice(2);
const source = readFileSync(constitution, 'utf8');
const started = process.hrtime.bigint();
const files = {};
for (const path of paths) files[basename(path)] = readFileSync(path);
const report = auditJson(source, files, { name: basename(constitution), period, failing: 1e9 });
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
if (!report.includes('"report_version"')) throw new Error('no report');
console.log(JSON.stringify({ seconds }));
