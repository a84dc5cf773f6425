//! The rules, one file each, as in ruff: the file holds the rule's check, names the
//! documentation `explain` prints (`docs/WLxxx.md`, beside it, so SARIF's help links stay
//! stable) and names the fixtures that make it fire and keep it quiet. Codes, names,
//! default severities and summaries stay in one table, `core::registry`: it is the stable
//! contract, and the config validates rule names against it without importing the rules.
//!
//! Checks read the resolved project and the config through a [`Checker`], never do I/O,
//! and run only when the config does not turn their rule off. A rule decides a finding's
//! severity from the facts (a note while the profile leaves a term undecided); the config's
//! levels are applied afterwards in one place, `judge::policy`.

use jiff::civil::Date;

use crate::config::{Config, Level};
use crate::core::diagnostic::Diagnostic;
use crate::core::registry::Rule;
use crate::openness::Openness;
use crate::project::Project;

mod declaration;
mod input;
mod obligations;
mod openness;
mod place;
pub(crate) mod policy;
mod product;
mod provenance;

/// What a check reads.
pub struct Checker<'a> {
    pub project: &'a Project,
    pub config: &'a Config,
    /// The day exceptions expire against.
    pub today: Date,
    /// Each model's openness (`project.models[i]`), classified once by the scan.
    pub openness: &'a [Openness],
}

impl Checker<'_> {
    /// Each model with its openness.
    fn models_with_openness(&self) -> impl Iterator<Item = (&crate::project::Model, &Openness)> {
        self.project.models.iter().zip(self.openness)
    }
}

/// When a rule runs.
enum Run {
    /// With the others, over the resolved project.
    Check(fn(&Checker, &mut Vec<Diagnostic>)),
    /// After the policy is applied, over what it used (WL208: `rules::policy::unused`).
    AfterPolicy,
}

/// A rule: its registry entry, documentation, fixtures and check.
pub struct Spec {
    pub rule: &'static Rule,
    /// What `explain` prints: What it does / Why / Example / How to fix.
    pub doc: &'static str,
    /// Fixtures (`fixtures/<name>/`) where the rule fires.
    pub fires: &'static [&'static str],
    /// Fixtures where it stays quiet.
    pub quiet: &'static [&'static str],
    run: Run,
}

/// Every rule, in code order.
static SPECS: &[&Spec] = &[
    &declaration::wl100_missing_license::SPEC,
    &declaration::wl101_invalid_license_expression::SPEC,
    &declaration::wl102_unnamed_other_license::SPEC,
    &declaration::wl103_license_mismatch::SPEC,
    &declaration::wl104_unidentified_license_text::SPEC,
    &declaration::wl105_modified_license_text::SPEC,
    &declaration::wl106_ambiguous_license_id::SPEC,
    &product::wl200_mau_threshold::SPEC,
    &product::wl201_revenue_threshold::SPEC,
    &product::wl202_non_commercial::SPEC,
    &product::wl203_geographic_restriction::SPEC,
    &product::wl204_output_restriction::SPEC,
    &product::wl205_denied_license::SPEC,
    &product::wl206_not_open_enough::SPEC,
    &policy::wl207_invalid_suppression::SPEC,
    &policy::wl208_unused_suppression::SPEC,
    &obligations::wl300_missing_attribution::SPEC,
    &obligations::wl301_derivative_naming::SPEC,
    &obligations::wl302_license_not_redistributed::SPEC,
    &obligations::wl303_use_restrictions_not_passed_on::SPEC,
    &obligations::wl304_missing_notice::SPEC,
    &provenance::wl400_base_model_license_conflict::SPEC,
    &provenance::wl401_dataset_license_conflict::SPEC,
    &provenance::wl402_unresolved_base_model::SPEC,
    &provenance::wl403_restricted_model_in_code::SPEC,
    &provenance::wl404_unknown_license::SPEC,
    &openness::wl500_open_washing::SPEC,
    &openness::wl501_training_data_undocumented::SPEC,
    &openness::wl502_training_code_missing::SPEC,
    &input::wl900_unreadable_file::SPEC,
    &input::wl901_malformed_front_matter::SPEC,
    &input::wl902_file_skipped::SPEC,
];

/// A rule's documentation, fixtures and check.
pub fn spec(rule: &Rule) -> Option<&'static Spec> {
    SPECS.iter().copied().find(|s| s.rule.code == rule.code)
}

/// The documentation `explain` prints for a rule.
pub fn doc(rule: &Rule) -> &'static str {
    spec(rule).map_or("", |s| s.doc)
}

/// Whether the config leaves a rule on.
pub(crate) fn enabled(config: &Config, rule: &Rule) -> bool {
    config.level(rule) != Some(Level::Off)
}

/// Run every enabled rule over the resolved project, with the product profile and policy.
pub fn check(
    project: &Project,
    config: &Config,
    openness: &[Openness],
    today: Date,
) -> Vec<Diagnostic> {
    let checker = Checker {
        project,
        config,
        today,
        openness,
    };
    let mut out = Vec::new();
    for spec in SPECS {
        if let Run::Check(check) = spec.run {
            if enabled(config, spec.rule) {
                check(&checker, &mut out);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::registry::ALL;

    #[test]
    fn every_registered_rule_has_one_spec_in_code_order() {
        let codes: Vec<&str> = SPECS.iter().map(|s| s.rule.code).collect();
        let registry: Vec<&str> = ALL.iter().map(|r| r.code).collect();
        assert_eq!(codes, registry);
    }

    #[test]
    fn every_doc_has_the_fixed_headings() {
        for r in ALL {
            for heading in ["## What it does", "## Why", "## Example", "## How to fix"] {
                assert!(doc(r).contains(heading), "{} lacks {heading}", r.code);
            }
            assert!(
                doc(r).starts_with(&format!("# {} {}", r.code, r.name)),
                "{}",
                r.code
            );
        }
    }

    #[test]
    fn every_rule_names_fixtures_of_its_own() {
        for s in SPECS {
            assert!(
                !s.fires.is_empty(),
                "{} names no firing fixture",
                s.rule.code
            );
            assert!(!s.quiet.is_empty(), "{} names no quiet twin", s.rule.code);
            for name in s.fires.iter().chain(s.quiet) {
                let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("fixtures")
                    .join(name);
                assert!(dir.is_dir(), "{}: no fixture {name}", s.rule.code);
            }
        }
    }
}
