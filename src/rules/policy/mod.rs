//! Suppression rules (WL207, WL208): every exception and inline allow must earn its keep
//! (cargo-deny's and ruff's model). `judge::policy` applies the ones that are valid, with
//! the predicates here, and WL208 runs after it over what it used.

pub(crate) mod wl207_invalid_suppression;
pub(crate) mod wl208_unused_suppression;

use jiff::civil::Date;

use crate::config::Exception;
use crate::core::registry::{self, Rule};
use crate::inventory::card::Suppression;

/// What an inline `weightlint: allow` comment amounts to.
pub(crate) enum Inline<'a> {
    /// It suppresses these rules.
    Valid(Vec<&'static Rule>),
    /// It names no rule by this code or name.
    UnknownRule(&'a str),
    /// It gives no reason after `--`.
    NoReason,
}

pub(crate) fn inline(s: &Suppression) -> Inline<'_> {
    let mut rules = Vec::new();
    for written in &s.rules {
        match registry::find(written) {
            Some(r) => rules.push(r),
            None => return Inline::UnknownRule(written),
        }
    }
    if s.reason.is_none() {
        return Inline::NoReason;
    }
    Inline::Valid(rules)
}

/// Whether an exception has expired: its rules apply again.
pub(crate) fn expired(e: &Exception, today: Date) -> bool {
    e.expires.is_some_and(|date| date < today)
}
