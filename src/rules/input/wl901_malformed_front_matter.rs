//! WL901 malformed-front-matter: a card's YAML front matter does not parse.

use crate::core::diagnostic::{Diagnostic, Location};
use crate::core::registry::WL901;
use crate::project::InputProblem;
use crate::rules::{Checker, Run, Spec};

pub(crate) static SPEC: Spec = Spec {
    rule: &WL901,
    doc: include_str!("../docs/WL901.md"),
    fires: &["WL901-broken-yaml", "WL901-empty", "WL901-unclosed"],
    quiet: &["WL901-ok-valid"],
    run: Run::Check(check),
};

fn check(cx: &Checker, out: &mut Vec<Diagnostic>) {
    for problem in &cx.project.problems {
        if let InputProblem::FrontMatter { path, problem } = problem {
            out.push(
                Diagnostic::new(
                    &WL901,
                    Location::at(path, problem.line, problem.column),
                    format!("malformed front matter: {}", problem.message),
                )
                .with_help("the Hub ignores metadata it cannot parse; fix the YAML so the card's license is seen"),
            );
        }
    }
}
