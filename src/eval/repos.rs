//! The real-repository evaluation (`weightlint eval-repos DIR`): for each `DIR/*.yaml`
//! manifest (format: `DIR/README.md`), check the repository beside it under the manifest's
//! product profile and config, classify it, and score the diagnostics against what a
//! reviewer flagged. Used by `.ci/run` as a ratchet when `../shared/realrepos` exists.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::core::diagnostic::{Diagnostic, Severity};
use crate::{ConfigChoice, ScanOptions};

#[derive(Deserialize)]
struct Manifest {
    repo: String,
    #[serde(default)]
    profile: serde_json::Value,
    #[serde(default)]
    config: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    expect: Vec<Expectation>,
    #[serde(default)]
    quiet: Vec<Trap>,
    #[serde(default)]
    classify: Vec<Verdict>,
}

#[derive(Deserialize)]
struct Expectation {
    id: String,
    path: String,
    line: Option<usize>,
    subject: String,
    codes: Vec<String>,
    severity: Severity,
}

#[derive(Deserialize)]
struct Trap {
    path: String,
    subject: String,
}

#[derive(Deserialize)]
struct Verdict {
    path: String,
    verdict: String,
}

/// How far from the reviewer's line a finding may be and still count.
const SLACK: usize = 3;

/// The figures of one repository, or of all of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Score {
    pub matched: usize,
    pub expected: usize,
    pub traps_hit: usize,
    pub traps: usize,
    /// Errors and warnings that match no expectation.
    pub unmatched_errors: usize,
    pub unmatched_warnings: usize,
    pub classify_right: usize,
    pub classify: usize,
    /// Repositories that could not be checked at all.
    pub failed: usize,
}

impl Score {
    fn add(&mut self, o: &Score) {
        self.matched += o.matched;
        self.expected += o.expected;
        self.traps_hit += o.traps_hit;
        self.traps += o.traps;
        self.unmatched_errors += o.unmatched_errors;
        self.unmatched_warnings += o.unmatched_warnings;
        self.classify_right += o.classify_right;
        self.classify += o.classify;
        self.failed += o.failed;
    }

    fn line(&self) -> String {
        format!(
            "matched {}/{}, traps hit {}/{}, unmatched errors {}, warnings {}, classify {}/{}",
            self.matched,
            self.expected,
            self.traps_hit,
            self.traps,
            self.unmatched_errors,
            self.unmatched_warnings,
            self.classify_right,
            self.classify
        )
    }
}

/// A diagnostic as the scorer sees it: the path relative to the repository.
struct Found<'a> {
    rel: &'a str,
    d: &'a Diagnostic,
}

fn matches(e: &Expectation, f: &Found) -> bool {
    f.rel == e.path
        && e.codes.iter().any(|c| c == f.d.rule.code)
        && f.d.severity >= e.severity
        && match (e.line, f.d.location.line) {
            (None, _) => true,
            (Some(want), Some(got)) => want.abs_diff(got) <= SLACK,
            (Some(_), None) => false,
        }
}

fn hits_trap(t: &Trap, f: &Found) -> bool {
    f.rel == t.path
        && f.d.severity >= Severity::Warning
        && f.d
            .message
            .to_ascii_lowercase()
            .contains(&t.subject.to_ascii_lowercase())
}

