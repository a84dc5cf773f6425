//! render: diagnostics and the resolved project become text. Renderers only read; they
//! know nothing of policy.

pub mod bom;
pub mod classify;
pub mod github;
pub mod human;
pub mod identify;
pub mod json;
pub mod sarif;

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
    /// SARIF 2.1.0 for code scanning (errors and warnings; notes are left out)
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`)
    Github,
}
