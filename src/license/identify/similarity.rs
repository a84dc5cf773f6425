//! The similarity pass: a text the phrases leave open is compared with the `spdx` crate's
//! standard-license texts, whose store is loaded once, on first need; and the standard
//! licenses carried inside a larger text are found by a similarity scan.

use std::sync::OnceLock;

use super::{round, Fit, Identification, Method};
use crate::license::kb::kb;

/// Similarity at or above this is the standard license.
const SIMILARITY_EXACT: f32 = 0.97;
/// Similarity at or above this (and below exact) is a modified standard license.
const SIMILARITY_PARTIAL: f32 = 0.80;
/// A text this similar to the license its phrases name may be that license with a title or
/// copyright lines around it: worth trimming to see.
const SIMILARITY_TRIM: f32 = 0.90;
/// Words a trimmed match may leave after the license (a closing line, not another license).
const TRIM_AFTER_WORDS: usize = 12;

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

/// A license's name as messages show it (the knowledge base's, else SPDX's full name) and
/// its knowledge-base key.
fn name_and_key(id: &str) -> (String, Option<String>) {
    let entry = kb().id(id);
    let name = entry
        .map(|e| e.name.clone())
        .or_else(|| spdx::license_id(id).map(|l| l.full_name.to_string()))
        .unwrap_or_else(|| id.to_string());
    (name, entry.map(|e| e.key.clone()))
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
            // A license the knowledge base does not know (Pixar, an edited Apache-2.0) yields
            // a near tie to any hint; a known one only to a hint of its own family.
            let candidates = if kb().id(n).is_some() {
                same_stem(n, hints)
            } else {
                hints.to_vec()
            };
            canonical(&prefer_hint(store, &view, n.clone(), *s, &candidates).0)
        })
        .collect()
}

/// Byte equality, usable in a constant.
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The SPDX text of a license, looked up when compiling: only the texts named below end up
/// in the binary, not the crate's whole table.
const fn text_of(id: &str) -> &'static str {
    let texts = spdx::text::LICENSE_TEXTS;
    let mut i = 0;
    while i < texts.len() {
        if same(texts[i].0, id) {
            return texts[i].1;
        }
        i += 1;
    }
    panic!("not an SPDX license id with a text")
}

/// The common license a hint names (`GPL-2.0-or-later` and `GPL-2.0` are `GPL-2.0-only`'s
/// text): its id, its text's length in words, and its prepared text (made once).
fn common(hint: &str) -> Option<(&'static str, usize, &'static spdx::detection::TextData)> {
    static PREPARED: [OnceLock<(usize, spdx::detection::TextData)>; COMMON.len()] =
        [const { OnceLock::new() }; COMMON.len()];
    let stem = hint.strip_suffix("-or-later").unwrap_or(hint);
    let i = COMMON
        .iter()
        .position(|(id, _)| *id == stem || id.strip_suffix("-only").is_some_and(|b| b == stem))?;
    let (id, text) = COMMON[i];
    let (words, data) = PREPARED[i].get_or_init(|| {
        (
            text.split_whitespace().count(),
            spdx::detection::TextData::new(text),
        )
    });
    Some((id, *words, data))
}

/// The licenses most repositories carry, compared directly with a text whose phrases
/// point at them, so that a plain LICENSE never loads the store.
const COMMON: &[(&str, &str)] = &[
    ("Apache-2.0", text_of("Apache-2.0")),
    ("MIT", text_of("MIT")),
    ("BSD-2-Clause", text_of("BSD-2-Clause")),
    ("BSD-3-Clause", text_of("BSD-3-Clause")),
    ("ISC", text_of("ISC")),
    ("MPL-2.0", text_of("MPL-2.0")),
    ("GPL-2.0-only", text_of("GPL-2.0-only")),
    ("GPL-3.0-only", text_of("GPL-3.0-only")),
    ("LGPL-2.1-only", text_of("LGPL-2.1-only")),
    ("LGPL-3.0-only", text_of("LGPL-3.0-only")),
    ("AGPL-3.0-only", text_of("AGPL-3.0-only")),
    ("Unlicense", text_of("Unlicense")),
    ("CC0-1.0", text_of("CC0-1.0")),
    ("CC-BY-4.0", text_of("CC-BY-4.0")),
    ("CC-BY-SA-4.0", text_of("CC-BY-SA-4.0")),
    ("CC-BY-NC-4.0", text_of("CC-BY-NC-4.0")),
    ("CC-BY-NC-SA-4.0", text_of("CC-BY-NC-SA-4.0")),
    ("CC-BY-NC-ND-4.0", text_of("CC-BY-NC-ND-4.0")),
    ("BSL-1.0", text_of("BSL-1.0")),
    ("Zlib", text_of("Zlib")),
    // Apple's ML repositories (ml-depth-pro, ml-fastvlm, …) carry it for their code.
    ("AML", text_of("AML")),
];

