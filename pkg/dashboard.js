// Two custom elements over the engine, for a council's own web pages; plain DOM, no
// framework, no requests beyond the page's own files. Nothing a citizen chooses leaves the
// page: their files are read and audited here.
//
//   <rights-dashboard constitution="lambeth.lc" data="data/2025-26/"></rights-dashboard>
//   <constitution-editor src="lambeth.lc"></constitution-editor>
//
// Every piece of text from a constitution, a data file or a report is put in the page with
// `textContent` (through `el` below), never parsed as HTML.

import { init, audit, check, format, records, dataRecords, ConstitutionError } from './constitution.js';

const VERDICTS = {
  upheld: { text: 'Upheld', mark: '✓' },
  met: { text: 'Met', mark: '✓' },
  breached: { text: 'Breached', mark: '✗' },
  insufficient_evidence: { text: 'Insufficient evidence', mark: '?' },
  not_applicable: { text: 'Not applicable', mark: '–' },
  unchecked: { text: 'Not checked', mark: '–' },
};

const CAUSES = {
  no_data: 'no data was given for this kind of record',
  no_records: 'no records were in scope',
  too_few_records: 'fewer records than the duty\'s minimum',
  too_many_unusable: 'more than a tenth of the records in scope could not be used',
  undecided: 'some groups or periods could not be decided',
};

// Data files the dashboard looks for, per record kind, when no `files` list is given: an
// HTTP server cannot list a folder, so each kind the constitution declares is asked for
// under each name the command line would read in a folder.
const EXTENSIONS = ['csv', 'json', 'ndjson', 'jsonl'];

const STYLE = `
.rd, .ce { --rd-ok: #1b5e20; --rd-bad: #a4000f; --rd-unknown: #6b4b00; --rd-none: #4a4a4a;
  --rd-focus: #1d70b8; --rd-line: #b1b4b6; font: 1rem/1.5 system-ui, sans-serif; color: #0b0c0c;
  max-width: 70rem; overflow-wrap: anywhere; }
.rd *:focus-visible, .ce *:focus-visible { outline: 3px solid var(--rd-focus); outline-offset: 2px; }
.rd h2, .ce h2 { font-size: 1.5rem; margin: 1rem 0 .5rem; }
.rd h3, .ce h3 { font-size: 1.2rem; margin: 1.25rem 0 .5rem; }
.rd h3.rd-duty-title { font-size: 1.05rem; margin: 1rem 0 .25rem; }
.rd-verdict { display: inline-block; padding: 0 .4em; border-radius: .25em; color: #fff;
  font-weight: 600; white-space: nowrap; }
.rd-verdict[data-verdict=upheld], .rd-verdict[data-verdict=met] { background: var(--rd-ok); }
.rd-verdict[data-verdict=breached] { background: var(--rd-bad); }
.rd-verdict[data-verdict=insufficient_evidence] { background: var(--rd-unknown); }
.rd-verdict[data-verdict=not_applicable], .rd-verdict[data-verdict=unchecked] { background: var(--rd-none); }
.rd-rights { list-style: none; padding: 0; margin: 0; }
.rd-rights > li { border: 1px solid var(--rd-line); border-left-width: .5rem; margin: .5rem 0; padding: 0; }
.rd-rights > li[data-verdict=breached] { border-left-color: var(--rd-bad); }
.rd-rights > li[data-verdict=upheld] { border-left-color: var(--rd-ok); }
.rd-rights > li[data-verdict=insufficient_evidence] { border-left-color: var(--rd-unknown); }
.rd summary { cursor: pointer; padding: .5rem .75rem; display: flex; flex-wrap: wrap; gap: .25rem .75rem;
  align-items: baseline; }
.rd summary .rd-right-title { font-weight: 600; flex: 1 1 12rem; }
.rd details > div { padding: 0 .75rem .75rem; }
.rd dl { display: grid; grid-template-columns: minmax(6rem, max-content) 1fr; gap: .1rem .75rem; margin: .25rem 0; }
.rd dt { font-weight: 600; }
.rd dd { margin: 0; }
.rd-scroll { overflow-x: auto; max-width: 100%; }
.rd table { border-collapse: collapse; margin: .5rem 0; font-size: .95rem; overflow-wrap: normal; }
.rd caption { text-align: left; font-weight: 600; padding: .25rem 0; }
.rd th, .rd td { border: 1px solid var(--rd-line); padding: .2rem .4rem; text-align: left; vertical-align: top; }
.rd td.rd-num { text-align: right; font-variant-numeric: tabular-nums; }
.rd-drop { border: 2px dashed var(--rd-line); padding: .75rem; margin: .5rem 0; }
.rd-drop[data-over] { border-color: var(--rd-focus); background: #eef5fb; }
.rd button, .ce button { font: inherit; padding: .3rem .8rem; margin: .25rem .25rem .25rem 0; }
.rd-error, .ce-error-text { color: var(--rd-bad); font-weight: 600; }
.rd code, .ce code { font-family: ui-monospace, monospace; font-size: .95em; }
.ce-wrap { position: relative; font: .9rem/1.45 ui-monospace, monospace; }
.ce-wrap textarea, .ce-marks { box-sizing: border-box; width: 100%; height: 24rem; margin: 0; padding: .5rem;
  border: 1px solid #0b0c0c; font: inherit; white-space: pre; overflow: auto; tab-size: 2; letter-spacing: 0; }
.ce-marks { position: absolute; inset: 0; height: auto; overflow: hidden; color: transparent; pointer-events: none;
  border-color: transparent; }
.ce-wrap textarea { position: relative; background: transparent; color: #0b0c0c; resize: vertical; }
.ce-marks mark { color: transparent; background: none; text-decoration: underline wavy; text-underline-offset: .2em; }
.ce-marks mark.ce-e { text-decoration-color: var(--rd-bad); background: #fde7e9; }
.ce-marks mark.ce-w { text-decoration-color: var(--rd-unknown); background: #fff4d6; }
.ce-diagnostics { padding-left: 1.25rem; }
.ce-diagnostics li { margin: .4rem 0; }
.ce-help { margin: 0; color: #3b3b3b; }
`;

