//! The leaf layer: rule codes, diagnostics, source files and text helpers. Everything else
//! builds on it; it imports nothing from the rest of the crate.

pub mod diagnostic;
pub mod registry;
pub mod source;
pub mod text;
