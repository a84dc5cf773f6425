//! WL200 mau-threshold: the product's monthly (or daily) active users cross a license's
//! threshold.

use crate::core::diagnostic::{Diagnostic, Severity};
use crate::core::registry::WL200;
use crate::core::text::fmt_count;
use crate::license::kb::TermKind;
use crate::rules::{Checker, Run, Spec};

use super::Threshold;

pub(crate) static SPEC: Spec = Spec {
    rule: &WL200,
    doc: include_str!("../docs/WL200.md"),
    fires: &[
        "WL200-llama-over-mau",
        "WL200-qwen-ongoing",
        "WL200-undecided-note",
    ],
    quiet: &["WL200-ok-qwen-non-commercial", "WL200-ok-under-threshold"],
    run: Run::Check(check),
};

fn check(checker: &Checker, out: &mut Vec<Diagnostic>) {
    super::each_entry(checker, |cx, entry| {
        let p = &cx.config.product;
        for t in &entry.terms {
            let Some(threshold) = t.value else { continue };
            let thr = fmt_count(threshold);
            let name = &entry.name;
            let clause = &t.clause;
            let test = match t.kind {
                // Llama's test is taken once, on the month before the release, whatever
                // the use.
                TermKind::MauThreshold if t.has_scope("release-date") => {
                    let released = t
                        .measured_on
                        .as_deref()
                        .or(entry.released.as_deref())
                        .unwrap_or("the release");
                    let month = month_before(released)
                        .unwrap_or_else(|| "the month before release".into());
                    Threshold {
                        rule: &WL200,
                        key: "monthly_active_users",
                        have: p.monthly_active_users.map(|c| c.0),
                        inclusive: false,
                        over_severity: Severity::Warning,
                        note: (
                            format!("{name}: a separate license from the licensor is needed if the licensee and its affiliates had more than {thr} monthly active users in {month}, the month before the {released} release"),
                            "Set `product.monthly_active_users` to decide: the figure for that month counts, and later growth does not move the test.".to_string(),
                        ),
                        over: Box::new(move |n| (
                            format!("{name}: the licensee's {} monthly active users are over its {thr} threshold, which is taken once, in {month} (the month before the {released} release): if that month's figure was over too, a separate license is needed", fmt_count(n)),
                            format!("If the licensee and its affiliates had at most {thr} monthly active users in {month}, the license applies as it is: record that in a policy exception with the reason. Otherwise a license from the licensor is needed ({clause})."),
                        )),
                    }
                }
                // The other thresholds bind commercial use only.
                TermKind::MauThreshold | TermKind::DauThreshold
                    if cx.commercial_use() == Some(false) =>
                {
                    continue
                }
                TermKind::MauThreshold => Threshold {
                    rule: &WL200,
                    key: "monthly_active_users",
                    have: p.monthly_active_users.map(|c| c.0),
                    inclusive: false,
                    over_severity: WL200.default_severity,
                    note: (
                        format!("{name}: a commercial product or service with more than {thr} monthly active users needs a separate license; the test is ongoing"),
                        "Set `product.monthly_active_users` (or `product.commercial: false`) to decide.".to_string(),
                    ),
                    over: Box::new(move |n| (
                        format!("{name}: the product's {} monthly active users are over the {thr} threshold for commercial use; the test is ongoing", fmt_count(n)),
                        format!("Request a license from the licensor ({clause}), or use a model whose license has no user threshold."),
                    )),
                },
                TermKind::DauThreshold => Threshold {
                    rule: &WL200,
                    key: "daily_active_users",
                    have: p.daily_active_users.map(|c| c.0),
                    inclusive: true,
                    over_severity: WL200.default_severity,
                    note: (
                        format!("{name}: commercial use is licensed only while the licensee and its affiliates have fewer than {thr} daily active users"),
                        "Set `product.daily_active_users` (or `product.commercial: false`) to decide.".to_string(),
                    ),
                    over: Box::new(move |n| (
                        format!("{name}: commercial use needs fewer than {thr} daily active users, and the product has {}", fmt_count(n)),
                        format!("Apply to the licensor for a commercial license ({clause})."),
                    )),
                },
                _ => continue,
            };
            cx.threshold(entry, t.kind, threshold, test, out);
        }
    });
}

/// "June 2024" for a release on 2024-07-23: the calendar month before.
fn month_before(date: &str) -> Option<String> {
    let d: jiff::civil::Date = date.parse().ok()?;
    let prev = d
        .first_of_month()
        .checked_sub(jiff::Span::new().months(1))
        .ok()?;
    Some(prev.strftime("%B %Y").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_month_before_a_release() {
        assert_eq!(month_before("2024-07-23").as_deref(), Some("June 2024"));
        assert_eq!(month_before("2025-01-05").as_deref(), Some("December 2024"));
        assert_eq!(month_before("soon"), None);
    }
}
