//! WL104 unidentified-license-text: a license file that matches no known license, or
//! fits two about equally well.

use crate::core::diagnostic::{Diagnostic, Location};
use crate::core::registry::WL104;
use crate::license::identify::{self, Fit, Method};
use crate::license::terms::Extracted;
use crate::rules::{Checker, Run, Spec};

pub(crate) static SPEC: Spec = Spec {
    rule: &WL104,
    doc: include_str!("../docs/WL104.md"),
    fires: &["WL104-unknown-text"],
    quiet: &["WL104-ok-known-text", "WL104-ok-header-template"],
    run: Run::Check(check),
};

fn check(cx: &Checker, out: &mut Vec<Diagnostic>) {
    for file in super::license_texts(&cx.project.license_files) {
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
                // At the text's first line, usually its title.
                let title = cx
                    .project
                    .texts
                    .get(&file.path)
                    .and_then(|t| t.lines().position(|l| !l.trim().is_empty()));
                let at = match title {
                    Some(i) => Location::at(&file.path, i + 1, 1),
                    None => Location::file(&file.path),
                };
                out.push(Diagnostic::new(&WL104, at, message).with_help(
                    "review the license and allow it by id, or add an exception with a reason",
                ))
            }
            Some(id) if id.method == Method::Pointer && id.name == identify::FILE_POINTER => {}
            Some(id) if id.method == Method::Pointer && id.key.is_none() => {
                out.push(Diagnostic::new(
                    &WL104,
                    super::at_line(file, id.line),
                    match &id.fit {
                        Fit::Modified { detail } => detail.clone(),
                        _ => "the file carries no license text".to_string(),
                    },
                ))
            }
            Some(id) => {
                if let Fit::Ambiguous { others } = &id.fit {
                    out.push(Diagnostic::new(
                        &WL104,
                        super::at_line(file, id.line),
                        format!(
                            "the text fits {} and {} about equally well; weightlint will not pick one",
                            id.id,
                            others.join(", ")
                        ),
                    ))
                }
            }
        }
    }
}

/// A term found in an unknown text, in a few words, with its line.
fn describe(t: &Extracted) -> String {
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