function addStyle() {
  if (document.getElementById('constitution-dashboard-style')) return;
  const style = document.createElement('style');
  style.id = 'constitution-dashboard-style';
  style.textContent = STYLE;
  document.head.append(style);
}

/** Makes an element: `props` are properties (or `data-*`/`aria-*` attributes), children are nodes or text. */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('data-') || key.startsWith('aria-') || key === 'role' || key === 'for' || key === 'scope') {
      node.setAttribute(key, String(value));
    } else {
      node[key] = value;
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

let ids = 0;
const uid = (prefix) => `${prefix}-${++ids}`;

function verdictBadge(verdict) {
  const v = VERDICTS[verdict] ?? { text: verdict, mark: '' };
  return el('span', { className: 'rd-verdict', 'data-verdict': verdict },
    el('span', { 'aria-hidden': 'true' }, v.mark, ' '), v.text);
}

function plural(n, word, words = `${word}s`) {
  return `${n} ${n === 1 ? word : words}`;
}

// A data file as the engine takes it: its bytes (read as UTF-8 by the engine, as the command
// line reads a file) and, where the page has Web Crypto (a secure context), their SHA-256
// from the browser, which hashes with the CPU's instructions, well ahead of the engine's own.
async function dataFile(buffer) {
  const bytes = new Uint8Array(buffer);
  if (!globalThis.crypto?.subtle) return bytes;
  // The report's digest is of the text after any byte-order mark, as the command line's.
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bom ? bytes.subarray(3) : bytes));
  return { data: bytes, sha256: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('') };
}

