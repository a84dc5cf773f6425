//! WL900 unreadable-file: a candidate file that could not be read, a GGUF header that
//! could not be parsed, a directory that could not be walked, a `weightlint.lock` that
//! cannot be used.

use crate::core::diagnostic::{Diagnostic, Location};
use crate::core::registry::WL900;
use crate::core::source::ReadProblem;
use crate::project::InputProblem;
use crate::rules::{Checker, Run, Spec};

pub(crate) static SPEC: Spec = Spec {
    rule: &WL900,
    doc: include_str!("../docs/WL900.md"),
    fires: &["WL900-binary-license", "WL900-latin1-card"],
    quiet: &["WL900-ok-utf8"],
    run: Run::Check(check),
};

fn check(cx: &Checker, out: &mut Vec<Diagnostic>) {
    for problem in &cx.project.problems {
        let d = match problem {
            // Over the size cap: WL902's.
            InputProblem::Read {
                problem: ReadProblem::TooLarge(..),
                ..
            }
            | InputProblem::FrontMatter { .. } => continue,
            InputProblem::Read { path, problem } => Diagnostic::new(&WL900, Location::file(path), problem.describe())
                .with_help("store cards and license texts as readable UTF-8 plain text"),
            InputProblem::Gguf { path, error } => Diagnostic::new(
                &WL900,
                Location::file(path),
                format!("GGUF header not read: {error}"),
            )
            .with_help("the license and base models in its metadata could not be checked; re-export the file"),
            InputProblem::Walk { path, message } => {
                Diagnostic::new(&WL900, Location::file(path), format!("could not be walked: {message}"))
            }
            InputProblem::Lock { path, message } => Diagnostic::new(
                &WL900,
                Location::file(path),
                format!("the lock is not read: {message}; models resolve as if there were none"),
            )
            .with_help("run `weightlint lock` to write it again"),
        };
        out.push(d);
    }
}
