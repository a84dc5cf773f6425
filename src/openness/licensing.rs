//! The licensing dimension, and what the verdict needs to know of the licenses: OSI
//! approval (OSAID), use restrictions, and openness in the Model Openness Framework's sense.

use crate::license::expr::Named;

use super::{Dimension, Evidence, Status};

/// Licensing: each license with whether it is OSI-approved and restricts use.
pub(super) fn dimension(licenses: &[Named]) -> Dimension {
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
        licensing.push(Evidence {
            what,
            place: n.id.clone(),
        });
    }
    let status = if licenses.is_empty() {
        Status::No
    } else if licenses.iter().any(restricts) {
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

impl Terms {
    pub(super) fn of(licenses: &[Named]) -> Self {
        Terms {
            none: licenses.is_empty(),
            all_osi: !licenses.is_empty() && licenses.iter().all(osi),
            any_restriction: licenses.iter().any(restricts),
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
