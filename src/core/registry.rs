//! The rule registry: every rule's permanent code, kebab-case name, default severity and
//! one-line summary. This table is the stable contract (codes are never reused, names never
//! change); the checks and the documentation `explain` prints live in `rules/`, one file
//! per rule.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How serious a finding is. Ordered so that `Error` is the greatest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule's identity and documentation. Codes are never reused.
#[derive(Debug)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub default_severity: Severity,
    /// One line: what the rule reports.
    pub summary: &'static str,
}

macro_rules! rules {
    ($($ident:ident = $code:literal, $name:literal, $sev:ident, $summary:literal;)*) => {
        $(
            pub static $ident: Rule = Rule {
                code: $code,
                name: $name,
                default_severity: Severity::$sev,
                summary: $summary,
            };
        )*
        /// Every rule, in code order.
        pub static ALL: &[&Rule] = &[$(&$ident),*];
    };
}

rules! {
    WL100 = "WL100", "missing-license", Error,
        "a model has no declared license and no license file in scope";
    WL101 = "WL101", "invalid-license-expression", Error,
        "`license:` is not a valid SPDX expression, Hugging Face id or known id";
    WL102 = "WL102", "unnamed-other-license", Warning,
        "`license: other` without `license_name` or `license_link`";
    WL103 = "WL103", "license-mismatch", Error,
        "the declared license differs from the license text beside it";
    WL104 = "WL104", "unidentified-license-text", Warning,
        "a license file matches no known license";
    WL105 = "WL105", "modified-license-text", Warning,
        "a license text matches a known license only partly";
    WL106 = "WL106", "ambiguous-license-id", Warning,
        "a deprecated or ambiguous license id";
    WL200 = "WL200", "mau-threshold", Error,
        "the product's monthly (or daily) active users cross a license's threshold";
    WL201 = "WL201", "revenue-threshold", Error,
        "the product's annual revenue crosses a license's threshold";
    WL202 = "WL202", "non-commercial", Error,
        "a non-commercial, research-only or non-production license in a commercial product";
    WL203 = "WL203", "geographic-restriction", Error,
        "a license or its use policy excludes where the licensee is";
    WL204 = "WL204", "output-restriction", Error,
        "the product trains models on outputs a license restricts";
    WL205 = "WL205", "denied-license", Error,
        "a license the policy denies, or one not in its allow list";
    WL206 = "WL206", "not-open-enough", Error,
        "the policy requires OSI or Open Source AI and the model falls short";
    WL207 = "WL207", "invalid-suppression", Warning,
        "an expired exception, or an inline allow without a reason or with an unknown rule";
    WL208 = "WL208", "unused-suppression", Warning,
        "an exception, inline allow or allow-list entry that matched nothing";
    WL300 = "WL300", "missing-attribution", Warning,
        "a required display string (\"Built with Llama\") appears in no card, README or NOTICE";
    WL301 = "WL301", "derivative-naming", Warning,
        "a derivative's name lacks the prefix its base license requires";
    WL302 = "WL302", "license-not-redistributed", Warning,
        "weights or a derivative ship without a copy of the license that must travel with them";
    WL303 = "WL303", "use-restrictions-not-passed-on", Warning,
        "a derivative ships its base license edited, so the use restrictions may not pass on";
    WL304 = "WL304", "missing-notice", Warning,
        "a notice the license requires ships nowhere";
    WL400 = "WL400", "base-model-license-conflict", Error,
        "a derivative declares a license its base model's license does not allow";
    WL401 = "WL401", "dataset-license-conflict", Warning,
        "a training dataset's license (NC, ND, SA) conflicts with the model's";
    WL402 = "WL402", "unresolved-base-model", Note,
        "a base model is not in the repository, the local cache or the catalogue";
    WL403 = "WL403", "restricted-model-in-code", Note,
        "code loads a hub model whose license has product-dependent terms";
    WL404 = "WL404", "unknown-license", Note,
        "the repository uses a model or dataset whose license nothing here knows";
    WL500 = "WL500", "open-washing", Note,
        "a card calls a model open source while it is open-weight or restricted";
    WL501 = "WL501", "training-data-undocumented", Note,
        "no training-data information for a model the tree ships";
    WL502 = "WL502", "training-code-missing", Note,
        "no training code or recipe is released or referenced";
    WL900 = "WL900", "unreadable-file", Warning,
        "a candidate file could not be read";
    WL901 = "WL901", "malformed-front-matter", Error,
        "a card's YAML front matter does not parse";
    WL902 = "WL902", "file-skipped", Warning,
        "a file over the size cap was skipped";
}

/// Look a rule up by code (`WL100`, case-insensitive) or by name (`missing-license`).
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut codes: Vec<_> = ALL.iter().map(|r| r.code).collect();
        let mut names: Vec<_> = ALL.iter().map(|r| r.name).collect();
        codes.sort_unstable();
        names.sort_unstable();
        codes.dedup();
        names.dedup();
        assert_eq!(codes.len(), ALL.len());
        assert_eq!(names.len(), ALL.len());
        for r in ALL {
            assert!(r.code.starts_with("WL") && r.code.len() == 5, "{}", r.code);
            assert!(
                r.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                r.name
            );
        }
    }
}
