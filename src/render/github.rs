//! GitHub Actions workflow commands (`check --format github`): one annotation per finding.
//!
//! `::error file=…,line=…,col=…,title=WL200 mau-threshold::message`; warnings become
//! `::warning` and notes `::notice`. The file is relative to the repository root (the
//! scan root), as in the SARIF output. Values are escaped as the runner expects: `%`, CR
//! and LF everywhere, and `:` and `,` too in properties.

use std::fmt::Write as _;

use crate::core::diagnostic::{Diagnostic, Severity};
use crate::render::sarif::repo_path;
use crate::Report;

/// The workflow command for a severity.
fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

/// Escape a command's data (the message after `::`).
pub fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// Escape a property value (`file=`, `title=`…): as data, and `:` and `,` too.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One annotation line (with its newline) for a finding in `file`.
fn annotation(d: &Diagnostic, file: &str) -> String {
    let mut line = format!("::{} file={}", command(d.severity), escape_property(file));
    if let Some(l) = d.location.line.filter(|&l| l >= 1) {
        let _ = write!(line, ",line={l}");
        if let Some(c) = d.location.column.filter(|&c| c >= 1) {
            let _ = write!(line, ",col={c}");
        }
    }
    let title = format!("{} {}", d.rule.code, d.rule.name);
    let message = match &d.help {
        Some(help) => format!("{}\n{help}", d.message),
        None => d.message.clone(),
    };
    let _ = writeln!(
        line,
        ",title={}::{}",
        escape_property(&title),
        escape_data(&message)
    );
    line
}

/// Render a check report as workflow commands.
pub fn render(report: &Report) -> String {
    report
        .diagnostics
        .iter()
        .map(|d| annotation(d, &repo_path(&d.location.path)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::diagnostic::Location;
    use crate::core::registry::{WL200, WL502};

    #[test]
    fn data_escapes_percent_and_line_breaks_only() {
        assert_eq!(
            escape_data("100% over: a, b\r\nnext"),
            "100%25 over: a, b%0D%0Anext"
        );
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(
            escape_property("100% over: a, b\r\nnext"),
            "100%25 over%3A a%2C b%0D%0Anext"
        );
    }

    #[test]
    fn an_annotation_escapes_each_part() {
        let d = Diagnostic::new(
            &WL200,
            Location::at("dir, a:b/LICENSE", 11, 3),
            "over 50%: see\nline 2, here",
        );
        assert_eq!(
            annotation(&d, "dir, a:b/LICENSE"),
            "::error file=dir%2C a%3Ab/LICENSE,line=11,col=3,title=WL200 mau-threshold\
             ::over 50%25: see%0Aline 2, here\n"
        );
    }

    #[test]
    fn unknown_positions_are_left_out_and_notes_are_notices() {
        let d = Diagnostic::new(&WL502, Location::file("README.md"), "no code")
            .with_help("Publish it.");
        assert_eq!(
            annotation(&d, "README.md"),
            "::notice file=README.md,title=WL502 training-code-missing::no code%0APublish it.\n"
        );
    }
}
