//! render: diagnostics and the resolved project become text. Renderers only read; they
//! know nothing of policy.

pub mod bom;
pub mod classify;
pub mod github;
pub mod human;
pub mod identify;
pub mod json;
pub mod report;
pub mod sarif;

use clap::ValueEnum;

use crate::project::Project;

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

/// The name of what was scanned: each root's directory name.
pub(crate) fn root_name(project: &Project) -> String {
    let names: Vec<String> = project
        .roots
        .iter()
        .map(|r| {
            let abs = std::path::absolute(&r.path).unwrap_or_else(|_| r.path.clone());
            abs.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| r.display.clone())
        })
        .collect();
    if names.is_empty() {
        ".".to_string()
    } else {
        names.join(", ")
    }
}
