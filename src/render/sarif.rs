//! SARIF 2.1.0 output (`check --format sarif`), for GitHub code scanning and other
//! SARIF consumers.
//!
//! One run; the driver lists every rule in the registry. Only errors and warnings become
//! results: notes would flood the code scanning alert list. Locations are relative to
//! `%SRCROOT%`, which is the scan root, so `check` should run at the repository root.
//! GitHub's limits are kept: descriptions are clipped to 1024 characters, names to 255.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::core::diagnostic::{Diagnostic, Severity};
use crate::core::registry::{self, Rule};
use crate::judge::baseline;
use crate::project::Project;
use crate::rules;
use crate::Report;

/// The schema the log declares (the OASIS 2.1.0 errata 01 schema).
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/weightlint/weightlint";
/// The base id every relative result location is resolved against.
const SRCROOT: &str = "%SRCROOT%";
/// GitHub code scanning's cap on `shortDescription.text` and `fullDescription.text`.
const DESCRIPTION_MAX: usize = 1024;
/// GitHub code scanning's cap on a rule's `name`.
const NAME_MAX: usize = 255;

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    original_uri_base_ids: BTreeMap<&'static str, BaseId>,
    results: Vec<SarifResult>,
    /// Columns count characters (see `source::LineIndex`).
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor>,
}

/// A `%SRCROOT%` entry without `uri`: the consumer decides where the scan root is.
#[derive(Serialize)]
struct BaseId {
    description: Text,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Help {
    text: &'static str,
    markdown: &'static str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
    #[serde(rename = "problem.severity")]
    problem_severity: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    partial_fingerprints: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
}

/// SARIF's level for a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// The rule family a code belongs to, as a tag to filter by.
fn family(code: &str) -> Option<&'static str> {
    match code.as_bytes().get(2) {
        Some(b'1') => Some("declaration"),
        Some(b'2') => Some("product"),
        Some(b'3') => Some("obligations"),
        Some(b'4') => Some("provenance"),
        Some(b'5') => Some("openness"),
        Some(b'9') => Some("input"),
        _ => None,
    }
}

/// `mau-threshold` → `MauThreshold`, SARIF's convention for a rule's friendly name.
fn pascal_case(kebab: &str) -> String {
    kebab
        .split('-')
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
        })
        .collect()
}

/// The body of a doc's `## {heading}` section, up to the next `## ` heading.
fn section<'a>(doc: &'a str, heading: &str) -> Option<&'a str> {
    let mut start = None;
    let mut offset = 0;
    for line in doc.split_inclusive('\n') {
        let trimmed = line.trim_end();
        match start {
            None if trimmed.strip_prefix("## ") == Some(heading) => {
                start = Some(offset + line.len());
            }
            Some(s) if trimmed.starts_with("## ") => return doc.get(s..offset),
            _ => {}
        }
        offset += line.len();
    }
    start.and_then(|s| doc.get(s..))
}

/// Markdown prose as plain text: hard-wrapped lines joined, list items on lines of their
/// own, paragraphs separated by a blank line, code backticks dropped.
fn plain(markdown: &str) -> String {
    let mut out = String::new();
    let mut blank = false;
    for line in markdown.lines() {
        let t = line.trim();
        if t.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push_str("\n\n");
        } else if t.starts_with("- ") || t.starts_with("* ") {
            if !out.is_empty() {
                out.push('\n');
            }
        } else if !out.is_empty() {
            out.push(' ');
        }
        blank = false;
        out.push_str(t);
    }
    out.replace('`', "")
}

/// Cut a text to at most `max` characters: after its last whole sentence that fits, else
/// at a word boundary with an ellipsis.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    // Leave room for the ellipsis.
    let cut = text
        .char_indices()
        .nth(max.saturating_sub(1))
        .map_or(text.len(), |(i, _)| i);
    let head = &text[..cut];
    let sentence_end = head
        .char_indices()
        .filter(|&(i, c)| {
            c == '.'
                && head[i + 1..].starts_with(char::is_whitespace)
                && !head[..i].ends_with("e.g")
                && !head[..i].ends_with("i.e")
        })
        .map(|(i, _)| i + 1)
        .next_back();
    match sentence_end {
        Some(end) if end >= max / 2 => head[..end].to_string(),
        _ => {
            let word_end = head.rfind(char::is_whitespace).unwrap_or(head.len());
            format!("{}…", head[..word_end].trim_end())
        }
    }
}

/// The reporting descriptor of one rule.
fn descriptor(rule: &'static Rule) -> Descriptor {
    let what = section(rules::doc(rule), "What it does")
        .map(plain)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| rule.summary.to_string());
    let mut tags = vec!["license"];
    tags.extend(family(rule.code));
    Descriptor {
        id: rule.code,
        name: clip(&pascal_case(rule.name), NAME_MAX),
        short_description: Text {
            text: clip(rule.summary, DESCRIPTION_MAX),
        },
        full_description: Text {
            text: clip(&what, DESCRIPTION_MAX),
        },
        help: Help {
            text: rules::doc(rule),
            markdown: rules::doc(rule),
        },
        help_uri: format!(
            "{INFORMATION_URI}/blob/main/src/rules/docs/{}.md",
            rule.code
        ),
        default_configuration: Configuration {
            level: level(rule.default_severity),
        },
        properties: RuleProperties {
            tags,
            problem_severity: match rule.default_severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "recommendation",
            },
        },
    }
}

