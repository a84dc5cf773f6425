//! WL201 revenue-threshold: the product's annual revenue crosses a license's threshold.

use crate::core::diagnostic::Diagnostic;
use crate::core::registry::WL201;
use crate::core::text::fmt_count;
use crate::license::kb::TermKind;
use crate::rules::{Checker, Run, Spec};

use super::Threshold;

pub(crate) static SPEC: Spec = Spec {
    rule: &WL201,
    doc: include_str!("../docs/WL201.md"),
    fires: &["WL201-stability-over-revenue"],
    quiet: &["WL201-ok-under-revenue"],
    run: Run::Check(check),
};

fn check(checker: &Checker, out: &mut Vec<Diagnostic>) {
    super::each_entry(checker, |cx, entry| {
        // The revenue test binds commercial use only.
        if cx.commercial_use() == Some(false) {
            return;
        }
        for t in entry
            .terms
            .iter()
            .filter(|t| t.kind == TermKind::RevenueThreshold)
        {
            let Some(threshold) = t.value else { continue };
            let thr = fmt_count(threshold);
            let name = &entry.name;
            let clause = &t.clause;
            let test = Threshold {
                rule: &WL201,
                key: "annual_revenue_usd",
                have: cx.config.product.annual_revenue_usd.map(|c| c.0),
                inclusive: false,
                over_severity: WL201.default_severity,
                note: (
                    format!("{name}: commercial use is free only while the licensee and its affiliates together have at most US${thr} in annual revenue"),
                    "Set `product.annual_revenue_usd` (or `product.commercial: false`) to decide.".to_string(),
                ),
                over: Box::new(move |n| (
                    format!("{name}: annual revenue of US${} is over the US${thr} limit for free commercial use, counted for the licensee and its affiliates together", fmt_count(n)),
                    format!("Request an enterprise license from the licensor ({clause})."),
                )),
            };
            cx.threshold(entry, t.kind, threshold, test, out);
        }
    });
}
