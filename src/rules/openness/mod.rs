//! Openness rules (WL500–WL502): what a model releases against what its card claims.
//! WL206, the policy's required openness, is with the product rules.

pub(super) mod wl500_open_washing;
pub(super) mod wl501_training_data_undocumented;
pub(super) mod wl502_training_code_missing;

use crate::config::Require;
use crate::openness::{Openness, Status, Verdict};
use crate::project::Model;
use crate::rules::Checker;

/// Whether an openness dimension was looked for and not found.
pub(super) fn lacking(o: &Openness, dimension: &str) -> bool {
    o.dimension(dimension)
        .is_some_and(|d| d.status == Status::No)
}

/// A `MODEL_CARD.md` or `model-card.md` of its own: a code repository documenting the model
/// it releases (a README with front matter may be any model's card copied in).
fn is_model_card_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    crate::walk::classify(name, None) == Some(crate::walk::FileKind::ModelCard)
}

/// The models WL501 and WL502 judge, with their openness: by default only those the tree
/// releases — weights it ships, or a model card file here for weights published elsewhere (their
/// documentation is this repository's job); under `require: open-source-ai` WL206 says it
/// instead.
fn shipped<'a>(cx: &'a Checker) -> impl Iterator<Item = (&'a Model, &'a Openness)> {
    let judged = cx.config.require != Require::OpenSourceAi;
    cx.models_with_openness().filter(move |(m, o)| {
        let released = !m.weights.is_empty()
            || ((m.released_as.is_some()
                || m.card.as_ref().is_some_and(|c| is_model_card_file(&c.path)))
                && o.dimension("weights")
                    .is_some_and(|d| d.status == Status::Yes));
        judged && released && o.verdict != Verdict::Closed
    })
}
