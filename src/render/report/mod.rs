//! The audit report (`weightlint report`): one self-contained HTML page a compliance
//! reviewer can read, search, print to PDF and attach to a ticket. Inline CSS and SVG
//! only: no script, no request to anything (a Content-Security-Policy says so to the
//! browser), readable without JavaScript. Every piece of text from the scanned tree goes
//! through [`html::esc`]. Deterministic: the only date is the one the user passes.

mod html;
mod lineage;

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::Arc;

use html::{code, esc, table};
use lineage::Lineage;

use crate::core::diagnostic::{Diagnostic, Severity, Summary};
use crate::core::registry::{self, WL402, WL404};
use crate::core::source::LineIndex;
use crate::core::text::fmt_count;
use crate::judge::policy::Waiver;
use crate::license::expr::Named;
use crate::license::kb::{Term, TermKind};
use crate::openness::Status;
use crate::project::Project;
use crate::provenance::Resolved;
use crate::Report;

const STYLE: &str = include_str!("style.css");

/// What the page says beyond the scan.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The report's date, as the user gives it (`--date`); none is printed otherwise.
    pub date: Option<String>,
}

/// The whole page.
pub fn render(report: &Report, options: &Options) -> String {
    let mut page = Page {
        report,
        sources: Sources {
            quotes: BTreeMap::new(),
            texts: HashMap::new(),
            project: &report.project,
        },
        out: String::with_capacity(64 * 1024),
    };
    page.write(options);
    page.out
}

struct Page<'a> {
    report: &'a Report,
    sources: Sources<'a>,
    out: String,
}

/// The texts the page quotes from (each fetched once), and the lines evidence links point
/// at, numbered in the order they are first linked.
struct Sources<'a> {
    quotes: BTreeMap<(String, usize), usize>,
    /// Each file's text with its line index, fetched once.
    texts: HashMap<String, Option<(Arc<str>, LineIndex)>>,
    project: &'a Project,
}

impl<'a> Sources<'a> {
    /// The line, trimmed of its line ending and cut at 400 characters.
    fn line(&mut self, path: &str, line: usize) -> Option<String> {
        let project = self.project;
        let (text, index) = self
            .texts
            .entry(path.to_string())
            .or_insert_with(|| {
                project.source_text(path).map(|t| {
                    let index = LineIndex::new(&t);
                    (t, index)
                })
            })
            .as_ref()?;
        // Past the last line (the start after a final newline) there is nothing to quote.
        let start = index.line_start(line).filter(|&s| s < text.len())?;
        let l = text[start..].split('\n').next().unwrap_or("");
        let l = l.trim_end_matches('\r');
        Some(if l.chars().count() > 400 {
            l.chars().take(399).chain(['…']).collect()
        } else {
            l.to_string()
        })
    }

    /// A link to the quote of `path:line`, when the line can be shown; else the place as text.
    fn link(&mut self, place: &str) -> String {
        let Some((path, line)) = place
            .rsplit_once(':')
            .and_then(|(p, l)| l.parse::<usize>().ok().map(|l| (p, l)))
        else {
            return code(place);
        };
        if self.line(path, line).is_none() {
            return code(place);
        }
        let next = self.quotes.len() + 1;
        let n = *self.quotes.entry((path.to_string(), line)).or_insert(next);
        format!("<a href=\"#quote-{n}\">{}</a>", code(place))
    }
}

/// `1 model`, `2 models`.
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One term, as a reader takes it: what, the figure or phrase, and the clause.
fn term_html(t: &Term) -> String {
    let what = match t.kind {
        TermKind::MauThreshold => "Monthly active users threshold".to_string(),
        TermKind::DauThreshold => "Daily active users threshold".to_string(),
        TermKind::RevenueThreshold => "Annual revenue threshold (US$)".to_string(),
        k => {
            let words = k.as_str().replace('_', " ");
            let mut c = words.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        }
    };
    let mut parts = vec![format!("<strong>{}</strong>", esc(&what))];
    if let Some(v) = t.value {
        parts.push(esc(&fmt_count(v)));
    }
    if let Some(x) = &t.text {
        parts.push(format!("“{}”", esc(x)));
    }
    if let Some(x) = &t.prefix {
        parts.push(format!("name prefix {}", code(x)));
    }
    if let Some(x) = &t.url {
        parts.push(format!("<a href=\"{}\">{}</a>", esc(x), esc(x)));
    }
    if let Some(x) = &t.measured_on {
        parts.push(format!("measured on: {}", esc(x)));
    }
    if let Some(x) = &t.scope {
        parts.push(format!("scope: {}", esc(x)));
    }
    if !t.regions.is_empty() {
        parts.push(format!("regions: {}", esc(&t.regions.join(", "))));
    }
    let info = if t.kind.is_informational() {
        "; no rule judges it"
    } else {
        ""
    };
    format!("{} ({}{info})", parts.join(" · "), esc(&t.clause))
}