async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load ${url}: ${response.status} ${response.statusText}`);
  return response.text();
}

/** The right-by-right dashboard of an audit. */
export class RightsDashboard extends HTMLElement {
  static observedAttributes = ['constitution', 'data', 'files', 'period', 'wasm'];

  #source = '';
  #published = {}; // file name → contents (`dataFile`), as fetched
  #own = {}; // file name → contents, chosen by the citizen
  #ownRecords = new Set();
  #loading = null;

  connectedCallback() {
    addStyle();
    this.#reload();
  }

  attributeChangedCallback() {
    if (this.isConnected) this.#reload();
  }

  /** The last report shown. */
  report = null;

  #reload() {
    // Attributes set together start one load, not several.
    if (this.#loading) return;
    this.#loading = Promise.resolve().then(async () => {
      this.#loading = null;
      await this.#load();
    });
  }

  async #load() {
    this.replaceChildren(el('p', { role: 'status' }, 'Loading the rights dashboard…'));
    try {
      const constitution = this.getAttribute('constitution');
      if (!constitution) throw new Error('the `constitution` attribute names no constitution file');
      await init(this.getAttribute('wasm') ?? undefined);
      this.#source = await fetchText(new URL(constitution, document.baseURI));
      this.#published = await this.#fetchData();
      this.#own = {};
      this.#ownRecords = new Set();
      this.#run();
    } catch (error) {
      this.#showFailure(error);
    }
  }

  /** The published data: the `files` listed, or every declared kind under each known extension. */
  async #fetchData() {
    const data = this.getAttribute('data');
    if (!data) return {};
    const base = data.endsWith('/') ? data : `${data}/`;
    const listed = (this.getAttribute('files') ?? '').split(/\s+/).filter(Boolean);
    const names = listed.length
      ? listed
      : records(this.#source).flatMap((kind) => EXTENSIONS.map((ext) => `${kind}.${ext}`));
    const found = await Promise.all(
      names.map(async (name) => {
        const response = await fetch(new URL(base + name, document.baseURI));
        if (!response.ok) {
          if (listed.length) throw new Error(`cannot load ${base + name}: ${response.status}`);
          return null;
        }
        return [base + name, await dataFile(await response.arrayBuffer())];
      }),
    );
    return Object.fromEntries(found.filter(Boolean));
  }

  /** Audits the published data, with the citizen's files in place of those of the same kinds. */
  #run() {
    const files = {};
    for (const [name, contents] of Object.entries(this.#published)) {
      const kinds = dataRecords(this.#source, name);
      if (!kinds.some((k) => this.#ownRecords.has(k))) files[name] = contents;
    }
    Object.assign(files, this.#own);
    const options = { name: this.getAttribute('constitution') };
    const period = this.getAttribute('period');
    if (period) options.period = period;
    this.report = audit(this.#source, files, options);
    this.#render(this.report);
    this.dispatchEvent(new CustomEvent('audited', { detail: this.report, bubbles: true }));
  }

  async #addOwnFiles(fileList) {
    const problems = [];
    for (const file of fileList) {
      try {
        const kinds = dataRecords(this.#source, file.name);
        this.#own[file.name] = await dataFile(await file.arrayBuffer());
        kinds.forEach((k) => this.#ownRecords.add(k));
      } catch (error) {
        problems.push(error.message);
      }
    }
    try {
      if (Object.keys(this.#own).length) this.#run();
    } catch (error) {
      problems.push(error.message);
      this.#own = {};
      this.#ownRecords = new Set();
      this.#run();
    }
    const status = this.querySelector('.rd-own-status');
    if (status && problems.length) {
      status.replaceChildren(...problems.map((p) => el('p', { className: 'rd-error' }, p)));
      status.querySelector('p')?.setAttribute('role', 'alert');
    }
  }

  #showFailure(error) {
    const diagnostics = error instanceof ConstitutionError ? error.diagnostics : [];
    this.replaceChildren(
      el('div', { className: 'rd', role: 'alert' },
        el('p', { className: 'rd-error' }, `The dashboard could not be shown: ${error.message}`),
        diagnostics.length
          ? el('ul', {}, diagnostics.map((d) =>
            el('li', {}, `${d.file}:${d.line}:${d.column}: ${d.severity}[${d.code}]: ${d.message}`)))
          : null),
    );
  }

  #render(report) {
    const titleId = uid('rd-title');
    const s = report.summary;
    const allRights = report.rights.length;
    const root = el('section', { className: 'rd', 'aria-labelledby': titleId },
      el('h2', { id: titleId }, `Rights in ${report.constitution.name}`),
      el('p', {}, `Audit of ${report.period.from} to ${report.period.to}, against the constitution in force on `,
        el('time', { dateTime: report.constitution.in_force_on ?? '' }, report.constitution.in_force_on ?? 'its adoption'), '.'),
      el('p', { role: 'status', className: 'rd-summary' },
        `${plural(allRights, 'right')}: ${s.rights.upheld} upheld, ${s.rights.breached} breached, `
        + `${s.rights.insufficient_evidence} with insufficient evidence. `
        + `${plural(s.referrals, 'matter')} referred to the audit committee.`
        + (Object.keys(this.#own).length ? ' Includes your own data.' : '')),
      el('ul', { className: 'rd-rights' }, report.rights.map((right) => this.#right(right))),
      report.accountability ? this.#accountability(report.accountability) : null,
      this.#referrals(report),
      this.#ownData(),
      this.#provenance(report),
    );
    this.replaceChildren(root);
  }

  #right(right) {
    return el('li', { 'data-right': right.id, 'data-verdict': right.verdict },
      el('details', {},
        el('summary', {},
          el('span', { className: 'rd-right-title' }, right.title),
          verdictBadge(right.verdict),
          el('span', {}, plural(right.duties.length, 'duty', 'duties'))),
        el('div', {}, right.duties.map((duty) => this.#duty(duty)))));
  }

  #accountability(section) {
    return el('section', { 'aria-label': 'Democratic accountability' },
      el('h3', {}, 'Democratic accountability ', verdictBadge(section.verdict)),
      el('ul', { className: 'rd-rights' },
        el('li', { 'data-right': 'accountability', 'data-verdict': section.verdict },
          el('details', {},
            el('summary', {}, el('span', { className: 'rd-right-title' }, 'Duties of accountability'),
              verdictBadge(section.verdict), el('span', {}, plural(section.duties.length, 'duty', 'duties'))),
            el('div', {}, section.duties.map((duty) => this.#duty(duty)))))));
  }

  #duty(duty) {
    const facts = [
      ['Requirement', duty.requirement],
      ['Measured', duty.measured ?? 'nothing measured'],
      ['Owed by', duty.owed_by.join(', ')],
      ['Basis', duty.basis],
      ['Records', `${duty.counts.considered} judged, ${duty.counts.failing} failing, ${duty.counts.unusable} unusable`],
      ['Why undecided', duty.cause ? CAUSES[duty.cause] ?? duty.cause : null],
      ['Failing records', duty.failing.first.length
        ? `${duty.failing.first.join(', ')}${duty.failing.total > duty.failing.first.length ? ` and ${duty.failing.total - duty.failing.first.length} more` : ''}`
        : null],
    ].filter(([, value]) => value);
    return el('section', { className: 'rd-duty', 'data-duty': duty.id, 'aria-label': duty.title },
      el('h3', { className: 'rd-duty-title' }, duty.title, ' ', verdictBadge(duty.verdict)),
      el('dl', {}, facts.map(([term, value]) => [el('dt', {}, term), el('dd', {}, value)])),
      duty.groups.length ? this.#groups(duty) : null);
  }

  #groups(duty) {
    const by = [duty.grouped_by, duty.periods].filter(Boolean).join(' and ');
    const grouped = duty.grouped_by !== null;
    const periods = duty.periods !== null;
    const caption = `${duty.title}, by ${by}`;
    const table = el('table', { className: 'rd-groups' },
      el('caption', {}, caption),
      el('thead', {}, el('tr', {},
        grouped ? el('th', { scope: 'col' }, duty.grouped_by) : null,
        periods ? el('th', { scope: 'col' }, 'Period') : null,
        el('th', { scope: 'col' }, 'Verdict'),
        el('th', { scope: 'col' }, 'Measured'),
        el('th', { scope: 'col' }, 'Judged'),
        el('th', { scope: 'col' }, 'Failing'))),
      el('tbody', {}, duty.groups.map((g) => el('tr', { 'data-verdict': g.verdict },
        grouped ? el('th', { scope: 'row' }, g.group ?? '(none)') : null,
        periods ? (grouped ? el('td', {}, g.period ?? '') : el('th', { scope: 'row' }, g.period ?? '')) : null,
        el('td', {}, verdictBadge(g.verdict)),
        el('td', {}, g.measured ?? '–'),
        el('td', { className: 'rd-num' }, g.counts.considered),
        el('td', { className: 'rd-num' }, g.failing.total)))));
    // A scrolling region must be reachable by keyboard to be scrolled.
    return el('div', { className: 'rd-scroll', role: 'region', 'aria-label': caption, tabIndex: 0 }, table);
  }

  #referrals(report) {
    return el('section', { className: 'rd-referrals', 'aria-label': 'Referrals to the audit committee' },
      el('h3', {}, 'Referred to the audit committee'),
      report.referrals.length
        ? el('ul', {}, report.referrals.map((r) => el('li', { 'data-duty': r.duty },
          el('strong', {}, r.title), ` (${r.duty}), to ${r.to_name ?? r.to}: ${r.reason}.`,
          r.breached_in.length ? ` Breached in ${r.breached_in.join('; ')}.` : '',
          r.independent_review ? el('strong', {}, ' An independent review is called in.') : '')))
        : el('p', {}, 'Nothing is referred.'));
  }

  #ownData() {
    const inputId = uid('rd-files');
    const input = el('input', { type: 'file', id: inputId, multiple: true, accept: '.csv,.json,.ndjson,.jsonl' });
    const drop = el('div', { className: 'rd-drop' },
      el('label', { for: inputId }, 'Choose your data files'), ' ', input,
      el('p', {}, 'or drop them here. Name each file after its record kind, e.g. ',
        el('code', {}, `${records(this.#source)[0] ?? 'record'}.csv`),
        '. They replace the published files of that kind. Nothing leaves this page.'));
    input.addEventListener('change', () => this.#addOwnFiles([...input.files]));
    drop.addEventListener('dragover', (event) => {
      event.preventDefault();
      drop.setAttribute('data-over', '');
    });
    drop.addEventListener('dragleave', () => drop.removeAttribute('data-over'));
    drop.addEventListener('drop', (event) => {
      event.preventDefault();
      drop.removeAttribute('data-over');
      this.#addOwnFiles([...(event.dataTransfer?.files ?? [])]);
    });
    const own = Object.keys(this.#own);
    const reset = el('button', { type: 'button' }, 'Back to the published data');
    reset.addEventListener('click', () => {
      this.#own = {};
      this.#ownRecords = new Set();
      this.#run();
    });
    return el('section', { className: 'rd-own', 'aria-label': 'Check your own data' },
      el('h3', {}, 'Check your own data'),
      drop,
      own.length ? el('p', {}, `Using your files: ${own.join(', ')}.`) : null,
      own.length ? reset : null,
      el('div', { className: 'rd-own-status' }));
  }

  #provenance(report) {
    const c = report.constitution;
    const facts = [
      ['Constitution', `${c.name}${c.area ? ` (${c.area})` : ''}`],
      ['File', c.file],
      ['SHA-256', c.sha256],
      ['Adopted', c.adopted],
      ['Version in force on', c.in_force_on],
      ['Amendments in force', c.amendments_in_force.join(', ') || 'none'],
      ['Working-day calendar', c.calendar],
      ['Engine', `${report.engine.name} ${report.engine.version}`],
      ['Unusable records', String(report.summary.unusable_records)],
    ].filter(([, value]) => value);
    const caption = 'Data files read';
    return el('section', { className: 'rd-provenance', 'aria-label': 'Provenance' },
      el('h3', {}, 'Provenance'),
      el('dl', {}, facts.map(([term, value]) => [el('dt', {}, term), el('dd', {}, value)])),
      el('div', { className: 'rd-scroll', role: 'region', 'aria-label': caption, tabIndex: 0 },
        el('table', {},
          el('caption', {}, caption),
          el('thead', {}, el('tr', {}, ['File', 'Record kind', 'Format', 'Records', 'Unusable', 'SHA-256']
            .map((h) => el('th', { scope: 'col' }, h)))),
          el('tbody', {}, report.data_files.map((f) => el('tr', {},
            el('th', { scope: 'row' }, f.path),
            el('td', {}, f.record),
            el('td', {}, f.format),
            el('td', { className: 'rd-num' }, f.records),
            el('td', { className: 'rd-num' }, f.unusable),
            el('td', {}, el('code', {}, f.sha256))))))));
  }
}

