//! Identifying a license text. Distinctive phrases of the knowledge base decide first, in
//! one Aho-Corasick pass over the normalised text; only a text the phrases leave open goes
//! to the `spdx` crate's similarity detection, whose store is loaded once, on first need.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use super::kb::{kb, Entry};
use crate::core::text::{normalise, Normalised};

mod similarity;

use similarity::contained_standard;
pub use similarity::{by_similarity, store_loaded};

/// How the identity was established.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Knowledge-base phrases (title, version line, clause markers).
    Phrases,
    /// The `spdx` crate's text similarity.
    Similarity,
    /// A short file that only points at a license elsewhere.
    Pointer,
}

/// How well the text matches the license it is identified as.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Fit {
    /// A complete, unedited copy as far as the evidence goes.
    Exact,
    /// Partly the license: clauses missing or edited (WL105).
    Modified { detail: String },
    /// Two or more licenses fit about equally well; the others are listed.
    Ambiguous { others: Vec<String> },
}

/// A text identified as a license.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Identification {
    pub id: String,
    pub name: String,
    #[serde(skip)]
    pub key: Option<String>,
    pub confidence: f32,
    pub method: Method,
    pub fit: Fit,
    /// 1-based line of the title (or of the best evidence), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Other licenses the same file carries in full (`Apache-2.0 AND …` files).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
}

impl Identification {
    pub fn entry(&self) -> Option<&'static Entry> {
        self.key.as_deref().and_then(|k| kb().key(k))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PhraseKind {
    Title,
    Version,
    Marker,
    Header,
}

/// The knowledge base's phrases, normalised (lowercase words, one space apart), indexed by
/// their first two words (or their one word): a phrase is looked for only where a text's
/// words start the same way. Building it takes a fraction of a millisecond, where an
/// Aho-Corasick automaton of the 800 phrases took a third of a one-license run.
struct PhraseIndex {
    patterns: Vec<String>,
    by_lead: HashMap<String, Vec<usize>>,
    /// Pattern number → (entry index, kind, phrase index within its kind).
    owners: Vec<(usize, PhraseKind, usize)>,
}

/// The first two words of a normalised text, or its one word.
fn lead(text: &str) -> &str {
    memchr::memchr_iter(b' ', text.as_bytes())
        .nth(1)
        .map_or(text, |end| &text[..end])
}

impl PhraseIndex {
    /// Every (pattern, start) where a whole phrase stands in a normalised text.
    fn find<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (usize, usize)> + 'a {
        let starts =
            std::iter::once(0).chain(memchr::memchr_iter(b' ', text.as_bytes()).map(|i| i + 1));
        starts.flat_map(move |start| {
            let rest = &text[start..];
            let two = lead(rest);
            let one = two.split(' ').next().unwrap_or(two);
            let single = (one.len() < two.len()).then_some(one);
            [Some(two), single]
                .into_iter()
                .flatten()
                .filter_map(|k| self.by_lead.get(k))
                .flatten()
                .filter(move |&&p| {
                    let pattern = &self.patterns[p];
                    rest.starts_with(pattern.as_str())
                        && rest
                            .as_bytes()
                            .get(pattern.len())
                            .is_none_or(|&b| b == b' ')
                })
                .map(move |&p| (p, start))
        })
    }
}

fn phrase_index() -> &'static PhraseIndex {
    static INDEX: OnceLock<PhraseIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = PhraseIndex {
            patterns: Vec::new(),
            by_lead: HashMap::new(),
            owners: Vec::new(),
        };
        for (i, e) in kb().entries.iter().enumerate() {
            let groups = [
                (PhraseKind::Title, &e.phrases.title),
                (PhraseKind::Version, &e.phrases.version),
                (PhraseKind::Marker, &e.phrases.markers),
                (PhraseKind::Header, &e.phrases.header),
            ];
            for (kind, phrases) in groups {
                for (j, p) in phrases.iter().enumerate() {
                    let n = normalise(p);
                    if !n.is_empty() {
                        let number = index.patterns.len();
                        index
                            .by_lead
                            .entry(lead(&n).to_string())
                            .or_default()
                            .push(number);
                        index.patterns.push(n);
                        index.owners.push((i, kind, j));
                    }
                }
            }
        }
        index
    })
}

