// Types of the constitution engine's JavaScript package. The report and diagnostic shapes
// are those of the command line's `--format json` (report schema: docs/report.schema.json).

/** Loads the engine; await it once before any other call. `input`: the `.wasm`'s URL, bytes or compiled module. */
export function init(input?: string | URL | ArrayBuffer | ArrayBufferView | WebAssembly.Module): Promise<void>;

/** The engine's version (the crate's). */
export function version(): string;

/** Every diagnostic of a constitution, sorted by position. `name` is how they name the file (default `constitution.lc`). */
export function check(source: string, name?: string): Diagnostic[];
/** The same, as the exact text `constitution check --format json` prints. */
export function checkJson(source: string, name?: string): string;

/** The constitution in the canonical layout. Throws a `ConstitutionError` when it has syntax errors. */
export function format(source: string, name?: string): string;

/** The record kinds a constitution declares (empty when it cannot be read). */
export function records(source: string): string[];
/** The record kinds a data file holds, from its name as the command line reads `--data` names. Throws when it cannot tell. */
export function dataRecords(source: string, fileName: string): string[];

/**
 * Data files by name: `foi_request.csv` (a file named after its record kind, in any folder),
 * `RECORD=name.csv`, or a `.json` object keyed by record kind. The names appear in the
 * report as given; files are read in name order, as the command line reads a folder.
 */
export type DataFiles = Record<string, DataFileContents> | Map<string, DataFileContents>;

/**
 * A data file's contents: its text, or its bytes (faster: they go to the engine as they are
 * and are checked as UTF-8 there, as the command line reads a file; not UTF-8 is an error
 * naming the file), optionally with their SHA-256.
 */
export type DataFileContents = string | Uint8Array | ArrayBuffer | DataFileWithDigest;

export interface DataFileWithDigest {
  data: string | Uint8Array | ArrayBuffer;
  /**
   * The SHA-256 (hex) of the file's UTF-8 bytes after any leading byte-order mark, if you have
   * it already (e.g. from `crypto.subtle.digest`): the report gives it as is, and the engine
   * does not hash the file, which it does more slowly than the platform. Under Node the
   * package hashes with `node:crypto` itself.
   */
  sha256?: string;
}

export interface AuditOptions {
  /** How the report names the constitution (default `constitution.lc`). */
  name?: string;
  /** The period audited, `FROM..TO` (`2025-04-01..2026-03-31`); the whole data when absent. */
  period?: string;
  /** Failing record keys listed per duty and group (default 20), as `--failing`. */
  failing?: number;
}

/** Audits service data against a constitution. Throws a `ConstitutionError` if the constitution has errors or a file cannot be read. */
export function audit(source: string, files: DataFiles, options?: AuditOptions): Report;
/** The same, as the exact text `constitution audit --format json` prints. */
export function auditJson(source: string, files: DataFiles, options?: AuditOptions): string;

/** How one duty (`right.duty`) reached its verdict. */
export function explain(source: string, files: DataFiles, duty: string, options?: AuditOptions): Explanation;
/** The same, as the exact text `constitution explain --format json` prints. */
export function explainJson(source: string, files: DataFiles, duty: string, options?: AuditOptions): string;

/** A failed call: what went wrong, and where in the constitution when that is known. */
export class ConstitutionError extends Error {
  name: 'ConstitutionError';
  diagnostics: Diagnostic[];
}

/** @internal Traps the engine, as a panic would; for the recovery tests. */
export function __trap(): void;

export interface Diagnostic {
  /** Stable code, e.g. `E204`. */
  code: string;
  /** Kebab-case name of the code. */
  name: string;
  severity: 'error' | 'warning';
  /** One lowercase line. */
  message: string;
  /** How to fix it, when known. */
  help: string | null;
  file: string;
  /** 1-based line and column (in characters) of the start; the end is just past the span. */
  line: number;
  column: number;
  end_line: number;
  end_column: number;
}

export type RightVerdict = 'upheld' | 'breached' | 'insufficient_evidence';
export type DutyVerdict = 'met' | 'breached' | 'insufficient_evidence' | 'not_applicable' | 'unchecked';
export type Cause = 'no_data' | 'no_records' | 'too_few_records' | 'too_many_unusable' | 'undecided';

export interface Report {
  report_version: string;
  engine: { name: string; version: string };
  constitution: {
    name: string;
    area: string | null;
    file: string;
    sha256: string;
    adopted: string | null;
    in_force_on: string | null;
    amendments_in_force: string[];
    calendar: string;
  };
  period: { from: string; to: string };
  summary: {
    rights: { upheld: number; breached: number; insufficient_evidence: number };
    duties: { met: number; breached: number; insufficient_evidence: number; not_applicable: number; unchecked: number };
    referrals: number;
    unusable_records: number;
  };
  rights: RightReport[];
  accountability: { verdict: RightVerdict; duties: DutyReport[] } | null;
  referrals: Referral[];
  data_problems: DataProblem[];
  data_files: DataFileReport[];
}

export interface RightReport {
  id: string;
  title: string;
  verdict: RightVerdict;
  duties: DutyReport[];
}

export interface Counts {
  in_scope: number;
  considered: number;
  passing: number;
  failing: number;
  unusable: number;
}

export interface Failing {
  total: number;
  first: string[];
}

export interface Outcome {
  verdict: DutyVerdict;
  /** Why, when the evidence was insufficient. */
  cause?: Cause;
  /** What was measured, in words (absent when nothing was). */
  measured?: string;
  /** The same as a number (shares in percent). */
  measured_value?: number;
}

export interface GroupReport extends Outcome {
  group: string | null;
  period: string | null;
  counts: Counts;
  failing: Failing;
}

export interface DutyReport {
  /** `right.duty` */
  id: string;
  title: string;
  owed_by: string[];
  basis: string | null;
  line: number;
  requirement: string;
  grouped_by: string | null;
  periods: string | null;
  verdict: DutyVerdict;
  cause?: Cause;
  measured: string | null;
  measured_value: number | null;
  counts: Counts;
  excluded: { outside_period: number; filtered_out: number };
  failing: Failing;
  groups: GroupReport[];
  unusable_reasons: { key: string; reason: string }[];
}

export interface Referral {
  duty: string;
  title: string;
  to: string;
  to_name: string | null;
  reason: string;
  independent_review: boolean;
  breached_in: string[];
}

export interface DataProblem {
  file: string;
  location: string;
  key: string | null;
  problems: string[];
}

export interface DataFileReport {
  record: string;
  path: string;
  sha256: string;
  format: 'csv' | 'json' | 'ndjson';
  records: number;
  unusable: number;
  note?: string;
  missing_columns: string[];
}

export interface Explanation {
  duty: DutyReport;
  clause: string;
  offered: number;
  outside_period: number;
  filtered_out: number;
  unusable: number;
  considered: number;
  samples: { key: string; file: string; location: string; values: [string, string][]; why: string }[];
}
