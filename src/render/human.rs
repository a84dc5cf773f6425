//! Human output: each diagnostic through miette's graphical handler with the offending
//! line of the card or license shown, then a one-line summary. Plain (no colour) when
//! stdout is not a terminal or NO_COLOR is set.

use std::fmt::Write as _;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};

use crate::core::diagnostic::{Diagnostic, Severity, Summary};
use crate::core::source::LineIndex;
use crate::Report;

fn miette_severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Note => miette::Severity::Advice,
    }
}

/// Render one diagnostic, with source when the file's text is known.
fn render_one(
    handler: &GraphicalReportHandler,
    d: &Diagnostic,
    text: Option<&str>,
    out: &mut String,
) {
    let header = format!("{} {}", d.rule.code, d.rule.name);
    let mut diag = MietteDiagnostic::new(d.message.clone())
        .with_code(header)
        .with_severity(miette_severity(d.severity));
    if let Some(help) = &d.help {
        diag = diag.with_help(help.clone());
    }
    let located = match (text, d.location.line) {
        (Some(text), Some(line)) => {
            let index = LineIndex::new(text);
            index.line_start(line).map(|start| {
                let line_text = text[start..].split('\n').next().unwrap_or("");
                let col = d.location.column.unwrap_or(1).saturating_sub(1);
                let offset = start + line_text.char_indices().nth(col).map_or(0, |(i, _)| i);
                let len = line_text
                    .trim_end_matches('\r')
                    .len()
                    .saturating_sub(offset - start);
                (offset, len.max(1).min(text.len().saturating_sub(offset)))
            })
        }
        _ => None,
    };
    let rendered = match (located, text) {
        (Some((offset, len)), Some(text)) => {
            let diag = diag.with_label(LabeledSpan::at(offset..offset + len, d.rule.name));
            let report = miette::Report::new(diag)
                .with_source_code(NamedSource::new(&d.location.path, text.to_string()));
            let mut s = String::new();
            handler.render_report(&mut s, report.as_ref()).map(|_| s)
        }
        _ => {
            let mut s = String::new();
            let diag = diag.clone();
            let report = miette::Report::new(diag);
            handler
                .render_report(&mut s, report.as_ref())
                .map(|_| format!("{}{s}", located_header(d)))
        }
    };
    match rendered {
        Ok(s) => out.push_str(&s),
        Err(_) => {
            let _ = writeln!(
                out,
                "{}: {} [{}] {}",
                d.location.path, d.rule.code, d.severity, d.message
            );
        }
    }
}

fn located_header(d: &Diagnostic) -> String {
    format!("{}:\n", d.location.path)
}

/// Whether to use colour: a terminal, and NO_COLOR not set.
pub fn use_color(requested: Option<bool>) -> bool {
    use std::io::IsTerminal;
    requested.unwrap_or_else(|| {
        std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal()
    })
}

/// Whether to colour what goes to stderr.
pub fn use_color_on_stderr(requested: Option<bool>) -> bool {
    use std::io::IsTerminal;
    requested.unwrap_or_else(|| {
        std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
    })
}

/// Render the report for a person.
pub fn render(report: &Report, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    let mut out = String::new();
    // Diagnostics come sorted by path: a file's text is fetched once for its run of them.
    let mut current: Option<(&str, Option<std::sync::Arc<str>>)> = None;
    for d in &report.diagnostics {
        let path = d.location.path.as_str();
        if current.as_ref().is_none_or(|(p, _)| *p != path) {
            current = Some((path, report.project.source_text(path)));
        }
        let text = current.as_ref().and_then(|(_, t)| t.as_deref());
        render_one(&handler, d, text, &mut out);
        out.push('\n');
    }
    out.push_str(&summary_line(report));
    out
}

/// Render one line per diagnostic.
pub fn render_concise(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let mut place = d.location.path.clone();
        if let Some(line) = d.location.line {
            let _ = write!(place, ":{line}:{}", d.location.column.unwrap_or(1));
        }
        let _ = writeln!(
            out,
            "{place}: {} [{}] {}",
            d.rule.code, d.severity, d.message
        );
    }
    out.push_str(&summary_line(report));
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn summary_line(report: &Report) -> String {
    let s = Summary::of(&report.diagnostics);
    let scope = format!(
        "{} and {} checked",
        plural(report.project.models.len(), "model"),
        plural(report.project.license_files.len(), "license file")
    );
    let mut hidden = Vec::new();
    if !report.suppressed.is_empty() {
        hidden.push(format!(
            "{} suppressed by the policy",
            report.suppressed.len()
        ));
    }
    if !report.baselined.is_empty() {
        hidden.push(format!("{} in the baseline", report.baselined.len()));
    }
    let hidden = if hidden.is_empty() {
        String::new()
    } else {
        format!(" ({})", hidden.join(", "))
    };
    let config = match &report.config.source {
        Some(src) => format!(" with {}", src.display),
        None => String::new(),
    };
    if s.errors + s.warnings + s.notes == 0 {
        format!("No problems: {scope}{config}{hidden}.\n")
    } else {
        format!(
            "Found {}, {}, {}: {scope}{config}{hidden}.\n",
            plural(s.errors, "error"),
            plural(s.warnings, "warning"),
            plural(s.notes, "note")
        )
    }
}