#[derive(Debug, Default, Clone)]
struct Evidence {
    first_title: Option<usize>,
    header: bool,
    versions: Vec<bool>,
    markers: Vec<bool>,
}

#[derive(Debug)]
struct Scored {
    entry: usize,
    score: f32,
    confidence: f32,
    evidence: Evidence,
}

/// Texts whose first title occurs this far into the normalised text are references to a
/// license inside another document, not the license itself.
const TITLE_NEAR_TOP: usize = 600;

/// Identify by knowledge-base phrases alone; `None` when no entry's phrases are present
/// (or the only matching entries have no markers and need the similarity check).
pub fn by_phrases(text: &str) -> Option<Identification> {
    let norm = Normalised::new(text);
    by_phrases_normalised(text, &norm).found
}

/// What the phrase pass found: its verdict, whether a standard license's phrases were seen
/// (which only the similarity check can confirm), and the standard licenses applied by
/// their notice (`Licensed under the Apache License, Version 2.0`).
struct PhraseVerdict {
    found: Option<Identification>,
    standard_hints: Vec<String>,
    /// Standard licenses whose title (not just a generic clause phrase) is present.
    standard_titles: bool,
    headers: Vec<String>,
}

fn by_phrases_normalised(text: &str, norm: &Normalised) -> PhraseVerdict {
    let index = phrase_index();
    let kb = kb();
    let mut evidence: std::collections::BTreeMap<usize, Evidence> = Default::default();
    for (pattern, start) in index.find(&norm.text) {
        let (entry, kind, j) = index.owners[pattern];
        let e = &kb.entries[entry];
        let ev = evidence.entry(entry).or_insert_with(|| Evidence {
            first_title: None,
            header: false,
            versions: vec![false; e.phrases.version.len()],
            markers: vec![false; e.phrases.markers.len()],
        });
        match kind {
            PhraseKind::Title => {
                ev.first_title = Some(ev.first_title.map_or(start, |f| f.min(start)));
            }
            PhraseKind::Version => ev.versions[j] = true,
            PhraseKind::Marker => ev.markers[j] = true,
            PhraseKind::Header => ev.header = true,
        }
    }

    let mut scored: Vec<Scored> = Vec::new();
    let mut standard_hints = Vec::new();
    let mut standard_titles = false;
    let mut headers = Vec::new();
    // Families a standard license's title names: a text titled as the standard version of a
    // family (OpenMDW-1.0) is not an untitled sibling version that shares its clauses.
    let standard_families: Vec<&str> = evidence
        .iter()
        .map(|(&i, ev)| (&kb.entries[i], ev))
        .filter(|(e, ev)| e.spdx.is_some() && ev.first_title.is_some())
        .map(|(e, _)| e.family.as_str())
        .collect();
    for (entry, ev) in evidence {
        let e = &kb.entries[entry];
        let markers_total = ev.markers.len();
        let markers_found = ev.markers.iter().filter(|&&b| b).count();
        let fraction = if markers_total == 0 {
            0.0
        } else {
            markers_found as f32 / markers_total as f32
        };
        let has_title = ev.first_title.is_some();
        // Standard licenses: phrases only say one may be there; the spdx crate's detection decides.
        if ev.header {
            headers.push(e.id.clone());
        }
        if e.spdx.is_some() {
            if has_title || markers_found > 0 {
                standard_hints.push(e.id.clone());
            }
            standard_titles |= has_title;
            continue;
        }
        let title_near_top = ev.first_title.is_some_and(|t| t < TITLE_NEAR_TOP);
        // A candidate needs its title, or most of its clauses even without a title.
        if !has_title && (markers_found < 3 || fraction < 0.6) {
            continue;
        }
        if !has_title && standard_families.contains(&e.family.as_str()) {
            continue;
        }
        let versions_ok = !ev.versions.is_empty() && ev.versions.iter().all(|&b| b);
        let versions_missing = !ev.versions.is_empty() && !ev.versions.iter().any(|&b| b);
        let mut score = 2.0 * fraction;
        if has_title {
            score += 1.0;
        }
        if title_near_top {
            score += 1.0;
        }
        if versions_ok {
            score += 2.0;
        }
        if versions_missing {
            score -= 1.5;
        }
        let confidence = if markers_total == 0 {
            if versions_missing {
                0.5
            } else {
                0.9
            }
        } else if versions_missing {
            fraction * 0.8
        } else {
            fraction
        };
        scored.push(Scored {
            entry,
            score,
            confidence,
            evidence: ev,
        });
    }
    scored.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| kb.entries[a.entry].key.cmp(&kb.entries[b.entry].key))
    });
    let Some(best) = scored.first() else {
        return PhraseVerdict {
            found: None,
            standard_hints,
            standard_titles,
            headers,
        };
    };
    let e = &kb.entries[best.entry];
    let others: Vec<String> = scored[1..]
        .iter()
        .filter(|s| best.score - s.score < 0.25)
        .map(|s| kb.entries[s.entry].id.clone())
        .collect();
    // Another license carried in full: its title and most of its clauses are there too.
    let also: Vec<String> = scored[1..]
        .iter()
        .filter(|s| best.score - s.score >= 0.25)
        .filter(|s| s.evidence.first_title.is_some() && s.confidence >= 0.75)
        .filter(|s| kb.entries[s.entry].family != e.family)
        .map(|s| kb.entries[s.entry].id.clone())
        .collect();
    // Versions of one family that the text does not tell apart (a notice that names
    // only "the Gemma Terms of Use"): the newest version, said to be a guess.
    let same_family_tie = !others.is_empty()
        && others
            .iter()
            .all(|o| kb.id(o).is_some_and(|x| x.family == e.family));
    let (best, e) = if same_family_tie {
        let newest = scored
            .iter()
            .filter(|s| best.score - s.score < 0.25)
            .max_by(|a, b| {
                kb.entries[a.entry]
                    .released
                    .cmp(&kb.entries[b.entry].released)
                    .then_with(|| kb.entries[b.entry].key.cmp(&kb.entries[a.entry].key))
            })
            .unwrap_or(best);
        (newest, &kb.entries[newest.entry])
    } else {
        (best, e)
    };
    let fit = if same_family_tie {
        Fit::Modified {
            detail: format!(
                "the text names the {} family but not which version; taken as the newest ({})",
                e.family,
                e.released.as_deref().unwrap_or("undated")
            ),
        }
    } else if !others.is_empty() {
        Fit::Ambiguous { others }
    } else if best.confidence >= 0.99 {
        Fit::Exact
    } else {
        Fit::Modified {
            detail: describe_missing(e, &best.evidence),
        }
    };
    let line = best.evidence.first_title.map(|t| {
        crate::core::source::LineIndex::new(text)
            .position(text, norm.original_offset(t))
            .0
    });
    let found = Identification {
        id: e.id.clone(),
        name: e.name.clone(),
        key: Some(e.key.clone()),
        confidence: round(best.confidence),
        method: Method::Phrases,
        fit,
        line,
        also,
    };
    PhraseVerdict {
        found: Some(found),
        standard_hints,
        standard_titles,
        headers,
    }
}

