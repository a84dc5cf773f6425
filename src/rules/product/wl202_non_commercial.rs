//! WL202 non-commercial: a non-commercial, research-only or non-production license in a
//! commercial product.

use crate::config::Distribution;
use crate::core::diagnostic::{Diagnostic, Location, Severity};
use crate::core::registry::WL202;
use crate::license::kb::{Entry, TermKind};
use crate::rules::{Checker, Run, Spec};

use super::{Cx, Subject};

pub(crate) static SPEC: Spec = Spec {
    rule: &WL202,
    doc: include_str!("../docs/WL202.md"),
    fires: &[
        "WL202-flux-dev-commercial",
        "WL202-flux-dev-in-code",
        "WL202-nc-in-commercial",
        "WL202-readme-research-only",
        "WL202-registration-commercial",
    ],
    quiet: &[
        "WL202-ok-readme-commercial-allowed",
        "WL202-ok-registration-research",
        "WL202-ok-research",
    ],
    run: Run::Check(check),
};

fn check(checker: &Checker, out: &mut Vec<Diagnostic>) {
    readme_limits(checker, out);
    super::each_entry(checker, |cx, entry| cx.registration(entry, out));
    super::each_entry(checker, |cx, entry| {
        let term = |k: TermKind| entry.terms.iter().find(|t| t.kind == k);
        let nc = term(TermKind::NonCommercial).or(term(TermKind::ResearchOnly));
        let np = term(TermKind::NonProduction);
        let no_commercial = entry.non_commercial();
        if !no_commercial && np.is_none() {
            return;
        }
        let name = &entry.name;
        let outputs_ok = entry
            .terms
            .iter()
            .find(|t| t.has_scope("outputs-commercial-use-allowed"));
        let outputs_note = outputs_ok.map_or(String::new(), |t| {
            format!("; its outputs may be used commercially ({})", t.clause)
        });
        let cited = nc.or(np);
        let clause = cited.map_or("its terms".to_string(), |t| t.clause.clone());
        let location = match cited {
            Some(t) => cx.at(entry, t.kind),
            None => cx.license_at(&entry.id, None),
        };
        let what = if nc.is_some_and(|t| t.kind == TermKind::ResearchOnly) {
            "research-only"
        } else if no_commercial {
            "non-commercial"
        } else {
            "non-production"
        };
        let commercial_use = cx.commercial_use();
        let production = cx.production();
        if no_commercial && commercial_use == Some(true) {
            cx.emit(
                out,
                &WL202,
                WL202.default_severity,
                location,
                format!("{name} is {what}, and the product is commercial{outputs_note}"),
                format!("{} Get a commercial license from the licensor, or use a model whose license allows commercial use ({clause}).", cx.decided("commercial")),
            );
        } else if let (Some(t), Some(true)) = (np, production) {
            let dist = cx
                .config
                .product
                .distribution
                .map_or("", Distribution::as_str);
            cx.emit(
                out,
                &WL202,
                WL202.default_severity,
                cx.at(entry, t.kind),
                format!("{name} allows only non-production use (testing, evaluation, non-commercial research), and the product is distributed as `{dist}`{outputs_note}"),
                format!("{} Get a production license from the licensor ({}).", cx.decided("distribution"), t.clause),
            );
        } else if (no_commercial && commercial_use.is_none())
            || (np.is_some() && production.is_none())
        {
            let key = if no_commercial && commercial_use.is_none() {
                "`product.commercial`"
            } else {
                "`product.distribution`"
            };
            cx.emit(
                out,
                &WL202,
                Severity::Note,
                location,
                format!("{name} is {what}: fine for research, not for a commercial product{outputs_note}"),
                format!("Set {key} to decide ({clause})."),
            );
        }
    });
}

/// What the repository's README says limits its release: research only, non-commercial.
fn readme_limits(checker: &Checker, out: &mut Vec<Diagnostic>) {
    let commercial = super::commercial_use(checker.config);
    for limit in &checker.project.limits {
        let s = &limit.statement;
        let what = if s.research_only {
            "to research use"
        } else {
            "to non-commercial use"
        };
        let at = Location::at(&limit.path, s.line, 1);
        let d = match commercial {
            Some(false) => continue,
            Some(true) => Diagnostic::new(
                &WL202,
                at,
                format!("the README limits what this repository releases {what}: “{}”, and the product is commercial", s.quote),
            )
            .with_help(format!(
                "Set by {}. Use the models and data only for research, or get a license that allows commercial use from their authors.",
                checker.config.origin("commercial")
            )),
            None => {
                let mut d = Diagnostic::new(
                    &WL202,
                    at,
                    format!("the README limits what this repository releases {what}: “{}”; fine for research, not for a commercial product", s.quote),
                )
                .with_help("Set `product.commercial` to decide.");
                d.severity = Severity::Note;
                d
            }
        };
        out.push(d);
    }
}

impl Cx<'_> {
    /// A license that allows commercial use only after registering with the licensor
    /// (ChatGLM, Baichuan 2, Yi, the Stability AI Community License).
    fn registration(&self, entry: &Entry, out: &mut Vec<Diagnostic>) {
        // A list of supported models names only what forbids commercial use.
        if matches!(self.subject, Subject::Code(c) if c.listed) {
            return;
        }
        let Some(t) = entry
            .terms
            .iter()
            .find(|t| t.kind == TermKind::Registration)
        else {
            return;
        };
        let name = &entry.name;
        let how = t
            .text
            .as_deref()
            .map_or(String::new(), |x| format!(": {x}"));
        match self.commercial_use() {
            Some(false) => {}
            Some(true) => self.emit(
                out,
                &WL202,
                Severity::Warning,
                self.at(entry, t.kind),
                format!("{name} allows commercial use only after registering with the licensor, and the product is commercial"),
                format!("{} Register before shipping{how} ({}); then record it in a policy exception with the reason.", self.decided("commercial"), t.clause),
            ),
            None => self.emit(
                out,
                &WL202,
                Severity::Note,
                self.at(entry, t.kind),
                format!("{name} allows commercial use only after registering with the licensor"),
                format!("Set `product.commercial` to decide ({}).", t.clause),
            ),
        }
    }
}