/** A text area for drafting a constitution, with its diagnostics listed and marked as you type. */
export class ConstitutionEditor extends HTMLElement {
  static observedAttributes = ['src'];
  #textarea = null;
  #marks = null;
  #list = null;
  #summary = null;
  #timer = 0;

  connectedCallback() {
    addStyle();
    if (!this.#textarea) this.#build();
    this.#loadSource();
  }

  attributeChangedCallback() {
    if (this.#textarea) this.#loadSource();
  }

  /** The text being drafted. */
  get value() {
    return this.#textarea?.value ?? '';
  }

  set value(text) {
    if (!this.#textarea) this.#build();
    this.#textarea.value = text;
    this.#checkSoon(0);
  }

  #build() {
    const areaId = uid('ce-text');
    const summaryId = uid('ce-summary');
    const headingId = uid('ce-heading');
    const name = () => this.getAttribute('name') ?? this.getAttribute('src') ?? 'constitution.lc';
    this.#textarea = el('textarea', { id: areaId, spellcheck: false, 'aria-describedby': summaryId, rows: 20 });
    this.#textarea.setAttribute('autocapitalize', 'off');
    this.#marks = el('div', { className: 'ce-marks', 'aria-hidden': 'true' });
    this.#summary = el('p', { id: summaryId, role: 'status', className: 'ce-summary' }, 'Not checked yet.');
    this.#list = el('ol', { className: 'ce-diagnostics' });
    const button = el('button', { type: 'button', className: 'ce-format' }, 'Format');
    const formatStatus = el('p', { className: 'ce-format-status', role: 'status' });
    button.addEventListener('click', async () => {
      try {
        await init(this.getAttribute('wasm') ?? undefined);
        const formatted = format(this.#textarea.value, name());
        const changed = formatted !== this.#textarea.value;
        this.#textarea.value = formatted;
        formatStatus.replaceChildren(changed ? 'Formatted.' : 'Already in the canonical layout.');
        this.#checkSoon(0);
      } catch (error) {
        formatStatus.replaceChildren(el('span', { className: 'ce-error-text' }, `Not formatted: ${error.message}.`));
      }
    });
    this.#textarea.addEventListener('input', () => this.#checkSoon(250));
    this.#textarea.addEventListener('scroll', () => this.#syncScroll());
    this.#checkName = name;
    this.replaceChildren(el('section', { className: 'ce', 'aria-labelledby': headingId },
      el('h2', { id: headingId }, this.getAttribute('heading') ?? 'Draft a constitution'),
      el('label', { for: areaId }, 'Constitution text'),
      el('div', { className: 'ce-wrap' }, this.#marks, this.#textarea),
      button, formatStatus,
      el('h3', {}, 'Problems found'),
      this.#summary,
      this.#list));
  }

  #checkName = () => 'constitution.lc';

  async #loadSource() {
    const src = this.getAttribute('src');
    if (!src) {
      this.#checkSoon(0);
      return;
    }
    try {
      const text = await fetchText(new URL(src, document.baseURI));
      this.#textarea.value = text;
      this.#checkSoon(0);
    } catch (error) {
      this.#summary.replaceChildren(el('span', { className: 'ce-error-text' }, error.message));
    }
  }

  #checkSoon(delay) {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#check(), delay);
  }

  async #check() {
    await init(this.getAttribute('wasm') ?? undefined);
    const text = this.#textarea.value;
    let diagnostics;
    try {
      diagnostics = check(text, this.#checkName());
    } catch (error) {
      this.#summary.replaceChildren(el('span', { className: 'ce-error-text' }, error.message));
      return;
    }
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = diagnostics.length - errors;
    this.#textarea.setAttribute('aria-invalid', errors ? 'true' : 'false');
    this.#summary.replaceChildren(diagnostics.length
      ? `${plural(errors, 'error')}, ${plural(warnings, 'warning')}.`
      : 'No problems found.');
    this.#list.replaceChildren(...diagnostics.map((d) => this.#item(d)));
    this.#mark(text, diagnostics);
    this.dispatchEvent(new CustomEvent('checked', { detail: diagnostics, bubbles: true }));
  }

  #item(d) {
    const go = el('button', { type: 'button', className: 'ce-goto' }, `line ${d.line}, column ${d.column}`);
    go.addEventListener('click', () => {
      const [start, end] = offsets(this.#textarea.value, d);
      this.#textarea.focus();
      this.#textarea.setSelectionRange(start, Math.max(start, end));
    });
    return el('li', { 'data-code': d.code, 'data-severity': d.severity },
      go, ' ',
      el('strong', { className: d.severity === 'error' ? 'ce-error-text' : '' }, `${d.severity}[${d.code}]`),
      ': ', d.message,
      d.help ? el('p', { className: 'ce-help' }, `Help: ${d.help}`) : null);
  }

  /** Underlines each diagnostic's span in the layer behind the text. */
  #mark(text, diagnostics) {
    const spans = diagnostics
      .map((d) => [...offsets(text, d), d.severity === 'error' ? 'ce-e' : 'ce-w'])
      .sort((a, b) => a[0] - b[0]);
    const parts = [];
    let at = 0;
    for (const [start, endRaw, cls] of spans) {
      if (start < at) continue; // overlapping spans: the first is marked
      const end = Math.max(endRaw, Math.min(start + 1, text.length));
      parts.push(text.slice(at, start), el('mark', { className: cls }, text.slice(start, end) || ' '));
      at = end;
    }
    parts.push(text.slice(at), '\n');
    this.#marks.replaceChildren(...parts);
    this.#syncScroll();
  }

  #syncScroll() {
    this.#marks.scrollTop = this.#textarea.scrollTop;
    this.#marks.scrollLeft = this.#textarea.scrollLeft;
  }
}

/** UTF-16 offsets of a diagnostic's 1-based line and character column span in `text`. */
function offsets(text, d) {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const at = (line, column) => {
    const start = lineStarts[Math.min(line, lineStarts.length) - 1] ?? text.length;
    let offset = start;
    for (let c = 1; c < column && offset < text.length && text[offset] !== '\n'; c++) {
      offset += text.codePointAt(offset) > 0xffff ? 2 : 1;
    }
    return offset;
  };
  return [at(d.line, d.column), at(d.end_line, d.end_column)];
}

if (!customElements.get('rights-dashboard')) customElements.define('rights-dashboard', RightsDashboard);
if (!customElements.get('constitution-editor')) customElements.define('constitution-editor', ConstitutionEditor);
