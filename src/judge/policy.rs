//! Between the rules and the renderers: the config's severity overrides, its per-model
//! exceptions and the cards' inline `weightlint: allow` comments. This is the one place
//! the config's levels are applied. Expired or reasonless suppressions are WL207's (a rule
//! like the others); ones that matched nothing are WL208's, which runs here, after the
//! policy, over what it used.

use std::path::Path;

use jiff::civil::Date;

use crate::config::{Config, Exception, Level};
use crate::core::diagnostic::{Diagnostic, Severity};
use crate::core::registry::{Rule, WL208};
use crate::project::Project;
use crate::rules::policy::wl208_unused_suppression::{self, Unused, UnusedInline};
use crate::rules::policy::{self as suppression};
use crate::rules::{self, Checker};

/// The diagnostics that remain, and the ones an exception or inline allow took away.
#[derive(Debug)]
pub struct Applied {
    pub diagnostics: Vec<Diagnostic>,
    pub suppressed: Vec<Suppressed>,
}

/// A finding the policy took away, and what took it.
#[derive(Clone, Debug)]
pub struct Suppressed {
    pub diagnostic: Diagnostic,
    pub by: Waiver,
}

/// What lifted a finding: a config exception or a card's inline allow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Waiver {
    Exception {
        /// The config file and the exception's line: `weightlint.yaml:12`.
        at: String,
        reason: String,
        expires: Option<Date>,
    },
    Inline {
        /// The card and the comment's line: `models/chat/README.md:4`.
        at: String,
        reason: String,
    },
}

/// An inline allow that may suppress findings.
struct Inline<'a> {
    model: &'a str,
    card: &'a str,
    rules: Vec<&'static Rule>,
    line: usize,
    reason: &'a str,
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
    // Exceptions that are not expired, and inline allows with a reason and known rules;
    // the others are WL207's.
    let mut active: Vec<(&Exception, bool)> = config
        .exceptions
        .iter()
        .filter(|e| !suppression::expired(e, today))
        .map(|e| (e, false))
        .collect();
    let mut inline = Vec::new();
    for model in &project.models {
        let Some(card) = &model.card else { continue };
        for s in &card.suppressions {
            if let suppression::Inline::Valid(rules) = suppression::inline(s) {
                inline.push(Inline {
                    model: &model.path,
                    card: &card.path,
                    rules,
                    line: s.line,
                    reason: s.reason.as_deref().unwrap_or_default(),
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

    let config_file = config.source.as_ref().map_or("", |s| s.display.as_str());
    let mut kept = Vec::new();
    let mut suppressed = Vec::new();
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
        if let Some((e, used)) = by_exception {
            *used = true;
            let by = Waiver::Exception {
                at: format!("{config_file}:{}", e.line),
                reason: e.reason.clone(),
                expires: e.expires,
            };
            suppressed.push(Suppressed { diagnostic: d, by });
            continue;
        }
        let by_inline = inline.iter_mut().find(|s| {
            s.rules.iter().any(|r| r.code == d.rule.code)
                && (d.model.as_deref() == Some(s.model) || d.location.path == s.card)
        });
        if let Some(s) = by_inline {
            s.used = true;
            let by = Waiver::Inline {
                at: format!("{}:{}", s.card, s.line),
                reason: s.reason.to_string(),
            };
            suppressed.push(Suppressed { diagnostic: d, by });
            continue;
        }
        kept.push(d);
    }

    if rules::enabled(config, &WL208) {
        let unused = Unused {
            inline: inline
                .iter()
                .filter(|s| !s.used)
                .map(|s| UnusedInline {
                    model: s.model,
                    card: s.card,
                    line: s.line,
                    rules: &s.rules,
                })
                .collect(),
            exceptions: active
                .iter()
                .filter(|(_, used)| !used)
                .map(|(e, _)| *e)
                .collect(),
            full,
        };
        let checker = Checker {
            project,
            config,
            today,
            openness: &[],
        };
        let mut extra = Vec::new();
        wl208_unused_suppression::check(&checker, &unused, &mut extra);
        for mut d in extra {
            if let Some(level) = config.level(d.rule) {
                d.severity = severity(level);
            }
            kept.push(d);
        }
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