/// Percent-encode a path for a URI: unreserved characters and `/` stay, every other byte
/// (spaces, `%`, `#`, `?`, non-ASCII…) becomes `%XX`; `:` stays only when `keep_colon`.
fn encode_path(path: &str, keep_colon: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(b));
            }
            b':' if keep_colon => out.push(':'),
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// A display path as a path relative to the current directory, which is the repository
/// root where code scanning runs (`weightlint check models/` in the checkout yields
/// `models/README.md`). Paths outside it stay absolute. `.` stands for the directory itself.
pub(crate) fn repo_path(display: &str) -> String {
    let mut p = display;
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    let path = std::path::Path::new(p);
    let relative = if path.is_absolute() {
        std::env::current_dir().ok().and_then(|cwd| {
            path.strip_prefix(cwd)
                .ok()
                .map(|r| r.to_string_lossy().into_owned())
        })
    } else {
        None
    };
    match relative.as_deref().unwrap_or(p) {
        "" => ".".to_string(),
        r => r.replace('\\', "/"),
    }
}

/// The artifact location of a finding: relative to `%SRCROOT%`, or a `file` URI when the
/// path is absolute.
fn artifact(display: &str) -> ArtifactLocation {
    let path = repo_path(display);
    if std::path::Path::new(&path).is_absolute() || path.starts_with('/') {
        let slash = if path.starts_with('/') { "" } else { "/" };
        ArtifactLocation {
            uri: format!("file://{slash}{}", encode_path(&path, true)),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: encode_path(&path, false),
            uri_base_id: Some(SRCROOT),
        }
    }
}

/// One result, or none for a note.
fn result(d: &Diagnostic, project: &Project) -> Option<SarifResult> {
    if d.severity == Severity::Note {
        return None;
    }
    let text = match &d.help {
        Some(help) => format!("{}\n{help}", d.message),
        None => d.message.clone(),
    };
    // A finding about a whole file points at its first line: GitHub requires a line.
    let region = Some(Region {
        start_line: d.location.line.filter(|&l| l >= 1).unwrap_or(1),
        start_column: d.location.column.filter(|&c| c >= 1),
    });
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert("weightlint/v1", baseline::fingerprint(d, project).0);
    Some(SarifResult {
        rule_id: d.rule.code,
        rule_index: registry::ALL.iter().position(|r| r.code == d.rule.code),
        level: level(d.severity),
        message: Text { text },
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: artifact(&d.location.path),
                region,
            },
        }],
        partial_fingerprints: fingerprints,
    })
}

/// Render a check report as a SARIF 2.1.0 log.
pub fn render(report: &Report) -> String {
    let driver = Driver {
        name: "weightlint",
        version: env!("CARGO_PKG_VERSION"),
        semantic_version: env!("CARGO_PKG_VERSION"),
        information_uri: INFORMATION_URI,
        rules: registry::ALL.iter().copied().map(descriptor).collect(),
    };
    let mut bases = BTreeMap::new();
    bases.insert(
        SRCROOT,
        BaseId {
            description: Text {
                text: "The scanned root; run weightlint at the repository root so that it is."
                    .to_string(),
            },
        },
    );
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool { driver },
            original_uri_base_ids: bases,
            results: report
                .diagnostics
                .iter()
                .filter_map(|d| result(d, &report.project))
                .collect(),
            column_kind: "unicodeCodePoints",
        }],
    };
    let mut s =
        serde_json::to_string_pretty(&log).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_pascal_case() {
        assert_eq!(pascal_case("mau-threshold"), "MauThreshold");
        assert_eq!(
            pascal_case("use-restrictions-not-passed-on"),
            "UseRestrictionsNotPassedOn"
        );
    }

    #[test]
    fn paths_are_percent_encoded() {
        assert_eq!(
            encode_path("models/my model/README.md", false),
            "models/my%20model/README.md"
        );
        assert_eq!(encode_path("a%b#c?d:e", false), "a%25b%23c%3Fd%3Ae");
        assert_eq!(encode_path("café/x", false), "caf%C3%A9/x");
        assert_eq!(encode_path("C:/x y", true), "C:/x%20y");
    }

    #[test]
    fn descriptions_are_plain_and_within_github_limits() {
        for rule in registry::ALL {
            let d = descriptor(rule);
            assert_eq!(d.id, rule.code);
            assert!(d.name.chars().count() <= NAME_MAX);
            assert!(!d.name.contains('-'), "{}", d.name);
            let full = &d.full_description.text;
            assert!(!full.is_empty(), "{}", rule.code);
            assert!(full.chars().count() <= DESCRIPTION_MAX, "{}", rule.code);
            assert!(!full.contains("##") && !full.contains('`'), "{}", rule.code);
            assert!(d.short_description.text.chars().count() <= DESCRIPTION_MAX);
            assert!(d
                .help
                .text
                .starts_with(&format!("# {} {}", rule.code, rule.name)));
        }
    }

    #[test]
    fn the_what_it_does_section_is_extracted() {
        let doc =
            "# WL1 x\n\n## What it does\nOne `a`\ntwo.\n\nThree:\n- four\n  five\n\n## Why\nNo.\n";
        let what = section(doc, "What it does").map(plain);
        assert_eq!(what.as_deref(), Some("One a two.\n\nThree:\n- four five"));
        assert_eq!(section(doc, "Why"), Some("No.\n"));
        assert_eq!(section(doc, "Example"), None);
    }

    #[test]
    fn long_texts_are_clipped_at_a_sentence() {
        let text = "First sentence here. Second sentence, e.g. this one. Third one is long.";
        assert_eq!(
            clip(text, 60),
            "First sentence here. Second sentence, e.g. this one."
        );
        assert_eq!(clip(text, 200), text);
        assert_eq!(clip("aaaa bbbb cccc dddd", 12), "aaaa bbbb…");
        assert!(clip(&"word ".repeat(400), DESCRIPTION_MAX).chars().count() <= DESCRIPTION_MAX);
    }
}
