//! WL902 file-skipped: a file over the size cap was not read.

use crate::core::diagnostic::{Diagnostic, Location};
use crate::core::registry::WL902;
use crate::core::source::ReadProblem;
use crate::project::InputProblem;
use crate::rules::{Checker, Run, Spec};

pub(crate) static SPEC: Spec = Spec {
    rule: &WL902,
    doc: include_str!("../docs/WL902.md"),
    fires: &["WL902-oversized-card", "WL902-oversized-code"],
    quiet: &["WL902-ok-small"],
    run: Run::Check(check),
};

fn check(cx: &Checker, out: &mut Vec<Diagnostic>) {
    for problem in &cx.project.problems {
        if let InputProblem::Read {
            path,
            problem: p @ ReadProblem::TooLarge(..),
        } = problem
        {
            out.push(
                Diagnostic::new(&WL902, Location::file(path), format!("skipped: {}", p.describe()))
                    .with_help("move or rename the file if it is not a card or license, or list it under `ignore:`"),
            );
        }
    }
}
