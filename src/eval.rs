//! The corpus evaluation (`weightlint eval-corpus DIR`): identifies every license, use
//! policy and notice that `DIR/MANIFEST.yaml` labels, compares with the labels, and prints
//! per-file results and totals. Used by `.ci/run` when `../shared/corpus` exists; it
//! never runs in `cargo test`, which must pass without the corpus.

pub mod repos;

use std::fmt::Write as _;
use std::path::Path;

use crate::core::source;
use crate::license::identify::{self, Fit, Identification, Method};
use crate::license::kb::{kb, TermKind};
use crate::license::terms::{self, Extracted};
use crate::yaml::{self, Value};

/// What the corpus labels a file as, in weightlint's ids.
enum Expect {
    /// All of these ids (the primary identity and the others the file carries).
    Ids(Vec<String>),
    /// A pointer file with no license text.
    Pointer,
    /// A text that must not be passed off as an exact copy of any license.
    NotExact,
    /// Nothing to check (third-party notice collections).
    Skip,
}

/// The corpus's proposed `LicenseRef-…` labels and policy names, mapped to our keys.
const LABELS: &[(&str, &str)] = &[
    ("LicenseRef-apple-amlr", "apple-amlr"),
    ("LicenseRef-apple-ascl", "apple-ascl"),
    ("LicenseRef-chatglm-6b", "chatglm-6b"),
    ("LicenseRef-chatglm2-6b", "chatglm2-6b"),
    ("LicenseRef-chatglm3-6b", "chatglm3-6b"),
    ("LicenseRef-creativeml-openrail-m", "creativeml-openrail-m"),
    ("LicenseRef-deepseek", "deepseek-1.0"),
    (
        "LicenseRef-flux-1-dev-non-commercial",
        "flux-1-dev-non-commercial",
    ),
    ("LicenseRef-gemma", "gemma-2025-03-24"),
    ("LicenseRef-llama-2-community", "llama-2"),
    ("LicenseRef-llama-3-community", "llama-3"),
    ("LicenseRef-llama-3.1-community", "llama-3.1"),
    ("LicenseRef-llama-3.2-community", "llama-3.2"),
    ("LicenseRef-llama-3.3-community", "llama-3.3"),
    ("LicenseRef-llama-4-community", "llama-4"),
    ("LicenseRef-nvidia-open-model-license", "nvidia-open-model"),
    ("LicenseRef-openrail++", "openrail-pp-m"),
    ("LicenseRef-sdxl-0.9-research", "sdxl-0.9-research"),
    ("LicenseRef-seamless", "seamless"),
    ("LicenseRef-stability-ai-nc-community", "sv3d"),
    (
        "LicenseRef-stability-ai-nc-research-community",
        "sdxl-turbo",
    ),
    ("LicenseRef-stable-video-diffusion-nc-community", "svd"),
    ("LicenseRef-tongyi-qianwen", "tongyi-qianwen"),
    (
        "LicenseRef-tongyi-qianwen-research",
        "tongyi-qianwen-research",
    ),
    ("LicenseRef-yi-community-2.1", "yi-community-2.1"),
    ("Llama 2 Acceptable Use Policy", "llama-2-aup"),
    ("Meta Llama 3 Acceptable Use Policy", "llama-3-aup"),
    ("Llama 3.1 Acceptable Use Policy", "llama-3.1-aup"),
    ("Llama 3.2 Acceptable Use Policy", "llama-3.2-aup"),
    ("Llama 3.3 Acceptable Use Policy", "llama-3.3-aup"),
    ("Llama 4 Acceptable Use Policy", "llama-4-aup"),
    ("Seamless Acceptable Use Policy", "seamless-aup"),
    ("gpt-oss usage policy", "gpt-oss-usage-policy"),
    ("Yi NOTICE template (Apache-2.0 attribution)", "yi-notice"),
    (
        "Gemma Notice (required by Gemma Terms of Use s.3.1)",
        "gemma-2025-03-24",
    ),
];

fn our_id(label: &str) -> String {
    LABELS
        .iter()
        .find(|(l, _)| *l == label)
        .and_then(|(_, key)| kb().key(key))
        .map(|e| e.id.clone())
        .unwrap_or_else(|| label.to_string())
}

