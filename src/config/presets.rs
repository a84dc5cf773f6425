//! Use-case presets (`product.use_case`): what a kind of product needs from a model,
//! turned into policy defaults (the table; `judge::fit` judges a model against it). Users think in use cases, not policy keys: a SaaS product
//! is usually well served by open-weight models, while regulated deployments, safety and
//! academic research, and domain foundation models need the training data, code and recipe
//! of a fully open one. Explicit `product:`, `policy:` and `rules:` keys always win.

use serde::{Deserialize, Serialize};

use super::{Distribution, Require};

/// A use case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UseCase {
    Saas,
    StartupMvp,
    SafetyResearch,
    Regulated,
    OnPrem,
    AcademicResearch,
    Edge,
    DomainFoundationModel,
}

/// What a use case implies.
#[derive(Debug)]
pub struct Preset {
    pub case: UseCase,
    pub name: &'static str,
    /// The openness it requires (`policy.require`).
    pub require: Require,
    /// `product.commercial` when the config does not say.
    pub commercial: Option<bool>,
    /// `product.distribution` when the config does not say.
    pub distribution: Option<Distribution>,
    /// Rules whose undecided notes matter enough here to be warnings.
    pub emphasis: &'static [&'static str],
    /// One paragraph: what it requires and why.
    pub doc: &'static str,
}

/// Every preset.
pub static PRESETS: &[Preset] = &[
    Preset {
        case: UseCase::Saas,
        name: "saas",
        require: Require::OpenWeight,
        commercial: Some(true),
        distribution: Some(Distribution::Saas),
        emphasis: &["WL200", "WL201", "WL202", "WL203"],
        doc: "A hosted product. Open-weight models serve it well; what matters are the terms a growing service can cross: monthly-active-user thresholds (Llama 700M, Qwen 100M), revenue thresholds (Stability US$1M), non-commercial licenses and the EU clause for multimodal Llama models. Undecided notes on those become warnings.",
    },
    Preset {
        case: UseCase::StartupMvp,
        name: "startup-mvp",
        require: Require::OpenWeight,
        commercial: Some(true),
        distribution: Some(Distribution::Saas),
        emphasis: &["WL200", "WL201", "WL202"],
        doc: "A first product, shipped fast. Open-weight models are fine; the terms to watch are those that bite after success: user and revenue thresholds and non-commercial licenses.",
    },
    Preset {
        case: UseCase::SafetyResearch,
        name: "safety-research",
        require: Require::OpenSourceAi,
        commercial: Some(false),
        distribution: Some(Distribution::Research),
        emphasis: &["WL501", "WL502"],
        doc: "Studying what a model learned and why it behaves as it does needs the training data and code, not only weights: it requires Open Source AI (OSAID 1.0), with training data documented and training code released.",
    },
    Preset {
        case: UseCase::Regulated,
        name: "regulated",
        require: Require::OpenSourceAi,
        commercial: Some(true),
        distribution: None,
        emphasis: &["WL401", "WL402", "WL501", "WL502"],
        doc: "Healthcare, finance, data-provenance audits under the EU AI Act: the model's training data must be documented and its provenance shown (base models resolved, dataset licenses checked), the training code released, and the license free of field-of-use restrictions. It requires Open Source AI.",
    },
    Preset {
        case: UseCase::OnPrem,
        name: "on-prem",
        require: Require::OpenWeight,
        commercial: None,
        distribution: Some(Distribution::Internal),
        emphasis: &["WL202", "WL302"],
        doc: "Running models on your own infrastructure works with open-weight and fully open models alike; non-production and non-commercial licenses are what rule a model out, and the license texts must travel with the weights.",
    },
    Preset {
        case: UseCase::AcademicResearch,
        name: "academic-research",
        require: Require::OpenSourceAi,
        commercial: Some(false),
        distribution: Some(Distribution::Research),
        emphasis: &["WL501", "WL502"],
        doc: "Reproducible research needs the recipe: training data documented and training code released under open terms. It requires Open Source AI; non-commercial licenses are fine.",
    },
    Preset {
        case: UseCase::Edge,
        name: "edge",
        require: Require::OpenWeight,
        commercial: None,
        distribution: Some(Distribution::OnDevice),
        emphasis: &["WL103", "WL400", "WL302", "WL304"],
        doc: "On-device deployment lives on quantized open-weight models. A quantization is a derivative that keeps its base model's license: the label, the license copy and the notices must follow the base.",
    },
    Preset {
        case: UseCase::DomainFoundationModel,
        name: "domain-foundation-model",
        require: Require::OpenSourceAi,
        commercial: None,
        distribution: None,
        emphasis: &["WL204", "WL400", "WL401", "WL501", "WL502"],
        doc: "Building a domain foundation model means continuing pre-training or distilling: the base's license must allow it (restrictions on training with outputs, terms that pass on to derivatives), its data and code must be known, and it requires Open Source AI.",
    },
];

/// The preset of a use case.
pub fn preset(case: UseCase) -> &'static Preset {
    PRESETS
        .iter()
        .find(|p| p.case == case)
        .unwrap_or(&PRESETS[0])
}

/// A preset by name (`saas`, `startup-mvp`, …).
pub fn by_name(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name.eq_ignore_ascii_case(name))
}

/// `weightlint explain use-case NAME`: what a preset sets and why.
pub fn explain(p: &Preset) -> String {
    let mut out = format!("# use case: {}\n\n{}\n\n", p.name, p.doc);
    out.push_str(&format!("policy.require: {}\n", p.require.as_str()));
    if let Some(c) = p.commercial {
        out.push_str(&format!("product.commercial: {c} (when not set)\n"));
    }
    if let Some(d) = p.distribution {
        out.push_str(&format!(
            "product.distribution: {} (when not set)\n",
            d.as_str()
        ));
    }
    if !p.emphasis.is_empty() {
        out.push_str(&format!(
            "undecided notes of {} are warnings\n",
            p.emphasis.join(", ")
        ));
    }
    out.push_str("\nExplicit product:, policy: and rules: keys win over the preset.\n");
    out
}
