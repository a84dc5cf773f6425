//! Provenance rules (WL400–WL404): licenses travel with weights. A fine-tune, adapter,
//! quantization or merge stays under its base model's terms; data licenses follow the
//! data; code that loads a hub model takes on its terms.

use crate::core::diagnostic::{Diagnostic, Location, Severity};
use crate::core::registry::{WL103, WL400, WL401, WL402, WL403, WL404};
use crate::inventory::code::Kind;
use crate::license::expr::{self, Named};
use crate::license::kb::{kb, Commercial, Entry, TermKind};
use crate::project::{Model, Project};
use crate::provenance::Origin;

pub(super) fn check(project: &Project, out: &mut Vec<Diagnostic>) {
    for model in &project.models {
        bases(project, model, out);
        datasets(project, model, out);
        gguf_mismatch(project, model, out);
    }
    code_uses(project, out);
}

/// Where a base reference is written.
fn origin_location(project: &Project, model: &Model, origin: &Origin) -> Location {
    match (origin, &model.card) {
        (Origin::Card(line), Some(card)) => Location::at(&card.path, *line, 1),
        (Origin::Gguf(p) | Origin::Config(p) | Origin::Adapter(p), _) => Location::file(p),
        _ => project.model_location(model),
    }
}

fn declared(model: &Model) -> Option<&[Named]> {
    model
        .declared
        .as_ref()
        .map(|d| d.resolution.licenses.as_slice())
        .filter(|l| !l.is_empty())
}

/// WL400 and WL402: each base resolved, and its license carried by the derivative.
fn bases(project: &Project, model: &Model, out: &mut Vec<Diagnostic>) {
    for base in &model.bases {
        let Some(resolved) = &base.resolved else {
            out.push(
                Diagnostic::new(
                    &WL402,
                    origin_location(project, model, &base.origin),
                    format!(
                        "base model `{}` is not in this repository, the local Hugging Face cache or weightlint's catalogue: the license it passes on cannot be checked",
                        base.id
                    ),
                )
                .with_help("Download it once (the cache is read offline), or check its license by hand and record an exception for WL402 with the answer.")
                .for_model(&model.path),
            );
            continue;
        };
        let Some(own) = declared(model) else { continue };
        let Some(declared_line) = model.declared.as_ref().map(|d| d.line) else {
            continue;
        };
        for named in &resolved.licenses {
            let Some(entry) = named.entry() else { continue };
            let carried = own.iter().any(|n| n.id == named.id);
            let verdict = if entry.has(TermKind::NoDerivatives) {
                Some("does not allow derivatives at all".to_string())
            } else if entry.binds_derivatives() && !carried {
                Some(format!("{}, which {}", entry.name, carries_over(entry)))
            } else {
                None
            };
            let Some(verdict) = verdict else { continue };
            let written: Vec<&str> = own.iter().map(|n| n.id.as_str()).collect();
            let location = match &model.card {
                Some(card) => Location::at(&card.path, declared_line, 1),
                None => project.model_location(model),
            };
            let suggestion = entry
                .hf_ids
                .first()
                .map(|h| format!("`license: {h}`"))
                .unwrap_or_else(|| format!("`license: other` with `license_name: {}`", entry.key));
            out.push(
                Diagnostic::new(
                    &WL400,
                    location,
                    format!(
                        "declares {}, but its base `{}` is under the {verdict}",
                        written.join(" + "),
                        base.id
                    ),
                )
                .with_help(format!(
                    "A fine-tune, adapter, quantization or merge stays under its base model's license: declare {suggestion} and ship its text, or start from a base whose license allows relicensing. The base was resolved through {} from {}.",
                    resolved.via.describe(),
                    base.origin.describe()
                ))
                .for_model(&model.path),
            );
        }
    }
}

