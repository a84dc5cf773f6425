//! The rules: each rule's check and the documentation `explain` prints. Codes, names and
//! default severities are in `core::registry`. Checks read the resolved project and return
//! diagnostics, and never do I/O.

use crate::config::Config;
use crate::core::diagnostic::Diagnostic;
use crate::core::registry::Rule;
use crate::project::Project;

mod declaration;
mod input;
mod obligations;
mod openness;
mod product;
mod provenance;

/// The documentation `explain` prints for a rule (What it does / Why / Example / How to fix).
pub fn doc(rule: &Rule) -> &'static str {
    match rule.code {
        "WL100" => include_str!("docs/WL100.md"),
        "WL101" => include_str!("docs/WL101.md"),
        "WL102" => include_str!("docs/WL102.md"),
        "WL103" => include_str!("docs/WL103.md"),
        "WL104" => include_str!("docs/WL104.md"),
        "WL105" => include_str!("docs/WL105.md"),
        "WL106" => include_str!("docs/WL106.md"),
        "WL200" => include_str!("docs/WL200.md"),
        "WL201" => include_str!("docs/WL201.md"),
        "WL202" => include_str!("docs/WL202.md"),
        "WL203" => include_str!("docs/WL203.md"),
        "WL204" => include_str!("docs/WL204.md"),
        "WL205" => include_str!("docs/WL205.md"),
        "WL206" => include_str!("docs/WL206.md"),
        "WL207" => include_str!("docs/WL207.md"),
        "WL208" => include_str!("docs/WL208.md"),
        "WL300" => include_str!("docs/WL300.md"),
        "WL301" => include_str!("docs/WL301.md"),
        "WL302" => include_str!("docs/WL302.md"),
        "WL303" => include_str!("docs/WL303.md"),
        "WL304" => include_str!("docs/WL304.md"),
        "WL400" => include_str!("docs/WL400.md"),
        "WL401" => include_str!("docs/WL401.md"),
        "WL402" => include_str!("docs/WL402.md"),
        "WL403" => include_str!("docs/WL403.md"),
        "WL404" => include_str!("docs/WL404.md"),
        "WL500" => include_str!("docs/WL500.md"),
        "WL501" => include_str!("docs/WL501.md"),
        "WL502" => include_str!("docs/WL502.md"),
        "WL900" => include_str!("docs/WL900.md"),
        "WL901" => include_str!("docs/WL901.md"),
        "WL902" => include_str!("docs/WL902.md"),
        _ => "",
    }
}

/// Run every rule over the resolved project, with the product profile and policy.
pub fn check(project: &Project, config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    input::check(project, &mut out);
    declaration::check(project, &mut out);
    product::check(project, config, &mut out);
    provenance::check(project, &mut out);
    obligations::check(project, &mut out);
    openness::check(project, config, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::registry::ALL;

    #[test]
    fn every_doc_has_the_fixed_headings() {
        for r in ALL {
            for heading in ["## What it does", "## Why", "## Example", "## How to fix"] {
                assert!(doc(r).contains(heading), "{} lacks {heading}", r.code);
            }
            assert!(
                doc(r).starts_with(&format!("# {} {}", r.code, r.name)),
                "{}",
                r.code
            );
        }
    }
}
