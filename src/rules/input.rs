//! Input rules (WL900–WL902): files that could not be used as they are. The scan goes on
//! without them; these diagnostics keep the gate from failing open.

use crate::core::diagnostic::{Diagnostic, Location};
use crate::core::registry::{WL900, WL901, WL902};
use crate::core::source::ReadProblem;
use crate::project::{InputProblem, Project};

pub(super) fn check(project: &Project, out: &mut Vec<Diagnostic>) {
    for problem in &project.problems {
        out.push(match problem {
            InputProblem::Read {
                path,
                problem: p @ ReadProblem::TooLarge(..),
            } => Diagnostic::new(&WL902, Location::file(path), format!("skipped: {}", p.describe()))
                .with_help("move or rename the file if it is not a card or license, or list it under `ignore:`"),
            InputProblem::Read { path, problem } => Diagnostic::new(&WL900, Location::file(path), problem.describe())
                .with_help("store cards and license texts as readable UTF-8 plain text"),
            InputProblem::FrontMatter { path, problem } => Diagnostic::new(
                &WL901,
                Location::at(path, problem.line, problem.column),
                format!("malformed front matter: {}", problem.message),
            )
            .with_help("the Hub ignores metadata it cannot parse; fix the YAML so the card's license is seen"),
            InputProblem::Gguf { path, error } => Diagnostic::new(
                &WL900,
                Location::file(path),
                format!("GGUF header not read: {error}"),
            )
            .with_help("the license and base models in its metadata could not be checked; re-export the file"),
            InputProblem::Walk { path, message } => {
                Diagnostic::new(&WL900, Location::file(path), format!("could not be walked: {message}"))
            }
        });
    }
}
