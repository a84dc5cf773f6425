//! Product rules (WL200–WL206): each model's license terms against the product profile and
//! the policy. A term the profile does not decide is a note that names the key that would;
//! a term the profile crosses is a finding at the clause that states it.

pub(super) mod wl200_mau_threshold;
pub(super) mod wl201_revenue_threshold;
pub(super) mod wl202_non_commercial;
pub(super) mod wl203_geographic_restriction;
pub(super) mod wl204_output_restriction;
pub(super) mod wl205_denied_license;
pub(super) mod wl206_not_open_enough;

use crate::config::{Config, Distribution};
use crate::core::diagnostic::{Diagnostic, Location, Severity};
use crate::core::registry::Rule;
use crate::inventory::code::Loader;
use crate::license::expr::Named;
use crate::license::kb::{Entry, TermKind};
use crate::project::{CodeUse, Model, Project};
use crate::rules::Checker;

/// What the product rules judge: a model in the tree, or a hub model that code loads.
/// Code references get only decided findings, at the code line: their undecided terms
/// are summed up by WL403.
#[derive(Clone, Copy)]
enum Subject<'a> {
    Model(&'a Model),
    Code(&'a CodeUse),
}

/// One subject, judged against the profile.
struct Cx<'a> {
    project: &'a Project,
    config: &'a Config,
    subject: Subject<'a>,
}

/// Each model and each code use, with each license that governs it.
fn each_license(checker: &Checker, mut f: impl FnMut(&Cx, &Named)) {
    let models = checker.project.models.iter().map(Subject::Model);
    let code = checker.project.code_uses.iter().map(Subject::Code);
    for subject in models.chain(code) {
        let cx = Cx {
            project: checker.project,
            config: checker.config,
            subject,
        };
        let licenses: Vec<&Named> = match subject {
            Subject::Model(m) => m.governing().collect(),
            Subject::Code(c) => c.resolved.iter().flat_map(|r| &r.licenses).collect(),
        };
        for named in licenses {
            f(&cx, named);
        }
    }
}

/// Each subject with each knowledge-base entry that governs it.
fn each_entry(checker: &Checker, mut f: impl FnMut(&Cx, &Entry)) {
    each_license(checker, |cx, named| {
        if let Some(entry) = named.entry() {
            f(cx, entry);
        }
    });
}

/// Whether the product is used commercially: `commercial`, else a research distribution.
fn commercial_use(config: &Config) -> Option<bool> {
    let p = &config.product;
    p.commercial
        .or((p.distribution == Some(Distribution::Research)).then_some(false))
}

/// One threshold term against the profile: the note while undecided, the finding when over.
struct Threshold<'a> {
    rule: &'static Rule,
    key: &'static str,
    have: Option<u64>,
    /// Reaching the threshold already crosses it (`fewer than`), not only passing it.
    inclusive: bool,
    /// How sure a crossing is: a test taken once, on a past month, against today's figure
    /// is a warning (the profile says how many users there are now, not then).
    over_severity: Severity,
    note: (String, String),
    over: Box<dyn Fn(u64) -> (String, String) + 'a>,
}

impl Cx<'_> {
    fn emit(
        &self,
        out: &mut Vec<Diagnostic>,
        rule: &'static Rule,
        mut severity: Severity,
        location: Location,
        message: String,
        help: String,
    ) {
        let mut d = Diagnostic::new(rule, location, message).with_help(help);
        match self.subject {
            Subject::Model(m) => d = d.for_model(&m.path),
            Subject::Code(c) if severity == Severity::Note && !c.listed => return,
            // What a release was trained on binds the release (WL401), not the product's use.
            Subject::Code(c) if c.loader == Loader::DatasetLink => return,
            // In a list of supported models, only a non-commercial entry is named, as a
            // note; WL403 sums up the rest.
            Subject::Code(c) if c.listed && rule.code != "WL202" => return,
            Subject::Code(c) => {
                // A dataset known only by its name in a recipe is weaker evidence than an id.
                if c.loader == Loader::Named && severity > Severity::Warning {
                    severity = Severity::Warning;
                }
                d.message = if c.listed {
                    severity = Severity::Note;
                    format!("`{}` is listed here: {}", c.shown_id(), d.message)
                } else {
                    format!(
                        "`{}` is used here ({}{}): {}",
                        c.shown_id(),
                        c.loader.as_str(),
                        if c.by_name() {
                            "; by its name a re-upload or derivative"
                        } else {
                            ""
                        },
                        d.message
                    )
                };
            }
        }
        d.severity = severity;
        out.push(d);
    }

    /// The clause of `kind` in the license with this id; the code line for a code use.
    fn license_at(&self, id: &str, kind: Option<TermKind>) -> Location {
        match self.subject {
            Subject::Model(m) => self.project.license_location(m, id, kind),
            Subject::Code(c) => Location::at(&c.path, c.line, c.column),
        }
    }

    fn at(&self, entry: &Entry, kind: TermKind) -> Location {
        self.license_at(&entry.id, Some(kind))
    }

    fn decided(&self, key: &str) -> String {
        format!("Set by {}.", self.config.origin(key))
    }

    /// Judge a threshold term at its clause.
    fn threshold(
        &self,
        entry: &Entry,
        kind: TermKind,
        threshold: u64,
        test: Threshold,
        out: &mut Vec<Diagnostic>,
    ) {
        let location = self.at(entry, kind);
        match test.have {
            None => {
                let (message, help) = test.note;
                self.emit(out, test.rule, Severity::Note, location, message, help);
            }
            Some(n) if n > threshold || (test.inclusive && n == threshold) => {
                let (message, help) = (test.over)(n);
                let help = format!("{} {help}", self.decided(test.key));
                self.emit(out, test.rule, test.over_severity, location, message, help);
            }
            Some(_) => {}
        }
    }

    fn commercial_use(&self) -> Option<bool> {
        commercial_use(self.config)
    }

    /// Whether the model runs in production: a product people use.
    fn production(&self) -> Option<bool> {
        match self.config.product.distribution? {
            Distribution::Saas | Distribution::OnDevice => Some(true),
            Distribution::Research => Some(false),
            Distribution::Internal | Distribution::OpenRelease => None,
        }
    }
}
