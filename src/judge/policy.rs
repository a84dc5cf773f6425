//! Between the rules and the renderers: the config's severity overrides, its per-model
//! exceptions and the cards' inline `weightlint: allow` comments. Every exception and
//! inline allow must earn its keep: expired or reasonless ones are WL207, and ones that
//! matched nothing are WL208 (cargo-deny's and ruff's model).

use std::path::Path;

use jiff::civil::Date;

use crate::config::{Config, Level};
use crate::core::diagnostic::{Diagnostic, Location, Severity};
use crate::core::registry::{self as rules, Rule, WL207, WL208};
use crate::project::Project;

/// The diagnostics that remain, and how many an exception or inline allow took away.
#[derive(Debug)]
pub struct Applied {
    pub diagnostics: Vec<Diagnostic>,
    pub suppressed: usize,
}

/// An inline allow, resolved.
struct Inline<'a> {
    model: &'a str,
    card: &'a str,
    rules: Vec<&'static Rule>,
    line: usize,
    used: bool,
}

/// Apply the policy. `full` says the whole tree under the config was scanned, so an entry
/// that matched nothing is really unused.
pub fn apply(
    project: &Project,
    config: &Config,
    full: bool,
    today: Date,
    diagnostics: Vec<Diagnostic>,
) -> Applied {
    let mut extra = Vec::new();
    let config_file = config.source.as_ref().map(|s| s.display.clone());
    let at_config = |line: usize| Location::at(config_file.clone().unwrap_or_default(), line, 1);

    // Exceptions: active unless expired.
    let mut active = Vec::new();
    for e in &config.exceptions {
        match e.expires {
            Some(date) if date < today => extra.push(
                Diagnostic::new(
                    &WL207,
                    at_config(e.line),
                    format!("the exception for `{}` expired on {date}: its rules apply again", e.model),
                )
                .with_help(format!("Renew it with a new `expires` date if the reason still holds (\"{}\"), or remove it.", e.reason)),
            ),
            _ => active.push((e, false)),
        }
    }

    // Inline allows in cards.
    let mut inline = Vec::new();
    for model in &project.models {
        let Some(card) = &model.card else { continue };
        for s in &card.suppressions {
            let resolved: Vec<Option<&'static Rule>> =
                s.rules.iter().map(|r| rules::find(r)).collect();
            let at = Location::at(&card.path, s.line, 1);
            if let Some((bad, _)) = s.rules.iter().zip(&resolved).find(|(_, r)| r.is_none()) {
                extra.push(
                    Diagnostic::new(
                        &WL207,
                        at,
                        format!("inline allow names no rule `{bad}`: it suppresses nothing"),
                    )
                    .with_help("`weightlint explain` lists the rules.")
                    .for_model(&model.path),
                );
            } else if s.reason.is_none() {
                extra.push(
                    Diagnostic::new(&WL207, at, "inline allow without a reason: it suppresses nothing")
                        .with_help("Write the reason after `--`: `weightlint: allow WL301 -- the upstream name is kept by agreement`.")
                        .for_model(&model.path),
                );
            } else {
                inline.push(Inline {
                    model: &model.path,
                    card: &card.path,
                    rules: resolved.into_iter().flatten().collect(),
                    line: s.line,
                    used: false,
                });
            }
        }
    }

    // Paths relative to the config file's directory, for exception globs.
    let config_dir = config.source.as_ref().map(|s| s.dir.as_path());
    let relative = |display: &str| -> Option<String> {
        let (abs, _) = project.resolve_display(display)?;
        let rel = abs.strip_prefix(config_dir?).ok()?;
        Some(rel.to_string_lossy().replace('\\', "/"))
    };

    let mut kept = Vec::new();
    let mut suppressed = 0;
    for mut d in diagnostics {
        match config.level(d.rule) {
            Some(Level::Off) => continue,
            Some(level) => d.severity = severity(level),
            // A use case that cares about this rule: what is undecided deserves attention.
            None if d.severity == Severity::Note
                && config.emphasis.iter().any(|r| r.code == d.rule.code) =>
            {
                d.severity = Severity::Warning;
            }
            None => {}
        }
        let places: Vec<String> = d
            .model
            .iter()
            .chain(std::iter::once(&d.location.path))
            .filter_map(|p| relative(p))
            .collect();
        let by_exception = active.iter_mut().find(|(e, _)| {
            e.rules.iter().any(|r| r.code == d.rule.code)
                && places.iter().any(|p| e.glob.is_match(Path::new(p)))
        });
        if let Some((_, used)) = by_exception {
            *used = true;
            suppressed += 1;
            continue;
        }
        let by_inline = inline.iter_mut().find(|s| {
            s.rules.iter().any(|r| r.code == d.rule.code)
                && (d.model.as_deref() == Some(s.model) || d.location.path == s.card)
        });
        if let Some(s) = by_inline {
            s.used = true;
            suppressed += 1;
            continue;
        }
        kept.push(d);
    }

    for s in inline.iter().filter(|s| !s.used) {
        let codes: Vec<&str> = s.rules.iter().map(|r| r.code).collect();
        extra.push(
            Diagnostic::new(
                &WL208,
                Location::at(s.card, s.line, 1),
                format!("inline allow for {} matched no finding", codes.join(", ")),
            )
            .with_help("Remove it: the finding it was for is gone.")
            .for_model(s.model),
        );
    }
    if full {
        for (e, _) in active.iter().filter(|(_, used)| !used) {
            let codes: Vec<&str> = e.rules.iter().map(|r| r.code).collect();
            extra.push(
                Diagnostic::new(
                    &WL208,
                    at_config(e.line),
                    format!(
                        "the exception for `{}` ({}) matched no finding",
                        e.model,
                        codes.join(", ")
                    ),
                )
                .with_help(
                    "Remove it, or fix its `model` path: it is relative to the config file.",
                ),
            );
        }
        for p in &config.allow {
            let used = project
                .models
                .iter()
                .any(|m| m.licenses.iter().any(|n| p.matches(n)));
            if !used {
                extra.push(
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
    for mut d in extra {
        match config.level(d.rule) {
            Some(Level::Off) => continue,
            Some(level) => d.severity = severity(level),
            None => {}
        }
        kept.push(d);
    }
    Applied {
        diagnostics: kept,
        suppressed,
    }
}

fn severity(level: Level) -> Severity {
    match level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Note | Level::Off => Severity::Note,
    }
}
