//! Identifying a license text. Distinctive phrases of the knowledge base decide first, in
//! one Aho-Corasick pass over the normalised text; only a text the phrases leave open goes
//! to the `spdx` crate's similarity detection, whose store is loaded once, on first need.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use serde::Serialize;

use super::kb::{kb, Entry};
use crate::core::text::{normalise, Normalised};

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

struct PhraseIndex {
    automaton: AhoCorasick,
    /// Pattern number → (entry index, kind, phrase index within its kind).
    owners: Vec<(usize, PhraseKind, usize)>,
}

fn phrase_index() -> &'static PhraseIndex {
    static INDEX: OnceLock<PhraseIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut patterns = Vec::new();
        let mut owners = Vec::new();
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
                        patterns.push(n);
                        owners.push((i, kind, j));
                    }
                }
            }
        }
        // Building can only fail on absurd pattern sets; an empty automaton then finds nothing.
        let automaton = AhoCorasick::new(&patterns)
            .or_else(|_| AhoCorasick::new(Vec::<String>::new()))
            .unwrap_or_else(|_| unreachable!("an empty pattern set always builds"));
        PhraseIndex { automaton, owners }
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
    let bytes = norm.text.as_bytes();
    let mut evidence: std::collections::BTreeMap<usize, Evidence> = Default::default();
    for m in index.automaton.find_overlapping_iter(&norm.text) {
        let (start, end) = (m.start(), m.end());
        let left_ok = start == 0 || bytes[start - 1] == b' ';
        let right_ok = end == bytes.len() || bytes[end] == b' ';
        if !left_ok || !right_ok {
            continue;
        }
        let (entry, kind, j) = index.owners[m.pattern().as_usize()];
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

/// Similarity at or above this is the standard license.
const SIMILARITY_EXACT: f32 = 0.97;
/// Similarity at or above this (and below exact) is a modified standard license.
const SIMILARITY_PARTIAL: f32 = 0.80;

/// The `spdx` crate's standard-license texts, loaded on first need.
static STORE: OnceLock<Option<spdx::detection::Store>> = OnceLock::new();

fn store() -> Option<&'static spdx::detection::Store> {
    STORE
        .get_or_init(|| spdx::detection::Store::load_inline().ok())
        .as_ref()
}

/// Whether the similarity store was needed in this process (`identify --stats` shows it).
pub fn store_loaded() -> bool {
    STORE.get().is_some()
}

/// The knowledge base's id for a name the store uses (the same, for SPDX ids it has).
fn canonical(name: &str) -> String {
    kb().id(name)
        .map(|e| e.id.clone())
        .unwrap_or_else(|| name.to_string())
}

/// A license the spdx scanner found inside a larger text: name, score, line range.
type Contained = (String, f32, (usize, usize));

/// Scan for licenses inside a text: the regions found, and the license of the text as a
/// whole when it reaches the threshold.
fn scan_contained(
    store: &spdx::detection::Store,
    data: &spdx::detection::TextData,
    threshold: f32,
) -> (Vec<Contained>, Option<String>) {
    let scanner = spdx::detection::scan::Scanner::new(store)
        .confidence_threshold(threshold)
        .optimize(true);
    let result = scanner.scan(data);
    let regions = result
        .containing
        .iter()
        .map(|c| (c.license.name.to_string(), c.score, c.line_range))
        .collect();
    let whole = result
        .license
        .filter(|_| result.score >= threshold)
        .map(|l| l.name.to_string());
    (regions, whole)
}

/// The ids of the licenses carried in full among `contained`, each region's near tie
/// settled in favour of a phrase hint of the same family.
fn contained_ids(
    store: &spdx::detection::Store,
    data: &spdx::detection::TextData,
    contained: &[Contained],
    hints: &[String],
) -> Vec<String> {
    contained
        .iter()
        .filter(|(_, s, _)| *s >= SIMILARITY_CONTAINED)
        .map(|(n, s, (a, b))| {
            let view = data.with_view(*a, *b);
            canonical(&prefer_hint(store, &view, n.clone(), *s, &same_stem(n, hints)).0)
        })
        .collect()
}

