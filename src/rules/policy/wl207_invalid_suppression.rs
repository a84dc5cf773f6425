//! WL207 invalid-suppression: an expired exception, or an inline allow without a reason
//! or with an unknown rule. Such a suppression suppresses nothing.

use crate::core::diagnostic::{Diagnostic, Location};
use crate::core::registry::WL207;
use crate::rules::{Checker, Run, Spec};

use super::Inline;

pub(crate) static SPEC: Spec = Spec {
    rule: &WL207,
    doc: include_str!("../docs/WL207.md"),
    fires: &["WL207-expired-exception", "WL207-inline-no-reason"],
    quiet: &["WL207-ok-valid-exception"],
    run: Run::Check(check),
};

fn check(cx: &Checker, out: &mut Vec<Diagnostic>) {
    let config_file = cx.config.source.as_ref().map(|s| s.display.clone());
    for e in &cx.config.exceptions {
        let Some(date) = e.expires.filter(|_| super::expired(e, cx.today)) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                &WL207,
                Location::at(config_file.clone().unwrap_or_default(), e.line, 1),
                format!("the exception for `{}` expired on {date}: its rules apply again", e.model),
            )
            .with_help(format!("Renew it with a new `expires` date if the reason still holds (\"{}\"), or remove it.", e.reason)),
        );
    }
    for model in &cx.project.models {
        let Some(card) = &model.card else { continue };
        for s in &card.suppressions {
            let at = Location::at(&card.path, s.line, 1);
            let d = match super::inline(s) {
                Inline::Valid(_) => continue,
                Inline::UnknownRule(bad) => Diagnostic::new(
                    &WL207,
                    at,
                    format!("inline allow names no rule `{bad}`: it suppresses nothing"),
                )
                .with_help("`weightlint explain` lists the rules."),
                Inline::NoReason => Diagnostic::new(&WL207, at, "inline allow without a reason: it suppresses nothing")
                    .with_help("Write the reason after `--`: `weightlint: allow WL301 -- the upstream name is kept by agreement`."),
            };
            out.push(d.for_model(&model.path));
        }
    }
}