/// Score every manifest in `dir`; the report lists each repository's misses, trap hits and
/// unmatched errors and warnings, then the totals.
pub fn run(dir: &Path) -> Result<(String, Score), String> {
    let mut manifests: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml") && p.with_extension("").is_dir())
        .collect();
    manifests.sort();
    if manifests.is_empty() {
        return Err(format!(
            "no `owner__repo.yaml` manifest beside a repository in {}",
            dir.display()
        ));
    }
    let scratch = std::env::temp_dir().join(format!("weightlint-eval-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)
        .map_err(|e| format!("cannot make {}: {e}", scratch.display()))?;
    let mut out = String::new();
    let mut total = Score::default();
    for path in &manifests {
        let (text, score) = match one(path, &scratch) {
            Ok(r) => r,
            Err(e) => (
                format!("  cannot evaluate: {e}\n"),
                Score {
                    failed: 1,
                    ..Score::default()
                },
            ),
        };
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy())
            .unwrap_or_default();
        let _ = writeln!(out, "{name}: {}", score.line());
        out.push_str(&text);
        total.add(&score);
    }
    let _ = std::fs::remove_dir_all(&scratch);
    let _ = writeln!(
        out,
        "\ntotal ({} repositories, {} failed): {}",
        manifests.len(),
        total.failed,
        total.line()
    );
    Ok((out, total))
}

fn one(manifest: &Path, scratch: &Path) -> Result<(String, Score), String> {
    let text = std::fs::read_to_string(manifest).map_err(|e| e.to_string())?;
    let m: Manifest = crate::yaml::from_str(&text).map_err(|e| e.to_string())?;
    let repo = manifest.with_extension("");
    let mut config = m.config.clone();
    if !m.profile.is_null() {
        config.insert("product".to_string(), m.profile.clone());
    }
    // JSON is YAML: the manifest's keys become a weightlint.yaml outside the scanned tree.
    let file = scratch.join(format!("{}.yaml", m.repo.replace('/', "__")));
    let body = serde_json::to_string_pretty(&config).map_err(|e| e.to_string())?;
    std::fs::write(&file, body).map_err(|e| e.to_string())?;
    let options = ScanOptions {
        config: ConfigChoice::File(file),
        ..ScanOptions::default()
    };
    let paths = [repo.clone()];
    let report = crate::scan(&paths, &options).map_err(|e| e.to_string())?;
    let prefix = format!("{}/", report.project.roots[0].display);
    let found: Vec<Found> = report
        .diagnostics
        .iter()
        .map(|d| Found {
            rel: d
                .location
                .path
                .strip_prefix(&prefix)
                .unwrap_or(&d.location.path),
            d,
        })
        .collect();

    let mut out = String::new();
    let mut score = Score {
        expected: m.expect.len(),
        traps: m.quiet.len(),
        classify: m.classify.len(),
        ..Score::default()
    };
    let mut used = vec![false; found.len()];
    for e in &m.expect {
        let mut hit = false;
        for (i, f) in found.iter().enumerate() {
            if matches(e, f) {
                used[i] = true;
                hit = true;
            }
        }
        if hit {
            score.matched += 1;
        } else {
            let at = e.line.map(|l| format!(":{l}")).unwrap_or_default();
            // What fired there instead, if anything.
            let near: Vec<String> = found
                .iter()
                .filter(|f| {
                    f.rel == e.path
                        && match (e.line, f.d.location.line) {
                            (Some(want), Some(got)) => want.abs_diff(got) <= SLACK,
                            _ => true,
                        }
                })
                .map(|f| format!("{} {}", f.d.rule.code, f.d.severity))
                .collect();
            let near = if near.is_empty() {
                String::new()
            } else {
                format!(" (there: {})", near.join(", "))
            };
            let _ = writeln!(
                out,
                "  miss {} {}{at} {} [{} >= {}]{near}",
                e.id,
                e.path,
                e.subject,
                e.codes.join("|"),
                e.severity
            );
        }
    }
    for t in &m.quiet {
        if let Some(f) = found.iter().find(|f| hits_trap(t, f)) {
            score.traps_hit += 1;
            let _ = writeln!(out, "  trap {} {}: {}", t.path, t.subject, describe(f));
        }
    }
    for (f, _) in found.iter().zip(&used).filter(|(_, used)| !**used) {
        match f.d.severity {
            Severity::Error => score.unmatched_errors += 1,
            Severity::Warning => score.unmatched_warnings += 1,
            Severity::Note => continue,
        }
        let _ = writeln!(out, "  extra {}", describe(f));
    }

    if !m.classify.is_empty() {
        let classified = crate::classify(&paths, &options).map_err(|e| e.to_string())?;
        let root = &report.project.roots[0].display;
        for v in &m.classify {
            let want = if v.path == "." {
                root.clone()
            } else {
                format!("{prefix}{}", v.path)
            };
            let got = classified
                .iter()
                .find(|c| c.path == want)
                .map(|c| c.openness.verdict.as_str());
            if got == Some(v.verdict.as_str()) {
                score.classify_right += 1;
            } else {
                let _ = writeln!(
                    out,
                    "  classify {}: want {}, got {}",
                    v.path,
                    v.verdict,
                    got.unwrap_or("no verdict")
                );
            }
        }
    }
    Ok((out, score))
}

fn describe(f: &Found) -> String {
    let at =
        f.d.location
            .line
            .map(|l| format!(":{l}"))
            .unwrap_or_default();
    format!(
        "{} {} {}{at} {}",
        f.d.rule.code, f.d.severity, f.rel, f.d.message
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::diagnostic::Location;
    use crate::core::registry;

    fn expectation(line: Option<usize>, severity: Severity) -> Expectation {
        Expectation {
            id: "E1".to_string(),
            path: "a/b.yml".to_string(),
            line,
            subject: "org/model".to_string(),
            codes: vec!["WL203".to_string()],
            severity,
        }
    }

    #[test]
    fn a_finding_counts_within_three_lines_at_the_least_severity() {
        let d = Diagnostic::new(
            &registry::WL203,
            Location::at("r/a/b.yml", 5, 1),
            "org/model",
        );
        let f = Found {
            rel: "a/b.yml",
            d: &d,
        };
        assert!(matches(&expectation(Some(2), Severity::Error), &f));
        assert!(!matches(&expectation(Some(1), Severity::Error), &f));
        assert!(matches(&expectation(None, Severity::Warning), &f));
        let mut note = d.clone();
        note.severity = Severity::Note;
        let f = Found {
            rel: "a/b.yml",
            d: &note,
        };
        assert!(!matches(&expectation(Some(5), Severity::Warning), &f));
    }

    #[test]
    fn a_trap_is_hit_by_a_warning_that_names_its_subject() {
        let trap = Trap {
            path: "a/b.yml".to_string(),
            subject: "Org/Model".to_string(),
        };
        let mut d = Diagnostic::new(
            &registry::WL203,
            Location::file("r/a/b.yml"),
            "uses org/model",
        );
        assert!(hits_trap(
            &trap,
            &Found {
                rel: "a/b.yml",
                d: &d
            }
        ));
        d.severity = Severity::Note;
        assert!(!hits_trap(
            &trap,
            &Found {
                rel: "a/b.yml",
                d: &d
            }
        ));
    }
}