/// Identify by similarity to the standard license texts.
pub fn by_similarity(text: &str, hints: &[String]) -> Option<Identification> {
    let store = store()?;
    let data = spdx::detection::TextData::new(text);
    let m = store.analyze(&data);
    let mut score = m.score;
    let mut name = m.name.to_string();
    let mut contained: Vec<Contained> = Vec::new();
    // Much longer than the license it matched: other licenses may be appended.
    let longer = data.lines().len() * 10 > m.data.lines().len() * 13;
    if score < SIMILARITY_EXACT || longer {
        // A license with extra notices around it, or several licenses in one file.
        contained = scan_contained(store, &data, SIMILARITY_PARTIAL).0;
        // The primary license is the one the file starts with.
        contained.sort_by(|a, b| {
            a.2.cmp(&b.2)
                .then_with(|| b.1.total_cmp(&a.1))
                .then_with(|| a.0.cmp(&b.0))
        });
        if let Some((best_name, best_score, _)) =
            contained.iter().find(|c| c.1 >= SIMILARITY_CONTAINED)
        {
            if *best_score > score {
                score = *best_score;
                name = best_name.clone();
            }
        }
    }
    if score < SIMILARITY_PARTIAL {
        return None;
    }
    // Near-identical texts (Apache-2.0 and Pixar, BSD-3-Clause and its no-nuclear variant):
    // the license the phrases point at wins a near tie.
    let (name, score) = prefer_hint(store, &data, name, score, hints);
    // The `-or-later` and `-only` GNU texts are the same text; a bare text grants no
    // "or later" option, so it is the `-only` license.
    let name = name
        .strip_suffix("-or-later")
        .map(|b| format!("{b}-only"))
        .unwrap_or(name);
    let entry = kb().id(&name);
    let display_name = entry
        .map(|e| e.name.clone())
        .or_else(|| spdx::license_id(&name).map(|l| l.full_name.to_string()))
        .unwrap_or_else(|| name.clone());
    let fit = if score >= SIMILARITY_EXACT {
        Fit::Exact
    } else {
        Fit::Modified {
            detail: format!(
                "the text is {:.0}% similar to the standard {name} text",
                score * 100.0
            ),
        }
    };
    let primary = canonical(&name);
    let others: Vec<Contained> = contained.into_iter().filter(|c| c.0 != name).collect();
    let mut also: Vec<String> = contained_ids(store, &data, &others, hints)
        .into_iter()
        .filter(|id| *id != primary)
        .collect();
    also.sort();
    also.dedup();
    Some(Identification {
        id: primary,
        name: display_name,
        key: entry.map(|e| e.key.clone()),
        confidence: round(score),
        method: Method::Similarity,
        fit,
        line: None,
        also,
    })
}

/// Licenses found inside a larger text at this similarity count as carried in full.
const SIMILARITY_CONTAINED: f32 = 0.8;

/// Within this much of the best similarity, a license the phrases point at is preferred
/// (more when the best is not a license weightlint knows).
const HINT_TIE: f32 = 0.03;
const HINT_TIE_UNKNOWN: f32 = 0.06;

fn prefer_hint(
    store: &spdx::detection::Store,
    data: &spdx::detection::TextData,
    name: String,
    score: f32,
    hints: &[String],
) -> (String, f32) {
    if hints.contains(&name) {
        return (name, score);
    }
    let tie = if kb().id(&name).is_some() {
        HINT_TIE
    } else {
        HINT_TIE_UNKNOWN
    };
    hints
        .iter()
        .filter_map(|h| {
            store
                .get_original(h)
                .map(|t| (h, data.optimize_bounds(t).1))
        })
        .filter(|(_, s)| *s + tie >= score)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(h, s)| (h.clone(), s))
        .unwrap_or((name, score))
}

/// Hints of the same license family as `name` (`BSD-3-Clause` for a BSD variant): inside a
/// larger text only these may replace a near tie, since the region also holds other text.
fn same_stem(name: &str, hints: &[String]) -> Vec<String> {
    let stem = |s: &str| s.split('-').next().unwrap_or("").to_ascii_lowercase();
    hints
        .iter()
        .filter(|h| stem(h) == stem(name))
        .cloned()
        .collect()
}

/// Standard licenses carried inside a text, by similarity scan.
fn contained_standard(text: &str, hints: &[String]) -> Vec<String> {
    let Some(store) = store() else {
        return Vec::new();
    };
    let data = spdx::detection::TextData::new(text);
    let (regions, whole) = scan_contained(store, &data, SIMILARITY_CONTAINED);
    let mut out = contained_ids(store, &data, &regions, hints);
    out.extend(whole.map(|name| canonical(&name)));
    out.sort();
    out.dedup();
    out
}

/// A pointer file: a few words and a link, no license text.
fn by_pointer(text: &str, norm: &Normalised) -> Option<Identification> {
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
    fn unknown_pointer_is_not_a_license() {
        let id = identify("https://example.com/some/license\n").expect("pointer");
        assert_eq!(id.method, Method::Pointer);
        assert_eq!(id.id, "NOASSERTION");
    }

    #[test]
    fn short_prose_is_unidentified() {
        assert_eq!(identify("All rights reserved.\n"), None);
    }
}
