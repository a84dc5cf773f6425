//! Licenses: the knowledge base, declared expressions (SPDX and Hub ids), and the
//! identification of license texts.

pub mod expr;
pub mod identify;
pub mod kb;
pub mod terms;
