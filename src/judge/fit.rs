//! Use-case fitness: whether a classified model suits each use case of the config, with
//! the reason that decides it.

use serde::Serialize;

use crate::config::presets::{preset, UseCase};
use crate::config::{Distribution, Require};
use crate::core::text::fmt_count;
use crate::license::expr::Named;
use crate::license::kb::TermKind;
use crate::openness::{Openness, Status, Verdict};

/// Whether a model fits a use case, with the reason that decides it.
#[derive(Clone, Debug, Serialize)]
pub struct Fit {
    pub use_case: &'static str,
    pub fit: bool,
    pub reason: String,
}

/// How well a classified model suits each use case.
pub fn fit(cases: &[UseCase], openness: &Openness, licenses: &[Named]) -> Vec<Fit> {
    let entries: Vec<_> = licenses.iter().filter_map(Named::entry).collect();
    let has = |k: TermKind| entries.iter().any(|e| e.has(k));
    let non_commercial = entries.iter().any(|e| e.non_commercial());
    let non_production = has(TermKind::NonProduction);
    let lacking = |name: &str| {
        openness
            .dimension(name)
            .is_some_and(|d| d.status == Status::No)
    };
    let thresholds: Vec<String> = entries
        .iter()
        .flat_map(|e| &e.terms)
        .filter_map(|t| {
            let v = fmt_count(t.value?);
            match t.kind {
                TermKind::MauThreshold => Some(format!("{v} monthly active users")),
                TermKind::RevenueThreshold => Some(format!("US${v} annual revenue")),
                TermKind::DauThreshold => Some(format!("{v} daily active users")),
                _ => None,
            }
        })
        .collect();
    let restricted = openness
        .dimension("licensing")
        .is_some_and(|d| d.status == Status::Restricted);
    cases
        .iter()
        .map(|&case| {
            let p = preset(case);
            let mut why: Vec<String> = Vec::new();
            if openness.verdict == Verdict::Closed {
                why.push("no weights released".to_string());
            }
            if p.require == Require::OpenSourceAi && openness.verdict != Verdict::OpenSourceAi {
                if lacking("training data") {
                    why.push("training data not documented".to_string());
                }
                if lacking("training code") {
                    why.push("training code not released".to_string());
                }
                if restricted {
                    why.push("license restricts field of use".to_string());
                } else if lacking("licensing") {
                    why.push("no license identified".to_string());
                } else if why.is_empty() {
                    why.push(openness.summary.clone());
                }
            }
            if p.commercial == Some(true) && non_commercial {
                why.push("license is non-commercial or research-only".to_string());
            }
            if matches!(
                p.distribution,
                Some(Distribution::Saas | Distribution::OnDevice | Distribution::Internal)
            ) && non_production
            {
                why.push("license allows no production use".to_string());
            }
            let fit = why.is_empty();
            let reason = if fit {
                match (p.require, case) {
                    (Require::OpenSourceAi, _) => {
                        "Open Source AI: weights, data information and code released".to_string()
                    }
                    (_, UseCase::Edge) => {
                        "open weights; a quantization keeps this license".to_string()
                    }
                    _ if thresholds.is_empty() => format!(
                        "{} model; its license allows this use",
                        openness.verdict.as_str()
                    ),
                    _ => format!(
                        "{} model; its license allows this use up to {}",
                        openness.verdict.as_str(),
                        thresholds.join(" and ")
                    ),
                }
            } else {
                why.join("; ")
            };
            Fit {
                use_case: p.name,
                fit,
                reason,
            }
        })
        .collect()
}
