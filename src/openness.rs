//! Openness: what each model actually releases (weights, training data, training code,
//! data-processing code, evaluation, documentation, licensing), each with its evidence,
//! and the verdict: Open Source AI (OSAID 1.0), open-weight, restricted-weight or closed,
//! with the Model Openness Framework class where the evidence decides it, and whether the
//! EU AI Act's open-source exemption (Art. 53(2)) could be claimed.
//!
//! Evidence comes from what the scan already has: cards and their keys, README sections
//! and links, file names (never contents) of code and configs, and the licenses resolved.

use serde::Serialize;

use crate::core::text::clip;
use crate::license::expr::Named;
use crate::license::kb::{Commercial, EntryKind, TermKind};
use crate::project::{Model, Project};

/// The verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Weights, code and data information under OSI-approved terms (OSAID 1.0).
    OpenSourceAi,
    /// Weights released under terms without use restrictions, but not everything OSAID needs.
    OpenWeight,
    /// Weights released under a license with use, field or user restrictions.
    RestrictedWeight,
    /// No weights released.
    Closed,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::OpenSourceAi => "open-source-ai",
            Verdict::OpenWeight => "open-weight",
            Verdict::RestrictedWeight => "restricted-weight",
            Verdict::Closed => "closed",
        }
    }
}

/// How well a dimension is evidenced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Released or documented, with evidence.
    Yes,
    /// Released, but under terms that restrict use (licensing only).
    Restricted,
    /// No evidence found.
    No,
}

/// One piece of evidence: what was found and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub what: String,
    /// `path` or `path:line`.
    pub place: String,
}

/// One dimension of openness.
#[derive(Clone, Debug, Serialize)]
pub struct Dimension {
    pub name: &'static str,
    pub status: Status,
    pub evidence: Vec<Evidence>,
}

/// The EU AI Act view (Art. 53 for general-purpose AI model providers).
#[derive(Clone, Debug, Serialize)]
pub struct EuAiAct {
    /// Whether the Art. 53(2) exemption from documentation duties could be claimed.
    pub exemption_possible: bool,
    pub reason: String,
    /// What stays required anyway: a copyright policy and a public training-content summary.
    pub still_required: Vec<Evidence>,
}

/// A model's openness.
#[derive(Clone, Debug, Serialize)]
pub struct Openness {
    pub verdict: Verdict,
    /// One line: why this verdict.
    pub summary: String,
    pub dimensions: Vec<Dimension>,
    /// Model Openness Framework class reached (`I` is the most open), if any.
    pub mof_class: Option<&'static str>,
    /// What the next MOF class needs that is not evidenced.
    pub mof_missing: Vec<&'static str>,
    pub eu_ai_act: EuAiAct,
}

impl Openness {
    pub fn dimension(&self, name: &str) -> Option<&Dimension> {
        self.dimensions.iter().find(|d| d.name == name)
    }
}

/// A dimension whose status is whether any evidence was found.
fn evidenced(name: &'static str, evidence: Vec<Evidence>) -> Dimension {
    Dimension {
        name,
        status: if evidence.is_empty() {
            Status::No
        } else {
            Status::Yes
        },
        evidence,
    }
}

/// What is being classified: a model, or a project whose README describes one.
pub struct Subject<'a> {
    pub name: String,
    /// The directory below its root, `/`-separated.
    pub root: usize,
    pub rel_dir: String,
    /// Its documentation: the card or README (display path).
    pub doc: Option<&'a str>,
    pub model: Option<&'a Model>,
    pub licenses: Vec<Named>,
}

impl<'a> Subject<'a> {
    pub fn of_model(model: &'a Model) -> Self {
        Subject {
            name: model.name.clone(),
            root: model.root,
            rel_dir: model.rel_dir.clone(),
            doc: model.card.as_ref().map(|c| c.path.as_str()),
            model: Some(model),
            licenses: model.governing().cloned().collect(),
        }
    }

    /// A root with no model of its own: a project repository (OLMo, Pythia) whose README
    /// and license files describe the model it releases.
    pub fn of_root(project: &'a Project, root: usize) -> Option<Self> {
        let r = project.roots.get(root)?;
        let prefix = if r.display == "." {
            String::new()
        } else {
            format!("{}/", r.display.trim_end_matches('/'))
        };
        let readme = project
            .doc_paths
            .iter()
            .find(|p| {
                p.strip_prefix(&prefix)
                    .is_some_and(|rest| rest.eq_ignore_ascii_case("readme.md"))
            })
            .map(String::as_str);
        let mut licenses: Vec<Named> = Vec::new();
        for f in project
            .license_files
            .iter()
            .filter(|f| f.root == root && f.rel_dir.is_empty() && !f.for_code)
        {
            if let Some(id) = &f.identification {
                let named = match id.entry() {
                    Some(e) => Named::from_entry(e),
                    None => Named {
                        id: id.id.clone(),
                        name: id.name.clone(),
                        key: None,
                    },
                };
                if !licenses.contains(&named) {
                    licenses.push(named);
                }
            }
        }
        let name = std::path::absolute(&r.path)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| r.display.clone());
        Some(Subject {
            name,
            root,
            rel_dir: String::new(),
            doc: readme,
            model: None,
            licenses,
        })
    }
}

