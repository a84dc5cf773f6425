//! WL401 dataset-license-conflict: a training dataset's license (NC, ND, SA) conflicts
//! with the model's, named by a card's `datasets:` or loaded by code.

use crate::core::diagnostic::{Diagnostic, Location, Severity};
use crate::core::registry::WL401;
use crate::inventory::code::Kind;
use crate::license::expr::Named;
use crate::license::kb::{Commercial, Entry, TermKind};
use crate::project::{Model, Project};
use crate::rules::place::declared;
use crate::rules::{Checker, Run, Spec};

pub(crate) static SPEC: Spec = Spec {
    rule: &WL401,
    doc: include_str!("../docs/WL401.md"),
    fires: &[
        "WL401-copy-of-nc-data",
        "WL401-nc-data-apache-model",
        "WL401-named-dataset-in-recipe",
        "WL401-release-trained-on-nc-data",
    ],
    quiet: &[
        "WL401-ok-permissive-data",
        "WL401-ok-named-dataset-in-benchmark",
        "WL401-ok-library-links-nc-data",
    ],
    run: Run::Check(check),
};

const UNSETTLED: &str = "Whether a model trained on data is an adaptation of it is unsettled; check the dataset's terms, train without it, or record an exception with the legal view you rely on.";

fn check(cx: &Checker, out: &mut Vec<Diagnostic>) {
    for model in &cx.project.models {
        card_datasets(cx.project, model, out);
    }
    code_datasets(cx.project, out);
}

/// The datasets a card names, against the model's own license.
fn card_datasets(project: &Project, model: &Model, out: &mut Vec<Diagnostic>) {
    let own: Vec<&Entry> = declared(model)
        .unwrap_or_default()
        .iter()
        .filter_map(Named::entry)
        .collect();
    let permissive_model = !own.is_empty()
        && own
            .iter()
            .all(|e| e.commercial == Commercial::Yes && !e.binds_derivatives());
    for data in &model.datasets {
        let Some(resolved) = &data.resolved else {
            continue;
        };
        for entry in resolved.licenses.iter().filter_map(Named::entry) {
            // Share-alike data behind a model is the least settled case (BERT on
            // Wikipedia): a note, not a warning.
            let problem = if entry.commercial == Commercial::No && permissive_model {
                Some((format!(
                    "is {}, a non-commercial license, while the model is offered under a license that allows commercial use",
                    entry.name
                ), WL401.default_severity))
            } else if entry.has(TermKind::NoDerivatives) {
                Some((
                    format!("is {}, which allows no adaptations", entry.name),
                    WL401.default_severity,
                ))
            } else if entry.has(TermKind::ShareAlike)
                && !own.is_empty()
                && !own.iter().any(|e| e.has(TermKind::ShareAlike))
            {
                Some((
                    format!(
                        "is {}, a share-alike license, while the model's license is not",
                        entry.name
                    ),
                    Severity::Note,
                ))
            } else {
                None
            };
            let Some((problem, severity)) = problem else {
                continue;
            };
            let location = match &model.card {
                Some(card) => Location::at(&card.path, data.line, 1),
                None => project.model_location(model),
            };
            let mut d = Diagnostic::new(
                &WL401,
                location,
                format!("training dataset `{}` {problem}", data.id),
            );
            d.severity = severity;
            out.push(
                d.with_help(format!(
                    "{UNSETTLED} Resolved through {}.",
                    resolved.via.describe()
                ))
                .for_model(&model.path),
            );
        }
    }
}

/// How a dataset's license binds the models trained on it, if it does.
fn binds(entry: &Entry) -> Option<&'static str> {
    if entry.has(TermKind::NoDerivatives) {
        Some("allows no adaptations")
    } else if entry.has(TermKind::ShareAlike) {
        Some("is share-alike")
    } else if entry.commercial == Commercial::No {
        Some("is non-commercial")
    } else if entry.terms.iter().any(|t| {
        t.kind == TermKind::OutputRestriction && t.scope_tokens().any(|s| s.starts_with("train-"))
    }) {
        Some("restricts training other models on its outputs")
    } else {
        None
    }
}

/// Code that trains on a dataset whose license binds what is made from it, or that is
/// made from one whose license does (a copy, or a model's outputs): a note.
fn code_datasets(project: &Project, out: &mut Vec<Diagnostic>) {
    for (use_, resolved) in super::picked(project) {
        if use_.kind != Kind::Dataset {
            continue;
        }
        let at = Location::at(&use_.path, use_.line, use_.column);
        let own: Vec<(&Entry, &str)> = resolved
            .iter()
            .flat_map(|r| r.licenses.iter().filter_map(Named::entry))
            .filter_map(|e| Some((e, binds(e)?)))
            .collect();
        if let (Some(resolved), false) = (resolved, own.is_empty()) {
            for (entry, binds) in own {
                let mut d = Diagnostic::new(
                    &WL401,
                    at.clone(),
                    format!(
                        "dataset `{}` ({}) is under {}, which {binds}: models trained on it may carry its terms",
                        use_.shown_id(),
                        use_.loader.as_str(),
                        entry.the_name()
                    ),
                )
                .with_help(format!("{UNSETTLED} Resolved through {}.", resolved.via.describe()));
                d.severity = Severity::Note;
                out.push(d);
            }
            continue;
        }
        let Some((resolved, (upstream, licenses))) = use_
            .resolved
            .as_ref()
            .and_then(|r| Some((r, r.derived_from.as_ref()?)))
        else {
            continue;
        };
        for (entry, binds) in licenses
            .iter()
            .filter_map(Named::entry)
            .filter_map(|e| Some((e, binds(e)?)))
        {
            let mut d = Diagnostic::new(
                &WL401,
                at.clone(),
                format!(
                    "dataset `{}` ({}) is made from `{upstream}`, under {}, which {binds}: models trained on it may carry those terms, whatever the copy's own card says",
                    use_.shown_id(),
                    use_.loader.as_str(),
                    entry.the_name()
                ),
            )
            .with_help(format!(
                "A copy or a model's outputs keep the terms they came with; check both cards. {UNSETTLED} Resolved through {}.",
                resolved.via.describe()
            ));
            d.severity = Severity::Note;
            out.push(d);
        }
    }
}