/// Why a license binds derivatives, in a few words, citing its clause.
fn carries_over(entry: &Entry) -> String {
    // The clause in parentheses, unless the knowledge base could not verify it.
    let clause = |k: TermKind| {
        entry.terms.iter().find(|t| t.kind == k).map(|t| {
            if t.clause.starts_with("unverified") {
                String::new()
            } else {
                format!(" ({})", t.clause)
            }
        })
    };
    if let Some(c) = clause(TermKind::ShareAlike) {
        return format!("requires derivatives to use the same license{c}");
    }
    if let Some(c) = clause(TermKind::FlowDown) {
        return format!("passes its terms on to derivatives{c}");
    }
    if let Some(c) = clause(TermKind::NonCommercial).or(clause(TermKind::ResearchOnly)) {
        return format!("limits derivatives to non-commercial use{c}");
    }
    "keeps its terms on derivatives".to_string()
}

/// WL401: a training dataset whose license conflicts with the model's.
fn datasets(project: &Project, model: &Model, out: &mut Vec<Diagnostic>) {
    let own: Vec<&Entry> = declared(model)
        .unwrap_or_default()
        .iter()
        .filter_map(Named::entry)
        .collect();
    let permissive_model = !own.is_empty()
        && own
            .iter()
            .all(|e| e.commercial == Commercial::Yes && !e.binds_derivatives());
    for data in &model.datasets {
        let Some(resolved) = &data.resolved else {
            continue;
        };
        for entry in resolved.licenses.iter().filter_map(Named::entry) {
            // Share-alike data behind a model is the least settled case (BERT on
            // Wikipedia): a note, not a warning.
            let problem = if entry.commercial == Commercial::No && permissive_model {
                Some((format!(
                    "is {}, a non-commercial license, while the model is offered under a license that allows commercial use",
                    entry.name
                ), WL401.default_severity))
            } else if entry.has(TermKind::NoDerivatives) {
                Some((
                    format!("is {}, which allows no adaptations", entry.name),
                    WL401.default_severity,
                ))
            } else if entry.has(TermKind::ShareAlike)
                && !own.is_empty()
                && !own.iter().any(|e| e.has(TermKind::ShareAlike))
            {
                Some((
                    format!(
                        "is {}, a share-alike license, while the model's license is not",
                        entry.name
                    ),
                    Severity::Note,
                ))
            } else {
                None
            };
            let Some((problem, severity)) = problem else {
                continue;
            };
            let location = match &model.card {
                Some(card) => Location::at(&card.path, data.line, 1),
                None => project.model_location(model),
            };
            let mut d = Diagnostic::new(
                &WL401,
                location,
                format!("training dataset `{}` {problem}", data.id),
            );
            d.severity = severity;
            out.push(
                d
                    .with_help(format!(
                        "Whether a model trained on data is an adaptation of it is unsettled; check the dataset's terms, train without it, or record an exception with the legal view you rely on. Resolved through {}.",
                        resolved.via.describe()
                    ))
                    .for_model(&model.path),
            );
        }
    }
}

/// WL103 for GGUF weights: the header's `general.license` against the card.
fn gguf_mismatch(project: &Project, model: &Model, out: &mut Vec<Diagnostic>) {
    let Some(own) = declared(model) else { return };
    for (path, meta) in &model.gguf {
        let Some(written) = meta.license.as_deref() else {
            continue;
        };
        let res = expr::resolve_str(written);
        let mut theirs = res.licenses;
        if res.other {
            theirs.extend(
                meta.license_name
                    .as_deref()
                    .and_then(|n| kb().name(n))
                    .map(Named::from_entry),
            );
        }
        if theirs.is_empty() || theirs.iter().any(|t| own.iter().any(|o| o.id == t.id)) {
            continue;
        }
        let names: Vec<&str> = theirs.iter().map(|n| n.name.as_str()).collect();
        let location = match (&model.card, &model.declared) {
            (Some(card), Some(d)) => Location::at(&card.path, d.line, 1),
            _ => project.model_location(model),
        };
        out.push(
            Diagnostic::new(
                &WL103,
                location,
                format!(
                    "the card declares {}, but the GGUF header of {path} says `general.license: {written}` ({})",
                    own.iter().map(|n| n.id.as_str()).collect::<Vec<_>>().join(" + "),
                    names.join(", ")
                ),
            )
            .with_help("A quantization keeps its base model's license: declare the license the weights carry, or fix the header when re-exporting.")
            .for_model(&model.path),
        );
    }
}

