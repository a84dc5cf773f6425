//! The knowledge base: one YAML file per license version under `licenses/`, embedded at
//! build time and parsed once, on first use. Facts only; never a license's text.

use std::collections::HashMap;
use std::sync::OnceLock;

use include_dir::{include_dir, Dir};
use serde::{Deserialize, Serialize};

use crate::yaml;

static LICENSES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/licenses");

/// What an entry describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntryKind {
    License,
    UsePolicy,
    Notice,
}

/// Whether the license's own terms allow use in a commercial product.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Commercial {
    Yes,
    No,
    /// Allowed under conditions: thresholds, registration, …
    Conditional,
}

/// What the models a license covers take as input, where its terms depend on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Modality {
    /// Every model released under it is text-only.
    Text,
    /// Every model released under it is multimodal.
    Multimodal,
    /// Both: the model itself decides.
    Mixed,
}

/// Short verbatim phrases that identify a text after normalisation.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Phrases {
    #[serde(default)]
    pub title: Vec<String>,
    #[serde(default)]
    pub version: Vec<String>,
    #[serde(default)]
    pub markers: Vec<String>,
    /// The standard notice that applies the license to a work ("Licensed under the Apache
    /// License, Version 2.0"): a file carrying it carries that license too.
    #[serde(default)]
    pub header: Vec<String>,
}

/// The kinds of term weightlint knows (DESIGN.md), plus a few the corpus needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TermKind {
    MauThreshold,
    DauThreshold,
    RevenueThreshold,
    Attribution,
    DerivativeNaming,
    Notice,
    AcceptableUsePolicy,
    UseRestrictions,
    NonCommercial,
    ResearchOnly,
    NonProduction,
    Registration,
    OutputRestriction,
    GeographicRestriction,
    FlowDown,
    NoDerivatives,
    ShareAlike,
    LitigationTermination,
    HostingRestriction,
}

impl TermKind {
    /// Kinds no rule judges: shown by `weightlint licenses ID`, marked informational.
    pub fn is_informational(self) -> bool {
        matches!(
            self,
            TermKind::LitigationTermination | TermKind::HostingRestriction
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TermKind::MauThreshold => "mau_threshold",
            TermKind::DauThreshold => "dau_threshold",
            TermKind::RevenueThreshold => "revenue_threshold",
            TermKind::Attribution => "attribution",
            TermKind::DerivativeNaming => "derivative_naming",
            TermKind::Notice => "notice",
            TermKind::AcceptableUsePolicy => "acceptable_use_policy",
            TermKind::UseRestrictions => "use_restrictions",
            TermKind::NonCommercial => "non_commercial",
            TermKind::ResearchOnly => "research_only",
            TermKind::NonProduction => "non_production",
            TermKind::Registration => "registration",
            TermKind::OutputRestriction => "output_restriction",
            TermKind::GeographicRestriction => "geographic_restriction",
            TermKind::FlowDown => "flow_down",
            TermKind::NoDerivatives => "no_derivatives",
            TermKind::ShareAlike => "share_alike",
            TermKind::LitigationTermination => "litigation_termination",
            TermKind::HostingRestriction => "hosting_restriction",
        }
    }
}

/// A typed term of a license, citing its clause.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub kind: TermKind,
    /// Where the term is, as a user can find it: a section, a definition, a title.
    pub clause: String,
    /// How we know it, when not from the text: for maintainers, never printed.
    #[serde(default, skip_serializing)]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measured_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
}

/// The `scope` tokens rules read on a term (see `licenses/README.md`).
pub const SCOPE_TOKENS: &[&str] = &[
    "ongoing",
    "release-date",
    "licensee-and-affiliates",
    "multimodal-models",
    "licensee-domicile",
    "licensee-location",
    "train-other-llms",
    "train-other-models",
    "train-foundation-models",
    "train-competing-models",
    "outputs-make-derivatives",
    "outputs-commercial-use-allowed",
    "display-string",
    "notice-text",
];

impl Term {
    /// The scope's tokens: comma-separated, before any `;` free text.
    pub fn scope_tokens(&self) -> impl Iterator<Item = &str> {
        self.scope
            .as_deref()
            .map(|s| s.split(';').next().unwrap_or(""))
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
    }

    pub fn has_scope(&self, token: &str) -> bool {
        self.scope_tokens().any(|t| t == token)
    }
}

