//! The Model Openness Framework class: cumulative III → II → I, open licenses only.

use super::licensing::Terms;
use super::scope::Scope;
use super::Found;

/// Whether the model architecture is public: the card's `library_name`, a config or
/// modelling file, or (for a project repository) any code at all.
pub(super) fn architecture(s: &Scope) -> bool {
    s.card.is_some_and(|c| c.field("library_name").is_some())
        || !s
            .files_under(|n| n == "config.json" || n.starts_with("modeling"))
            .is_empty()
        || s.subject.model.is_none() && !s.project.code_files.is_empty()
}

/// The class reached, if any, and what the next class needs that is not evidenced.
pub(super) fn class(
    s: &Scope,
    terms: &Terms,
    found: &Found,
    architecture: bool,
) -> (Option<&'static str>, Vec<&'static str>) {
    let inference = s.project.code_uses.iter().any(|u| s.under(&u.path))
        || s.doc.as_ref().is_some_and(|d| {
            d.line_with(&[
                &["from_pretrained("],
                &["llm("],
                &["pipeline("],
                &["llama-cli"],
            ])
            .is_some()
        });
    let intermediate = s.doc.as_ref().is_some_and(|d| {
        d.line_with(&[
            &["intermediate", "checkpoint"],
            &["checkpoints"],
            &["revision", "step"],
        ])
        .is_some()
    });
    let class3: [(&'static str, bool); 6] = [
        ("model architecture", architecture),
        (
            "final parameters under an open license",
            found.weights && terms.all_mof_open,
        ),
        ("model card", s.subject.doc.is_some()),
        ("data card", found.data),
        ("technical report or paper", found.paper),
        ("evaluation results", found.evaluation),
    ];
    let class2: [(&'static str, bool); 3] = [
        ("training code", found.training_code),
        ("inference code", inference),
        ("evaluation code", found.evaluation),
    ];
    let class1: [(&'static str, bool); 3] = [
        ("datasets", found.data),
        ("data preprocessing code", found.processing_code),
        ("intermediate parameters", intermediate),
    ];
    let missing_of = |c: &[(&'static str, bool)]| -> Vec<&'static str> {
        c.iter().filter(|(_, ok)| !ok).map(|(n, _)| *n).collect()
    };
    if !missing_of(&class3).is_empty() {
        (None, missing_of(&class3))
    } else if !missing_of(&class2).is_empty() {
        (Some("III"), missing_of(&class2))
    } else if !missing_of(&class1).is_empty() {
        (Some("II"), missing_of(&class1))
    } else {
        (Some("I"), Vec::new())
    }
}