/// Text that quotes names in backticks, as messages do: escaped, each `name` as code.
fn prose(text: &str) -> String {
    let escaped = esc(text);
    if !escaped.matches('`').count().is_multiple_of(2) {
        return escaped;
    }
    let mut out = String::with_capacity(escaped.len() + 16);
    for (i, part) in escaped.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str("<code>");
            out.push_str(part);
            out.push_str("</code>");
        } else {
            out.push_str(part);
        }
    }
    out
}

/// A license's name, linked to its text when the knowledge base knows where it is.
fn license_html(n: &Named) -> String {
    let url = n.entry().and_then(|e| e.url.as_deref());
    let name = match url {
        Some(u) => format!("<a href=\"{}\">{}</a>", esc(u), esc(&n.name)),
        None => esc(&n.name),
    };
    format!("{name} ({})", code(&n.id))
}

fn licenses_html(list: &[Named]) -> String {
    if list.is_empty() {
        "<em>unknown</em>".to_string()
    } else {
        list.iter().map(license_html).collect::<Vec<_>>().join("; ")
    }
}

/// The license cell of a Hub id: its licenses, or unknown.
fn license_cell(resolved: Option<&Resolved>) -> String {
    resolved.map_or("<em>unknown</em>".to_string(), |r| {
        licenses_html(&r.licenses)
    })
}

/// Where a Hub id's license was found.
fn resolved_cell(resolved: Option<&Resolved>) -> String {
    resolved.map_or("not resolved offline".to_string(), |r| {
        prose(&r.via.describe())
    })
}

fn place(d: &Diagnostic) -> String {
    let mut p = d.location.path.clone();
    if let Some(line) = d.location.line {
        let _ = write!(p, ":{line}");
        if let Some(col) = d.location.column {
            let _ = write!(p, ":{col}");
        }
    }
    p
}

