//! Resolving provenance: each base model and dataset a card, config or code names, in
//! the tree, the local cache or the catalogue.

use std::collections::HashMap;

use crate::inventory::code::{self, CodeRef, Kind, Loader};
use crate::license::expr::Named;
use crate::lock::Lock;
use crate::provenance::{self, BaseRef, DataRef, Origin, Resolved, Resolver, Via};

use super::read::file_name;
use super::{CodeUse, DatasetCard, Project, LIST_SIZE};

/// Resolve every model's bases and datasets, and the models code loads.
pub(super) fn resolve_provenance(
    project: &mut Project,
    code_refs: Vec<(String, Vec<CodeRef>)>,
    lock: Option<&Lock>,
) {
    let code_refs = builders(code_refs);
    let mut resolver = Resolver::new(lock, provenance::hub_cache_dir());
    let snapshot: Vec<(usize, String, Vec<Named>, String)> = project
        .models
        .iter()
        .map(|m| {
            (
                m.root,
                m.rel_dir.clone(),
                m.licenses.clone(),
                m.path.clone(),
            )
        })
        .collect();
    for model in &mut project.models {
        let mut bases = Vec::new();
        if let Some(card) = &model.card {
            if let Some(f) = card.field("base_model") {
                for id in f.value.strings() {
                    bases.push(BaseRef {
                        id: id.trim().to_string(),
                        origin: Origin::Card(f.line),
                        resolved: None,
                    });
                }
            }
            model.relation = card
                .field("base_model_relation")
                .and_then(|f| f.value.scalar_text().map(|v| (v, f.line)));
        }
        for (path, meta) in &model.gguf {
            for b in &meta.base_models {
                if let Some(id) = b.hub_id() {
                    bases.push(BaseRef {
                        id,
                        origin: Origin::Gguf(path.clone()),
                        resolved: None,
                    });
                }
            }
        }
        bases.append(&mut model.bases);
        let mut seen = std::collections::HashSet::new();
        bases.retain(|b| !b.id.is_empty() && seen.insert(b.id.to_ascii_lowercase()));
        for b in &mut bases {
            b.resolved = in_repo(&snapshot, model.root, &model.rel_dir, &b.id)
                .or_else(|| resolver.model(&b.id));
        }
        model.bases = bases;

        if let Some(f) = model.card.as_ref().and_then(|c| c.field("datasets")) {
            for id in f.value.strings() {
                let id = id.trim().to_string();
                let resolved = dataset_in_repo(&project.dataset_cards, model.root, &id)
                    .or_else(|| resolver.dataset(&id));
                model.datasets.push(DataRef {
                    id,
                    line: f.line,
                    resolved,
                });
            }
        }

        let mut inherited: Vec<Named> = Vec::new();
        for named in model
            .bases
            .iter()
            .filter_map(|b| b.resolved.as_ref())
            .flat_map(|r| &r.licenses)
        {
            let binds = named.entry().is_some_and(|e| e.binds_derivatives());
            if binds && !model.licenses.contains(named) && !inherited.contains(named) {
                inherited.push(named.clone());
            }
        }
        // A release's table names what it is built on.
        for named in model
            .released_as
            .iter()
            .flat_map(|r| &r.built_on)
            .filter_map(|(key, _)| crate::license::kb::kb().key(key))
            .map(Named::from_entry)
        {
            if !model.licenses.contains(&named) && !inherited.contains(&named) {
                inherited.push(named);
            }
        }
        model.inherited = inherited;
    }
    for (path, refs) in code_refs {
        let distinct: std::collections::HashSet<String> =
            refs.iter().map(|r| r.id.to_ascii_lowercase()).collect();
        let listed = distinct.len() > LIST_SIZE;
        for r in refs {
            let (kind, resolved) = match r.kind {
                Kind::Model => (Kind::Model, resolver.model(&r.id)),
                Kind::Dataset => (Kind::Dataset, resolver.dataset(&r.id)),
                Kind::Either => match resolver.model(&r.id) {
                    Some(m) => (Kind::Model, Some(m)),
                    None => match resolver.dataset(&r.id) {
                        Some(d) => (Kind::Dataset, Some(d)),
                        None => (Kind::Either, None),
                    },
                },
            };
            project.code_uses.push(CodeUse {
                path: path.clone(),
                line: r.line,
                column: r.column,
                id: r.id,
                loader: r.loader,
                kind,
                resolved,
                listed,
            });
        }
    }
}

/// A config naming a builder (`_component_: torchtune.datasets.alpaca_dataset`) uses the
/// repositories the builder defaults to, as the Python sources define them; a builder with
/// no known default names nothing.
fn builders(mut code_refs: Vec<(String, Vec<CodeRef>)>) -> Vec<(String, Vec<CodeRef>)> {
    let mut defaults: HashMap<String, Vec<(String, Kind)>> = HashMap::new();
    for r in code_refs.iter().flat_map(|(_, refs)| refs) {
        if let (Some(owner), Loader::Default) = (&r.owner, r.loader) {
            let entry = defaults.entry(owner.clone()).or_default();
            if !entry.iter().any(|(id, _)| *id == r.id) {
                entry.push((r.id.clone(), r.kind));
            }
        }
    }
    for (_, refs) in &mut code_refs {
        if !refs.iter().any(|r| r.id.starts_with(code::COMPONENT)) {
            continue;
        }
        let mut out = Vec::with_capacity(refs.len());
        for r in refs.drain(..) {
            let Some(builder) = r.id.strip_prefix(code::COMPONENT) else {
                out.push(r);
                continue;
            };
            for (id, kind) in defaults.get(builder).into_iter().flatten() {
                out.push(CodeRef {
                    id: id.clone(),
                    kind: *kind,
                    owner: None,
                    ..r.clone()
                });
            }
        }
        *refs = out;
    }
    code_refs
}

/// A base written as a path (`../base`): the model in that directory of the tree.
fn in_repo(
    models: &[(usize, String, Vec<Named>, String)],
    root: usize,
    rel_dir: &str,
    id: &str,
) -> Option<Resolved> {
    if !(id.starts_with("./") || id.starts_with("../")) {
        return None;
    }
    let mut parts: Vec<&str> = rel_dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in id.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let target = parts.join("/");
    let (_, _, licenses, path) = models
        .iter()
        .find(|(r, d, _, _)| *r == root && *d == target)?;
    Some(Resolved {
        licenses: licenses.clone(),
        via: Via::Repo(path.clone()),
        modality: None,
        derived_from: None,
    })
}

/// A dataset whose card is in the tree: by relative path or by its directory's name.
fn dataset_in_repo(cards: &[DatasetCard], root: usize, id: &str) -> Option<Resolved> {
    let last = id.trim_end_matches('/').rsplit('/').next()?;
    let card = cards.iter().find(|d| {
        d.root == root
            && (d.rel_dir == id.trim_start_matches("./") || file_name(&d.rel_dir) == last)
    })?;
    Some(Resolved {
        licenses: provenance::card_licenses(&card.card),
        via: Via::Repo(card.path.clone()),
        modality: None,
        derived_from: None,
    })
}
