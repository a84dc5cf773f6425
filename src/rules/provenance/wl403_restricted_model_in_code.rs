//! WL403 restricted-model-in-code: code loads a hub model whose license has terms that
//! depend on the product; once per file for a list of supported models.

use std::collections::{BTreeSet, HashSet};

use crate::core::diagnostic::{Diagnostic, Location, Severity};
use crate::core::registry::WL403;
use crate::inventory::code::Kind;
use crate::license::expr::Named;
use crate::license::kb::TermKind;
use crate::project::{CodeUse, Project};
use crate::rules::{Checker, Run, Spec};

pub(crate) static SPEC: Spec = Spec {
    rule: &WL403,
    doc: include_str!("../docs/WL403.md"),
    fires: &["WL403-notebook-loads-llama"],
    quiet: &["WL403-ok-code-in-tests"],
    run: Run::Check(check),
};

fn check(cx: &Checker, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
    listed(project, out);
    for (use_, resolved) in super::picked(project) {
        let Some(resolved) = resolved.filter(|_| use_.kind != Kind::Dataset) else {
            continue;
        };
        for entry in resolved.licenses.iter().filter_map(Named::entry) {
            let terms = super::product_terms(entry);
            if terms.is_empty() {
                continue;
            }
            // A recipe that publishes what it trains makes a derivative others receive:
            // use restrictions must travel with it, so the note becomes a warning.
            let publishes = entry
                .has(TermKind::UseRestrictions)
                .then(|| project.publishes.get(&use_.path).copied())
                .flatten();
            let mut d = Diagnostic::new(
                &WL403,
                Location::at(&use_.path, use_.line, use_.column),
                format!(
                    "`{}` ({}) is{} under {}: {}{}",
                    use_.shown_id(),
                    use_.loader.as_str(),
                    if use_.by_name() { ", by its name," } else { "" },
                    entry.the_name(),
                    terms.join("; "),
                    publishes.map_or(String::new(), |l| format!(
                        "; this file publishes the model it trains (line {l}), a derivative that must carry those restrictions and a copy of the license"
                    ))
                ),
            )
            .with_help(format!(
                "Set the `product:` keys in weightlint.yaml so these terms are decided. Resolved through {}.",
                resolved.via.describe()
            ));
            if publishes.is_some() {
                d.severity = Severity::Warning;
                d.help = Some(format!(
                    "Pass the use restrictions on as an enforceable provision and ship the license with the published model (its card's `license:` and a LICENSE file). Resolved through {}.",
                    resolved.via.describe()
                ));
            }
            out.push(d);
        }
    }
}

/// WL403 once per file that lists many repositories (a registry of supported models, a
/// model zoo table): how many it names, how many have product-dependent terms and how
/// many are unknown. Each is judged where a config or command picks it.
fn listed(project: &Project, out: &mut Vec<Diagnostic>) {
    let mut files: Vec<(&str, Vec<&CodeUse>)> = Vec::new();
    for u in project.code_uses.iter().filter(|u| u.listed) {
        match files.iter_mut().find(|(p, _)| *p == u.path) {
            Some((_, uses)) => uses.push(u),
            None => files.push((&u.path, vec![u])),
        }
    }
    for (path, uses) in files {
        let mut ids = BTreeSet::new();
        let (mut restricted, mut unknown) = (BTreeSet::new(), 0usize);
        let mut seen = HashSet::new();
        for u in &uses {
            let id = u.id.to_ascii_lowercase();
            ids.insert(id.clone());
            if !seen.insert(id) {
                continue;
            }
            match &u.resolved {
                None => unknown += 1,
                Some(r) => {
                    for e in r.licenses.iter().filter_map(Named::entry) {
                        if !super::product_terms(e).is_empty() {
                            restricted.insert(e.name.as_str());
                        }
                    }
                }
            }
        }
        let Some(first) = uses.iter().min_by_key(|u| (u.line, u.column)) else {
            continue;
        };
        let licenses = if restricted.is_empty() {
            String::new()
        } else {
            format!(
                "; licenses with product-dependent terms among them: {}",
                restricted.into_iter().collect::<Vec<_>>().join(", ")
            )
        };
        out.push(
            Diagnostic::new(
                &WL403,
                Location::at(path, first.line, first.column),
                format!(
                    "this file lists {} repositories, a list of supported models rather than a choice of one ({unknown} with a license weightlint does not know){licenses}",
                    ids.len()
                ),
            )
            .with_help("Each model is judged where a config, script or command of the product picks it; non-commercial entries are named one by one (WL202)."),
        );
    }
}
