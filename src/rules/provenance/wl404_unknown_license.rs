//! WL404 unknown-license: code uses a model or dataset whose license nothing resolves,
//! once per id and file.

use std::collections::HashSet;

use crate::core::diagnostic::{Diagnostic, Location};
use crate::core::registry::WL404;
use crate::inventory::code::{Kind, Loader};
use crate::rules::{Checker, Run, Spec};

pub(crate) static SPEC: Spec = Spec {
    rule: &WL404,
    doc: include_str!("../docs/WL404.md"),
    fires: &["WL404-unknown-model", "WL404-vendored-weights"],
    quiet: &[
        "WL404-ok-known-model",
        "WL404-ok-locked",
        "WL404-ok-vendored-weights-licensed",
    ],
    run: Run::Check(check),
};

fn check(cx: &Checker, out: &mut Vec<Diagnostic>) {
    // Weights vendored in the code tree: the repository's LICENSE is for its own work.
    for c in cx.project.components.iter().filter(|c| !c.licensed) {
        let Some(first) = c.weights.first() else {
            continue;
        };
        let more = match c.weights.len() {
            1 => String::new(),
            n => format!(" (and {} more in `{}`)", n - 1, c.path),
        };
        out.push(
            Diagnostic::new(
                &WL404,
                Location::file(first),
                format!(
                    "license unknown: the weights file `{first}`{more} sits in the code tree with no card, config or license of its own; the repository's license covers its own work, not third-party weights it vendors"
                ),
            )
            .with_help("Find where the file comes from and ship its license and copyright notice beside it, or record the decision under `policy.exceptions`.".to_string()),
        );
    }
    let mut seen = HashSet::new();
    for (use_, resolved) in super::picked(cx.project) {
        // A data file in a GitHub repository the catalogue does not know says too little
        // (label maps, fixtures, benchmark tables) to be worth a note.
        // Nor is a dataset a release's README only links.
        let unknown_data_file =
            matches!(use_.loader, Loader::DataUrl | Loader::DatasetLink) && use_.resolved.is_none();
        // The repository's own release: its license is its Hub card's, and WL501/WL502 say
        // what the repository documents of it.
        let own_release = cx.project.models.iter().any(|m| {
            m.released_as
                .as_ref()
                .is_some_and(|r| r.id.eq_ignore_ascii_case(&use_.id))
        });
        if resolved.is_some()
            || unknown_data_file
            || own_release
            || !seen.insert((use_.path.as_str(), use_.id.to_ascii_lowercase()))
        {
            continue;
        }
        let message = if super::custom(use_) {
            format!(
                "license unknown: {} `{}` ({}) is under a custom license whose terms weightlint does not know; verify them before shipping",
                use_.kind.as_str(),
                use_.id,
                use_.loader.as_str()
            )
        } else {
            format!(
                "license unknown: {} `{}` ({}) is not in the repository, weightlint.lock, the local Hugging Face cache or weightlint's catalogue; verify its license before shipping",
                use_.kind.as_str(),
                use_.id,
                use_.loader.as_str()
            )
        };
        let help = if use_.id.contains(':') {
            "Read the license where the model is published; record the decision under `policy.exceptions`.".to_string()
        } else {
            format!(
                "Run `weightlint lock` to record the license of https://huggingface.co/{}{} from its Hub card in weightlint.lock (read offline from then on), or read it there and record the decision under `policy.exceptions`.",
                if use_.kind == Kind::Dataset { "datasets/" } else { "" },
                use_.id
            )
        };
        out.push(
            Diagnostic::new(
                &WL404,
                Location::at(&use_.path, use_.line, use_.column),
                message,
            )
            .with_help(help),
        );
    }
}
