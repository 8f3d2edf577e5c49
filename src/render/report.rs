//! Audit reports for people: `text` (a clerk's terminal), `markdown` (committee papers) and
//! `html` (one self-contained, accessible page a council can publish). All three are laid
//! out from the same [`Report`] the JSON is; none decides anything.

use crate::eval::Verdict;
use crate::report::{cell_label, DutyReport, Report, RightVerdict};

fn verdict_word(v: Verdict) -> &'static str {
    match v {
        Verdict::Met => "met",
        Verdict::Breached => "BREACHED",
        Verdict::InsufficientEvidence => "insufficient evidence",
        Verdict::NotApplicable => "not applicable",
        Verdict::Unchecked => "unchecked",
    }
}

fn right_word(v: RightVerdict) -> &'static str {
    match v {
        RightVerdict::Upheld => "upheld",
        RightVerdict::Breached => "BREACHED",
        RightVerdict::InsufficientEvidence => "insufficient evidence",
    }
}

fn cause_text(d: &DutyReport) -> String {
    cause_words(d.cause)
}

/// ` (too few records)`, or nothing when there is no cause.
fn cause_words(cause: Option<crate::eval::Cause>) -> String {
    match cause {
        Some(c) => format!(
            " ({})",
            serde_json::to_value(c)
                .ok()
                .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
                .unwrap_or_default()
        ),
        None => String::new(),
    }
}

/// The worst groups of a breached duty: breached cells, lowest measured first.
fn worst(d: &DutyReport, n: usize) -> Vec<String> {
    let mut breached: Vec<_> = d
        .groups
        .iter()
        .filter(|g| g.outcome.verdict == Verdict::Breached)
        .collect();
    breached.sort_by(|a, b| {
        a.outcome
            .measured_value
            .partial_cmp(&b.outcome.measured_value)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| cell_label(a).cmp(&cell_label(b)))
    });
    breached
        .iter()
        .take(n)
        .map(|g| {
            format!(
                "{}: {}",
                cell_label(g),
                g.outcome.measured.clone().unwrap_or_default()
            )
        })
        .collect()
}

/// The text report: the rights as a table, then each breach with its numbers and worst
/// groups, the referrals and the data problems.
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    let c = &report.constitution;
    out.push_str(&format!(
        "{} ({}) — audit {} to {}\n",
        c.name,
        c.area.as_deref().unwrap_or("no area code"),
        report.period.from,
        report.period.to
    ));
    if !c.amendments_in_force.is_empty() {
        out.push_str(&format!(
            "amendments in force: {}\n",
            c.amendments_in_force.join("; ")
        ));
    }
    out.push('\n');
    let width = report
        .rights
        .iter()
        .map(|r| r.title.chars().count())
        .max()
        .unwrap_or(10)
        .max("Democratic accountability".len());
    out.push_str(&format!("{:<width$}  {:<22}  duties\n", "Right", "Verdict"));
    out.push_str(&format!(
        "{}  {}  {}\n",
        "-".repeat(width),
        "-".repeat(22),
        "-".repeat(30)
    ));
    let row = |title: &str, verdict: RightVerdict, duties: &[DutyReport]| {
        let met = duties.iter().filter(|d| d.verdict == Verdict::Met).count();
        let breached = duties
            .iter()
            .filter(|d| d.verdict == Verdict::Breached)
            .count();
        let other = duties.len() - met - breached;
        format!(
            "{title:<width$}  {:<22}  {met} met, {breached} breached, {other} other\n",
            right_word(verdict)
        )
    };
    for right in &report.rights {
        out.push_str(&row(&right.title, right.verdict, &right.duties));
    }
    if let Some(a) = &report.accountability {
        out.push_str(&row("Democratic accountability", a.verdict, &a.duties));
    }
    let breached: Vec<&DutyReport> = report
        .duties()
        .filter(|d| d.verdict == Verdict::Breached)
        .collect();
    if !breached.is_empty() {
        out.push_str("\nBreaches\n");
        for d in breached {
            // A measure (a rate, a count, a mean) has no failing records of its own.
            let measure = d.counts.passing == 0 && d.failing.total == 0;
            out.push_str(&format!(
                "\n  {} — {}\n    required: {}\n    measured: {} over {} records ({}{} unusable)\n",
                d.id,
                d.title,
                required(d),
                d.measured.as_deref().unwrap_or("—"),
                d.counts.considered,
                if measure {
                    String::new()
                } else {
                    format!("{} failing, ", d.failing.total)
                },
                d.counts.unusable
            ));
            let worst = worst(d, 5);
            if !worst.is_empty() {
                out.push_str(&format!("    worst: {}\n", worst.join("; ")));
            }
            if !d.failing.first.is_empty() {
                out.push_str(&format!(
                    "    first failing records: {}{}\n",
                    d.failing.first.join(", "),
                    if d.failing.total as usize > d.failing.first.len() {
                        format!(" … ({} in all)", d.failing.total)
                    } else {
                        String::new()
                    }
                ));
            }
        }
    }
    let undecided: Vec<&DutyReport> = report
        .duties()
        .filter(|d| d.verdict == Verdict::InsufficientEvidence)
        .collect();
    if !undecided.is_empty() {
        out.push_str("\nNot enough evidence\n");
        for d in undecided {
            out.push_str(&format!("  {}{}\n", d.id, cause_text(d)));
        }
    }
    if !report.referrals.is_empty() {
        out.push_str("\nReferred to the audit committee\n");
        for r in &report.referrals {
            out.push_str(&format!(
                "  {} → {}: {}{}\n",
                r.duty,
                r.to_name.as_deref().unwrap_or(&r.to),
                r.reason,
                if r.independent_review {
                    " — independent review called in"
                } else {
                    ""
                }
            ));
        }
    }
    if report.summary.unusable_records > 0 {
        out.push_str(&format!(
            "\nData problems: {} records could not be used\n",
            report.summary.unusable_records
        ));
        for p in report.data_problems.iter().take(10) {
            out.push_str(&format!(
                "  {} {}{}: {}\n",
                p.file,
                p.location,
                p.key
                    .as_ref()
                    .map(|k| format!(" ({k})"))
                    .unwrap_or_default(),
                p.problems.join("; ")
            ));
        }
        if report.data_problems.len() > 10 {
            out.push_str("  … see the JSON report for the rest\n");
        }
    }
    out
}