/// One knowledge-base entry (see `licenses/README.md` for the schema).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub key: String,
    pub id: String,
    pub name: String,
    pub kind: EntryKind,
    pub family: String,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub released: Option<String>,
    #[serde(default)]
    pub hf_ids: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub spdx: Option<String>,
    #[serde(default)]
    pub scancode: Option<String>,
    pub osi_approved: bool,
    pub commercial: Commercial,
    #[serde(default)]
    pub ambiguous: bool,
    #[serde(default)]
    pub deprecated_for: Option<String>,
    #[serde(default)]
    pub modality: Option<Modality>,
    #[serde(default)]
    pub use_policy: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub phrases: Phrases,
    #[serde(default)]
    pub terms: Vec<Term>,
    #[serde(default)]
    pub notes: Option<String>,
}

impl Entry {
    /// Whether the license's terms carry over to derivatives (fine-tunes, adapters,
    /// quantizations, merges): anything but a plain permissive license does.
    pub fn binds_derivatives(&self) -> bool {
        self.commercial != Commercial::Yes
            || self.terms.iter().any(|t| {
                matches!(
                    t.kind,
                    TermKind::FlowDown
                        | TermKind::ShareAlike
                        | TermKind::NoDerivatives
                        | TermKind::NonCommercial
                        | TermKind::ResearchOnly
                        | TermKind::NonProduction
                        | TermKind::UseRestrictions
                        | TermKind::AcceptableUsePolicy
                )
            })
    }

    pub fn has(&self, kind: TermKind) -> bool {
        self.terms.iter().any(|t| t.kind == kind)
    }

    /// The name after "the" in a sentence: "the Llama 2 Community License Agreement", and
    /// "the ChatGLM3-6B License" for a name that starts with "The".
    pub fn the_name(&self) -> String {
        match self.name.strip_prefix("The ") {
            Some(rest) => format!("the {rest}"),
            None => format!("the {}", self.name),
        }
    }

    /// Whether the license forbids commercial use: non-commercial or research-only.
    pub fn non_commercial(&self) -> bool {
        self.commercial == Commercial::No
            || self.has(TermKind::NonCommercial)
            || self.has(TermKind::ResearchOnly)
    }

    /// Whether the license restricts use (OSAID's test for open): a use policy,
    /// field-of-use, user or revenue limits, non-commercial or research-only terms.
    pub fn restricts_use(&self) -> bool {
        self.commercial != Commercial::Yes
            || self.use_policy.is_some()
            || self.terms.iter().any(|t| {
                matches!(
                    t.kind,
                    TermKind::UseRestrictions
                        | TermKind::AcceptableUsePolicy
                        | TermKind::NonCommercial
                        | TermKind::ResearchOnly
                        | TermKind::NonProduction
                        | TermKind::MauThreshold
                        | TermKind::DauThreshold
                        | TermKind::RevenueThreshold
                )
            })
    }
}

/// The parsed knowledge base with its lookup indexes.
#[derive(Debug)]
pub struct Kb {
    pub entries: Vec<Entry>,
    by_hf_id: HashMap<String, usize>,
    by_alias: HashMap<String, usize>,
    by_id: HashMap<String, usize>,
    by_key: HashMap<String, usize>,
    by_spdx: HashMap<String, usize>,
}

/// A knowledge-base file that failed to load (only ever seen by our own tests).
#[derive(Debug)]
pub struct KbError {
    pub file: String,
    pub message: String,
}

impl Kb {
    /// Parse entries from `(file name, YAML)` pairs; problems are collected, not fatal.
    pub fn from_sources<'a>(
        sources: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> (Kb, Vec<KbError>) {
        let mut entries: Vec<Entry> = Vec::new();
        let mut errors = Vec::new();
        for (file, text) in sources {
            match yaml::from_str::<Entry>(text) {
                Ok(entry) => entries.push(entry),
                Err(e) => errors.push(KbError {
                    file: file.to_string(),
                    message: match e.line {
                        Some(l) => format!("line {l}: {}", e.message),
                        None => e.message,
                    },
                }),
            }
        }
        (Kb::from_entries(entries), errors)
    }

    /// The knowledge base of parsed entries, indexed.
    fn from_entries(mut entries: Vec<Entry>) -> Kb {
        entries.sort_by(|a, b| a.key.cmp(&b.key));
        let mut kb = Kb {
            entries,
            by_hf_id: HashMap::new(),
            by_alias: HashMap::new(),
            by_id: HashMap::new(),
            by_key: HashMap::new(),
            by_spdx: HashMap::new(),
        };
        for (i, e) in kb.entries.iter().enumerate() {
            kb.by_key.insert(e.key.to_ascii_lowercase(), i);
            kb.by_id.insert(e.id.to_ascii_lowercase(), i);
            if let Some(spdx) = &e.spdx {
                kb.by_spdx.insert(spdx.to_ascii_lowercase(), i);
            }
            for h in &e.hf_ids {
                kb.by_hf_id.insert(h.to_ascii_lowercase(), i);
            }
        }
        for (i, e) in kb.entries.iter().enumerate() {
            for a in &e.aliases {
                kb.by_alias.entry(normalise_name(a)).or_insert(i);
            }
        }
        kb
    }

