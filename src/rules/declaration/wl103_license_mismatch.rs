//! WL103 license-mismatch: the declared license differs from the license text beside it,
//! or from the license a GGUF file's header names.

use crate::core::diagnostic::{Diagnostic, Location, Severity};
use crate::core::registry::WL103;
use crate::inventory::code::Kind;
use crate::inventory::prose::About;
use crate::license::expr::{self, Named};
use crate::license::identify::{Fit, Identification};
use crate::license::kb::{kb, Entry};
use crate::project::{linked_file, DocDeclaration, LicenseFile, Model, Project};
use crate::rules::place::{card_location, declared, declared_location};
use crate::rules::{Checker, Run, Spec};
use crate::walk::FileKind;

pub(crate) static SPEC: Spec = Spec {
    rule: &WL103,
    doc: include_str!("../docs/WL103.md"),
    fires: &[
        "WL103-finetune-relabelled",
        "WL103-gguf-llama-under-apache",
        "WL103-weights-license-contradicted",
        "WL103-readme-weights-vs-linked-derivative",
    ],
    quiet: &["WL103-ok-matching", "WL103-ok-weights-license-stated"],
    run: Run::Check(check),
};

/// Below this confidence a text's identity is too uncertain to call a mismatch.
const MISMATCH_CONFIDENCE: f32 = 0.9;

fn check(cx: &Checker, out: &mut Vec<Diagnostic>) {
    for model in &cx.project.models {
        text_mismatch(cx.project, model, out);
        gguf_mismatch(cx.project, model, out);
    }
    prose_mismatch(cx.project, out);
}

/// A README that says its weights are under a permissive license, and links a model of the
/// same organisation as its own release whose license restricts use (MiniCPM's README:
/// "model weights … open-sourced under the Apache-2.0 license", linking
/// `openbmb/MiniCPM-Llama3-V-2_5`, a Llama 3 derivative): the first such link is named.
fn release_mismatch(
    project: &Project,
    d: &DocDeclaration,
    said: &Entry,
    out: &mut Vec<Diagnostic>,
) {
    let Some(org) = project
        .models
        .iter()
        .filter(|m| m.root == d.root)
        .find_map(|m| m.released_as.as_ref())
        .and_then(|r| r.id.split_once('/').map(|(o, _)| o))
    else {
        return;
    };
    let linked = project.code_uses.iter().filter(|u| {
        u.path == d.path
            && u.kind == Kind::Model
            && u.id
                .split_once('/')
                .is_some_and(|(o, _)| o.eq_ignore_ascii_case(org))
    });
    for u in linked {
        let Some(found) = u
            .resolved
            .iter()
            .flat_map(|r| r.licenses.iter().filter_map(Named::entry))
            .find(|e| e.key != said.key && !e.osi_approved && e.restricts_use())
        else {
            continue;
        };
        let mut diagnostic = Diagnostic::new(
            &WL103,
            Location::at(&d.path, d.declaration.line, 1),
            format!(
                "this says the weights are under {} (\"{}\"), but `{}`, linked on line {}, is under {}{}",
                said.the_name(),
                d.declaration.sentence,
                u.shown_id(),
                u.line,
                found.the_name(),
                if u.by_name() { " (by its name a derivative)" } else { "" }
            ),
        )
        .with_help("A derivative keeps its base model's license; say which weights are under which license.".to_string());
        diagnostic.severity = Severity::Warning;
        out.push(diagnostic);
        return;
    }
}

/// A README or model card that says the data (or the weights) are under one license, beside
/// a `DATA_LICENSE` (or `LICENSE-MODEL`, `WEIGHT_DIFF_LICENSE`) that is another.
fn prose_mismatch(project: &Project, out: &mut Vec<Diagnostic>) {
    for d in &project.declarations {
        let said = &d.declaration;
        let Some(entry) = kb().key(&said.license) else {
            continue;
        };
        if said.about == About::Weights {
            release_mismatch(project, d, entry, out);
        }
        let for_it = |f: &&LicenseFile| {
            let name = f.path.rsplit('/').next().unwrap_or("").to_ascii_uppercase();
            f.root == d.root
                && f.rel_dir.is_empty()
                && match said.about {
                    About::Data => name.contains("DATA"),
                    About::Weights => name.contains("MODEL") || name.contains("WEIGHT"),
                }
        };
        for f in project.license_files.iter().filter(for_it) {
            let Some(found) = f
                .identification
                .as_ref()
                .filter(|i| i.confidence >= MISMATCH_CONFIDENCE)
            else {
                continue;
            };
            if agrees(&Named::from_entry(entry), found) {
                continue;
            }
            let what = match said.about {
                About::Data => "the data is",
                About::Weights => "the weights are",
            };
            let text_is = found
                .entry()
                .map_or_else(|| found.name.clone(), |e| e.the_name());
            let mut diagnostic = Diagnostic::new(
                &WL103,
                Location::at(&d.path, said.line, 1),
                format!(
                    "this says {what} under {} (\"{}\"), but {} is {text_is}",
                    entry.the_name(),
                    said.sentence,
                    f.path,
                ),
            )
            .with_help(format!(
                "Say the license {} states, or replace {} if the terms changed; users read both.",
                f.path, f.path
            ));
            // A sentence is weaker evidence than a card's `license:` key.
            diagnostic.severity = Severity::Warning;
            out.push(diagnostic);
        }
    }
}

