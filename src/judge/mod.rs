//! Judgment over the rules' findings: levels, exceptions and inline allows (`policy`),
//! baselines, and use-case fitness (`fit`).

pub mod baseline;
pub mod fit;
pub mod policy;
