// Types of the custom elements in dashboard.js. Importing the module defines them.
import type { Report, Diagnostic } from './constitution.js';

/**
 * `<rights-dashboard constitution="lambeth.lc" data="data/2025-26/" files="…" period="…" wasm="…">`:
 * the audit of the published data, right by right; a citizen's own files replace those of
 * the same record kinds. Fires `audited` (detail: the report) after each audit.
 */
export class RightsDashboard extends HTMLElement {
  /** The last report shown. */
  report: Report | null;
}

/**
 * `<constitution-editor src="lambeth.lc" name="…" heading="…">`: a text area whose
 * diagnostics are listed and marked as you type. Fires `checked` (detail: the diagnostics).
 */
export class ConstitutionEditor extends HTMLElement {
  /** The text being drafted. */
  value: string;
}

declare global {
  interface HTMLElementTagNameMap {
    'rights-dashboard': RightsDashboard;
    'constitution-editor': ConstitutionEditor;
  }
  interface HTMLElementEventMap {
    audited: CustomEvent<Report>;
    checked: CustomEvent<Diagnostic[]>;
  }
}