fn describe_missing(e: &Entry, ev: &Evidence) -> String {
    let missing: Vec<&str> = e
        .phrases
        .markers
        .iter()
        .zip(&ev.markers)
        .filter(|(_, &found)| !found)
        .map(|(p, _)| p.as_str())
        .collect();
    let total = e.phrases.markers.len();
    let mut parts = Vec::new();
    if ev.first_title.is_some() && missing.len() == total && total > 0 {
        parts.push(format!(
            "only the title matches: none of the {total} clauses every copy of the {} carries is present",
            e.name
        ));
    } else if !missing.is_empty() {
        let shown: Vec<String> = missing.iter().take(3).map(|m| format!("\"{m}\"")).collect();
        parts.push(format!(
            "{} of {total} clauses every copy carries are missing or edited (e.g. {})",
            missing.len(),
            shown.join(", ")
        ));
    }
    if !ev.versions.is_empty() && !ev.versions.iter().all(|&b| b) {
        parts.push(format!(
            "its version line ({}) is absent",
            e.phrases.version.join("; ")
        ));
    }
    if parts.is_empty() {
        "the text differs from the known license".to_string()
    } else {
        parts.join("; ")
    }
}

fn round(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

/// A pointer file: a few words and a link, or words sending the reader to another file
/// ("licensed under the terms described in the LICENSE file"), no license text.
fn by_pointer(text: &str, norm: &Normalised) -> Option<Identification> {
    if norm.word_count() <= 60 && points_to_a_file(&norm.text) {
        return Some(Identification {
            id: "NOASSERTION".to_string(),
            name: FILE_POINTER.to_string(),
            key: None,
            confidence: 0.0,
            method: Method::Pointer,
            fit: Fit::Modified {
                detail:
                    "the file only points at another file's license; it carries no license text"
                        .to_string(),
            },
            line: Some(1),
            also: Vec::new(),
        });
    }
    if norm.word_count() > 40 || !(text.contains("http://") || text.contains("https://")) {
        return None;
    }
    let kb = kb();
    let url = text
        .split_whitespace()
        .find(|w| w.starts_with("http://") || w.starts_with("https://"))?
        .trim_end_matches(['.', ',', ')', '>']);
    let entry = kb.entries.iter().find(|e| {
        e.url
            .as_deref()
            .is_some_and(|u| u.trim_end_matches('/') == url.trim_end_matches('/'))
    });
    Some(match entry {
        Some(e) => points_to(e),
        None => Identification {
            id: "NOASSERTION".to_string(),
            name: format!("pointer to {url}"),
            key: None,
            confidence: 0.0,
            method: Method::Pointer,
            fit: Fit::Modified {
                detail: format!("the file only points at {url}; it carries no license text"),
            },
            line: Some(1),
            also: Vec::new(),
        },
    })
}

/// The name of a pointer to another file of the tree (a source-header template): that file
/// is read in its own right, so the pointer itself is no finding.
pub const FILE_POINTER: &str = "pointer to another file";

/// Normalised words that send the reader to another file for the license.
fn points_to_a_file(norm: &str) -> bool {
    [
        "in the license file",
        "the license file in",
        "see the license file",
        "see license",
    ]
    .iter()
    .any(|p| norm.contains(p))
}

/// A short file that is only a license's standard notice ("Licensed under the Apache
/// License, Version 2.0 … you may obtain a copy at …"): it applies that license by
/// reference, as a pointer does.
fn header_notice(headers: &[String], norm: &Normalised) -> Option<Identification> {
    let [id] = headers else { return None };
    if norm.word_count() > 120 {
        return None;
    }
    kb().id(id).map(points_to)
}

/// A file that applies a known license by reference: a pointer or a standard notice.
fn points_to(e: &Entry) -> Identification {
    Identification {
        id: e.id.clone(),
        name: e.name.clone(),
        key: Some(e.key.clone()),
        confidence: 1.0,
        method: Method::Pointer,
        fit: Fit::Exact,
        line: Some(1),
        also: Vec::new(),
    }
}

/// Identify a license text: phrases first, then (only if they leave it open) similarity.
pub fn identify(text: &str) -> Option<Identification> {
    let norm = Normalised::new(text);
    let verdict = by_phrases_normalised(text, &norm);
    let mut found = match verdict.found {
        Some(mut found) => {
            // A custom license with a standard one beside it (`Apache-2.0 AND …` files).
            // Generic clause phrases ("Limitation of Liability") are not enough to look.
            if verdict.standard_titles {
                found
                    .also
                    .extend(contained_standard(text, &verdict.standard_hints));
            }
            found
        }
        None => match header_notice(&verdict.headers, &norm).or_else(|| by_pointer(text, &norm)) {
            Some(p) => return Some(p),
            None if norm.word_count() < 20 => return None,
            None => by_similarity(text, &verdict.standard_hints)?,
        },
    };
    for h in verdict.headers {
        if h != found.id {
            found.also.push(h);
        }
    }
    found.also.sort();
    found.also.dedup();
    found.also.retain(|a| *a != found.id);
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_that_sends_to_the_license_file_is_a_pointer() {
        let text = "Copyright (c) Example, Inc.\nAll rights reserved.\n\nThis source code is licensed under the terms described in the LICENSE file in\nthe root directory of this source tree.\n";
        let found = identify(text).map(|f| (f.id, f.method));
        assert_eq!(found, Some(("NOASSERTION".to_string(), Method::Pointer)));
    }

    #[test]
    fn a_standard_notice_alone_applies_its_license() {
        let text = "Copyright 2026 Example\n\nLicensed under the Apache License, Version 2.0 (the \"License\");\nyou may not use this file except in compliance with the License.\nYou may obtain a copy at http://www.apache.org/licenses/LICENSE-2.0\n";
        let found = identify(text).map(|f| (f.id, f.method));
        assert_eq!(found, Some(("Apache-2.0".to_string(), Method::Pointer)));
    }

    #[test]
    fn mit_by_similarity() {
        let text = "MIT License\n\nCopyright (c) 2024 Acme\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software and associated documentation files (the \"Software\"), to deal\nin the Software without restriction, including without limitation the rights\nto use, copy, modify, merge, publish, distribute, sublicense, and/or sell\ncopies of the Software, and to permit persons to whom the Software is\nfurnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all\ncopies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\nIMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,\nFITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE\nAUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER\nLIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,\nOUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE\nSOFTWARE.\n";
        let id = identify(text).expect("identified");
        assert_eq!(id.id, "MIT");
        assert_eq!(id.fit, Fit::Exact);
    }

    #[test]
    fn a_second_apache_copy_in_a_compound_license_is_not_pixar() {
        // PhotoMaker's LICENSE (Tencent's layout: a preamble, the project's Apache-2.0 text,
        // third-party components, one of them under Apache-2.0 again). Read from ../shared
        // when it is beside the checkout (CI); license texts are not copied into the tree.
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/realrepos/TencentARC__PhotoMaker/LICENSE");
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("skipped: {} is not here", path.display());
            return;
        };
        let id = identify(&text).expect("identified");
        assert_eq!(id.id, "Apache-2.0");
        assert!(!id.also.iter().any(|a| a == "Pixar"), "{:?}", id.also);
    }

    #[test]
    fn unknown_pointer_is_not_a_license() {
        let id = identify("https://example.com/some/license\n").expect("pointer");
        assert_eq!(id.method, Method::Pointer);
        assert_eq!(id.id, "NOASSERTION");
    }

    #[test]
    fn a_standard_title_beats_an_untitled_sibling_version() {
        // OpenMDW-1.1 shares every clause marker with OpenMDW-1.0; only the title differs.
        let text = "OpenMDW License Agreement, version 1.0 (OpenMDW-1.0)\n\nBy exercising rights granted to you under this agreement, you accept and agree to its terms. \"Model Materials\" means one or more machine learning models (including architecture and parameters). Permission is hereby granted, free of charge, to deal in the Model Materials without restriction, including under all copyright, patent, database, and trade secret rights included or embodied therein. If you distribute any portion of the Model Materials, you shall retain in your distribution (1) a copy of this agreement. This agreement does not impose any restrictions or obligations with respect to any use, modification, or sharing of any outputs. YOU ARE SOLELY RESPONSIBLE FOR (1) CLEARING RIGHTS OF OTHER PERSONS THAT MAY APPLY TO THE MODEL MATERIALS.\n";
        assert_eq!(by_phrases(text).map(|f| f.id), None);
    }

    #[test]
    fn short_prose_is_unidentified() {
        assert_eq!(identify("All rights reserved.\n"), None);
    }
}