/// The rights, then the accountability section: `(id, title, verdict, duties)`.
fn sections(report: &Report) -> Vec<(&str, &str, RightVerdict, &[DutyReport])> {
    let mut sections: Vec<(&str, &str, RightVerdict, &[DutyReport])> = report
        .rights
        .iter()
        .map(|r| {
            (
                r.id.as_str(),
                r.title.as_str(),
                r.verdict,
                r.duties.as_slice(),
            )
        })
        .collect();
    if let Some(a) = &report.accountability {
        sections.push((
            "accountability",
            "Democratic accountability",
            a.verdict,
            a.duties.as_slice(),
        ));
    }
    sections
}

/// What a duty requires, in words, with its grouping: `at least 90% in every ward`.
fn required(d: &DutyReport) -> String {
    let words = crate::report::requirement_words(&d.requirement);
    match &d.grouped_by {
        Some(g) => format!("{words} in every {g}"),
        None => words,
    }
}

/// Escapes text for Markdown: the characters that would start markup are backslashed.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '\\'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The Markdown report, for pasting into committee papers.
pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let c = &report.constitution;
    out.push_str(&format!(
        "# {}: audit of the local constitution\n\nPeriod: {} to {}. Area code: {}. Constitution SHA-256: `{}`.\n\n",
        md_escape(&c.name),
        report.period.from,
        report.period.to,
        md_escape(c.area.as_deref().unwrap_or("none")),
        c.sha256
    ));
    out.push_str("| Right | Verdict | Duties met | Breached | Other |\n|---|---|---|---|---|\n");
    let sections = sections(report);
    for (_, title, verdict, duties) in &sections {
        let met = duties.iter().filter(|d| d.verdict == Verdict::Met).count();
        let breached = duties
            .iter()
            .filter(|d| d.verdict == Verdict::Breached)
            .count();
        out.push_str(&format!(
            "| {} | {} | {met} | {breached} | {} |\n",
            md_escape(title),
            right_word(*verdict),
            duties.len() - met - breached
        ));
    }
    for (_, title, verdict, duties) in &sections {
        out.push_str(&format!(
            "\n## {} ({})\n\n",
            md_escape(title),
            right_word(*verdict)
        ));
        out.push_str("| Duty | Requirement | Measured | Verdict |\n|---|---|---|---|\n");
        for d in duties.iter() {
            out.push_str(&format!(
                "| {} | {} | {} | {}{} |\n",
                md_escape(&d.title),
                md_escape(&required(d)),
                md_escape(d.measured.as_deref().unwrap_or("—")),
                verdict_word(d.verdict),
                cause_text(d)
            ));
        }
        for d in duties.iter().filter(|d| d.verdict == Verdict::Breached) {
            let worst = worst(d, 5);
            if !worst.is_empty() {
                out.push_str(&format!(
                    "\n*{}* breached in: {}\n",
                    md_escape(&d.title),
                    md_escape(&worst.join("; "))
                ));
            }
        }
    }
    if !report.referrals.is_empty() {
        out.push_str("\n## Referrals to the audit committee\n\n");
        for r in &report.referrals {
            out.push_str(&format!(
                "- **{}** to {}: {}{}\n",
                md_escape(&r.title),
                md_escape(r.to_name.as_deref().unwrap_or(&r.to)),
                md_escape(&r.reason),
                if r.independent_review {
                    "; independent review called in"
                } else {
                    ""
                }
            ));
        }
    }
    out.push_str("\n## Data\n\n| File | Records | Unusable | SHA-256 |\n|---|---|---|---|\n");
    for f in &report.data_files {
        out.push_str(&format!(
            "| {} | {} | {} | `{}` |\n",
            md_escape(&f.path),
            f.records,
            f.unusable,
            f.sha256
        ));
    }
    out
}

