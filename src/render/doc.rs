//! The published constitution ([`crate::doc::Document`]) as Markdown and as one
//! self-contained, accessible HTML page. Layout only: the words come from the document.

use super::report::{html_escape, md_escape};
use crate::doc::{AmendmentDoc, BodyDoc, Document, DutyDoc, Section};

fn intro(d: &Document) -> Vec<String> {
    let mut lines = Vec::new();
    let mut facts = Vec::new();
    if let Some(area) = &d.area {
        facts.push(format!("Area code {area}."));
    }
    if let Some(adopted) = &d.adopted {
        facts.push(format!("Adopted on {adopted}."));
    }
    if !facts.is_empty() {
        lines.push(facts.join(" "));
    }
    lines.push(match (&d.on, d.before_adoption) {
        (Some(on), false) => format!("This is the text in force on {on}."),
        (Some(on), true) => {
            format!("This is the adopted text; on {on} the constitution had not yet been adopted.")
        }
        (None, _) => "This is the text with every amendment applied.".to_string(),
    });
    lines.push(
        "Each promise below is worded from the rule the audit checks, which is shown with it."
            .to_string(),
    );
    lines
}

fn sections(d: &Document) -> Vec<&Section> {
    d.rights.iter().chain(d.accountability.as_ref()).collect()
}

fn refer_text(committee: &BodyDoc) -> String {
    format!(
        "Any resident or councillor can refer a matter to the {}, which scrutinises every \
         public service in the area, publishes all its reports and can call in an \
         independent review.",
        committee.title
    )
}

// ---------------------------------------------------------------------------------------
// Markdown

