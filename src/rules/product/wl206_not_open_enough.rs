//! WL206 not-open-enough: the policy requires OSI-approved licenses or Open Source AI,
//! and a model falls short: its license (for models and code uses), or, under
//! `require: open-source-ai`, its training data or code.

use crate::config::Require;
use crate::core::diagnostic::Diagnostic;
use crate::core::registry::WL206;
use crate::rules::openness::lacking;
use crate::rules::{Checker, Run, Spec};

pub(crate) static SPEC: Spec = Spec {
    rule: &WL206,
    doc: include_str!("../docs/WL206.md"),
    fires: &[
        "WL206-open-source-ai-missing-code",
        "WL206-osi-required-llama",
    ],
    quiet: &["WL206-ok-osi-apache"],
    run: Run::Check(check),
};

fn check(checker: &Checker, out: &mut Vec<Diagnostic>) {
    let config = checker.config;
    if config.require < Require::Osi {
        return;
    }
    super::each_license(checker, |cx, named| {
        if !named.is_osi_approved() {
            cx.emit(
                out,
                &WL206,
                WL206.default_severity,
                cx.license_at(&named.id, None),
                format!("licensing: {} is not OSI-approved, and the policy requires `{}`", named.name, config.require.as_str()),
                "Open-weight terms with use restrictions or thresholds are not open source; use a model under an OSI-approved license, or lower `policy.require`.".to_string(),
            );
        }
    });
    if config.require != Require::OpenSourceAi {
        return;
    }
    for (model, o) in checker.models_with_openness() {
        for (dimension, short) in [
            ("training data", "training data is undocumented"),
            (
                "training code",
                "no training code is released or referenced",
            ),
        ] {
            if lacking(o, dimension) {
                out.push(
                    Diagnostic::new(
                        &WL206,
                        checker.project.model_location(model),
                        format!("{short}, and the policy requires `open-source-ai` ({})", o.verdict.as_str()),
                    )
                    .with_help("Open Source AI (OSAID 1.0) needs the weights, the complete training and data-processing code, and data information sufficient to rebuild the model; `weightlint classify` lists what was found.")
                    .for_model(&model.path),
                );
            }
        }
    }
}
