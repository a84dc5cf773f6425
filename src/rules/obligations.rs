//! Obligation rules (WL300–WL304): what a license asks of whoever distributes a model or
//! a derivative of it: a display string, a name prefix, a copy of the license, the use
//! restrictions, a notice. They apply to models the tree ships: with weights, or
//! derivatives (a card that names a base model).

use crate::core::diagnostic::{Diagnostic, Location};
use crate::core::registry::{WL300, WL301, WL302, WL303, WL304};
use crate::core::text::Normalised;
use crate::license::identify::Fit;
use crate::license::kb::{Entry, TermKind};
use crate::project::{Model, Project};
use crate::walk::FileKind;

pub(super) fn check(project: &Project, out: &mut Vec<Diagnostic>) {
    let docs = Docs::of(project);
    for model in &project.models {
        if model.weights.is_empty() && !model.is_derivative() {
            continue;
        }
        let entries: Vec<&Entry> = {
            let mut v: Vec<&Entry> = model.governing().filter_map(|n| n.entry()).collect();
            v.dedup_by(|a, b| a.key == b.key);
            v
        };
        for entry in entries {
            attribution(project, &docs, model, entry, out);
            naming(project, model, entry, out);
            copy(project, model, entry, out);
            restrictions(project, model, entry, out);
            notice(project, &docs, model, entry, out);
        }
    }
}

/// Lower case, runs of anything but letters and digits as one space.
fn normalise(text: &str) -> String {
    Normalised::words(text).text
}

/// The documentation of the tree, normalised: cards, READMEs and NOTICE files. License
/// texts are not documentation: a license quoting its own notice does not display it.
struct Docs(Vec<(String, String)>);

impl Docs {
    fn of(project: &Project) -> Self {
        let mut docs: Vec<(String, String)> = project
            .doc_paths
            .iter()
            .filter_map(|p| project.texts.get(p).map(|t| (p.clone(), normalise(t))))
            .collect();
        docs.sort();
        Docs(docs)
    }

    fn contains(&self, root: &str, phrase: &str) -> bool {
        let phrase = normalise(phrase);
        !phrase.is_empty()
            && self
                .0
                .iter()
                .any(|(p, t)| (root == "." || p.starts_with(root)) && t.contains(&phrase))
    }
}

fn card_line(project: &Project, model: &Model) -> Location {
    project.model_location(model)
}

/// WL300: "Built with Llama" and the like, nowhere in the docs. Where a license offers
/// several strings ("Built with Qwen" or "Improved using Qwen"), any one will do.
fn attribution(
    project: &Project,
    docs: &Docs,
    model: &Model,
    entry: &Entry,
    out: &mut Vec<Diagnostic>,
) {
    let root = project
        .roots
        .get(model.root)
        .map_or(".", |r| r.display.as_str());
    let wanted: Vec<(&str, &str)> = entry
        .terms
        .iter()
        .filter(|t| t.kind == TermKind::Attribution && t.has_scope("display-string"))
        .filter_map(|t| Some((t.text.as_deref()?, t.clause.as_str())))
        .collect();
    let Some(&(first, clause)) = wanted.first() else {
        return;
    };
    if wanted.iter().any(|(text, _)| docs.contains(root, text)) {
        return;
    }
    let quoted: Vec<String> = wanted.iter().map(|(t, _)| format!("\"{t}\"")).collect();
    out.push(
        Diagnostic::new(
            &WL300,
            card_line(project, model),
            format!(
                "the {} asks for {} to be displayed, and no card, README or NOTICE here says it",
                entry.name,
                quoted.join(" or ")
            ),
        )
        .with_help(format!("Display \"{first}\" prominently in the model card or the product's documentation ({clause})."))
        .for_model(&model.path),
    );
}

/// The names a model goes by: `model-index` name, `model_name`, its directory or card.
fn names(model: &Model) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(card) = &model.card {
        if let Some(crate::yaml::Value::List(items)) = card.field("model-index").map(|f| &f.value) {
            out.extend(items.iter().filter_map(|i| i.get("name")?.scalar_text()));
        }
        out.extend(card.str_field("model_name").map(str::to_string));
    }
    out.push(model.name.clone());
    out
}

