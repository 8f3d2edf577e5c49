// Times the largest bundled audit in WebAssembly (under Node, in-process, the files given
// as bytes read beforehand) and natively (the release command, as a process: start-up and
// reading the files included), same data, same machine. Prints one line; fails only if the
// two reports differ.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { bin, bundled, folderFiles } from './native.mjs';
import * as engine from '../constitution.js';

const RUNS = 7;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bytes = (files) => Object.values(files).reduce((n, data) => n + data.length, 0);
const asBytes = (dir) => Object.fromEntries(Object.keys(folderFiles(dir)).map((name) => [name, readFileSync(name)]));

await engine.init();
const largest = bundled()
  .map((b) => ({ ...b, files: asBytes(b.data) }))
  .sort((a, b) => bytes(b.files) - bytes(a.files))[0];
const source = readFileSync(largest.lc, 'utf8');

const wasmTimes = [];
let report;
engine.auditJson(source, largest.files, { name: largest.lc }); // warm-up
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  report = engine.auditJson(source, largest.files, { name: largest.lc });
  wasmTimes.push(performance.now() - start);
}

function nativeTimes(...extra) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const run = spawnSync(bin, ['audit', largest.lc, '--data', largest.data, '--format', 'json', ...extra], {
      encoding: 'utf8',
      maxBuffer: 256 << 20,
    });
    times.push(performance.now() - start);
    if (run.stdout !== report) {
      console.error('the native and WebAssembly reports differ');
      process.exit(1);
    }
  }
  return times;
}
const native = median(nativeTimes());
const native1 = median(nativeTimes('--threads', '1'));
const wasm = median(wasmTimes);
const mb = (bytes(largest.files) / 1e6).toFixed(1);
console.log(
  `${largest.area} audit (${Object.keys(largest.files).length} files, ${mb} MB), median of ${RUNS}: `
  + `wasm ${wasm.toFixed(0)} ms (Node ${process.versions.node}, in-process); `
  + `native ${native.toFixed(0)} ms (release binary as a process, `
  + `reading the files; --threads 1: ${native1.toFixed(0)} ms); wasm/native ${(wasm / native1).toFixed(2)}x (one thread each)`,
);