impl Page<'_> {
    fn write(&mut self, options: &Options) {
        let name = crate::render::root_name(&self.report.project);
        let _ = write!(
            self.out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
             style-src 'unsafe-inline'; img-src data:\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"weightlint {}\">\n\
             <title>License audit: {}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n\
             <header>\n<h1>License audit: {}</h1>\n",
            env!("CARGO_PKG_VERSION"),
            esc(&name),
            esc(&name)
        );
        let mut meta = vec![format!(
            "Scanned: {}",
            self.report
                .project
                .roots
                .iter()
                .map(|r| code(&r.display))
                .collect::<Vec<_>>()
                .join(", ")
        )];
        if let Some(date) = &options.date {
            meta.push(format!("Date: {}", esc(date)));
        }
        meta.push(format!(
            "Produced by weightlint {} (offline)",
            env!("CARGO_PKG_VERSION")
        ));
        let _ = writeln!(
            self.out,
            "<p class=\"meta\">{}</p>\n</header>",
            meta.join(" · ")
        );
        self.toc();
        self.out.push_str("<main>\n");
        self.summary();
        self.profile();
        self.models();
        self.lineage();
        self.openness();
        self.findings();
        self.unknowns();
        self.suppressed();
        self.rules();
        self.quotes();
        self.out.push_str("</main>\n</body>\n</html>\n");
    }

    fn toc(&mut self) {
        self.out
            .push_str("<nav aria-label=\"Contents\">\n<h2>Contents</h2>\n<ol>\n");
        for (id, title) in SECTIONS {
            let _ = writeln!(self.out, "<li><a href=\"#{id}\">{title}</a></li>");
        }
        self.out.push_str("</ol>\n</nav>\n");
    }

    fn section(&mut self, id: &str) {
        let title = SECTIONS
            .iter()
            .find(|(i, _)| *i == id)
            .map_or(id, |(_, t)| *t);
        let _ = writeln!(self.out, "<section id=\"{id}\">\n<h2>{title}</h2>");
    }

    fn summary(&mut self) {
        let report = self.report;
        self.section("summary");
        let s = Summary::of(&report.diagnostics);
        let first_error = report
            .diagnostics
            .iter()
            .position(|d| d.severity == Severity::Error);
        match first_error {
            None => {
                let _ = writeln!(
                    self.out,
                    "<p class=\"verdict ready\"><strong>Verdict: ready to ship</strong> under \
                     this product profile and policy: no errors. {} and {} to review.</p>",
                    plural(s.warnings, "warning", "warnings"),
                    plural(s.notes, "note", "notes")
                );
            }
            Some(_) => {
                let _ = writeln!(
                    self.out,
                    "<p class=\"verdict blocked\"><strong>Verdict: not ready to ship.</strong> \
                     {} under this product profile and policy:</p>\n<ul>",
                    plural(s.errors, "error blocks it", "errors block it")
                );
                let mut by_rule: BTreeMap<&str, (usize, usize, &str)> = BTreeMap::new();
                for (i, d) in report.diagnostics.iter().enumerate() {
                    if d.severity == Severity::Error {
                        let e = by_rule.entry(d.rule.code).or_insert((0, i, d.rule.name));
                        e.0 += 1;
                    }
                }
                for (code, (n, first, name)) in by_rule {
                    let _ = writeln!(
                        self.out,
                        "<li><a href=\"#finding-{}\">{code} {name}</a>: {}</li>",
                        first + 1,
                        plural(n, "error", "errors")
                    );
                }
                self.out.push_str("</ul>\n");
            }
        }
        let unknown = report
            .diagnostics
            .iter()
            .filter(|d| d.rule.code == WL404.code || d.rule.code == WL402.code)
            .count();
        if unknown > 0 {
            let _ = writeln!(
                self.out,
                "<p>{} could not be resolved offline: see <a href=\"#unknowns\">Unknowns</a>.</p>",
                plural(unknown, "license or base model", "licenses or base models")
            );
        }
        let p = &report.project;
        let _ = writeln!(
            self.out,
            "<p>{}, {}, {} and {} found; {} suppressed by the policy, {} in the baseline.</p>",
            plural(p.models.len(), "model", "models"),
            plural(p.license_files.len(), "license file", "license files"),
            plural(
                p.code_uses.len(),
                "reference to a Hub model or dataset",
                "references to Hub models and datasets"
            ),
            plural(p.dataset_cards.len(), "dataset card", "dataset cards"),
            report.suppressed.len(),
            report.baselined.len()
        );
        let mut counts: BTreeMap<&str, ([usize; 3], usize, &str)> = BTreeMap::new();
        for (i, d) in report.diagnostics.iter().enumerate() {
            let e = counts
                .entry(d.rule.code)
                .or_insert(([0; 3], i, d.rule.name));
            e.0[match d.severity {
                Severity::Error => 0,
                Severity::Warning => 1,
                Severity::Note => 2,
            }] += 1;
        }
        if counts.is_empty() {
            self.out.push_str("<p>No findings.</p>\n");
        } else {
            let rows: Vec<Vec<String>> = counts
                .iter()
                .map(|(code, (n, first, name))| {
                    vec![
                        format!("<a href=\"#finding-{}\">{code}</a>", first + 1),
                        format!("<a href=\"#rule-{code}\">{name}</a>"),
                        n[0].to_string(),
                        n[1].to_string(),
                        n[2].to_string(),
                    ]
                })
                .collect();
            table(
                "counts",
                &["Rule", "Name", "Errors", "Warnings", "Notes"],
                &rows,
                &mut self.out,
            );
        }
        self.out.push_str("</section>\n");
    }

    fn profile(&mut self) {
        let config = &self.report.config;
        self.section("profile");
        let source = match &config.source {
            Some(s) => format!("The config file {} was used.", code(&s.display)),
            None => "No config file: the embedded default policy was used.".to_string(),
        };
        let _ = writeln!(
            self.out,
            "<p>{source} A key that is not set leaves the terms that depend on it undecided: \
             they are reported as notes.</p>"
        );
        let p = &config.product;
        let count = |c: Option<crate::config::Count>| c.map(|c| fmt_count(c.0));
        let values: [(&str, Option<String>); 9] = [
            ("commercial", p.commercial.map(|b| b.to_string())),
            ("monthly_active_users", count(p.monthly_active_users)),
            ("daily_active_users", count(p.daily_active_users)),
            ("annual_revenue_usd", count(p.annual_revenue_usd)),
            ("headquarters", p.headquarters.clone()),
            ("regions", p.regions.as_ref().map(|r| r.join(", "))),
            (
                "distribution",
                p.distribution.map(|d| d.as_str().to_string()),
            ),
            (
                "trains_on_outputs",
                p.trains_on_outputs.map(|b| b.to_string()),
            ),
            (
                "use_case",
                (!p.use_case.is_empty()).then(|| {
                    p.use_case
                        .iter()
                        .map(|u| crate::config::presets::preset(*u).name)
                        .collect::<Vec<_>>()
                        .join(", ")
                }),
            ),
        ];
        let rows: Vec<Vec<String>> = values
            .iter()
            .map(|(key, value)| {
                vec![
                    code(&format!("product.{key}")),
                    value.as_deref().map_or("<em>not set</em>".to_string(), esc),
                    config.set_by(key).map_or(String::new(), code),
                ]
            })
            .collect();
        self.out.push_str("<h3>Product profile</h3>\n");
        table("profile", &["Key", "Value", "Set by"], &rows, &mut self.out);

        self.out.push_str("<h3>Policy</h3>\n<dl>\n");
        let list = |items: Vec<String>| {
            if items.is_empty() {
                "<em>none</em>".to_string()
            } else {
                items.join(", ")
            }
        };
        let _ = writeln!(
            self.out,
            "<dt>Required openness</dt><dd>{}</dd>\n<dt>Allowed</dt><dd>{}</dd>\n\
             <dt>Denied</dt><dd>{}</dd>\n<dt>Rule levels</dt><dd>{}</dd>",
            code(config.require.as_str()),
            list(config.allow.iter().map(|p| code(&p.text)).collect()),
            list(config.deny.iter().map(|p| code(&p.text)).collect()),
            list(
                config
                    .severities
                    .iter()
                    .map(|(r, l)| format!("{} {}", code(r.code), esc(l.as_str())))
                    .collect()
            )
        );
        self.out.push_str("</dl>\n");
        if !config.exceptions.is_empty() {
            let rows: Vec<Vec<String>> = config
                .exceptions
                .iter()
                .map(|e| {
                    vec![
                        code(&e.model),
                        e.rules
                            .iter()
                            .map(|r| r.code)
                            .collect::<Vec<_>>()
                            .join(", "),
                        prose(&e.reason),
                        e.expires.map_or("never".to_string(), |d| d.to_string()),
                    ]
                })
                .collect();
            self.out.push_str("<h3>Exceptions</h3>\n");
            table(
                "exceptions",
                &["Models", "Rules", "Reason", "Expires"],
                &rows,
                &mut self.out,
            );
        }
        self.out.push_str("</section>\n");
    }

    fn models(&mut self) {
        let report = self.report;
        let project = &report.project;
        self.section("models");
        if project.models.is_empty() {
            self.out.push_str(
                "<p>No model of its own was found (no card, weights or release): the tree is \
                 a library, framework or tool. The models and datasets it references are \
                 below.</p>\n",
            );
        }
        for (i, m) in project.models.iter().enumerate() {
            let _ = writeln!(
                self.out,
                "<article class=\"model\" id=\"model-{}\">\n<h3>{}</h3>\n<dl>\n<dt>Path</dt><dd>{}</dd>",
                i + 1,
                esc(&m.name),
                code(&m.path)
            );
            if let Some(c) = &m.card {
                let _ = writeln!(self.out, "<dt>Card</dt><dd>{}</dd>", code(&c.path));
            }
            if !m.weights.is_empty() {
                let shown: Vec<String> = m.weights.iter().take(5).map(|w| code(w)).collect();
                let more = if m.weights.len() > 5 {
                    format!(" and {} more", m.weights.len() - 5)
                } else {
                    String::new()
                };
                let _ = writeln!(
                    self.out,
                    "<dt>Weights</dt><dd>{}{more}</dd>",
                    shown.join(", ")
                );
            }
            let how = match (&m.card, &m.declared) {
                (Some(c), Some(d)) => format!(
                    "declared by the card: <code>license: {}</code> at {}",
                    esc(&d.as_written()),
                    self.sources.link(&format!("{}:{}", c.path, d.line))
                ),
                _ => {
                    let files: Vec<String> = m
                        .license_files
                        .iter()
                        .map(|&f| &project.license_files[f])
                        .filter(|f| f.identification.is_some())
                        .map(|f| code(&f.path))
                        .collect();
                    if files.is_empty() {
                        "no license is declared or found beside the model".to_string()
                    } else {
                        format!("identified from {}", files.join(", "))
                    }
                }
            };
            let _ = writeln!(
                self.out,
                "<dt>License</dt><dd>{}<br><small>{how}</small></dd>",
                licenses_html(&m.licenses)
            );
            if !m.inherited.is_empty() {
                let _ = writeln!(
                    self.out,
                    "<dt>Carried over from its bases</dt><dd>{}</dd>",
                    licenses_html(&m.inherited)
                );
            }
            if let Some((r, _)) = &m.relation {
                let _ = writeln!(
                    self.out,
                    "<dt>Relation to its base</dt><dd>{}</dd>",
                    code(r)
                );
            }
            self.out.push_str("</dl>\n");
            if !m.bases.is_empty() {
                let rows: Vec<Vec<String>> = m
                    .bases
                    .iter()
                    .map(|b| {
                        vec![
                            code(&b.id),
                            prose(&b.origin.describe()),
                            license_cell(b.resolved.as_ref()),
                            resolved_cell(b.resolved.as_ref()),
                        ]
                    })
                    .collect();
                self.out.push_str("<h4>Base models</h4>\n");
                table(
                    "bases",
                    &["Base", "Named by", "License", "Resolved from"],
                    &rows,
                    &mut self.out,
                );
            }
            if !m.datasets.is_empty() {
                let card = m.card.as_ref().map_or("", |c| c.path.as_str());
                let rows: Vec<Vec<String>> = m
                    .datasets
                    .iter()
                    .map(|d| {
                        vec![
                            code(&d.id),
                            self.sources.link(&format!("{card}:{}", d.line)),
                            license_cell(d.resolved.as_ref()),
                            resolved_cell(d.resolved.as_ref()),
                        ]
                    })
                    .collect();
                self.out.push_str("<h4>Training datasets</h4>\n");
                table(
                    "datasets",
                    &["Dataset", "Named at", "License", "Resolved from"],
                    &rows,
                    &mut self.out,
                );
            }
            self.terms(m.governing());
            self.out.push_str("</article>\n");
        }
        self.references();
        self.out.push_str("</section>\n");
    }

    /// The knowledge base's terms of each license, with the clause each is in.
    fn terms<'n>(&mut self, licenses: impl Iterator<Item = &'n Named>) {
        let mut seen: Vec<&str> = Vec::new();
        let mut rows = Vec::new();
        for n in licenses {
            let Some(e) = n.entry() else { continue };
            if seen.contains(&e.key.as_str()) || e.terms.is_empty() {
                continue;
            }
            seen.push(&e.key);
            let items: Vec<String> = e
                .terms
                .iter()
                .map(|t| format!("<li>{}</li>", term_html(t)))
                .collect();
            rows.push(vec![esc(&e.name), format!("<ul>{}</ul>", items.concat())]);
        }
        if !rows.is_empty() {
            self.out.push_str("<h4>Terms that matter</h4>\n");
            table(
                "terms",
                &["License", "Terms (clause)"],
                &rows,
                &mut self.out,
            );
        }
    }

    /// The Hub models and datasets code, configs and docs use, once per id.
    fn references(&mut self) {
        let uses = &self.report.project.code_uses;
        if uses.is_empty() {
            return;
        }
        let mut by_id: BTreeMap<(String, &str), Vec<&crate::project::CodeUse>> = BTreeMap::new();
        for u in uses {
            by_id
                .entry((u.shown_id().to_ascii_lowercase(), u.kind.as_str()))
                .or_default()
                .push(u);
        }
        let _ = writeln!(
            self.out,
            "<h3 id=\"references\">Models and datasets the code uses</h3>\n<p>{} in {}.</p>",
            plural(by_id.len(), "repository", "repositories"),
            plural(uses.len(), "place", "places")
        );
        let mut rows = Vec::new();
        for ((_, kind), mut list) in by_id {
            list.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
            list.dedup_by(|a, b| a.path == b.path && a.line == b.line);
            let first = list[0];
            let mut places: Vec<String> = list
                .iter()
                .take(3)
                .map(|u| {
                    format!(
                        "{} ({})",
                        self.sources.link(&format!("{}:{}", u.path, u.line)),
                        esc(u.loader.as_str())
                    )
                })
                .collect();
            if list.len() > 3 {
                places.push(format!("and {} more", list.len() - 3));
            }
            rows.push(vec![
                code(first.shown_id()),
                esc(kind),
                license_cell(first.resolved.as_ref()),
                resolved_cell(first.resolved.as_ref()),
                places.join("<br>"),
            ]);
        }
        table(
            "references",
            &["Id", "Kind", "License", "Resolved from", "Used at"],
            &rows,
            &mut self.out,
        );
    }

    fn lineage(&mut self) {
        self.section("lineage");
        let g = Lineage::of(self.report);
        if g.is_empty() {
            self.out.push_str(
                "<p>No model names a base model or a training dataset: there is no lineage to \
                 draw.</p>\n",
            );
        } else {
            self.out.push_str(
                "<p>Each model on the left, the base models and datasets it names, and the \
                 licenses at the end of each chain on the right. Lines: solid, base model; \
                 dashed, trained on; dotted, license. A license box says whether it is \
                 OSI-approved or restricted.</p>\n<figure class=\"lineage\">\n",
            );
            g.svg(&mut self.out);
            self.out.push_str("</figure>\n<h3>As a list</h3>\n");
            g.lists(&mut self.out);
        }
        self.out.push_str("</section>\n");
    }

    fn openness(&mut self) {
        let report = self.report;
        self.section("openness");
        if report.project.models.is_empty() {
            self.out.push_str(
                "<p>No model of its own: openness is a property of a released model. \
                 <code>weightlint classify</code> classifies the project from its README.</p>\n",
            );
        }
        for (i, (m, o)) in report
            .project
            .models
            .iter()
            .zip(&report.openness)
            .enumerate()
        {
            let _ = writeln!(
                self.out,
                "<h3><a href=\"#model-{}\">{}</a>: {}</h3>\n<p>{}</p>",
                i + 1,
                esc(&m.name),
                esc(o.verdict.as_str()),
                prose(&o.summary)
            );
            let rows: Vec<Vec<String>> = o
                .dimensions
                .iter()
                .map(|d| {
                    let status = match d.status {
                        Status::Yes => "<span class=\"st yes\">✔ yes</span>",
                        Status::Restricted => "<span class=\"st restricted\">◐ restricted</span>",
                        Status::No => "<span class=\"st no\">✘ no evidence</span>",
                    };
                    let evidence: Vec<String> = d
                        .evidence
                        .iter()
                        .map(|e| format!("{} {}", prose(&e.what), self.sources.link(&e.place)))
                        .collect();
                    vec![esc(d.name), status.to_string(), evidence.join("<br>")]
                })
                .collect();
            table(
                "openness",
                &["Dimension", "Status", "Evidence"],
                &rows,
                &mut self.out,
            );
            let mof = match o.mof_class {
                Some(c) => format!("Class {}", esc(c)),
                None => "no class reached".to_string(),
            };
            let missing = if o.mof_missing.is_empty() {
                String::new()
            } else {
                format!("; the next class needs: {}", esc(&o.mof_missing.join(", ")))
            };
            let eu = if o.eu_ai_act.exemption_possible {
                "could be claimed"
            } else {
                "cannot be claimed"
            };
            let _ = writeln!(
                self.out,
                "<p>Model Openness Framework: {mof}{missing}.<br>EU AI Act Art. 53(2) \
                 open-source exemption: {eu}: {}.</p>",
                prose(&o.eu_ai_act.reason)
            );
        }
        self.out.push_str("</section>\n");
    }

    fn findings(&mut self) {
        let report = self.report;
        self.section("findings");
        if report.diagnostics.is_empty() {
            self.out.push_str("<p>No findings.</p>\n");
        }
        for severity in [Severity::Error, Severity::Warning, Severity::Note] {
            let n = report
                .diagnostics
                .iter()
                .filter(|d| d.severity == severity)
                .count();
            if n == 0 {
                continue;
            }
            let heading = match severity {
                Severity::Error => "Errors",
                Severity::Warning => "Warnings",
                Severity::Note => "Notes",
            };
            let _ = writeln!(self.out, "<h3>{heading} ({n})</h3>");
            for (i, d) in report.diagnostics.iter().enumerate() {
                if d.severity == severity {
                    self.finding(i + 1, d);
                }
            }
        }
        self.out.push_str("</section>\n");
    }

    fn finding(&mut self, n: usize, d: &Diagnostic) {
        let word = Severity::as_str(d.severity);
        let _ = writeln!(
            self.out,
            "<article class=\"finding {word}\" id=\"finding-{n}\">\n<h4><span class=\"sev\">{word}</span> \
             <a href=\"#rule-{code}\">{code}</a> {name}</h4>\n<p class=\"where\">{}{}</p>\n<p class=\"message\">{}</p>",
            code(&place(d)),
            d.model
                .as_ref()
                .map_or(String::new(), |m| format!(" · model {}", code(m))),
            prose(&d.message),
            code = d.rule.code,
            name = d.rule.name,
        );
        match d
            .location
            .line
            .and_then(|l| self.sources.line(&d.location.path, l).map(|t| (l, t)))
        {
            Some((line, text)) => {
                let _ = writeln!(
                    self.out,
                    "<pre class=\"source\"><span class=\"ln\">{line}</span>{}</pre>",
                    esc(&text)
                );
            }
            None => self
                .out
                .push_str("<p class=\"nosource\">No line: the finding is about the file or model as a whole.</p>\n"),
        }
        if let Some(help) = &d.help {
            let _ = writeln!(self.out, "<p class=\"help\">Help: {}</p>", prose(help));
        }
        self.out.push_str("</article>\n");
    }

    fn unknowns(&mut self) {
        let report = self.report;
        self.section("unknowns");
        let unknown: Vec<(usize, &Diagnostic)> = report
            .diagnostics
            .iter()
            .enumerate()
            .filter(|(_, d)| d.rule.code == WL404.code || d.rule.code == WL402.code)
            .collect();
        if unknown.is_empty() {
            self.out
                .push_str("<p>Every license and base model was resolved.</p>\n</section>\n");
            return;
        }
        self.out.push_str(
            "<p>What a reviewer must chase: licenses and base models weightlint could not \
             resolve offline from the tree, <code>weightlint.lock</code>, the local Hugging \
             Face cache or its catalogue. <code>weightlint lock</code> asks the Hub once and \
             records the answers.</p>\n",
        );
        let rows: Vec<Vec<String>> = unknown
            .iter()
            .map(|(i, d)| {
                vec![
                    format!("<a href=\"#finding-{}\">{}</a>", i + 1, d.rule.code),
                    code(&place(d)),
                    prose(&d.message),
                ]
            })
            .collect();
        table("unknowns", &["Rule", "Where", "What"], &rows, &mut self.out);
        self.out.push_str("</section>\n");
    }

    fn suppressed(&mut self) {
        let report = self.report;
        self.section("suppressed");
        if report.suppressed.is_empty() && report.baselined.is_empty() {
            self.out
                .push_str("<p>No finding was suppressed or taken away by a baseline.</p>\n");
        }
        if !report.suppressed.is_empty() {
            let rows: Vec<Vec<String>> = report
                .suppressed
                .iter()
                .map(|s| {
                    let d = &s.diagnostic;
                    let (by, reason, expires) = match &s.by {
                        Waiver::Exception {
                            at,
                            reason,
                            expires,
                        } => (
                            format!("exception at {}", code(at)),
                            esc(reason),
                            expires.map_or("never".to_string(), |d| d.to_string()),
                        ),
                        Waiver::Inline { at, reason } => (
                            format!("inline allow at {}", code(at)),
                            esc(reason),
                            "never".to_string(),
                        ),
                    };
                    vec![
                        format!("{} {}", d.rule.code, Severity::as_str(d.severity)),
                        code(&place(d)),
                        prose(&d.message),
                        by,
                        reason,
                        expires,
                    ]
                })
                .collect();
            self.out.push_str("<h3>Suppressed by the policy</h3>\n");
            table(
                "suppressed",
                &["Rule", "Where", "Finding", "By", "Reason", "Expires"],
                &rows,
                &mut self.out,
            );
        }
        if !report.baselined.is_empty() {
            let rows: Vec<Vec<String>> = report
                .baselined
                .iter()
                .map(|d| {
                    vec![
                        format!("{} {}", d.rule.code, Severity::as_str(d.severity)),
                        code(&place(d)),
                        prose(&d.message),
                    ]
                })
                .collect();
            self.out.push_str("<h3>In the baseline</h3>\n");
            table(
                "baselined",
                &["Rule", "Where", "Finding"],
                &rows,
                &mut self.out,
            );
        }
        self.out.push_str("</section>\n");
    }

    /// The rules the findings name, with what each reports.
    fn rules(&mut self) {
        let report = self.report;
        self.section("rules");
        let mut codes: Vec<&str> = report
            .diagnostics
            .iter()
            .map(|d| d.rule.code)
            .chain(report.suppressed.iter().map(|s| s.diagnostic.rule.code))
            .chain(report.baselined.iter().map(|d| d.rule.code))
            .collect();
        codes.sort_unstable();
        codes.dedup();
        if codes.is_empty() {
            self.out.push_str("<p>No rule fired.</p>\n");
        } else {
            self.out.push_str("<dl class=\"rules\">\n");
            for r in registry::ALL.iter().filter(|r| codes.contains(&r.code)) {
                let _ = writeln!(
                    self.out,
                    "<dt id=\"rule-{code}\">{code} {name}</dt><dd>{}{} <code>weightlint explain {code}</code> \
                     says more.</dd>",
                    prose(r.summary),
                    if r.summary.ends_with('.') { "" } else { "." },
                    code = r.code,
                    name = r.name
                );
            }
            self.out.push_str("</dl>\n");
        }
        self.out.push_str("</section>\n");
    }

    /// The lines the evidence links point at.
    fn quotes(&mut self) {
        self.section("sources");
        let quotes: Vec<((String, usize), usize)> = std::mem::take(&mut self.sources.quotes)
            .into_iter()
            .collect();
        if quotes.is_empty() {
            self.out.push_str("<p>No line is quoted.</p>\n");
        }
        let mut ordered = quotes;
        ordered.sort_by_key(|(_, n)| *n);
        for ((path, line), n) in ordered {
            let text = self.sources.line(&path, line).unwrap_or_default();
            let _ = writeln!(
                self.out,
                "<figure class=\"quote\" id=\"quote-{n}\"><figcaption>{}</figcaption>\
                 <pre class=\"source\"><span class=\"ln\">{line}</span>{}</pre></figure>",
                code(&format!("{path}:{line}")),
                esc(&text)
            );
        }
        self.out.push_str("</section>\n");
    }
}

/// The sections, in order, with their headings.
const SECTIONS: &[(&str, &str)] = &[
    ("summary", "Summary"),
    ("profile", "Product profile and policy"),
    ("models", "Models and what they use"),
    ("lineage", "Base-model lineage"),
    ("openness", "Openness"),
    ("findings", "Findings"),
    ("unknowns", "Unknowns"),
    ("suppressed", "Suppressed and baselined findings"),
    ("rules", "Rules"),
    ("sources", "Quoted sources"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backticks_become_code_after_escaping() {
        assert_eq!(
            prose("set `product.mau` <now>"),
            "set <code>product.mau</code> &lt;now&gt;"
        );
        assert_eq!(prose("a ` b"), "a ` b");
        assert_eq!(prose("`<script>`"), "<code>&lt;script&gt;</code>");
    }
}