/// The document as Markdown, for committee papers and web pages.
pub fn markdown(d: &Document) -> String {
    let mut out = format!(
        "# {}: local constitution of citizens' rights\n\n",
        md_escape(&d.name)
    );
    for line in intro(d) {
        out.push_str(&format!("{}\n", md_escape(&line)));
    }
    out.push('\n');
    out.push_str("## Contents\n\n");
    for s in sections(d) {
        out.push_str(&format!("- {}\n", md_escape(&s.title)));
    }
    out.push_str(
        "- Citizens' responsibilities\n- The Local Public Audit Committee\n- Amendments\n\n",
    );
    for s in sections(d) {
        out.push_str(&format!("## {}\n\n", md_escape(&s.title)));
        if let Some(desc) = &s.description {
            out.push_str(&format!("{}\n\n", md_escape(desc)));
        }
        if s.duties.is_empty() {
            out.push_str("No duty under this right is in force yet.\n\n");
        }
        for duty in &s.duties {
            md_duty(&mut out, duty);
        }
    }
    out.push_str("## Citizens' responsibilities\n\n");
    if d.responsibilities.is_empty() {
        out.push_str("None are recorded.\n");
    }
    for r in &d.responsibilities {
        out.push_str(&format!("- {}\n", md_escape(r)));
    }
    out.push_str("\n## The Local Public Audit Committee\n\n");
    match &d.committee {
        Some(c) => {
            out.push_str(&format!("**{}**\n\n", md_escape(&c.title)));
            if let Some(desc) = &c.description {
                out.push_str(&format!("{}\n\n", md_escape(desc)));
            }
            out.push_str(&format!("{}\n\n", md_escape(&refer_text(c))));
            match &c.contact {
                Some(contact) => {
                    out.push_str(&format!("To refer a matter: {}\n\n", md_escape(contact)));
                }
                None => out.push_str("The committee has not published a contact.\n\n"),
            }
        }
        None => out.push_str("This constitution names no audit committee.\n\n"),
    }
    if !d.bodies.is_empty() {
        out.push_str("## Who owes the duties\n\n");
        for b in &d.bodies {
            out.push_str(&format!("- **{}**", md_escape(&b.title)));
            if let Some(desc) = &b.description {
                out.push_str(&format!(": {}", md_escape(desc)));
            }
            if let Some(contact) = &b.contact {
                out.push_str(&format!(" Contact: {}", md_escape(contact)));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str("## Amendments\n\n");
    if d.amendments.is_empty() {
        out.push_str("None.\n");
    }
    for a in &d.amendments {
        md_amendment(&mut out, a);
    }
    out
}

fn md_duty(out: &mut String, d: &DutyDoc) {
    out.push_str(&format!("### {}\n\n", md_escape(&d.title)));
    if let Some(desc) = &d.description {
        out.push_str(&format!("{}\n\n", md_escape(desc)));
    }
    match &d.promise {
        Some(p) => out.push_str(&format!("- **The promise:** {}\n", md_escape(p))),
        None => out.push_str("- **The promise:** not yet written so that it can be checked.\n"),
    }
    if !d.owed_by.is_empty() {
        out.push_str(&format!(
            "- **Owed by:** {}\n",
            md_escape(&d.owed_by.join(", "))
        ));
    }
    if let Some(basis) = &d.basis {
        out.push_str(&format!("- **Legal basis:** {}\n", md_escape(basis)));
    }
    if !d.judging.is_empty() {
        out.push_str(&format!(
            "- **How it is judged:** {}\n",
            md_escape(&d.judging.join(" "))
        ));
    }
    if !d.on_breach.is_empty() {
        out.push_str(&format!(
            "- **If it is breached:** {}\n",
            md_escape(&d.on_breach.join(" "))
        ));
    }
    out.push_str(&format!("- **Reference:** {}\n", md_code(&d.path)));
    if !d.rule.is_empty() {
        out.push_str("\nThe rule as checked:\n\n```\n");
        for line in &d.rule {
            // A fence inside the rule (only in a text literal) would end the block early.
            out.push_str(&format!("{}\n", line.replace("```", "`\u{200b}``")));
        }
        out.push_str("```\n");
    }
    out.push('\n');
}

fn md_amendment(out: &mut String, a: &AmendmentDoc) {
    out.push_str(&format!(
        "### {} (effective {}){}\n\n",
        md_escape(&a.title),
        md_escape(&a.effective),
        if a.in_force { "" } else { ", not yet in force" }
    ));
    if let Some(desc) = &a.description {
        out.push_str(&format!("{}\n\n", md_escape(desc)));
    }
    for change in &a.changes {
        out.push_str(&format!("- {}", md_escape(&change.summary)));
        let clauses: Vec<String> = change.clauses.iter().map(|c| md_code(c)).collect();
        if !clauses.is_empty() {
            out.push_str(&format!(" {}.", clauses.join("; ")));
        }
        out.push('\n');
    }
    out.push('\n');
}

/// Inline code, with a fence longer than any run of backticks inside it.
fn md_code(s: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if longest > 0 { " " } else { "" };
    format!("{fence}{pad}{s}{pad}{fence}")
}

// ---------------------------------------------------------------------------------------
// HTML

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:50rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1b1b1b;background:#fff}\
h2{border-bottom:2px solid #1b1b1b;margin-top:2rem}dt{font-weight:bold}dd{margin:0 0 0.5rem 1rem}\
pre{background:#f3f3f3;padding:0.5rem;overflow-x:auto;white-space:pre-wrap}code{font-family:ui-monospace,monospace}\
a:focus,summary:focus{outline:3px solid #fd0;outline-offset:2px}details{margin:0.5rem 0}summary{cursor:pointer}\
.ref{color:#444;font-size:0.9rem}";

/// The document as one self-contained, accessible HTML page: no scripts, no external
/// assets, every string from the constitution escaped.
pub fn html(d: &Document) -> String {
    let e = html_escape;
    let mut out = String::new();
    out.push_str("<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<title>{}: local constitution of citizens' rights</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        e(&d.name)
    ));
    out.push_str("<main id=\"main\">\n");
    out.push_str(&format!(
        "<h1>{}: local constitution of citizens' rights</h1>\n",
        e(&d.name)
    ));
    for line in intro(d) {
        out.push_str(&format!("<p>{}</p>\n", e(&line)));
    }
    out.push_str("<nav aria-labelledby=\"contents\">\n<h2 id=\"contents\">Contents</h2>\n<ul>\n");
    for s in sections(d) {
        out.push_str(&format!(
            "<li><a href=\"#right-{}\">{}</a></li>\n",
            e(&s.key),
            e(&s.title)
        ));
    }
    out.push_str("<li><a href=\"#responsibilities\">Citizens' responsibilities</a></li>\n<li><a href=\"#committee\">The Local Public Audit Committee</a></li>\n<li><a href=\"#amendments\">Amendments</a></li>\n</ul>\n</nav>\n");
    for s in sections(d) {
        out.push_str(&format!(
            "<section id=\"right-{}\" aria-labelledby=\"h-right-{}\">\n<h2 id=\"h-right-{}\">{}</h2>\n",
            e(&s.key),
            e(&s.key),
            e(&s.key),
            e(&s.title)
        ));
        if let Some(desc) = &s.description {
            out.push_str(&format!("<p>{}</p>\n", e(desc)));
        }
        if s.duties.is_empty() {
            out.push_str("<p>No duty under this right is in force yet.</p>\n");
        }
        for duty in &s.duties {
            html_duty(&mut out, duty);
        }
        out.push_str("</section>\n");
    }
    out.push_str("<section id=\"responsibilities\" aria-labelledby=\"h-responsibilities\">\n<h2 id=\"h-responsibilities\">Citizens' responsibilities</h2>\n");
    if d.responsibilities.is_empty() {
        out.push_str("<p>None are recorded.</p>\n");
    } else {
        out.push_str("<ul>\n");
        for r in &d.responsibilities {
            out.push_str(&format!("<li>{}</li>\n", e(r)));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n<section id=\"committee\" aria-labelledby=\"h-committee\">\n<h2 id=\"h-committee\">The Local Public Audit Committee</h2>\n");
    match &d.committee {
        Some(c) => {
            out.push_str(&format!("<p><strong>{}</strong></p>\n", e(&c.title)));
            if let Some(desc) = &c.description {
                out.push_str(&format!("<p>{}</p>\n", e(desc)));
            }
            out.push_str(&format!("<p>{}</p>\n", e(&refer_text(c))));
            match &c.contact {
                Some(contact) => out.push_str(&format!(
                    "<h3>How to refer a matter</h3>\n<p>{}</p>\n",
                    e(contact)
                )),
                None => out.push_str("<p>The committee has not published a contact.</p>\n"),
            }
        }
        None => out.push_str("<p>This constitution names no audit committee.</p>\n"),
    }
    if !d.bodies.is_empty() {
        out.push_str("<h3>Who owes the duties</h3>\n<dl>\n");
        for b in &d.bodies {
            out.push_str(&format!("<dt>{}</dt>\n", e(&b.title)));
            if let Some(desc) = &b.description {
                out.push_str(&format!("<dd>{}</dd>\n", e(desc)));
            }
            if let Some(contact) = &b.contact {
                out.push_str(&format!("<dd>Contact: {}</dd>\n", e(contact)));
            }
        }
        out.push_str("</dl>\n");
    }
    out.push_str("</section>\n<section id=\"amendments\" aria-labelledby=\"h-amendments\">\n<h2 id=\"h-amendments\">Amendments</h2>\n");
    if d.amendments.is_empty() {
        out.push_str("<p>None.</p>\n");
    }
    for a in &d.amendments {
        out.push_str(&format!(
            "<h3>{} (effective {}){}</h3>\n",
            e(&a.title),
            e(&a.effective),
            if a.in_force { "" } else { ", not yet in force" }
        ));
        if let Some(desc) = &a.description {
            out.push_str(&format!("<p>{}</p>\n", e(desc)));
        }
        out.push_str("<ul>\n");
        for change in &a.changes {
            out.push_str(&format!("<li>{}", e(&change.summary)));
            let clauses: Vec<String> = change
                .clauses
                .iter()
                .map(|c| format!("<code>{}</code>", e(c)))
                .collect();
            if !clauses.is_empty() {
                out.push_str(&format!(" {}.", clauses.join("; ")));
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n</main>\n</body>\n</html>\n");
    out
}

fn html_duty(out: &mut String, d: &DutyDoc) {
    let e = html_escape;
    out.push_str(&format!(
        "<article id=\"duty-{}\">\n<h3>{}</h3>\n",
        e(&d.path),
        e(&d.title)
    ));
    if let Some(desc) = &d.description {
        out.push_str(&format!("<p>{}</p>\n", e(desc)));
    }
    out.push_str("<dl>\n<dt>The promise</dt>\n");
    match &d.promise {
        Some(p) => out.push_str(&format!("<dd>{}</dd>\n", e(p))),
        None => out.push_str("<dd>Not yet written so that it can be checked.</dd>\n"),
    }
    if !d.owed_by.is_empty() {
        out.push_str(&format!(
            "<dt>Owed by</dt>\n<dd>{}</dd>\n",
            e(&d.owed_by.join(", "))
        ));
    }
    if let Some(basis) = &d.basis {
        out.push_str(&format!("<dt>Legal basis</dt>\n<dd>{}</dd>\n", e(basis)));
    }
    if !d.judging.is_empty() {
        out.push_str(&format!(
            "<dt>How it is judged</dt>\n<dd>{}</dd>\n",
            e(&d.judging.join(" "))
        ));
    }
    if !d.on_breach.is_empty() {
        out.push_str(&format!(
            "<dt>If it is breached</dt>\n<dd>{}</dd>\n",
            e(&d.on_breach.join(" "))
        ));
    }
    out.push_str("</dl>\n");
    if !d.rule.is_empty() {
        out.push_str(&format!(
            "<details>\n<summary>The rule as checked <span class=\"ref\">({})</span></summary>\n<pre><code>",
            e(&d.path)
        ));
        out.push_str(&e(&d.rule.join("\n")));
        out.push_str("</code></pre>\n</details>\n");
    }
    out.push_str("</article>\n");
}