fn expect(spdx: &str, name: &str) -> Expect {
    if LABELS.iter().any(|(l, _)| *l == name) {
        return Expect::Ids(vec![our_id(name)]);
    }
    if spdx == "NOASSERTION" {
        if name.starts_with("(pointer") {
            return Expect::Pointer;
        }
        if name.contains("NOT the real") {
            return Expect::NotExact;
        }
        return Expect::Skip;
    }
    Expect::Ids(spdx.split(" AND ").map(|p| our_id(p.trim())).collect())
}

fn ids_of(found: &Identification) -> Vec<String> {
    let mut ids = vec![found.id.clone()];
    ids.extend(found.also.iter().cloned());
    ids
}

/// One labelled figure, checked in the knowledge base's terms and in the text's own.
struct TermCheck {
    what: String,
    kb: bool,
    text: bool,
}

fn limited(k: TermKind) -> bool {
    matches!(
        k,
        TermKind::NonCommercial | TermKind::ResearchOnly | TermKind::NonProduction
    )
}

/// The labelled figures we can compare: MAU threshold, branding text, non-commercial.
fn term_checks(labels: &Value, found: &Identification, extracted: &[Extracted]) -> Vec<TermCheck> {
    let Some(entry) = found.entry() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let kb_value = |k: TermKind| {
        entry
            .terms
            .iter()
            .find(|t| t.kind == k)
            .and_then(|t| t.value)
    };
    let text_value = |k: TermKind| extracted.iter().find(|t| t.kind == k).and_then(|t| t.value);
    if let Some(v) = labels.get("mau_threshold") {
        let want = v.scalar_text().and_then(|s| s.parse::<u64>().ok());
        out.push(TermCheck {
            what: format!("mau_threshold {want:?}"),
            kb: want == kb_value(TermKind::MauThreshold),
            text: want == text_value(TermKind::MauThreshold),
        });
    }
    if let Some(want) = labels.get("branding_required").and_then(Value::as_str) {
        let matches = |g: &str| want.contains(g) || g.contains(want);
        out.push(TermCheck {
            what: format!("attribution \"{want}\""),
            kb: entry
                .terms
                .iter()
                .any(|t| t.kind == TermKind::Attribution && t.text.as_deref().is_some_and(matches)),
            text: extracted
                .iter()
                .any(|t| t.kind == TermKind::Attribution && t.text.as_deref().is_some_and(matches)),
        });
    }
    if let Some(v) = labels.get("non_commercial") {
        let want = matches!(v, Value::Bool(true));
        out.push(TermCheck {
            what: format!("non_commercial {want}"),
            kb: want == entry.terms.iter().any(|t| limited(t.kind)),
            text: want == extracted.iter().any(|t| limited(t.kind)),
        });
    }
    out
}

