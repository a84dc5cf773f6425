//! The verdict (OSAID 1.0 open source AI, open-weight, restricted-weight, closed) and its
//! one-line summary, drawn from the dimensions' evidence and the licenses' terms.

use crate::license::expr::Named;

use crate::project::Limit;

use super::licensing::{limit_name, restricts, Terms};
use super::{Found, Verdict};

pub(super) fn verdict(terms: &Terms, found: &Found) -> Verdict {
    if !found.weights {
        Verdict::Closed
    } else if terms.any_restriction {
        Verdict::RestrictedWeight
    } else if terms.all_osi && found.data && found.training_code {
        Verdict::OpenSourceAi
    } else {
        Verdict::OpenWeight
    }
}

/// Why the verdict: what restricts, and what OSAID needs that is not evidenced.
pub(super) fn summary(
    verdict: Verdict,
    licenses: &[Named],
    limits: &[&Limit],
    terms: &Terms,
    found: &Found,
) -> String {
    let mut missing = Vec::new();
    if !terms.all_osi {
        missing.push(if terms.none {
            "licensing: no license identified"
        } else {
            "licensing: not OSI-approved"
        });
    }
    if !found.data {
        missing.push("training data: undocumented");
    }
    if !found.training_code {
        missing.push("training code: not found");
    }
    match verdict {
        Verdict::Closed => "no weights released or linked".to_string(),
        Verdict::NotAModel => "no model of its own".to_string(),
        Verdict::OpenSourceAi => {
            "weights, training code and data information under OSI-approved terms".to_string()
        }
        Verdict::RestrictedWeight => {
            let mut names: Vec<String> = licenses
                .iter()
                .filter(|n| restricts(n))
                .map(|n| n.name.clone())
                .collect();
            if let Some(l) = limits.first() {
                names.push(format!(
                    "the README's limit to {} ({}:{})",
                    limit_name(l),
                    l.path,
                    l.statement.line
                ));
            }
            format!(
                "weights under use restrictions ({}); {}",
                names.join(", "),
                missing.join("; ")
            )
        }
        Verdict::OpenWeight => format!("weights released; {}", missing.join("; ")),
    }
}