/// The lines of a text with their numbers, headings lower-cased, for evidence searches.
struct Doc<'a> {
    path: &'a str,
    lines: Vec<(usize, &'a str)>,
}

impl<'a> Doc<'a> {
    fn new(path: &'a str, text: &'a str) -> Self {
        Doc {
            path,
            lines: text.lines().enumerate().map(|(i, l)| (i + 1, l)).collect(),
        }
    }

    fn at(&self, line: usize) -> String {
        format!("{}:{line}", self.path)
    }

    /// The first heading containing any of `words`.
    fn heading(&self, words: &[&str]) -> Option<(usize, String)> {
        self.lines.iter().find_map(|(n, l)| {
            let t = l.trim_start();
            if !t.starts_with('#') {
                return None;
            }
            let lower = t.to_ascii_lowercase();
            words
                .iter()
                .any(|w| lower.contains(w))
                .then(|| (*n, t.trim_start_matches('#').trim().to_string()))
        })
    }

    /// The first line containing all of one group of `words` (lower case).
    fn line_with(&self, groups: &[&[&str]]) -> Option<(usize, &'a str)> {
        self.lines.iter().copied().find(|(_, l)| {
            let lower = l.to_ascii_lowercase();
            groups.iter().any(|g| g.iter().all(|w| lower.contains(w)))
        })
    }
}

/// Whether a license counts as open for OSAID: OSI-approved.
fn osi(n: &Named) -> bool {
    match n.entry() {
        Some(e) => e.osi_approved,
        None => spdx::license_id(&n.id).is_some_and(|l| l.is_osi_approved()),
    }
}

