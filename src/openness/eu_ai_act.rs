//! The EU AI Act view (Art. 53): whether the open-source exemption of Art. 53(2) could be
//! claimed, and what Art. 53(1)(c) and (d) require anyway.

use super::scope::Doc;
use super::{EuAiAct, Evidence};

/// `foss`: every license OSI-approved and none restricting use.
pub(super) fn view(doc: Option<&Doc>, weights: bool, foss: bool, architecture: bool) -> EuAiAct {
    let mut still = Vec::new();
    let find = |groups: &[&[&str]]| -> Option<Evidence> {
        let d = doc?;
        let (n, _) = d.line_with(groups)?;
        Some(Evidence {
            what: String::new(),
            place: d.at(n),
        })
    };
    match find(&[&["copyright policy"]]) {
        Some(e) => still.push(Evidence {
            what: "copyright policy (Art. 53(1)(c)): referenced".to_string(),
            ..e
        }),
        None => still.push(Evidence {
            what: "copyright policy (Art. 53(1)(c)): not found".to_string(),
            place: String::new(),
        }),
    }
    match find(&[
        &["training content", "summary"],
        &["summary", "content used for training"],
    ]) {
        Some(e) => still.push(Evidence {
            what: "public training-content summary, AI Office template (Art. 53(1)(d)): referenced"
                .to_string(),
            ..e
        }),
        None => still.push(Evidence {
            what: "public training-content summary, AI Office template (Art. 53(1)(d)): not found"
                .to_string(),
            place: String::new(),
        }),
    }
    let (exemption_possible, reason) = if !weights {
        (false, "the weights are not public".to_string())
    } else if !foss {
        (
            false,
            "the license is not free and open-source (use restrictions, thresholds or no OSI approval)"
                .to_string(),
        )
    } else if !architecture {
        (
            false,
            "no public information on the model architecture was found".to_string(),
        )
    } else {
        (
            true,
            "free and open-source license, public weights, architecture and usage information; the product must also not be monetised and the model must not carry systemic risk"
                .to_string(),
        )
    };
    EuAiAct {
        exemption_possible,
        reason,
        still_required: still,
    }
}