/// Run the evaluation; returns the printed report and whether identity was 100%.
pub fn run(corpus: &Path) -> Result<(String, bool), String> {
    let manifest_path = corpus.join("MANIFEST.yaml");
    let manifest = source::read_text_capped(&manifest_path, 16 * 1024 * 1024)
        .map_err(|e| format!("{}: {}", manifest_path.display(), e.describe()))?;
    let manifest =
        yaml::parse(&manifest).map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let Some(Value::List(files)) = manifest.get("files") else {
        return Err("MANIFEST.yaml has no `files` list".to_string());
    };
    let mut out = String::new();
    let (mut checked, mut correct) = (0usize, 0usize);
    let (mut terms_checked, mut terms_correct, mut text_correct) = (0usize, 0usize, 0usize);
    for f in files {
        let kind = f.get("kind").and_then(Value::as_str).unwrap_or("");
        if !matches!(kind, "license" | "use-policy" | "notice") {
            continue;
        }
        let path = f.get("path").and_then(Value::as_str).unwrap_or("");
        let spdx = f
            .get("spdx")
            .and_then(Value::as_str)
            .unwrap_or("NOASSERTION");
        let name = f.get("license_name").and_then(Value::as_str).unwrap_or("");
        let expected = expect(spdx, name);
        if matches!(expected, Expect::Skip) {
            let _ = writeln!(out, "skip  {path}");
            continue;
        }
        let text = match source::read_text(&corpus.join(path)) {
            Ok(t) => t,
            Err(e) => {
                checked += 1;
                let _ = writeln!(out, "FAIL  {path}: {}", e.describe());
                continue;
            }
        };
        let found = identify::identify(&text);
        let (ok, got) = match (&expected, &found) {
            (Expect::Ids(want), Some(f)) => {
                let got = ids_of(f);
                let exact_enough = !matches!(f.fit, Fit::Ambiguous { .. });
                (
                    exact_enough && want.iter().all(|w| got.contains(w)),
                    got.join(" AND "),
                )
            }
            (Expect::Pointer, Some(f)) => (
                f.method == Method::Pointer,
                format!("{:?} {}", f.method, f.id),
            ),
            (Expect::NotExact, Some(f)) => (f.fit != Fit::Exact, format!("{} ({:?})", f.id, f.fit)),
            (Expect::NotExact, None) => (true, "unidentified".to_string()),
            (_, None) => (false, "unidentified".to_string()),
            (Expect::Skip, _) => unreachable!("skipped above"),
        };
        checked += 1;
        if ok {
            correct += 1;
        }
        let want = match &expected {
            Expect::Ids(w) => w.join(" AND "),
            Expect::Pointer => "pointer".to_string(),
            Expect::NotExact => "not an exact copy".to_string(),
            Expect::Skip => String::new(),
        };
        let fit = found
            .as_ref()
            .map(|f| format!(" {:.2} {:?}", f.confidence, f.fit))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}  {path}: want {want}, got {got}{fit}",
            if ok { "ok  " } else { "FAIL" }
        );
        if let (Some(labels), Some(found)) = (f.get("terms"), &found) {
            let extracted = terms::extract(&text);
            for check in term_checks(labels, found, &extracted) {
                terms_checked += 1;
                terms_correct += usize::from(check.kb);
                text_correct += usize::from(check.text);
                let _ = writeln!(
                    out,
                    "      term {}: {} (knowledge base {}, text {})",
                    if check.kb && check.text {
                        "ok"
                    } else {
                        "DIFFERS"
                    },
                    check.what,
                    if check.kb { "agrees" } else { "differs" },
                    if check.text { "agrees" } else { "differs" },
                );
            }
        }
    }
    let pct = |a: usize, b: usize| {
        if b == 0 {
            100.0
        } else {
            100.0 * a as f64 / b as f64
        }
    };
    let (open_correct, open_checked) = openness(corpus, files, &mut out);
    let _ = writeln!(
        out,
        "\nidentity: {correct}/{checked} ({:.1}%)   labelled terms in the knowledge base: {terms_correct}/{terms_checked} ({:.1}%)   extracted from the text: {text_correct}/{terms_checked} ({:.1}%)   openness verdicts: {open_correct}/{open_checked} ({:.1}%)   similarity store loaded: {}",
        pct(correct, checked),
        pct(terms_correct, terms_checked),
        pct(text_correct, terms_checked),
        pct(open_correct, open_checked),
        identify::store_loaded()
    );
    Ok((out, correct == checked && open_correct == open_checked))
}

/// Openness labels (`openness: open-weight …` / `open-source-ai candidate`): classify the
/// top-level project each labelled card or README is in, and compare. A label of
/// open-weight accepts `restricted-weight`, which refines it.
fn openness(corpus: &Path, files: &[Value], out: &mut String) -> (usize, usize) {
    use std::collections::HashMap;
    let mut by_project: HashMap<String, Vec<crate::render::classify::Classified>> = HashMap::new();
    let (mut correct, mut checked) = (0, 0);
    for f in files {
        let Some(label) = f.get("openness").and_then(Value::as_str) else {
            continue;
        };
        let path = f.get("path").and_then(Value::as_str).unwrap_or("");
        let project = path.split('/').next().unwrap_or("").to_string();
        let dir = corpus.join(&project);
        let classified = by_project.entry(project.clone()).or_insert_with(|| {
            crate::classify(std::slice::from_ref(&dir), &crate::ScanOptions::default())
                .unwrap_or_default()
        });
        let want_open = label.starts_with("open-source-ai");
        let found = classified.iter().find(|c| {
            c.openness
                .dimension("documentation")
                .and_then(|d| d.evidence.first())
                .is_some_and(|e| e.place.ends_with(path))
        });
        checked += 1;
        let (ok, got) = match found {
            Some(c) => {
                let v = c.openness.verdict;
                let ok = if want_open {
                    v == crate::openness::Verdict::OpenSourceAi
                } else {
                    matches!(
                        v,
                        crate::openness::Verdict::OpenWeight
                            | crate::openness::Verdict::RestrictedWeight
                    )
                };
                (ok, format!("{} ({})", v.as_str(), c.openness.summary))
            }
            None => (false, "not classified".to_string()),
        };
        correct += usize::from(ok);
        let _ = writeln!(
            out,
            "{}  openness {path}: want {label}, got {got}",
            if ok { "ok  " } else { "FAIL" }
        );
    }
    (correct, checked)
}
