//! WL100 missing-license: a model with no declared license and no license file in scope.

use crate::core::diagnostic::Diagnostic;
use crate::core::registry::WL100;
use crate::license::expr::Problem;
use crate::rules::place::card_location;
use crate::rules::{Checker, Run, Spec};
use crate::walk::FileKind;

pub(crate) static SPEC: Spec = Spec {
    rule: &WL100,
    doc: include_str!("../docs/WL100.md"),
    fires: &["WL100-no-license", "WL100-plural-key"],
    quiet: &["WL100-ok-license-file"],
    run: Run::Check(check),
};

fn check(cx: &Checker, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
    for model in &project.models {
        let card = model.card.as_ref();
        let declared_unknown = model
            .declared
            .as_ref()
            .is_some_and(|d| d.resolution.problems.contains(&Problem::Unknown));
        let declares_something = model.declared.as_ref().is_some_and(|d| {
            !d.resolution.problems.contains(&Problem::Unknown)
                && !matches!(d.value, crate::yaml::Value::Null)
        });
        if declares_something {
            continue;
        }
        // A release on the Hub has its license on its Hub card; the repository ships no weights.
        if model.released_as.is_some() {
            continue;
        }
        // A card whose YAML broke is reported by WL901; its license may be in the broken part.
        if card.is_some_and(|c| c.problem.is_some()) && model.declared.is_none() {
            continue;
        }
        let has_text = model
            .license_files
            .iter()
            .map(|&i| &project.license_files[i])
            .any(|f| f.kind == FileKind::License && f.readable);
        if has_text {
            continue;
        }
        let plural = card.and_then(|c| c.field("licenses"));
        let line = model
            .declared
            .as_ref()
            .map(|d| d.line)
            .or(plural.map(|f| f.line))
            .unwrap_or(1);
        let what = if declared_unknown {
            format!(
                "model `{}` declares `license: unknown` and no license file is in scope",
                model.name
            )
        } else if card.is_some() {
            format!(
                "model `{}` declares no license and no license file is in scope",
                model.name
            )
        } else {
            format!(
                "weights in `{}` have no model card and no license file in scope",
                model.path
            )
        };
        let help = if plural.is_some() {
            "the Hub reads `license:`, not `licenses:`; rename the key"
        } else {
            "add `license:` to the card's front matter and ship the license text beside the weights"
        };
        out.push(
            Diagnostic::new(&WL100, card_location(model, line), what)
                .with_help(help)
                .for_model(&model.path),
        );
    }
}
