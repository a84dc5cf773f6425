//! Where rules point, shared by the rule files: the line of a card, where a base model
//! is named, what a card declares.

use crate::core::diagnostic::Location;
use crate::license::expr::Named;
use crate::project::{Model, Project};
use crate::provenance::Origin;

/// A line of the model's card; without a card, its first weights file or its directory.
pub(super) fn card_location(model: &Model, line: usize) -> Location {
    match &model.card {
        Some(card) => Location::at(&card.path, line, 1),
        None => Location::file(
            model
                .weights
                .first()
                .cloned()
                .unwrap_or_else(|| model.path.clone()),
        ),
    }
}

/// The card's `license:` line, else where the model is.
pub(super) fn declared_location(project: &Project, model: &Model) -> Location {
    match (&model.card, &model.declared) {
        (Some(card), Some(d)) => Location::at(&card.path, d.line, 1),
        _ => project.model_location(model),
    }
}

/// Where a base reference is written.
pub(super) fn origin_location(project: &Project, model: &Model, origin: &Origin) -> Location {
    match (origin, &model.card) {
        (Origin::Card(line), Some(card)) => Location::at(&card.path, *line, 1),
        (Origin::Gguf(p) | Origin::Config(p) | Origin::Adapter(p), _) => Location::file(p),
        _ => project.model_location(model),
    }
}

/// The licenses the card declares, if it declares any it could name.
pub(super) fn declared(model: &Model) -> Option<&[Named]> {
    model
        .declared
        .as_ref()
        .map(|d| d.resolution.licenses.as_slice())
        .filter(|l| !l.is_empty())
}
