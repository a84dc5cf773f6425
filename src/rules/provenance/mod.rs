//! Provenance rules (WL400–WL404): licenses travel with weights. A fine-tune, adapter,
//! quantization or merge stays under its base model's terms; data licenses follow the
//! data; code that loads a hub model takes on its terms.

pub(super) mod wl400_base_model_license_conflict;
pub(super) mod wl401_dataset_license_conflict;
pub(super) mod wl402_unresolved_base_model;
pub(super) mod wl403_restricted_model_in_code;
pub(super) mod wl404_unknown_license;

use crate::core::text::fmt_count;
use crate::license::kb::{kb, Entry, Term, TermKind};
use crate::project::{CodeUse, Project};
use crate::provenance::Resolved;

/// Resolved to a custom license whose terms no entry holds (`other`, `unknown`): as
/// unknown as not resolved at all.
fn custom(use_: &CodeUse) -> bool {
    use_.resolved.as_ref().is_some_and(|r| {
        r.licenses.iter().all(|n| {
            n.entry()
                .is_none_or(|e| matches!(e.key.as_str(), "other" | "unknown"))
        })
    })
}

/// The code uses that pick one model or dataset (not a list of supported ones), with what
/// they resolved to when it names known terms.
fn picked(project: &Project) -> impl Iterator<Item = (&CodeUse, Option<&Resolved>)> {
    project
        .code_uses
        .iter()
        .filter(|u| !u.listed)
        .map(|u| (u, u.resolved.as_ref().filter(|_| !custom(u))))
}

/// A geographic restriction in a few words.
fn region_text(t: &Term) -> String {
    let regions: Vec<&str> = t
        .regions
        .iter()
        .map(|r| match r.as_str() {
            "comprehensively-sanctioned-jurisdictions" => "sanctioned jurisdictions",
            other => other,
        })
        .collect();
    if t.has_scope("multimodal-models") {
        format!(
            "multimodal models not licensed to {}-based licensees",
            regions.join(", ")
        )
    } else {
        format!("excludes licensees in {}", regions.join(", "))
    }
}

/// The terms of a license that depend on the product, in a few words each.
fn product_terms(entry: &Entry) -> Vec<String> {
    let mut out = Vec::new();
    for t in &entry.terms {
        let text = match t.kind {
            TermKind::MauThreshold => t
                .value
                .map(|v| format!("{} monthly active users", fmt_count(v))),
            TermKind::DauThreshold => t
                .value
                .map(|v| format!("{} daily active users", fmt_count(v))),
            TermKind::RevenueThreshold => t
                .value
                .map(|v| format!("US${} annual revenue", fmt_count(v))),
            TermKind::NonCommercial => Some("non-commercial".to_string()),
            TermKind::ResearchOnly => Some("research only".to_string()),
            TermKind::NonProduction => Some("non-production".to_string()),
            TermKind::GeographicRestriction => Some(region_text(t)),
            TermKind::OutputRestriction if t.scope_tokens().any(|s| s.starts_with("train-")) => {
                Some("restricts training on outputs".to_string())
            }
            TermKind::UseRestrictions => {
                Some("use restrictions that derivatives must carry".to_string())
            }
            _ => None,
        };
        if let Some(text) = text {
            if !out.contains(&text) {
                out.push(text);
            }
        }
    }
    if let Some(aup) = entry.use_policy.as_deref().and_then(|k| kb().key(k)) {
        for t in aup
            .terms
            .iter()
            .filter(|t| t.kind == TermKind::GeographicRestriction)
        {
            let text = region_text(t);
            if !out.contains(&text) {
                out.push(text);
            }
        }
    }
    out
}
