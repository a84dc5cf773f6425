//! Baselines: record today's findings, then report only new ones. A finding's fingerprint
//! is its rule, its file (below the scanned root) and its message with line numbers taken
//! out, so it survives edits that move lines and runs from another directory.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::core::diagnostic::Diagnostic;
use crate::project::Project;

/// One recorded finding.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub fingerprint: String,
    pub code: String,
    pub path: String,
    pub message: String,
}

/// A baseline file.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// The stable identity of a finding.
pub fn fingerprint(d: &Diagnostic, project: &Project) -> (String, String) {
    let path = project
        .resolve_display(&d.location.path)
        .map_or_else(|| d.location.path.clone(), |(_, rel)| rel);
    let mut h = Sha256::new();
    for part in [d.rule.code, &path, &without_lines(&d.message)] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    let digest = h.finalize();
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    (hex, path)
}

/// A message with `line 12` / `:12` references removed.
fn without_lines(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(|c: char| c.is_ascii_digit()) {
        let (head, tail) = rest.split_at(i);
        let digits = tail.len() - tail.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let is_line = head.ends_with("line ") || head.ends_with("lines ") || head.ends_with(':');
        out.push_str(head);
        if !is_line {
            out.push_str(&tail[..digits]);
        }
        rest = &tail[digits..];
    }
    out.push_str(rest);
    out
}

impl Baseline {
    pub fn of(diagnostics: &[Diagnostic], project: &Project) -> Self {
        let mut findings: Vec<Entry> = diagnostics
            .iter()
            .map(|d| {
                let (fingerprint, path) = fingerprint(d, project);
                Entry {
                    fingerprint,
                    code: d.rule.code.to_string(),
                    path,
                    message: d.message.clone(),
                }
            })
            .collect();
        findings.sort();
        Baseline {
            version: 1,
            findings,
        }
    }

    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read baseline {}: {e}", path.display()))?;
        let b: Baseline = serde_json::from_str(&text).map_err(|e| {
            format!(
                "baseline {} is not a weightlint baseline: {e}",
                path.display()
            )
        })?;
        if b.version != 1 {
            return Err(format!(
                "baseline {} has version {}; this weightlint reads version 1",
                path.display(),
                b.version
            ));
        }
        Ok(b)
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Keep the findings the baseline does not hold (each recorded finding absorbs one);
    /// returns the absorbed ones.
    pub fn filter(&self, diagnostics: &mut Vec<Diagnostic>, project: &Project) -> Vec<Diagnostic> {
        let mut budget: BTreeMap<&str, usize> = BTreeMap::new();
        for f in &self.findings {
            *budget.entry(f.fingerprint.as_str()).or_default() += 1;
        }
        let (kept, known): (Vec<Diagnostic>, Vec<Diagnostic>) =
            std::mem::take(diagnostics).into_iter().partition(|d| {
                let (fp, _) = fingerprint(d, project);
                match budget.get_mut(fp.as_str()) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        false
                    }
                    _ => true,
                }
            });
        *diagnostics = kept;
        known
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_numbers_do_not_change_the_message_key() {
        assert_eq!(
            without_lines("see LICENSE:42 and line 7, 700M users"),
            "see LICENSE: and line , 700M users"
        );
        assert_eq!(without_lines("version 3.1"), "version 3.1");
    }
}
