//! The licensing dimension, and what the verdict needs to know of the licenses: OSI
//! approval (OSAID), use restrictions, and openness in the Model Openness Framework's sense.

use crate::license::expr::Named;
use crate::project::{Limit, Model};

use super::{Dimension, Evidence, Status};

/// Licensing: each license with whether it is OSI-approved and restricts use, and what
/// the subject's README says limits the use of its release.
pub(super) fn dimension(licenses: &[Named], model: Option<&Model>, limits: &[&Limit]) -> Dimension {
    let mut licensing = Vec::new();
    for n in licenses {
        let mut what = n.name.clone();
        what.push_str(if osi(n) {
            " (OSI-approved"
        } else {
            " (not OSI-approved"
        });
        what.push_str(if restricts(n) {
            ", use restrictions)"
        } else {
            ")"
        });
        let mut place = n.id.clone();
        if let Some((chain, at)) = model.and_then(|m| inherited_from(m, n)) {
            what.push_str(&format!(", inherited from {chain}"));
            place = at;
        }
        licensing.push(Evidence { what, place });
    }
    for l in limits {
        licensing.push(Evidence {
            what: format!(
                "the README limits the release to {}: \"{}\"",
                limit_name(l),
                l.statement.quote
            ),
            place: format!("{}:{}", l.path, l.statement.line),
        });
    }
    let status = if licenses.is_empty() && limits.is_empty() {
        Status::No
    } else if licenses.iter().any(restricts) || !limits.is_empty() {
        Status::Restricted
    } else {
        Status::Yes
    };
    Dimension {
        name: "licensing",
        status,
        evidence: licensing,
    }
}

/// Where a license the model does not declare comes from: the base that carries it (with
/// where the base is named), or the restricted base its release table names.
fn inherited_from(model: &Model, n: &Named) -> Option<(String, String)> {
    if !model.inherited.contains(n) {
        return None;
    }
    if let Some(b) = model
        .bases
        .iter()
        .find(|b| b.resolved.as_ref().is_some_and(|r| r.licenses.contains(n)))
    {
        let at = model
            .card
            .as_ref()
            .map_or_else(|| model.path.clone(), |c| c.path.clone());
        return Some((
            format!("the base model {} ({})", b.id, b.origin.describe()),
            at,
        ));
    }
    let r = model.released_as.as_ref()?;
    let (_, line) = r
        .built_on
        .iter()
        .find(|(key, _)| n.key.as_deref() == Some(*key))?;
    Some((
        "the base its README's download table names".to_string(),
        format!("{}:{line}", r.readme),
    ))
}

/// What the licenses, taken together, allow.
pub(super) struct Terms {
    /// No license was identified.
    pub(super) none: bool,
    /// At least one license, and every one OSI-approved.
    pub(super) all_osi: bool,
    pub(super) any_restriction: bool,
    /// At least one license, and every one open for the Model Openness Framework.
    pub(super) all_mof_open: bool,
}

/// "research use" or "non-commercial use".
pub(super) fn limit_name(l: &Limit) -> &'static str {
    if l.statement.research_only {
        "research use"
    } else {
        "non-commercial use"
    }
}

impl Terms {
    /// The licenses' terms; a limit the README states restricts like a license does.
    pub(super) fn of(licenses: &[Named], limits: &[&Limit]) -> Self {
        Terms {
            none: licenses.is_empty(),
            all_osi: !licenses.is_empty() && licenses.iter().all(osi),
            any_restriction: licenses.iter().any(restricts) || !limits.is_empty(),
            all_mof_open: !licenses.is_empty() && licenses.iter().all(mof_open),
        }
    }
}

/// Whether a license counts as open for OSAID: OSI-approved.
fn osi(n: &Named) -> bool {
    match n.entry() {
        Some(e) => e.osi_approved,
        None => spdx::license_id(&n.id).is_some_and(|l| l.is_osi_approved()),
    }
}

/// Whether a license restricts use (`Entry::restricts_use`).
pub(super) fn restricts(n: &Named) -> bool {
    n.entry().is_some_and(|e| e.restricts_use())
}

/// Whether a license is open in the Model Openness Framework's sense: OSI-approved, an
/// open data license, or OpenMDW.
fn mof_open(n: &Named) -> bool {
    const OPEN_DATA: &[&str] = &[
        "CC0-1.0",
        "CC-BY-4.0",
        "CC-BY-3.0",
        "CC-BY-SA-4.0",
        "CC-BY-SA-3.0",
        "CDLA-Permissive-1.0",
        "CDLA-Permissive-2.0",
        "CDLA-Sharing-1.0",
        "PDDL-1.0",
        "ODC-By-1.0",
        "ODbL-1.0",
        "OpenMDW-1.0",
    ];
    osi(n) || OPEN_DATA.iter().any(|o| o.eq_ignore_ascii_case(&n.id))
}
