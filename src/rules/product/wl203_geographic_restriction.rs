//! WL203 geographic-restriction: a license or its use policy excludes where the licensee
//! is: a territory that leaves places out, the EU clause for multimodal models, sanctioned
//! jurisdictions, a Hub gate that withholds the model from the EU.

use crate::config;
use crate::core::diagnostic::{Diagnostic, Location, Severity};
use crate::core::registry::WL203;
use crate::license::kb::{kb, Entry, Modality, Term, TermKind};
use crate::project::Model;
use crate::provenance::Resolved;
use crate::rules::{Checker, Run, Spec};

use super::{Cx, Subject};

pub(crate) static SPEC: Spec = Spec {
    rule: &WL203,
    doc: include_str!("../docs/WL203.md"),
    fires: &[
        "WL203-eu-hq-vision",
        "WL203-hub-gate-eu",
        "WL203-territory-excludes-eu",
    ],
    quiet: &["WL203-ok-eu-hq-text-only", "WL203-ok-us-hq-eu-users"],
    run: Run::Check(check),
};

fn check(checker: &Checker, out: &mut Vec<Diagnostic>) {
    super::each_entry(checker, |cx, entry| {
        let use_policy = entry.use_policy.as_deref().and_then(|k| kb().key(k));
        for source in std::iter::once(entry).chain(use_policy) {
            cx.geographic(entry, source, out);
        }
    });
    for model in &checker.project.models {
        let cx = Cx {
            project: checker.project,
            config: checker.config,
            subject: Subject::Model(model),
        };
        cx.hub_gate(model, out);
    }
}

/// Whether a model takes more than text, and what says so.
enum Multimodal {
    Yes(String),
    No,
    Unknown,
}

const MULTIMODAL_TAGS: &[&str] = &[
    "image-text-to-text",
    "visual-question-answering",
    "image-to-text",
    "video-text-to-text",
    "any-to-any",
    "audio-text-to-text",
    "document-question-answering",
];

const TEXT_TAGS: &[&str] = &[
    "text-generation",
    "text2text-generation",
    "conversational",
    "feature-extraction",
    "fill-mask",
    "question-answering",
    "summarization",
    "translation",
    "text-classification",
    "token-classification",
    "sentence-similarity",
];

const MULTIMODAL_NAMES: &[&str] = &["vision", "-vl", "llava", "multimodal", "-omni"];