    pub fn hf_id(&self, id: &str) -> Option<&Entry> {
        self.by_hf_id
            .get(&id.trim().to_ascii_lowercase())
            .map(|&i| &self.entries[i])
    }

    /// A canonical id (`Apache-2.0`, `LicenseRef-…`) or an SPDX id, case-insensitive.
    pub fn id(&self, id: &str) -> Option<&Entry> {
        let lower = id.trim().to_ascii_lowercase();
        self.by_id
            .get(&lower)
            .or_else(|| self.by_spdx.get(&lower))
            .map(|&i| &self.entries[i])
    }

    pub fn key(&self, key: &str) -> Option<&Entry> {
        self.by_key
            .get(&key.trim().to_ascii_lowercase())
            .map(|&i| &self.entries[i])
    }

    /// A free-form name as written in `license_name:` or elsewhere: key, Hub id, alias, or id.
    pub fn name(&self, name: &str) -> Option<&Entry> {
        self.key(name)
            .or_else(|| self.hf_id(name))
            .or_else(|| self.id(name))
            .or_else(|| {
                self.by_alias
                    .get(&normalise_name(name))
                    .map(|&i| &self.entries[i])
            })
    }

    pub fn get(&self, index: usize) -> &Entry {
        &self.entries[index]
    }

    pub fn index_of(&self, entry: &Entry) -> Option<usize> {
        self.by_key.get(&entry.key.to_ascii_lowercase()).copied()
    }
}

/// Lower case, every run of non-alphanumerics one space: `Llama-3.1 Community` and
/// `llama 3.1   community` are the same name.
pub fn normalise_name(name: &str) -> String {
    crate::core::text::normalise(name)
}

/// The embedded knowledge base as build.rs converted it to JSON.
const KB_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/kb.json"));

/// The embedded knowledge base, parsed on first use: from the JSON build.rs made, or from
/// the YAML when that does not hold every file (a file the build could not convert).
pub fn kb() -> &'static Kb {
    static KB: OnceLock<Kb> = OnceLock::new();
    KB.get_or_init(|| match serde_json::from_str::<Vec<Entry>>(KB_JSON) {
        Ok(entries) if entries.len() == embedded_sources().count() => Kb::from_entries(entries),
        _ => Kb::from_sources(embedded_sources()).0,
    })
}

