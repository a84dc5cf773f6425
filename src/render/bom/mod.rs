//! AI bills of materials (`weightlint bom`): CycloneDX 1.6 JSON and SPDX 3.0.1 JSON-LD.
//!
//! Both formats are drawn from one [`common::Graph`] gathered from the resolved project: the
//! scanned root, its models (with their own and inherited licenses, task, openness
//! verdict), the base models they name, the hub models code loads, and the training
//! datasets. Renderers only read: nothing here judges, and nothing is invented that the
//! scan did not find (no versions, suppliers or release dates).
//!
//! Output is deterministic: elements are sorted and identifiers are derived from a hash of
//! the gathered facts. The one exception is SPDX's `CreationInfo.created`, which the format
//! requires: it is the current UTC time to the second, or `SOURCE_DATE_EPOCH` when set.

mod common;
mod cyclonedx;
mod spdx;

use crate::Report;

/// CycloneDX 1.6 JSON.
pub fn cyclonedx(report: &Report) -> String {
    cyclonedx::render(&common::gather(report))
}

/// SPDX 3.0.1 JSON-LD: models as `ai_AIPackage`, datasets as `dataset_DatasetPackage`.
///
/// The document claims conformance to the core, software and simple-licensing profiles
/// only: the AI and Dataset profiles also require a supplier, version and release time
/// for every package, which a repository scan does not know.
pub fn spdx(report: &Report) -> String {
    spdx::render(&common::gather(report))
}