/// Whether a text identified as `found` is one of the declared licenses.
fn agrees(declared: &Named, found: &Identification) -> bool {
    if declared.id.eq_ignore_ascii_case(&found.id) {
        return true;
    }
    match (declared.entry(), found.entry()) {
        (Some(d), Some(f)) => d.key == f.key || (d.ambiguous && d.family == f.family),
        _ => false,
    }
}

/// The card against the license texts beside it and the one `license_link` names.
fn text_mismatch(project: &Project, model: &Model, out: &mut Vec<Diagnostic>) {
    let Some(declared) = &model.declared else {
        return;
    };
    let named = &declared.resolution.licenses;
    // An unknown custom license cannot be compared with anything.
    if named.is_empty()
        || named
            .iter()
            .any(|n| n.entry().is_none() && n.id.starts_with("LicenseRef-"))
    {
        return;
    }
    let mut texts: Vec<usize> = model.beside.clone();
    if let Some((link, _)) = &declared.license_link {
        if let Some(i) = linked_file(link, model, &project.license_files) {
            texts.push(i);
        }
    }
    texts.sort_unstable();
    texts.dedup();
    let confident: Vec<&LicenseFile> = texts
        .iter()
        .map(|&i| &project.license_files[i])
        .filter(|f| f.kind == FileKind::License && !f.for_code)
        .filter(|f| {
            f.identification.as_ref().is_some_and(|id| {
                id.key.is_some()
                    && id.confidence >= MISMATCH_CONFIDENCE
                    && matches!(id.fit, Fit::Exact)
            })
        })
        .collect();
    if confident.is_empty() {
        return;
    }
    let any_agrees = confident.iter().any(|f| {
        let id = f.identification.as_ref();
        named.iter().any(|n| id.is_some_and(|id| agrees(n, id)))
    });
    if any_agrees {
        return;
    }
    let found: Vec<String> = confident
        .iter()
        .filter_map(|f| {
            f.identification
                .as_ref()
                .map(|id| format!("`{}` is the {}", f.path, id.name))
        })
        .collect();
    let declared_names: Vec<&str> = named.iter().map(|n| n.name.as_str()).collect();
    out.push(
        Diagnostic::new(
            &WL103,
            card_location(model, declared.line),
            format!(
                "the card declares `{}` ({}), but {}",
                declared.as_written(),
                declared_names.join(", "),
                found.join("; ")
            ),
        )
        .with_help("declare the license the text is, or ship the text of the license you declare")
        .for_model(&model.path),
    );
}

/// GGUF weights: the header's `general.license` against the card.
fn gguf_mismatch(project: &Project, model: &Model, out: &mut Vec<Diagnostic>) {
    let Some(own) = declared(model) else { return };
    for (path, meta) in &model.gguf {
        let Some(written) = meta.license.as_deref() else {
            continue;
        };
        let mut res = expr::resolve_str(written);
        res.resolve_other(meta.license_name.as_deref(), None, false);
        // A name the knowledge base does not know cannot be compared with the card's.
        let theirs: Vec<Named> = res
            .licenses
            .into_iter()
            .filter(|n| n.key.is_some() || !n.id.starts_with("LicenseRef-"))
            .collect();
        if theirs.is_empty() || theirs.iter().any(|t| own.iter().any(|o| o.id == t.id)) {
            continue;
        }
        let names: Vec<&str> = theirs.iter().map(|n| n.name.as_str()).collect();
        out.push(
            Diagnostic::new(
                &WL103,
                declared_location(project, model),
                format!(
                    "the card declares {}, but the GGUF header of {path} says `general.license: {written}` ({})",
                    own.iter().map(|n| n.id.as_str()).collect::<Vec<_>>().join(" + "),
                    names.join(", ")
                ),
            )
            .with_help("A quantization keeps its base model's license: declare the license the weights carry, or fix the header when re-exporting.")
            .for_model(&model.path),
        );
    }
}
