//! Declaration rules (WL100–WL106): what a card declares, and whether the license texts
//! in the tree agree with it.

use crate::core::diagnostic::{Diagnostic, Location};
use crate::core::registry::{WL100, WL101, WL102, WL103, WL104, WL105, WL106};
use crate::license::expr::Problem;
use crate::license::identify::{Fit, Method};
use crate::project::{linked_file, LicenseFile, Model, Project};
use crate::walk::FileKind;

/// Below this confidence a text's identity is too uncertain to call a mismatch.
const MISMATCH_CONFIDENCE: f32 = 0.9;

pub(super) fn check(project: &Project, out: &mut Vec<Diagnostic>) {
    for model in &project.models {
        declaration(model, out);
        missing(model, project, out);
        mismatch(model, project, out);
    }
    for file in &project.license_files {
        text(file, out);
    }
}

fn card_location(model: &Model, line: usize) -> Location {
    match &model.card {
        Some(card) => Location::at(&card.path, line, 1),
        None => Location::file(
            model
                .weights
                .first()
                .cloned()
                .unwrap_or_else(|| model.path.clone()),
        ),
    }
}

fn declaration(model: &Model, out: &mut Vec<Diagnostic>) {
    let Some(declared) = &model.declared else {
        return;
    };
    let at = card_location(model, declared.line);
    for problem in &declared.resolution.problems {
        let d = match problem {
            Problem::Invalid { reason, .. } => Diagnostic::new(&WL101, at.clone(), format!("invalid license: {reason}"))
                .with_help("use a Hub license id or an SPDX expression; `weightlint licenses` lists the known ids"),
            Problem::Ambiguous { text, advice } => Diagnostic::new(
                &WL106,
                at.clone(),
                format!("`{text}` does not say which license applies: {advice}"),
            ),
            Problem::UnnamedOther => Diagnostic::new(
                &WL102,
                at.clone(),
                "`license: other` names no license: `license_name` and `license_link` are both missing",
            )
            .with_help("add `license_name: <id>` and `license_link: <file or URL>`"),
            // Handled by WL100 together with the license files in scope.
            Problem::Unknown => continue,
        };
        out.push(d.for_model(&model.path));
    }
}

fn missing(model: &Model, project: &Project, out: &mut Vec<Diagnostic>) {
    let card = model.card.as_ref();
    let declared_unknown = model
        .declared
        .as_ref()
        .is_some_and(|d| d.resolution.problems.contains(&Problem::Unknown));
    let declares_something = model.declared.as_ref().is_some_and(|d| {
        !d.resolution.problems.contains(&Problem::Unknown)
            && !matches!(d.value, crate::yaml::Value::Null)
    });
    if declares_something {
        return;
    }
    // A card whose YAML broke is reported by WL901; its license may be in the broken part.
    if card.is_some_and(|c| c.problem.is_some()) && model.declared.is_none() {
        return;
    }
    let has_text = model
        .license_files
        .iter()
        .map(|&i| &project.license_files[i])
        .any(|f| f.kind == FileKind::License && f.readable);
    if has_text {
        return;
    }
    let plural = card.and_then(|c| c.field("licenses"));
    let line = model
        .declared
        .as_ref()
        .map(|d| d.line)
        .or(plural.map(|f| f.line))
        .unwrap_or(1);
    let what = if declared_unknown {
        format!(
            "model `{}` declares `license: unknown` and no license file is in scope",
            model.name
        )
    } else if card.is_some() {
        format!(
            "model `{}` declares no license and no license file is in scope",
            model.name
        )
    } else {
        format!(
            "weights in `{}` have no model card and no license file in scope",
            model.path
        )
    };
    let help = if plural.is_some() {
        "the Hub reads `license:`, not `licenses:`; rename the key"
    } else {
        "add `license:` to the card's front matter and ship the license text beside the weights"
    };
    out.push(
        Diagnostic::new(&WL100, card_location(model, line), what)
            .with_help(help)
            .for_model(&model.path),
    );
}

/// Whether a text identified as `found` is one of the declared licenses.
fn agrees(
    declared: &crate::license::expr::Named,
    found: &crate::license::identify::Identification,
) -> bool {
    if declared.id.eq_ignore_ascii_case(&found.id) {
        return true;
    }
    match (declared.entry(), found.entry()) {
        (Some(d), Some(f)) => d.key == f.key || (d.ambiguous && d.family == f.family),
        _ => false,
    }
}

fn mismatch(model: &Model, project: &Project, out: &mut Vec<Diagnostic>) {
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

fn text(file: &LicenseFile, out: &mut Vec<Diagnostic>) {
    if !file.readable || file.kind != FileKind::License {
        return;
    }
    let at_line = |line: Option<usize>| match line {
        Some(l) => Location::at(&file.path, l, 1),
        None => Location::file(&file.path),
    };
    match &file.identification {
        None => {
            let message = if file.terms.is_empty() {
                "the license text matches no license weightlint knows; no terms could be extracted".to_string()
            } else {
                let listed: Vec<String> = file.terms.iter().map(describe).collect();
                format!(
                    "the license text matches no license weightlint knows; terms it states: {}",
                    listed.join("; ")
                )
            };
            out.push(
                Diagnostic::new(&WL104, Location::file(&file.path), message)
                    .with_help("review the license and allow it by id, or add an exception with a reason"),
            )
        }
        Some(id) if id.method == Method::Pointer && id.key.is_none() => out.push(Diagnostic::new(
            &WL104,
            at_line(id.line),
            match &id.fit {
                Fit::Modified { detail } => detail.clone(),
                _ => "the file carries no license text".to_string(),
            },
        )),
        Some(id) => match &id.fit {
            Fit::Exact => {}
            Fit::Modified { detail } => out.push(
                Diagnostic::new(
                    &WL105,
                    at_line(id.line),
                    format!("the text is a modified {} (confidence {:.2}): {detail}", id.name, id.confidence),
                )
                .with_help("ship the unmodified license text, or name the edited license as a license of its own"),
            ),
            Fit::Ambiguous { others } => out.push(Diagnostic::new(
                &WL104,
                at_line(id.line),
                format!(
                    "the text fits {} and {} about equally well; weightlint will not pick one",
                    id.id,
                    others.join(", ")
                ),
            )),
        },
    }
}

fn describe(t: &crate::license::terms::Extracted) -> String {
    let mut s = t.kind.as_str().to_string();
    if let Some(v) = t.value {
        s.push_str(&format!(" {v}"));
    } else if let Some(text) = &t.text {
        let short: String = text.chars().take(60).collect();
        s.push_str(&format!(" \"{short}\""));
    }
    if !t.regions.is_empty() {
        s.push_str(&format!(" {}", t.regions.join(",")));
    }
    format!("{s} (line {})", t.line)
}
