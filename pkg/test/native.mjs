// The native `constitution` command, for comparing against: its path comes from
// CONSTITUTION_BIN (scripts/test-wasm sets it) or the default release build.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root; tests run from it so paths read as the CLI shows them. */
export const root = fileURLToPath(new URL('../../', import.meta.url));
process.chdir(root);

export const bin = process.env.CONSTITUTION_BIN
  ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, 'target'), 'release', 'constitution');

/** Runs the CLI: `{status, stdout, stderr}`. */
export function cli(...args) {
  const run = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Every bundled constitution with its sample data folder. */
export function bundled() {
  return readdirSync('constitutions')
    .filter((name) => name.endsWith('.lc'))
    .sort()
    .map((name) => {
      const area = name.slice(0, -3);
      return { area, lc: `constitutions/${name}`, data: `constitutions/${area}/data/2025-26` };
    });
}

/** The data files of a folder, named as the CLI names them when given the folder. */
export function folderFiles(dir) {
  const files = {};
  for (const name of readdirSync(dir).sort()) {
    if (/\.(csv|json|ndjson|jsonl)$/i.test(name)) files[`${dir}/${name}`] = readFileSync(`${dir}/${name}`, 'utf8');
  }
  return files;
}