impl Cx<'_> {
    fn multimodal(&self, governing: &Entry) -> Multimodal {
        let (card, mut names, resolved): (_, Vec<&str>, Vec<&Resolved>) = match self.subject {
            Subject::Model(m) => (
                m.card.as_ref(),
                std::iter::once(m.name.as_str())
                    .chain(m.bases.iter().map(|b| b.id.as_str()))
                    .collect(),
                m.bases.iter().filter_map(|b| b.resolved.as_ref()).collect(),
            ),
            Subject::Code(c) => (None, vec![c.id.as_str()], c.resolved.iter().collect()),
        };
        if let Some(tag) = card.and_then(|c| c.str_field("pipeline_tag")) {
            if MULTIMODAL_TAGS.contains(&tag) {
                return Multimodal::Yes(format!("pipeline_tag: {tag}"));
            }
            if TEXT_TAGS.contains(&tag) {
                return Multimodal::No;
            }
        }
        let tags = card
            .and_then(|c| c.field("tags"))
            .map(|f| f.value.strings())
            .unwrap_or_default();
        if let Some(t) = tags
            .iter()
            .find(|t| matches!(t.to_ascii_lowercase().as_str(), "multimodal" | "vision"))
        {
            return Multimodal::Yes(format!("tag `{t}`"));
        }
        names.sort_unstable();
        for n in names {
            let lower = n.to_ascii_lowercase();
            if MULTIMODAL_NAMES.iter().any(|m| lower.contains(m)) {
                return Multimodal::Yes(format!("named `{n}`"));
            }
        }
        // What the catalogue knows about the model or its base.
        for r in resolved {
            match r.modality {
                Some(Modality::Multimodal) => {
                    return Multimodal::Yes(format!("per {}", r.via.describe()))
                }
                Some(Modality::Text) => return Multimodal::No,
                _ => {}
            }
        }
        match governing.modality {
            Some(Modality::Multimodal) => Multimodal::Yes(format!(
                "models under {} are multimodal",
                governing.the_name()
            )),
            Some(Modality::Text) => Multimodal::No,
            _ => Multimodal::Unknown,
        }
    }

    /// WL203: a license or its use policy excludes where the licensee is.
    fn geographic(&self, governing: &Entry, source: &Entry, out: &mut Vec<Diagnostic>) {
        let p = &self.config.product;
        let hq = p.headquarters.as_deref();
        for t in source
            .terms
            .iter()
            .filter(|t| t.kind == TermKind::GeographicRestriction)
        {
            let location = self.at(source, t.kind);
            let cite = if source.key == governing.key {
                t.clause.clone()
            } else {
                format!("{}, {}", source.name, t.clause)
            };
            let sanctions = "comprehensively-sanctioned-jurisdictions";
            if !t.has_scope("multimodal-models") && t.regions.iter().any(|r| r != sanctions) {
                self.territory(governing, t, hq, location, &cite, out);
            } else if t.regions.iter().any(|r| r == "EU") {
                self.eu_clause(governing, t, hq, location, &cite, out);
            } else if t
                .regions
                .iter()
                .any(|r| r == "comprehensively-sanctioned-jurisdictions")
            {
                self.sanctions(governing, hq, location, &cite, out);
            }
        }
    }

    /// A license whose territory leaves out some places for every model (Tencent Hunyuan:
    /// the EU, the UK and South Korea): a licensee there has no license.
    fn territory(
        &self,
        governing: &Entry,
        term: &Term,
        hq: Option<&str>,
        location: Location,
        cite: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        let name = &governing.name;
        let places: Vec<&str> = term
            .regions
            .iter()
            .map(String::as_str)
            .filter(|r| *r != "comprehensively-sanctioned-jurisdictions")
            .collect();
        let list = places.join(", ");
        let inside = hq.map(|hq| {
            places
                .iter()
                .any(|r| r.eq_ignore_ascii_case(hq) || (*r == "EU" && config::in_eu(hq)))
        });
        match inside {
            Some(false) => {}
            Some(true) => self.emit(
                out,
                &WL203,
                WL203.default_severity,
                location,
                format!("{name}: the license's territory leaves out {list}, and the licensee is in {}; nothing is licensed there", hq.unwrap_or("one of them")),
                format!("{} Have a licensee outside {list}, or use a model without this restriction ({cite}).", self.decided("headquarters")),
            ),
            None => self.emit(
                out,
                &WL203,
                Severity::Note,
                location,
                format!("{name}: the license's territory leaves out {list}; a licensee there has no license"),
                format!("Set `product.headquarters` to decide ({cite})."),
            ),
        }
    }

    fn eu_clause(
        &self,
        governing: &Entry,
        term: &Term,
        hq: Option<&str>,
        location: Location,
        cite: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        let name = &governing.name;
        let modal = if term.has_scope("multimodal-models") {
            self.multimodal(governing)
        } else {
            Multimodal::Yes("the restriction covers every model".to_string())
        };
        let hq_eu = hq.map(config::in_eu);
        match (modal, hq_eu) {
            (Multimodal::No, _) | (_, Some(false)) => {}
            (Multimodal::Yes(why), Some(true)) => self.emit(
                out,
                &WL203,
                WL203.default_severity,
                location,
                format!("{name}: multimodal models are not licensed to companies headquartered or individuals domiciled in the EU, and the licensee is in {}; this model is multimodal ({why})", hq.unwrap_or("the EU")),
                format!("{} End users of a product built by a non-EU licensee are not affected. Use a text-only model, or have a licensee outside the EU ({cite}).", self.decided("headquarters")),
            ),
            (Multimodal::Yes(why), None) => self.emit(
                out,
                &WL203,
                Severity::Note,
                location,
                format!("{name}: this model is multimodal ({why}), and the license grant excludes licensees domiciled or headquartered in the EU; end users are not affected"),
                format!("Set `product.headquarters` to decide ({cite})."),
            ),
            (Multimodal::Unknown, Some(true)) => self.emit(
                out,
                &WL203,
                Severity::Warning,
                location,
                format!("{name}: multimodal models are not licensed to EU-based licensees, the licensee is in {}, and nothing says whether this model is multimodal", hq.unwrap_or("the EU")),
                format!("{} Set the card's `pipeline_tag` (text-generation or image-text-to-text) so the question can be decided ({cite}).", self.decided("headquarters")),
            ),
            (Multimodal::Unknown, None) => self.emit(
                out,
                &WL203,
                Severity::Note,
                location,
                format!("{name}: multimodal models are not licensed to EU-based licensees; whether this model is multimodal is not stated"),
                format!("Set the card's `pipeline_tag` and `product.headquarters` to decide ({cite})."),
            ),
        }
    }

    fn sanctions(
        &self,
        governing: &Entry,
        hq: Option<&str>,
        location: Location,
        cite: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        let name = &governing.name;
        if let Some(h) = hq.filter(|h| config::SANCTIONED.contains(h)) {
            self.emit(
                out,
                &WL203,
                WL203.default_severity,
                location,
                format!("{name} may not be used from comprehensively sanctioned jurisdictions, and the licensee is in {h}"),
                format!("{} ({cite})", self.decided("headquarters")),
            );
            return;
        }
        let regions = self.config.product.regions.as_deref().unwrap_or_default();
        if let Some(r) = regions
            .iter()
            .find(|r| config::SANCTIONED.contains(&r.as_str()))
        {
            self.emit(
                out,
                &WL203,
                Severity::Warning,
                location,
                format!("{name} may not be used or downloaded from comprehensively sanctioned jurisdictions, and the product serves {r}"),
                format!("{} Check export and sanctions rules for that region ({cite}).", self.decided("regions")),
            );
        }
    }

    /// WL203 from the card's Hub gate: `extra_gated_eu_disallowed: true`.
    fn hub_gate(&self, model: &Model, out: &mut Vec<Diagnostic>) {
        let Some(card) = &model.card else {
            return;
        };
        let Some(field) = card
            .field("extra_gated_eu_disallowed")
            .filter(|f| f.value == crate::yaml::Value::Bool(true))
        else {
            return;
        };
        let location = Location::at(&card.path, field.line, 1);
        match self.config.product.headquarters.as_deref() {
            Some(h) if config::in_eu(h) => self.emit(
                out,
                &WL203,
                WL203.default_severity,
                location,
                format!("the card's Hub gate (`extra_gated_eu_disallowed: true`) withholds this model from EU-based users, and the licensee is in {h}"),
                self.decided("headquarters"),
            ),
            Some(_) => {}
            None => self.emit(
                out,
                &WL203,
                Severity::Note,
                location,
                "the card's Hub gate (`extra_gated_eu_disallowed: true`) withholds this model from EU-based users".to_string(),
                "Set `product.headquarters` to decide.".to_string(),
            ),
        }
    }
}
