//! render: diagnostics and the resolved project become text. Renderers only read; they
//! know nothing of policy.

pub mod classify;
pub mod human;
pub mod identify;
pub mod json;

use clap::ValueEnum;

/// Output formats of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics with the offending source line shown
    Human,
    /// One line per diagnostic: `path:line:column: CODE [severity] message`
    Concise,
    /// The stable, versioned JSON contract
    Json,
}
