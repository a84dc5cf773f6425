//! WL105 modified-license-text: a license text that matches a known license only partly.

use crate::core::diagnostic::Diagnostic;
use crate::core::registry::WL105;
use crate::license::identify::{Fit, Method};
use crate::rules::{Checker, Run, Spec};

pub(crate) static SPEC: Spec = Spec {
    rule: &WL105,
    doc: include_str!("../docs/WL105.md"),
    fires: &["WL105-edited-llama"],
    quiet: &["WL105-ok-complete"],
    run: Run::Check(check),
};

fn check(cx: &Checker, out: &mut Vec<Diagnostic>) {
    for file in super::license_texts(&cx.project.license_files) {
        let Some(id) = &file.identification else {
            continue;
        };
        // A pointer to a license that names no known one is WL104's.
        if id.method == Method::Pointer && id.key.is_none() {
            continue;
        }
        if let Fit::Modified { detail } = &id.fit {
            out.push(
                Diagnostic::new(
                    &WL105,
                    super::at_line(file, id.line),
                    format!(
                        "the text is a modified {} (confidence {:.2}): {detail}",
                        id.name, id.confidence
                    ),
                )
                .with_help("ship the unmodified license text, or name the edited license as a license of its own"),
            );
        }
    }
}
