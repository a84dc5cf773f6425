//! Openness: what each model actually releases (weights, training data, training code,
//! data-processing code, evaluation, documentation, licensing), each with its evidence,
//! and the verdict: Open Source AI (OSAID 1.0), open-weight, restricted-weight or closed,
//! with the Model Openness Framework class where the evidence decides it, and whether the
//! EU AI Act's open-source exemption (Art. 53(2)) could be claimed.
//!
//! Evidence comes from what the scan already has: cards and their keys, README sections
//! and links, file names (never contents) of code and configs, and the licenses resolved.
//!
//! Each dimension is decided by its own function ([`dimensions`], [`licensing`]); the
//! verdict, the MOF class and the EU AI Act view are drawn from those in [`classify`].

mod dimensions;
mod eu_ai_act;
mod licensing;
mod mof;
mod scope;
mod verdict;

use serde::Serialize;

use crate::license::expr::Named;
use crate::project::{Limit, Model, Project};

use scope::Scope;

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
    /// A repository that releases no model of its own: a library, framework or tool.
    NotAModel,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::OpenSourceAi => "open-source-ai",
            Verdict::OpenWeight => "open-weight",
            Verdict::RestrictedWeight => "restricted-weight",
            Verdict::Closed => "closed",
            Verdict::NotAModel => "not-a-model",
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

    /// A repository with no model of its own and no release it links as its own: what it
    /// documents is not a model's openness, and the EU AI Act's Art. 53 is not about it.
    pub fn not_a_model(mut self) -> Self {
        self.verdict = Verdict::NotAModel;
        self.summary =
            "no model of its own: a library, framework or tool (no card, weights or release)"
                .to_string();
        self.mof_class = None;
        self.mof_missing = Vec::new();
        self.eu_ai_act = EuAiAct {
            exemption_possible: false,
            reason: "not a model: Art. 53 concerns providers of general-purpose AI models"
                .to_string(),
            still_required: Vec::new(),
        };
        self
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
            // A release the README links is documented by that README.
            doc: model
                .card
                .as_ref()
                .map(|c| c.path.as_str())
                .or(model.released_as.as_ref().map(|r| r.readme.as_str())),
            model: Some(model),
            licenses: model.governing().cloned().collect(),
        }
    }

    /// A root with no model of its own: a project repository (OLMo, Pythia) whose README
    /// and license files describe the model it releases.
    pub fn of_root(project: &'a Project, root: usize) -> Option<Self> {
        let r = project.roots.get(root)?;
        let prefix = r.prefix();
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

impl Subject<'_> {
    /// Whether its documentation is a model card without front matter: its first heading
    /// says "Model Card".
    pub fn doc_is_a_model_card(&self, project: &Project) -> bool {
        self.doc
            .and_then(|d| project.texts.get(d))
            .and_then(|t| t.lines().find(|l| l.trim_start().starts_with('#')))
            .is_some_and(|h| h.to_ascii_lowercase().contains("model card"))
    }
}

/// Classify one subject.
pub fn classify(project: &Project, subject: &Subject) -> Openness {
    let scope = Scope::new(project, subject);
    let weights = dimensions::weights(&scope);
    let data = dimensions::training_data(&scope);
    let training = dimensions::training_code(&scope);
    let processing = dimensions::processing_code(&scope);
    let evaluation = dimensions::evaluation(&scope);
    let documentation = dimensions::documentation(&scope);
    // What the subject's own README says limits its release.
    let limits: Vec<&Limit> = project
        .limits
        .iter()
        .filter(|l| subject.doc == Some(l.path.as_str()))
        .collect();
    let licensing = licensing::dimension(&subject.licenses, subject.model, &limits);

    let terms = licensing::Terms::of(&subject.licenses, &limits);
    let found = Found {
        weights: !weights.evidence.is_empty(),
        data: !data.evidence.is_empty(),
        training_code: !training.evidence.is_empty(),
        processing_code: !processing.evidence.is_empty(),
        evaluation: !evaluation.evidence.is_empty(),
        // The model card or README itself, then a paper or technical report.
        paper: documentation.evidence.len() > 1,
    };
    let verdict = verdict::verdict(&terms, &found);
    let summary = verdict::summary(verdict, &subject.licenses, &limits, &terms, &found);
    let architecture = mof::architecture(&scope);
    let (mof_class, mof_missing) = mof::class(&scope, &terms, &found, architecture);
    let eu_ai_act = eu_ai_act::view(
        scope.doc.as_ref(),
        found.weights,
        terms.all_osi && !terms.any_restriction,
        architecture,
    );
    Openness {
        verdict,
        summary,
        dimensions: vec![
            weights,
            data,
            training,
            processing,
            evaluation,
            documentation,
            licensing,
        ],
        mof_class,
        mof_missing,
        eu_ai_act,
    }
}

/// Which dimensions have evidence: what the verdict and the MOF class are drawn from.
struct Found {
    weights: bool,
    data: bool,
    training_code: bool,
    processing_code: bool,
    evaluation: bool,
    paper: bool,
}