/// WL403: code loads a hub model whose license has terms that depend on the product.
/// WL401: code trains on a dataset whose license binds what is made from it.
/// WL404: code uses a model or dataset whose license nothing resolves, once per id and file.
fn code_uses(project: &Project, out: &mut Vec<Diagnostic>) {
    let mut unknown = std::collections::HashSet::new();
    listed(project, out);
    for use_ in project.code_uses.iter().filter(|u| !u.listed) {
        let at = Location::at(&use_.path, use_.line, use_.column);
        // Resolved to a custom license whose terms no entry holds (`other`, `unknown`):
        // as unknown as not resolved at all.
        let custom = use_.resolved.as_ref().is_some_and(|r| {
            r.licenses.iter().all(|n| {
                n.entry()
                    .is_none_or(|e| matches!(e.key.as_str(), "other" | "unknown"))
            })
        });
        let resolved = use_.resolved.as_ref().filter(|_| !custom);
        let Some(resolved) = resolved else {
            if unknown.insert((use_.path.as_str(), use_.id.to_ascii_lowercase())) {
                out.push(
                    Diagnostic::new(
                        &WL404,
                        at,
                        if custom {
                            format!(
                                "license unknown: {} `{}` ({}) is under a custom license whose terms weightlint does not know; verify them before shipping",
                                use_.kind.as_str(),
                                use_.id,
                                use_.loader.as_str()
                            )
                        } else {
                            format!(
                                "license unknown: {} `{}` ({}) is not in the repository, the local Hugging Face cache or weightlint's catalogue; verify its license before shipping",
                                use_.kind.as_str(),
                                use_.id,
                                use_.loader.as_str()
                            )
                        },
                    )
                    .with_help(if use_.id.contains(':') {
                        "Read the license where the model is published; record the decision under `policy.exceptions`.".to_string()
                    } else {
                        format!(
                            "Read the license on https://huggingface.co/{}{}; run once with it downloaded (the local cache is read), or record the decision under `policy.exceptions`.",
                            if use_.kind == Kind::Dataset { "datasets/" } else { "" },
                            use_.id
                        )
                    }),
                );
            }
            continue;
        };
        for entry in resolved.licenses.iter().filter_map(Named::entry) {
            if use_.kind == Kind::Dataset {
                let binds = if entry.has(TermKind::NoDerivatives) {
                    Some("allows no adaptations")
                } else if entry.has(TermKind::ShareAlike) {
                    Some("is share-alike")
                } else if entry.commercial == Commercial::No {
                    Some("is non-commercial")
                } else {
                    None
                };
                if let Some(binds) = binds {
                    let mut d = Diagnostic::new(
                        &WL401,
                        at.clone(),
                        format!(
                            "dataset `{}` ({}) is under the {}, which {binds}: models trained on it may carry its terms",
                            use_.id,
                            use_.loader.as_str(),
                            entry.name
                        ),
                    )
                    .with_help(format!(
                        "Whether a model trained on data is an adaptation of it is unsettled; check the dataset's terms, train without it, or record an exception with the legal view you rely on. Resolved through {}.",
                        resolved.via.describe()
                    ));
                    d.severity = Severity::Note;
                    out.push(d);
                }
                continue;
            }
            let terms = product_terms(entry);
            if terms.is_empty() {
                continue;
            }
            // A recipe that publishes what it trains makes a derivative others receive:
            // use restrictions must travel with it, so the note becomes a warning.
            let publishes = entry
                .has(TermKind::UseRestrictions)
                .then(|| publish_line(project, &use_.path))
                .flatten();
            let mut d = Diagnostic::new(
                &WL403,
                at.clone(),
                format!(
                    "`{}` ({}) is under the {}: {}{}",
                    use_.id,
                    use_.loader.as_str(),
                    entry.name,
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
    let mut files: Vec<(&str, Vec<&crate::project::CodeUse>)> = Vec::new();
    for u in project.code_uses.iter().filter(|u| u.listed) {
        match files.iter_mut().find(|(p, _)| *p == u.path) {
            Some((_, uses)) => uses.push(u),
            None => files.push((&u.path, vec![u])),
        }
    }
    for (path, uses) in files {
        let mut ids = std::collections::BTreeSet::new();
        let (mut restricted, mut unknown) = (std::collections::BTreeSet::new(), 0usize);
        let mut seen = std::collections::HashSet::new();
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
                        if !product_terms(e).is_empty() {
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

/// The line of a file that publishes what it trains: `push_to_hub: true` (YAML),
/// `--push_to_hub` (a command line), `push_to_hub=True` (Python).
fn publish_line(project: &Project, path: &str) -> Option<usize> {
    let text = project.texts.get(path)?;
    text.lines()
        .position(|l| {
            let l = l.trim();
            !l.starts_with('#')
                && (l
                    .replace(' ', "")
                    .to_ascii_lowercase()
                    .starts_with("push_to_hub:true")
                    || l.contains("--push_to_hub")
                    || l.contains("push_to_hub=True"))
        })
        .map(|i| i + 1)
}

/// A geographic restriction in a few words.
fn region_text(t: &crate::license::kb::Term) -> String {
    let regions: Vec<&str> = t
        .regions
        .iter()
        .map(|r| match r.as_str() {
            "comprehensively-sanctioned-jurisdictions" => "sanctioned jurisdictions",
            other => other,
        })
        .collect();
    if t.has_scope("multimodal-models") {
        format!(
            "multimodal models not licensed to {}-based licensees",
            regions.join(", ")
        )
    } else {
        format!("excludes licensees in {}", regions.join(", "))
    }
}

/// The terms of a license that depend on the product, in a few words each.
fn product_terms(entry: &Entry) -> Vec<String> {
    let mut out = Vec::new();
    for t in &entry.terms {
        let text = match t.kind {
            TermKind::MauThreshold => t
                .value
                .map(|v| format!("{} monthly active users", crate::core::text::fmt_count(v))),
            TermKind::DauThreshold => t
                .value
                .map(|v| format!("{} daily active users", crate::core::text::fmt_count(v))),
            TermKind::RevenueThreshold => t
                .value
                .map(|v| format!("US${} annual revenue", crate::core::text::fmt_count(v))),
            TermKind::NonCommercial => Some("non-commercial".to_string()),
            TermKind::ResearchOnly => Some("research only".to_string()),
            TermKind::NonProduction => Some("non-production".to_string()),
            TermKind::GeographicRestriction => Some(region_text(t)),
            TermKind::OutputRestriction if t.scope_tokens().any(|s| s.starts_with("train-")) => {
                Some("restricts training on outputs".to_string())
            }
            TermKind::UseRestrictions => {
                Some("use restrictions that derivatives must carry".to_string())
            }
            _ => None,
        };
        if let Some(text) = text {
            if !out.contains(&text) {
                out.push(text);
            }
        }
    }
    if let Some(aup) = entry.use_policy.as_deref().and_then(|k| kb().key(k)) {
        for t in aup
            .terms
            .iter()
            .filter(|t| t.kind == TermKind::GeographicRestriction)
        {
            let text = region_text(t);
            if !out.contains(&text) {
                out.push(text);
            }
        }
    }
    out
}