/// Whether a license restricts use: a use policy, field-of-use, user or revenue limits,
/// non-commercial or research-only terms.
fn restricts(n: &Named) -> bool {
    n.entry().is_some_and(|e| {
        e.commercial != Commercial::Yes
            || e.use_policy.is_some()
            || e.terms.iter().any(|t| {
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
    })
}

/// Whether a license is open in the Model Openness Framework's sense: OSI-approved, an
/// open data license, or OpenMDW.
fn mof_open(n: &Named) -> bool {
    const OPEN_DATA: &[&str] = &[
        "CC0-1.0",
        "CC-BY-4.0",
        "CC-BY-3.0",
        "CC-BY-SA-4.0",
        "CC-BY-SA-3.0",
        "CDLA-Permissive-1.0",
        "CDLA-Permissive-2.0",
        "CDLA-Sharing-1.0",
        "PDDL-1.0",
        "ODC-By-1.0",
        "ODbL-1.0",
        "OpenMDW-1.0",
    ];
    osi(n) || OPEN_DATA.iter().any(|o| o.eq_ignore_ascii_case(&n.id))
}

/// Classify one subject.
pub fn classify(project: &Project, subject: &Subject) -> Openness {
    let text = subject
        .doc
        .and_then(|p| project.texts.get(p).map(|t| (p, &**t)));
    let doc = text.map(|(p, t)| Doc::new(p, t));
    let card = subject.model.and_then(|m| m.card.as_ref());
    let dir_prefix = {
        let root = project
            .roots
            .get(subject.root)
            .map_or(".", |r| r.display.as_str());
        crate::walk::display_path(root, std::path::Path::new(&subject.rel_dir))
    };
    // `code_files` is sorted: the subject's files are one run of it, found by bisection.
    let prefix = if dir_prefix == "." {
        String::new()
    } else {
        format!("{dir_prefix}/")
    };
    let under = |p: &str| p.starts_with(&prefix);
    let start = project
        .code_files
        .partition_point(|p| p.as_str() < prefix.as_str());
    let subject_files = || project.code_files[start..].iter().take_while(|p| under(p));
    let files_under = |pred: &dyn Fn(&str) -> bool| -> Vec<Evidence> {
        subject_files()
            .filter(|p| {
                let name = p.rsplit('/').next().unwrap_or(p).to_ascii_lowercase();
                pred(&name)
            })
            .take(3)
            .map(|p| Evidence {
                what: "file".to_string(),
                place: p.clone(),
            })
            .collect()
    };

    // Weights.
    let mut weights = Vec::new();
    if let Some(m) = subject.model {
        if let Some(w) = m.weights.first() {
            weights.push(Evidence {
                what: format!("{} weight file(s)", m.weights.len()),
                place: w.clone(),
            });
        }
        if let Some(c) = card {
            weights.push(Evidence {
                what: "model card (weights published with it)".to_string(),
                place: c.path.clone(),
            });
        }
    }
    if let Some(d) = &doc {
        if let Some((n, _)) = d.lines.iter().find(|(_, l)| hub_model_link(l)) {
            weights.push(Evidence {
                what: "weights linked on the Hugging Face Hub".to_string(),
                place: d.at(*n),
            });
        }
    }

    // A license written for model weights (Llama, Gemma, Qwen, DeepSeek…) says weights
    // are released under it, even where no file or link shows them.
    if weights.is_empty() {
        if let Some(e) = subject
            .licenses
            .iter()
            .filter_map(Named::entry)
            .find(|e| e.spdx.is_none() && e.kind == EntryKind::License && e.binds_derivatives())
        {
            weights.push(Evidence {
                what: format!("released under the {}, a license for model weights", e.name),
                place: e.id.clone(),
            });
        }
    }

    // Licensing.
    let mut licensing = Vec::new();
    for n in &subject.licenses {
        let mut what = n.name.clone();
        what.push_str(if osi(n) {
            " (OSI-approved"
        } else {
            " (not OSI-approved"
        });
        what.push_str(if restricts(n) {
            ", use restrictions)"
        } else {
            ")"
        });
        licensing.push(Evidence {
            what,
            place: n.id.clone(),
        });
    }
    let all_osi = !subject.licenses.is_empty() && subject.licenses.iter().all(osi);
    let any_restriction = subject.licenses.iter().any(restricts);

    // Training data.
    let mut data = Vec::new();
    if let Some(m) = subject.model {
        if !m.datasets.is_empty() {
            let names: Vec<&str> = m.datasets.iter().map(|d| d.id.as_str()).collect();
            data.push(Evidence {
                what: format!("card `datasets`: {}", names.join(", ")),
                place: format!(
                    "{}:{}",
                    card.map_or("", |c| c.path.as_str()),
                    m.datasets[0].line
                ),
            });
        }
    }
    if let Some(d) = &doc {
        if let Some((n, h)) = d.heading(&[
            "training data",
            "pretraining data",
            "pre-training data",
            "training dataset",
            "data mix",
            "datasheet",
            "data card",
        ]) {
            data.push(Evidence {
                what: format!("section \"{h}\""),
                place: d.at(n),
            });
        }
        if let Some((n, _)) = d.line_with(&[&["huggingface.co/datasets/"], &["hf.co/datasets/"]]) {
            data.push(Evidence {
                what: "dataset linked on the Hub".to_string(),
                place: d.at(n),
            });
        }
        if let Some((n, l)) = d.line_with(&[
            &["trained on", "pile"],
            &["trained on", "dolma"],
            &["the pile"],
            &["laion-"],
            &["redpajama"],
            &["refinedweb"],
            &["fineweb"],
        ]) {
            data.push(Evidence {
                what: format!("names its corpus: \"{}\"", clip(l.trim(), 80)),
                place: d.at(n),
            });
        }
    }
    for dc in project
        .dataset_cards
        .iter()
        .filter(|d| {
            d.root == subject.root
                && (subject.rel_dir.is_empty()
                    || d.rel_dir == subject.rel_dir
                    || d.rel_dir.starts_with(&format!("{}/", subject.rel_dir)))
        })
        .take(2)
    {
        data.push(Evidence {
            what: "dataset card".to_string(),
            place: dc.path.clone(),
        });
    }

    // Training code.
    let mut training = files_under(&|n| {
        n.ends_with(".py")
            && (n.starts_with("train") || n.contains("pretrain") || n.starts_with("finetune"))
    });
    if let Some(d) = &doc {
        if let Some((n, l)) = d.line_with(&[
            &["train", "github.com"],
            &["training code"],
            &["train.py"],
            &["torchrun", "train"],
            &["gpt-neox"],
        ]) {
            training.push(Evidence {
                what: format!("training code referenced: \"{}\"", clip(l.trim(), 80)),
                place: d.at(n),
            });
        }
    }

    // Data-processing code.
    let mut processing = files_under(&|n| {
        n.ends_with(".py")
            && ["preprocess", "tokeniz", "dedup", "filter", "prepare_data"]
                .iter()
                .any(|w| n.contains(w))
    });
    if let Some(d) = &doc {
        if let Some((n, l)) = d.line_with(&[
            &["tokenize", "data"],
            &["preprocess"],
            &["data processing"],
            &["dolma", "toolkit"],
        ]) {
            processing.push(Evidence {
                what: format!("data processing referenced: \"{}\"", clip(l.trim(), 80)),
                place: d.at(n),
            });
        }
    }

    // Evaluation.
    let mut evaluation = Vec::new();
    if let Some(f) = card.and_then(|c| c.field("model-index")) {
        evaluation.push(Evidence {
            what: "card `model-index` results".to_string(),
            place: format!("{}:{}", card.map_or("", |c| c.path.as_str()), f.line),
        });
    }
    if let Some(d) = &doc {
        if let Some((n, h)) = d.heading(&["evaluation", "results", "benchmark"]) {
            evaluation.push(Evidence {
                what: format!("section \"{h}\""),
                place: d.at(n),
            });
        }
    }
    evaluation.extend(files_under(&|n| {
        n.ends_with(".py") && n.starts_with("eval")
    }));

    // Documentation.
    let mut documentation = Vec::new();
    if let Some(p) = subject.doc {
        documentation.push(Evidence {
            what: if card.is_some() {
                "model card".to_string()
            } else {
                "README".to_string()
            },
            place: p.to_string(),
        });
    }
    if let Some(d) = &doc {
        if let Some((n, _)) = d.line_with(&[&["arxiv.org/"], &["technical report"]]) {
            documentation.push(Evidence {
                what: "paper or technical report".to_string(),
                place: d.at(n),
            });
        }
    }
    let paper = documentation.len() > 1;

    let weights_released = !weights.is_empty();
    let licensing_status = if subject.licenses.is_empty() {
        Status::No
    } else if any_restriction {
        Status::Restricted
    } else {
        Status::Yes
    };

    let data_ok = !data.is_empty();
    let code_ok = !training.is_empty();
    let verdict = if !weights_released {
        Verdict::Closed
    } else if any_restriction {
        Verdict::RestrictedWeight
    } else if all_osi && data_ok && code_ok {
        Verdict::OpenSourceAi
    } else {
        Verdict::OpenWeight
    };
    let mut missing = Vec::new();
    if !all_osi {
        missing.push(if subject.licenses.is_empty() {
            "licensing: no license identified"
        } else {
            "licensing: not OSI-approved"
        });
    }
    if !data_ok {
        missing.push("training data: undocumented");
    }
    if !code_ok {
        missing.push("training code: not found");
    }
    let summary = match verdict {
        Verdict::Closed => "no weights released or linked".to_string(),
        Verdict::OpenSourceAi => {
            "weights, training code and data information under OSI-approved terms".to_string()
        }
        Verdict::RestrictedWeight => {
            let names: Vec<&str> = subject
                .licenses
                .iter()
                .filter(|n| restricts(n))
                .map(|n| n.name.as_str())
                .collect();
            format!(
                "weights under use restrictions ({}); {}",
                names.join(", "),
                missing.join("; ")
            )
        }
        Verdict::OpenWeight => format!("weights released; {}", missing.join("; ")),
    };

    // Model Openness Framework, cumulative III → II → I, open licenses only.
    let open = !subject.licenses.is_empty() && subject.licenses.iter().all(mof_open);
    let architecture = card.is_some_and(|c| c.field("library_name").is_some())
        || !files_under(&|n| n == "config.json" || n.starts_with("modeling")).is_empty()
        || subject.model.is_none() && !project.code_files.is_empty();
    let inference = project.code_uses.iter().any(|u| under(&u.path))
        || doc.as_ref().is_some_and(|d| {
            d.line_with(&[
                &["from_pretrained("],
                &["llm("],
                &["pipeline("],
                &["llama-cli"],
            ])
            .is_some()
        });
    let intermediate = doc.as_ref().is_some_and(|d| {
        d.line_with(&[
            &["intermediate", "checkpoint"],
            &["checkpoints"],
            &["revision", "step"],
        ])
        .is_some()
    });
    let class3: [(&'static str, bool); 6] = [
        ("model architecture", architecture),
        (
            "final parameters under an open license",
            weights_released && open,
        ),
        ("model card", subject.doc.is_some()),
        ("data card", data_ok),
        ("technical report or paper", paper),
        ("evaluation results", !evaluation.is_empty()),
    ];
    let class2: [(&'static str, bool); 3] = [
        ("training code", code_ok),
        ("inference code", inference),
        ("evaluation code", !evaluation.is_empty()),
    ];
    let class1: [(&'static str, bool); 3] = [
        ("datasets", data_ok),
        ("data preprocessing code", !processing.is_empty()),
        ("intermediate parameters", intermediate),
    ];
    let missing_of = |c: &[(&'static str, bool)]| -> Vec<&'static str> {
        c.iter().filter(|(_, ok)| !ok).map(|(n, _)| *n).collect()
    };
    let (mof_class, mof_missing) = if !missing_of(&class3).is_empty() {
        (None, missing_of(&class3))
    } else if !missing_of(&class2).is_empty() {
        (Some("III"), missing_of(&class2))
    } else if !missing_of(&class1).is_empty() {
        (Some("II"), missing_of(&class1))
    } else {
        (Some("I"), Vec::new())
    };

    let eu_ai_act = eu(
        &doc,
        weights_released,
        all_osi && !any_restriction,
        architecture,
    );

    let dimensions = vec![
        evidenced("weights", weights),
        evidenced("training data", data),
        evidenced("training code", training),
        evidenced("data processing code", processing),
        evidenced("evaluation", evaluation),
        evidenced("documentation", documentation),
        Dimension {
            name: "licensing",
            status: licensing_status,
            evidence: licensing,
        },
    ];
    Openness {
        verdict,
        summary,
        dimensions,
        mof_class,
        mof_missing,
        eu_ai_act,
    }
}

fn eu(doc: &Option<Doc>, weights: bool, foss: bool, architecture: bool) -> EuAiAct {
    let mut still = Vec::new();
    let find = |groups: &[&[&str]]| -> Option<Evidence> {
        let d = doc.as_ref()?;
        let (n, _) = d.line_with(groups)?;
        Some(Evidence {
            what: String::new(),
            place: d.at(n),
        })
    };
    match find(&[&["copyright policy"]]) {
        Some(e) => still.push(Evidence {
            what: "copyright policy (Art. 53(1)(c)): referenced".to_string(),
            ..e
        }),
        None => still.push(Evidence {
            what: "copyright policy (Art. 53(1)(c)): not found".to_string(),
            place: String::new(),
        }),
    }
    match find(&[
        &["training content", "summary"],
        &["summary", "content used for training"],
    ]) {
        Some(e) => still.push(Evidence {
            what: "public training-content summary, AI Office template (Art. 53(1)(d)): referenced"
                .to_string(),
            ..e
        }),
        None => still.push(Evidence {
            what: "public training-content summary, AI Office template (Art. 53(1)(d)): not found"
                .to_string(),
            place: String::new(),
        }),
    }
    let (exemption_possible, reason) = if !weights {
        (false, "the weights are not public".to_string())
    } else if !foss {
        (
            false,
            "the license is not free and open-source (use restrictions, thresholds or no OSI approval)"
                .to_string(),
        )
    } else if !architecture {
        (
            false,
            "no public information on the model architecture was found".to_string(),
        )
    } else {
        (
            true,
            "free and open-source license, public weights, architecture and usage information; the product must also not be monetised and the model must not carry systemic risk"
                .to_string(),
        )
    };
    EuAiAct {
        exemption_possible,
        reason,
        still_required: still,
    }
}

/// A link to a model repository on the Hub (not a dataset or Space).
fn hub_model_link(line: &str) -> bool {
    for host in ["huggingface.co/", "hf.co/"] {
        let mut rest = line;
        while let Some(i) = rest.find(host) {
            let after = &rest[i + host.len()..];
            let path: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.'))
                .collect();
            let mut parts = path.split('/');
            let first = parts.next().unwrap_or("");
            let second = parts.next().unwrap_or("");
            let not_model = matches!(
                first,
                "datasets"
                    | "spaces"
                    | "docs"
                    | "blog"
                    | "papers"
                    | "models"
                    | "collections"
                    | "settings"
                    | "join"
            );
            if !not_model && !first.is_empty() && !second.is_empty() {
                return true;
            }
            rest = after;
        }
    }
    false
}

/// A line shortened for quoting.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hub_links_are_models_not_datasets() {
        assert!(hub_model_link(
            "[Checkpoints](https://hf.co/allenai/OLMoE-1B-7B-0924)"
        ));
        assert!(hub_model_link(
            "see https://huggingface.co/EleutherAI/pythia-6.9b for"
        ));
        assert!(!hub_model_link(
            "https://huggingface.co/datasets/allenai/dolma"
        ));
        assert!(!hub_model_link("https://huggingface.co/docs/hub"));
        assert!(!hub_model_link("https://huggingface.co/allenai"));
    }
}
