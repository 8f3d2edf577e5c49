// The constitution engine in JavaScript: a thin wrapper over the WebAssembly build of the
// Rust library (src/wasm.rs). Every call is the library call the `constitution` command
// makes, and the `…Json` calls return exactly the bytes `--format json` prints.
//
// The wrapper adds four things only an edge can do: it loads the module (in browsers by
// fetch, in Node from the file), it hands data files over as bytes (with their SHA-256 when
// the platform can hash them on the spot: in Node, whose hashing uses the CPU's SHA
// instructions, which WebAssembly cannot), it turns failures into `ConstitutionError`s
// carrying the diagnostics, and it keeps the engine answering if the module ever traps (a
// WebAssembly trap leaves an instance in an unknown state, so it is replaced by a fresh
// instance of the same compiled module, kept ready for the purpose).

const GLUE = new URL('./dist/constitution.js', import.meta.url);
const WASM = new URL('./dist/constitution_bg.wasm', import.meta.url);

/** A failed call: `message` says what went wrong, `diagnostics` where (may be empty). */
export class ConstitutionError extends Error {
  constructor(message, diagnostics = [], options) {
    super(message, options);
    this.name = 'ConstitutionError';
    this.diagnostics = diagnostics;
  }
}

let compiled = null; // the WebAssembly.Module, compiled once
let current = null; // the glue of the instance in use
let spare = null; // a second instance, swapped in after a trap
let restarting = null; // a promise while a new instance is being made
let generation = 0;
let createHash = null; // node:crypto's, under Node: synchronous and hardware-accelerated

// Under Node, data files are hashed here; browsers hash only asynchronously (Web Crypto), so
// there the engine hashes, unless the caller passes each file's `sha256`.
async function nodeHashing() {
  if (!globalThis.process?.versions?.node) return null;
  try {
    return (await import('node:crypto')).createHash;
  } catch {
    return null;
  }
}

async function compile(input) {
  if (input instanceof WebAssembly.Module) return input;
  if (input instanceof ArrayBuffer || ArrayBuffer.isView(input)) return WebAssembly.compile(input);
  const url = new URL(input ?? WASM, globalThis.document?.baseURI ?? import.meta.url);
  if (url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    return WebAssembly.compile(await readFile(url));
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load ${url}: ${response.status} ${response.statusText}`);
  return WebAssembly.compile(await response.arrayBuffer());
}

// Each import of the glue with its own query is a separate module with its own instance.
async function instantiate() {
  generation += 1;
  const url = new URL(GLUE);
  url.searchParams.set('instance', String(generation));
  const glue = await import(url.href);
  glue.initSync({ module: compiled });
  return glue;
}

/**
 * Loads the engine. Call (and await) once before anything else; later calls do nothing.
 * `input` may be a URL of the `.wasm`, its bytes, or a compiled `WebAssembly.Module`;
 * by default the `.wasm` beside this file is used.
 */
export async function init(input) {
  if (current) return;
  if (restarting) return restarting;
  restarting = (async () => {
    compiled ??= await compile(input);
    createHash ??= await nodeHashing();
    current = await instantiate();
    spare = await instantiate();
  })();
  try {
    await restarting;
  } finally {
    restarting = null;
  }
}

function replaceInstance() {
  current = spare;
  spare = null;
  const pending = instantiate()
    .then((glue) => {
      if (!current) current = glue;
      else spare = glue;
    })
    .finally(() => {
      if (restarting === pending) restarting = null;
    });
  restarting = pending;
}

// Runs `job` with the instance in use, turning its failures into `ConstitutionError`s.
function run(job) {
  if (!current) {
    throw new ConstitutionError(
      restarting ? 'the engine is restarting; try again' : 'call `await init()` first',
    );
  }
  try {
    return job(current);
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) {
      replaceInstance();
      throw new ConstitutionError(`internal error: the engine stopped (${error.message}) and was restarted`, [], {
        cause: error,
      });
    }
    if (typeof error === 'string') {
      let failure;
      try {
        failure = JSON.parse(error);
      } catch {
        throw new ConstitutionError(error);
      }
      throw new ConstitutionError(failure.message, failure.diagnostics);
    }
    throw error;
  }
}

const call = (name, ...args) => run((glue) => glue[name](...args));

// A leading byte-order mark means nothing; the command line drops it when reading too.
const text = (s) => String(s).replace(/^\uFEFF/, '');

const encoder = new TextEncoder();
const isBytes = (x) => x instanceof ArrayBuffer || ArrayBuffer.isView(x);

/** A data file's bytes (UTF-8, checked by the engine) and its SHA-256, when known. */
function contents(body) {
  let data = body;
  let sha256;
  if (body !== null && typeof body === 'object' && !isBytes(body) && 'data' in body) {
    ({ data, sha256 } = body);
  }
  let bytes;
  if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
  else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  else bytes = encoder.encode(text(data));
  if (sha256 === undefined && createHash) {
    // The report's digest is of the text after any byte-order mark, as the command line's.
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    sha256 = createHash('sha256').update(bom ? bytes.subarray(3) : bytes).digest('hex');
  }
  return { bytes, sha256 };
}

// The engine's `Files`, filled in its memory one file at a time; `job` takes it over.
function withFiles(files, job) {
  const entries = files instanceof Map ? [...files] : Object.entries(files ?? {});
  return run((glue) => {
    const set = new glue.Files();
    try {
      for (const [name, body] of entries) {
        const { bytes, sha256 } = contents(body);
        set.add(String(name), bytes, sha256 ?? undefined);
      }
    } catch (error) {
      set.free();
      throw error;
    }
    return job(glue, set);
  });
}

const optionsJson = (options) => JSON.stringify(options ?? {});

/** The engine's version. */
export function version() {
  return call('version');
}

/** Every diagnostic of a constitution, exactly as `constitution check --format json` prints them. */
export function checkJson(source, name) {
  return call('check', text(source), name);
}

/** Every diagnostic of a constitution, sorted by position. */
export function check(source, name) {
  return JSON.parse(checkJson(source, name));
}

/** The constitution in the canonical layout; throws a `ConstitutionError` on syntax errors. */
export function format(source, name) {
  return call('format', text(source), name);
}

/** The record kinds a constitution declares (none when it cannot be read). */
export function records(source) {
  return JSON.parse(call('records', text(source)));
}

/** The record kinds a data file holds, judged from its name as the command line judges it. */
export function dataRecords(source, fileName) {
  return JSON.parse(call('data_records', text(source), fileName));
}

/** The audit report, exactly as `constitution audit --format json` prints it. */
export function auditJson(source, files, options) {
  return withFiles(files, (glue, set) => glue.audit(text(source), set, optionsJson(options)));
}

/** Audits service data against a constitution. */
export function audit(source, files, options) {
  return JSON.parse(auditJson(source, files, options));
}

/** How one duty reached its verdict, exactly as `constitution explain --format json` prints it. */
export function explainJson(source, files, duty, options) {
  return withFiles(files, (glue, set) => glue.explain(text(source), set, duty, optionsJson(options)));
}

/** How one duty (`right.duty`) reached its verdict. */
export function explain(source, files, duty, options) {
  return JSON.parse(explainJson(source, files, duty, options));
}

/** Stops the engine with a trap, as a panic would. For tests of the recovery only. */
export function __trap() {
  return call('__trap');
}
