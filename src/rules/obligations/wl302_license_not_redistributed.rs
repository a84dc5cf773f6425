//! WL302 license-not-redistributed: a license that must travel with the weights (or with
//! code whose header puts it under that license), and no copy of it in scope.

use crate::core::diagnostic::{Diagnostic, Location};
use crate::core::registry::WL302;
use crate::license::kb::{kb, TermKind};
use crate::rules::{Checker, Run, Spec};
use crate::walk::FileKind;

pub(crate) static SPEC: Spec = Spec {
    rule: &WL302,
    doc: include_str!("../docs/WL302.md"),
    fires: &[
        "WL302-llama-weights-without-license",
        "WL302-code-header-llama",
    ],
    quiet: &[
        "WL302-ok-license-shipped",
        "WL302-ok-code-header-license-copied",
    ],
    run: Run::Check(check),
};

fn check(cx: &Checker, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
    code_headers(cx, out);
    for (model, entry) in super::shipped(project) {
        let Some(term) = entry.terms.iter().find(|t| t.kind == TermKind::FlowDown) else {
            continue;
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
            continue;
        }
        out.push(
            Diagnostic::new(
                &WL302,
                project.model_location(model),
                format!("{} must travel with the model, and no copy of it is in scope", entry.the_name()),
            )
            .with_help(format!(
                "Add the license text as LICENSE beside the model ({}). It also carries the use restrictions and notices the license passes on.",
                term.clause
            ))
            .for_model(&model.path),
        );
    }
}

/// Source files whose header puts them under a license that must travel with them (Meta's
/// Llama code header), in a tree with no copy of that license anywhere: once per license,
/// at the first file.
fn code_headers(cx: &Checker, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
    let mut seen = std::collections::BTreeSet::new();
    let mut files: Vec<_> = project.file_licenses.iter().collect();
    files.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    for f in &files {
        let Some(entry) = kb().key(&f.license) else {
            continue;
        };
        let Some(term) = entry.terms.iter().find(|t| t.kind == TermKind::FlowDown) else {
            continue;
        };
        let copied = project.license_files.iter().any(|l| {
            l.identification
                .as_ref()
                .is_some_and(|id| id.id == entry.id || id.also.contains(&entry.id))
        });
        if copied || !seen.insert(entry.key.as_str()) {
            continue;
        }
        let more = files.iter().filter(|g| g.license == f.license).count() - 1;
        let others = match more {
            0 => String::new(),
            1 => " (and 1 more file)".to_string(),
            n => format!(" (and {n} more files)"),
        };
        out.push(
            Diagnostic::new(
                &WL302,
                Location::at(&f.path, f.line, 1),
                format!(
                    "this file's header puts it under {}{others}, which must travel with it, and no copy of that license is in the tree",
                    entry.the_name()
                ),
            )
            .with_help(format!(
                "Add the license text to the repository ({}), or replace the code with code under the repository's own license.",
                term.clause
            )),
        );
    }
}