/// The embedded YAML files, `(file name, text)`, sorted by name.
pub fn embedded_sources() -> impl Iterator<Item = (&'static str, &'static str)> {
    let mut files: Vec<_> = LICENSES
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "yaml"))
        .filter_map(|f| Some((f.path().to_str()?, f.contents_utf8()?)))
        .collect();
    files.sort();
    files.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_json_the_build_made_is_the_yaml() {
        let entries: Vec<Entry> = serde_json::from_str(KB_JSON).expect("build.rs wrote JSON");
        let (from_yaml, errors) = Kb::from_sources(embedded_sources());
        assert!(errors.is_empty());
        let from_json = Kb::from_entries(entries);
        let keys =
            |kb: &Kb| -> Vec<String> { kb.entries.iter().map(|e| format!("{e:?}")).collect() };
        assert_eq!(keys(&from_json), keys(&from_yaml));
    }

    #[test]
    fn every_file_parses() {
        let (kb, errors) = Kb::from_sources(embedded_sources());
        let report: Vec<String> = errors
            .iter()
            .map(|e| format!("{}: {}", e.file, e.message))
            .collect();
        assert!(errors.is_empty(), "{}", report.join("\n"));
        assert!(!kb.entries.is_empty());
    }

    #[test]
    fn keys_ids_and_hf_ids_are_unique() {
        let (kb, _) = Kb::from_sources(embedded_sources());
        let mut keys = HashSet::new();
        let mut ids = HashSet::new();
        let mut hf = HashSet::new();
        for e in &kb.entries {
            assert!(keys.insert(e.key.clone()), "duplicate key {}", e.key);
            assert!(
                ids.insert(e.id.to_ascii_lowercase()),
                "duplicate id {}",
                e.id
            );
            for h in &e.hf_ids {
                assert!(hf.insert(h.clone()), "duplicate hf id {h} ({})", e.key);
                assert_eq!(h, &h.to_ascii_lowercase(), "hf id {h} must be lower case");
            }
        }
    }

    /// What reaches a user (names, clauses, quoted texts, prefixes) speaks of the license,
    /// never of how we came to know it: that belongs in `source` and `notes`.
    #[test]
    fn no_internal_notes_in_fields_that_reach_output() {
        let markers = ["unverified", "corpus", "facts §", "[m]", "scancode"];
        let (kb, _) = Kb::from_sources(embedded_sources());
        for e in &kb.entries {
            let mut fields = vec![("name", e.name.as_str())];
            for t in &e.terms {
                fields.push(("clause", t.clause.as_str()));
                fields.extend(t.text.as_deref().map(|x| ("text", x)));
                fields.extend(t.prefix.as_deref().map(|x| ("prefix", x)));
            }
            for (field, value) in fields {
                let lower = value.to_ascii_lowercase();
                for m in markers {
                    assert!(
                        !lower.contains(m),
                        "{}: {field} {value:?} contains {m:?}",
                        e.key
                    );
                }
            }
        }
    }

    #[test]
    fn names_take_one_article() {
        let k = kb();
        let the = |key: &str| k.key(key).map(Entry::the_name).unwrap_or_default();
        assert_eq!(the("chatglm3-6b"), "the ChatGLM3-6B License");
        assert_eq!(the("llama-2"), "the Llama 2 Community License Agreement");
    }

    #[test]
    fn file_names_match_keys() {
        for (file, text) in embedded_sources() {
            let entry: Entry = yaml::from_str(text).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(
                file,
                format!("{}.yaml", entry.key),
                "file name must be <key>.yaml"
            );
        }
    }

    #[test]
    fn ids_are_spdx_or_license_refs() {
        let (kb, _) = Kb::from_sources(embedded_sources());
        for e in &kb.entries {
            if let Some(spdx_id) = &e.spdx {
                assert_eq!(&e.id, spdx_id, "{}: id must equal the SPDX id", e.key);
                assert!(
                    spdx::license_id(spdx_id).is_some(),
                    "{}: {spdx_id} is not on the SPDX list",
                    e.key
                );
            } else {
                assert!(
                    e.id.starts_with("LicenseRef-"),
                    "{}: {} is neither SPDX nor LicenseRef",
                    e.key,
                    e.id
                );
                let rest = &e.id["LicenseRef-".len()..];
                assert!(
                    rest.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.'),
                    "{}: {} has characters SPDX does not allow in a LicenseRef",
                    e.key,
                    e.id
                );
            }
            if let Some(sc) = &e.scancode {
                if e.spdx.is_none() {
                    assert_eq!(
                        e.id,
                        format!("LicenseRef-scancode-{sc}"),
                        "{}: ScanCode key but id differs",
                        e.key
                    );
                }
            }
        }
    }

    #[test]
    fn scope_tokens_are_known() {
        let (kb, _) = Kb::from_sources(embedded_sources());
        for e in &kb.entries {
            for t in &e.terms {
                for token in t.scope_tokens() {
                    assert!(
                        SCOPE_TOKENS.contains(&token),
                        "{}: scope token `{token}`",
                        e.key
                    );
                }
            }
        }
    }

    #[test]
    fn every_term_cites_its_clause() {
        let (kb, _) = Kb::from_sources(embedded_sources());
        for e in &kb.entries {
            for t in &e.terms {
                assert!(
                    !t.clause.trim().is_empty(),
                    "{}: {:?} has no clause",
                    e.key,
                    t.kind
                );
            }
        }
    }

    #[test]
    fn use_policy_references_resolve() {
        let (kb, _) = Kb::from_sources(embedded_sources());
        for e in &kb.entries {
            if let Some(p) = &e.use_policy {
                let target = kb
                    .key(p)
                    .unwrap_or_else(|| panic!("{}: use_policy {p} unknown", e.key));
                assert_eq!(
                    target.kind,
                    EntryKind::UsePolicy,
                    "{}: {p} is not a use policy",
                    e.key
                );
            }
        }
    }

    #[test]
    fn phrases_are_short() {
        let (kb, _) = Kb::from_sources(embedded_sources());
        for e in &kb.entries {
            let p = &e.phrases;
            for phrase in p
                .title
                .iter()
                .chain(&p.version)
                .chain(&p.markers)
                .chain(&p.header)
            {
                let words = normalise_name(phrase).split(' ').count();
                assert!(
                    words <= 20,
                    "{}: phrase too long ({words} words): {phrase}",
                    e.key
                );
                assert!(
                    !normalise_name(phrase).is_empty(),
                    "{}: empty phrase",
                    e.key
                );
            }
        }
    }

    #[test]
    fn normalises_names() {
        assert_eq!(
            normalise_name("Llama-3.1  Community"),
            "llama 3 1 community"
        );
        assert_eq!(normalise_name("  **MIT** "), "mit");
    }
}