/// Escapes text for HTML element content and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const HTML_STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1b1b1b}\
table{border-collapse:collapse;width:100%;margin:0.5rem 0 1rem}th,td{border:1px solid #888;padding:0.3rem 0.5rem;text-align:left;vertical-align:top}\
th{background:#eee}.v{font-weight:bold}.breached{color:#a00}.met,.upheld{color:#060}.insufficient_evidence{color:#734d00}\
details{margin:0.5rem 0}summary{cursor:pointer}a:focus,summary:focus{outline:3px solid #fd0;outline-offset:2px}\
.wrap{overflow-x:auto}@media (max-width:30rem){body{padding:0.5rem}th,td{padding:0.2rem}}";

fn verdict_span(class: &str, word: &str) -> String {
    // The word carries the meaning; colour only repeats it.
    format!("<span class=\"v {class}\">{}</span>", html_escape(word))
}

/// One self-contained, accessible HTML page: no scripts, no external assets, every string
/// from the constitution or the data escaped.
pub fn html(report: &Report) -> String {
    let c = &report.constitution;
    let mut out = String::new();
    out.push_str("<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<title>{}: rights audit {} to {}</title>\n<style>{HTML_STYLE}</style>\n</head>\n<body>\n<main>\n",
        html_escape(&c.name),
        html_escape(&report.period.from),
        html_escape(&report.period.to)
    ));
    out.push_str(&format!(
        "<h1>{}: how the local constitution was kept</h1>\n<p>Audit of service data from {} to {}.</p>\n",
        html_escape(&c.name),
        html_escape(&report.period.from),
        html_escape(&report.period.to)
    ));
    out.push_str("<h2>The rights</h2>\n<div class=\"wrap\"><table>\n<caption>Each right and its verdict</caption>\n<thead><tr><th scope=\"col\">Right</th><th scope=\"col\">Verdict</th><th scope=\"col\">Duties met</th><th scope=\"col\">Duties breached</th></tr></thead>\n<tbody>\n");
    let sections = sections(report);
    for (id, title, verdict, duties) in &sections {
        let met = duties.iter().filter(|d| d.verdict == Verdict::Met).count();
        let breached = duties
            .iter()
            .filter(|d| d.verdict == Verdict::Breached)
            .count();
        out.push_str(&format!(
            "<tr><th scope=\"row\"><a href=\"#right-{}\">{}</a></th><td>{}</td><td>{met}</td><td>{breached}</td></tr>\n",
            html_escape(id),
            html_escape(title),
            verdict_span(verdict.as_str(), right_word(*verdict))
        ));
    }
    out.push_str("</tbody></table></div>\n");
    for (id, title, verdict, duties) in &sections {
        out.push_str(&format!(
            "<section id=\"right-{}\">\n<h2>{}: {}</h2>\n",
            html_escape(id),
            html_escape(title),
            verdict_span(verdict.as_str(), right_word(*verdict))
        ));
        for d in duties.iter() {
            out.push_str(&format!(
                "<h3>{}</h3>\n<p>Verdict: {}{}. Required: {}. Measured: {}.</p>\n",
                html_escape(&d.title),
                verdict_span(
                    serde_json::to_value(d.verdict)
                        .ok()
                        .and_then(|v| v.as_str().map(String::from))
                        .unwrap_or_default()
                        .as_str(),
                    verdict_word(d.verdict)
                ),
                html_escape(&cause_text(d)),
                html_escape(&required(d)),
                html_escape(d.measured.as_deref().unwrap_or("nothing"))
            ));
            if let Some(basis) = &d.basis {
                out.push_str(&format!("<p>Basis: {}.</p>\n", html_escape(basis)));
            }
            if d.groups.len() > 1 {
                out.push_str(&format!(
                    "<details><summary>By {} ({} groups)</summary>\n<div class=\"wrap\"><table>\n<thead><tr><th scope=\"col\">Group</th><th scope=\"col\">Records</th><th scope=\"col\">Measured</th><th scope=\"col\">Verdict</th></tr></thead>\n<tbody>\n",
                    html_escape(
                        &[d.grouped_by.clone(), d.periods.clone()]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(" and ")
                    ),
                    d.groups.len()
                ));
                for g in &d.groups {
                    let v = g.outcome.verdict;
                    out.push_str(&format!(
                        "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                        html_escape(&cell_label(g)),
                        g.counts.considered,
                        html_escape(g.outcome.measured.as_deref().unwrap_or("—")),
                        verdict_span(v.as_str(), verdict_word(v))
                    ));
                }
                out.push_str("</tbody></table></div></details>\n");
            }
        }
        out.push_str("</section>\n");
    }
    out.push_str("<section id=\"referrals\">\n<h2>Referrals to the audit committee</h2>\n");
    if report.referrals.is_empty() {
        out.push_str("<p>Nothing was referred.</p>\n");
    } else {
        out.push_str("<ul>\n");
        for r in &report.referrals {
            out.push_str(&format!(
                "<li><strong>{}</strong>, to {}: {}{}</li>\n",
                html_escape(&r.title),
                html_escape(r.to_name.as_deref().unwrap_or(&r.to)),
                html_escape(&r.reason),
                if r.independent_review {
                    "; an independent review is called in"
                } else {
                    ""
                }
            ));
        }
        out.push_str("</ul>\n");
    }
    out.push_str(
        "</section>\n<section id=\"provenance\">\n<h2>Where these figures come from</h2>\n",
    );
    out.push_str(&format!(
        "<p>Constitution: {} (SHA-256 <code>{}</code>){}. Engine: {} {}.</p>\n",
        html_escape(&c.file),
        html_escape(&c.sha256),
        if c.amendments_in_force.is_empty() {
            String::new()
        } else {
            format!(
                ", with the amendments {}",
                html_escape(&c.amendments_in_force.join("; "))
            )
        },
        html_escape(&report.engine.name),
        html_escape(&report.engine.version)
    ));
    out.push_str("<div class=\"wrap\"><table>\n<caption>Data files read</caption>\n<thead><tr><th scope=\"col\">File</th><th scope=\"col\">Records</th><th scope=\"col\">Unusable</th><th scope=\"col\">SHA-256</th></tr></thead>\n<tbody>\n");
    for f in &report.data_files {
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td><code>{}</code></td></tr>\n",
            html_escape(&f.path),
            f.records,
            f.unusable,
            html_escape(&f.sha256)
        ));
    }
    out.push_str("</tbody></table></div>\n</section>\n</main>\n</body>\n</html>\n");
    out
}