/// A text that is the common license its phrases point at, compared with that one text,
/// without the store: whole, or with a title and copyright lines around it (at most a tenth
/// of its words). Anything less than exact, or a text much longer than the license (others
/// may be appended), goes to the full pass.
fn by_hinted_text(
    text: &str,
    data: &spdx::detection::TextData,
    hints: &[String],
) -> Option<Identification> {
    let words = text.split_whitespace().count();
    let (id, score) = hints
        .iter()
        .filter_map(|h| common(h))
        // Much longer than the license (in words; the templates wrap lines differently).
        .filter(|&(_, template_words, _)| words * 10 <= template_words * 13)
        .map(|(id, _, template)| {
            let mut score = data.match_score(template);
            if (SIMILARITY_TRIM..SIMILARITY_EXACT).contains(&score) {
                // Lines above the license may go (a title, a copyright); lines after it may
                // be another license, so they stay.
                let (inner, trimmed) = data.optimize_bounds(template);
                let count = |lines: &[String]| -> usize {
                    lines.iter().map(|l| l.split_whitespace().count()).sum()
                };
                let (_, end) = inner.lines_view();
                let after = count(data.lines().get(end..).unwrap_or_default());
                if count(inner.lines()) * 10 >= words * 9 && after <= TRIM_AFTER_WORDS {
                    score = trimmed;
                }
            }
            (id, score)
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    if score < SIMILARITY_EXACT {
        return None;
    }
    let (name, key) = name_and_key(id);
    Some(Identification {
        id: canonical(id),
        name,
        key,
        confidence: round(score),
        method: Method::Similarity,
        fit: Fit::Exact,
        line: None,
        also: Vec::new(),
    })
}

/// The common licenses the phrases point at, as a store of their own: enough to find them
/// inside a larger text without loading the whole store. None unless every hint is one.
fn hinted_store(hints: &[String]) -> Option<spdx::detection::Store> {
    let mut store = spdx::detection::Store::new();
    for hint in hints {
        let (id, _, template) = common(hint)?;
        store.add_license(id.to_string(), template.clone());
    }
    (!store.is_empty()).then_some(store)
}

/// Identify by similarity to the standard license texts: the one the phrases point at,
/// then the common ones they point at (an exact answer is kept), then the whole store.
pub fn by_similarity(text: &str, hints: &[String]) -> Option<Identification> {
    let data = spdx::detection::TextData::new(text);
    if let Some(found) = by_hinted_text(text, &data, hints) {
        return Some(found);
    }
    if let Some(small) = hinted_store(hints) {
        if let Some(found) = similar(&small, &data, hints).filter(|f| f.fit == Fit::Exact) {
            return Some(found);
        }
    }
    similar(store()?, &data, hints)
}

/// The best match in `store` for a text, with the other licenses it carries.
fn similar(
    store: &spdx::detection::Store,
    data: &spdx::detection::TextData,
    hints: &[String],
) -> Option<Identification> {
    let m = store.analyze(data);
    let mut score = m.score;
    let mut name = m.name.to_string();
    let mut contained: Vec<Contained> = Vec::new();
    // Much longer than the license it matched: other licenses may be appended.
    let longer = data.lines().len() * 10 > m.data.lines().len() * 13;
    if score < SIMILARITY_EXACT || longer {
        // A license with extra notices around it, or several licenses in one file.
        contained = scan_contained(store, data, SIMILARITY_PARTIAL).0;
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
    let (name, score) = prefer_hint(store, data, name, score, hints);
    // The `-or-later` and `-only` GNU texts are the same text; a bare text grants no
    // "or later" option, so it is the `-only` license.
    let name = name
        .strip_suffix("-or-later")
        .map(|b| format!("{b}-only"))
        .unwrap_or(name);
    let (display_name, key) = name_and_key(&name);
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
    let mut also: Vec<String> = contained_ids(store, data, &others, hints)
        .into_iter()
        .filter(|id| *id != primary)
        .collect();
    also.sort();
    also.dedup();
    Some(Identification {
        id: primary,
        name: display_name,
        key,
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

/// Standard licenses carried inside a text, by similarity scan. When the phrases point only
/// at common licenses, only those are looked for.
pub(super) fn contained_standard(text: &str, hints: &[String]) -> Vec<String> {
    let small = hinted_store(hints);
    let Some(store) = small.as_ref().or_else(|| store()) else {
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
