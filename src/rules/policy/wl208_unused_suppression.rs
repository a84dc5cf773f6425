//! WL208 unused-suppression: an exception, inline allow or allow-list entry that matched
//! nothing. It runs after the policy is applied, over what the policy used.

use crate::config::Exception;
use crate::core::diagnostic::{Diagnostic, Location};
use crate::core::registry::{Rule, WL208};
use crate::rules::{Checker, Run, Spec};

pub(crate) static SPEC: Spec = Spec {
    rule: &WL208,
    doc: include_str!("../docs/WL208.md"),
    fires: &["WL208-unused-exception", "WL208-unused-inline"],
    quiet: &["WL208-ok-used"],
    run: Run::AfterPolicy,
};

/// An inline allow that suppressed nothing.
pub(crate) struct UnusedInline<'a> {
    pub model: &'a str,
    pub card: &'a str,
    pub line: usize,
    pub rules: &'a [&'static Rule],
}

/// What the policy did not use. `full` says the whole tree under the config was scanned,
/// so an exception or allow-list entry that matched nothing is really unused.
pub(crate) struct Unused<'a> {
    pub inline: Vec<UnusedInline<'a>>,
    pub exceptions: Vec<&'a Exception>,
    pub full: bool,
}

fn codes(rules: &[&Rule]) -> String {
    rules.iter().map(|r| r.code).collect::<Vec<_>>().join(", ")
}

pub(crate) fn check(cx: &Checker, unused: &Unused, out: &mut Vec<Diagnostic>) {
    for s in &unused.inline {
        out.push(
            Diagnostic::new(
                &WL208,
                Location::at(s.card, s.line, 1),
                format!("inline allow for {} matched no finding", codes(s.rules)),
            )
            .with_help("Remove it: the finding it was for is gone.")
            .for_model(s.model),
        );
    }
    if !unused.full {
        return;
    }
    let config_file = cx.config.source.as_ref().map(|s| s.display.clone());
    let at_config = |line: usize| Location::at(config_file.clone().unwrap_or_default(), line, 1);
    for e in &unused.exceptions {
        out.push(
            Diagnostic::new(
                &WL208,
                at_config(e.line),
                format!(
                    "the exception for `{}` ({}) matched no finding",
                    e.model,
                    codes(&e.rules)
                ),
            )
            .with_help("Remove it, or fix its `model` path: it is relative to the config file."),
        );
    }
    for p in &cx.config.allow {
        let used = cx
            .project
            .models
            .iter()
            .any(|m| m.licenses.iter().any(|n| p.matches(n)));
        if !used {
            out.push(
                Diagnostic::new(
                    &WL208,
                    at_config(p.line),
                    format!(
                        "`policy.allow` entry `{}` matches no model's license",
                        p.text
                    ),
                )
                .with_help("Remove it if no model needs it any more."),
            );
        }
    }
}