/// `explain` for a terminal.
pub fn explanation(e: &crate::audit::Explanation, path: &str) -> String {
    let d = &e.duty;
    let mut out = format!(
        "{} — {}\n\n{path}:{}\n{}\n\n",
        d.id, d.title, d.line, e.clause
    );
    out.push_str("Population\n");
    out.push_str(&format!("  {:>8}  records of the duty's kind\n", e.offered));
    out.push_str(&format!(
        "  {:>8}  dated outside the period\n",
        e.outside_period
    ));
    out.push_str(&format!(
        "  {:>8}  excluded by the filter\n",
        e.filtered_out
    ));
    out.push_str(&format!("  {:>8}  could not be used\n", e.unusable));
    out.push_str(&format!("  {:>8}  judged\n", e.considered));
    out.push_str(&format!(
        "\nVerdict: {}{}. Required: {}. Measured: {}.\n",
        verdict_word(d.verdict),
        cause_text(d),
        required(d),
        d.measured.as_deref().unwrap_or("nothing")
    ));
    if d.groups.len() > 1
        || d.groups
            .first()
            .is_some_and(|g| g.group.is_some() || g.period.is_some())
    {
        out.push_str("\nBy group and period\n");
        let width = d
            .groups
            .iter()
            .map(|g| cell_label(g).chars().count())
            .max()
            .unwrap_or(0);
        for g in &d.groups {
            out.push_str(&format!(
                "  {:<width$}  {:>6} records  {:<24}  {}{}\n",
                cell_label(g),
                g.counts.considered,
                g.outcome.measured.as_deref().unwrap_or("—"),
                verdict_word(g.outcome.verdict),
                cause_words(g.outcome.cause)
            ));
        }
    }
    if !e.samples.is_empty() {
        out.push_str("\nSample records\n");
        for s in &e.samples {
            let values: Vec<String> = s.values.iter().map(|(k, v)| format!("{k}={v}")).collect();
            out.push_str(&format!(
                "  {} ({} {}): {} — {}\n",
                s.key,
                s.file,
                s.location,
                values.join(", "),
                s.why
            ));
        }
    }
    out
}