/// WL301: a derivative's name must begin with the prefix its base license requires.
fn naming(project: &Project, model: &Model, entry: &Entry, out: &mut Vec<Diagnostic>) {
    if !model.is_derivative()
        || model
            .relation
            .as_ref()
            .is_some_and(|(r, _)| r == "quantized")
    {
        return;
    }
    for t in entry
        .terms
        .iter()
        .filter(|t| t.kind == TermKind::DerivativeNaming)
    {
        let Some(prefix) = t.prefix.as_deref() else {
            continue;
        };
        let want = normalise(prefix);
        let names = names(model);
        if names.iter().any(|n| normalise(n).starts_with(&want)) {
            continue;
        }
        let location = match (
            &model.card,
            model.card.as_ref().and_then(|c| c.field("model-index")),
        ) {
            (Some(card), Some(f)) => Location::at(&card.path, f.line, 1),
            _ => card_line(project, model),
        };
        out.push(
            Diagnostic::new(
                &WL301,
                location,
                format!(
                    "`{}` derives from a model under the {}, which requires a distributed derivative's name to begin with \"{prefix}\"",
                    names.first().map_or(model.name.as_str(), String::as_str),
                    entry.name
                ),
            )
            .with_help(format!("Rename it (\"{prefix}-…\"), in `model-index` and the repository name ({}).", t.clause))
            .for_model(&model.path),
        );
    }
}

/// WL302: a license that must travel with the weights, and no copy of it in scope.
fn copy(project: &Project, model: &Model, entry: &Entry, out: &mut Vec<Diagnostic>) {
    let Some(term) = entry.terms.iter().find(|t| t.kind == TermKind::FlowDown) else {
        return;
    };
    let files: Vec<_> = model
        .license_files
        .iter()
        .map(|&i| &project.license_files[i])
        .collect();
    let shipped = files.iter().any(|f| {
        f.kind == FileKind::License
            && f.identification
                .as_ref()
                .is_some_and(|id| id.id == entry.id || id.also.contains(&entry.id))
    });
    // A text weightlint cannot read or name gets the benefit of the doubt (WL900, WL104).
    let unknown = files
        .iter()
        .any(|f| f.kind == FileKind::License && (!f.readable || f.identification.is_none()));
    if shipped || unknown {
        return;
    }
    out.push(
        Diagnostic::new(
            &WL302,
            card_line(project, model),
            format!("the {} must travel with the model, and no copy of it is in scope", entry.name),
        )
        .with_help(format!(
            "Add the license text as LICENSE beside the model ({}). It also carries the use restrictions and notices the license passes on.",
            term.clause
        ))
        .for_model(&model.path),
    );
}

/// WL303: a derivative ships its base license's text with clauses missing.
fn restrictions(project: &Project, model: &Model, entry: &Entry, out: &mut Vec<Diagnostic>) {
    let restricted = entry.use_policy.is_some()
        || entry.has(TermKind::UseRestrictions)
        || entry.has(TermKind::AcceptableUsePolicy);
    if !model.is_derivative() || !restricted {
        return;
    }
    for &i in &model.license_files {
        let f = &project.license_files[i];
        if f.kind != FileKind::License {
            continue;
        }
        let Some(id) = f.identification.as_ref().filter(|id| id.id == entry.id) else {
            continue;
        };
        if let Fit::Modified { detail } = &id.fit {
            out.push(
                Diagnostic::new(
                    &WL303,
                    Location::at(&f.path, id.line.unwrap_or(1), 1),
                    format!("this copy of the {} is edited ({detail}), so the use restrictions may not reach recipients of the derivative", entry.name),
                )
                .with_help("Ship the license unedited: its use restrictions must bind everyone downstream.")
                .for_model(&model.path),
            );
        }
    }
}

/// WL304: a fixed notice the license asks to ship, found nowhere.
fn notice(project: &Project, docs: &Docs, model: &Model, entry: &Entry, out: &mut Vec<Diagnostic>) {
    let root = project
        .roots
        .get(model.root)
        .map_or(".", |r| r.display.as_str());
    for t in entry
        .terms
        .iter()
        .filter(|t| t.kind == TermKind::Notice && t.has_scope("notice-text"))
    {
        let Some(text) = t.text.as_deref() else {
            continue;
        };
        // The first sentence carries it; copyright lines vary in symbols.
        let head = text.split(", Copyright").next().unwrap_or(text);
        if docs.contains(root, head) {
            continue;
        }
        out.push(
            Diagnostic::new(
                &WL304,
                card_line(project, model),
                format!("the {} asks for a notice to ship with the model, and no NOTICE, card or README here carries it", entry.name),
            )
            .with_help(format!("Add a NOTICE file with: \"{text}\" ({}).", t.clause))
            .for_model(&model.path),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_ignores_case_and_punctuation() {
        assert_eq!(normalise("Built  with\nLLAMA!"), "built with llama");
        assert_eq!(normalise("Llama-3.1 Instruct"), "llama 3 1 instruct");
    }
}
