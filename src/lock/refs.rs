//! What a lock must hold: the Hub repositories a scanned project uses, and how a lock
//! differs from them (`weightlint lock --check`).

use std::collections::{BTreeMap, HashSet};

use super::{Kind, Lock, LockFile};
use crate::inventory::code::{self, Loader};
use crate::project::Project;
use crate::provenance::Via;

/// A Hub repository the project uses, and where it is first named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Want {
    pub id: String,
    /// `None`: code names it where either fits (`repo_id=`); the Hub decides.
    pub kind: Option<Kind>,
    /// `path:line` of its first use.
    pub at: String,
}

/// Whether `id` is written like a Hub repository id: `org/name`, or a legacy name with no
/// org (`gpt2`).
pub fn is_hub_id(id: &str) -> bool {
    let part_ok = |p: &str| {
        !p.is_empty()
            && p.len() <= 96
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            && !p.starts_with(['.', '-'])
            && !p.ends_with(['.', '-'])
    };
    match id.split_once('/') {
        Some((org, name)) => part_ok(org) && part_ok(name),
        None => part_ok(id) && id.bytes().any(|b| b.is_ascii_alphabetic()),
    }
}

/// The repositories the project uses, sorted by id: the bases and datasets its cards,
/// configs and GGUF headers name, and what its code, scripts, configs and READMEs load
/// (not a list of supported models, not a model zoo outside the Hub, not what the tree
/// itself holds).
pub fn wanted(project: &Project) -> Vec<Want> {
    let mut out: BTreeMap<String, Want> = BTreeMap::new();
    let mut add = |id: &str, kind: Option<Kind>, at: String, via: Option<&Via>| {
        let id = id.trim();
        if !is_hub_id(id) || matches!(via, Some(Via::Repo(_))) {
            return;
        }
        let w = out.entry(id.to_ascii_lowercase()).or_insert_with(|| Want {
            id: id.to_string(),
            kind,
            at,
        });
        if w.kind.is_none() {
            w.kind = kind;
        }
    };
    for m in &project.models {
        for b in &m.bases {
            let at = match &b.origin {
                crate::provenance::Origin::Card(line) => format!("{}:{line}", card_path(m)),
                crate::provenance::Origin::Gguf(p)
                | crate::provenance::Origin::Config(p)
                | crate::provenance::Origin::Adapter(p) => p.clone(),
            };
            add(
                &b.id,
                Some(Kind::Model),
                at,
                b.resolved.as_ref().map(|r| &r.via),
            );
        }
        for d in &m.datasets {
            let at = format!("{}:{}", card_path(m), d.line);
            add(
                &d.id,
                Some(Kind::Dataset),
                at,
                d.resolved.as_ref().map(|r| &r.via),
            );
        }
    }
    for u in project.code_uses.iter().filter(|u| !u.listed) {
        if matches!(
            u.loader,
            Loader::Zoo | Loader::DataUrl | Loader::Named | Loader::DatasetLink
        ) {
            continue;
        }
        let kind = match u.kind {
            code::Kind::Model => Some(Kind::Model),
            code::Kind::Dataset => Some(Kind::Dataset),
            code::Kind::Either => None,
        };
        let at = format!("{}:{}", u.path, u.line);
        add(&u.id, kind, at, u.resolved.as_ref().map(|r| &r.via));
    }
    out.into_values().collect()
}

fn card_path(m: &crate::project::Model) -> String {
    m.card
        .as_ref()
        .map(|c| c.path.clone())
        .unwrap_or_else(|| m.path.clone())
}

/// How a lock differs from what the project uses.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// Used, not locked.
    pub missing: Vec<Want>,
    /// Locked, neither used nor the base of something used.
    pub unused: Vec<(Kind, String)>,
}

impl Drift {
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.unused.is_empty()
    }
}

/// Compare a lock with what the project uses.
pub fn drift(wants: &[Want], file: &LockFile) -> Drift {
    let lock = Lock::new(String::new(), file.clone());
    let mut drift = Drift::default();
    let mut reached: HashSet<(Kind, String)> = HashSet::new();
    for w in wants {
        let kinds: &[Kind] = match w.kind {
            Some(Kind::Model) => &[Kind::Model],
            Some(Kind::Dataset) => &[Kind::Dataset],
            None => &[Kind::Model, Kind::Dataset],
        };
        let mut found = false;
        for &k in kinds {
            if let Some(e) = lock.get(k, &w.id) {
                found = true;
                reached.insert((k, e.id.to_ascii_lowercase()));
                if k == Kind::Model {
                    for base in lock.ancestry(&e.id) {
                        reached.insert((Kind::Model, base.id.to_ascii_lowercase()));
                    }
                }
            }
        }
        if !found {
            drift.missing.push(w.clone());
        }
    }
    for (kind, entries) in [(Kind::Model, &file.models), (Kind::Dataset, &file.datasets)] {
        for e in entries {
            if !reached.contains(&(kind, e.id.to_ascii_lowercase())) {
                drift.unused.push((kind, e.id.clone()));
            }
        }
    }
    drift.unused.sort();
    drift
}

#[cfg(test)]
mod tests {
    use super::super::{Entry, VERSION};
    use super::*;

    #[test]
    fn hub_ids() {
        for ok in ["meta-llama/Llama-3.1-8B", "gpt2", "t5-small", "a_b/c.d-e"] {
            assert!(is_hub_id(ok), "{ok}");
        }
        for bad in [
            "./base",
            "../x",
            "/abs/path",
            "a/b/c",
            "github:o/r",
            "org/",
            "-x/y",
            "42",
            "",
        ] {
            assert!(!is_hub_id(bad), "{bad}");
        }
    }

    #[test]
    fn drift_follows_bases_and_either_kind() {
        let e = |id: &str, bases: &[&str]| Entry {
            id: id.to_string(),
            fetched: "2026-12-01".to_string(),
            base_models: bases.iter().map(|s| s.to_string()).collect(),
            ..Entry::default()
        };
        let file = LockFile {
            version: VERSION,
            models: vec![
                e("a/tuned", &["a/base"]),
                e("a/base", &[]),
                e("old/gone", &[]),
            ],
            datasets: vec![e("d/data", &[])],
        };
        let want = |id: &str, kind| Want {
            id: id.to_string(),
            kind,
            at: "x.py:1".to_string(),
        };
        let wants = [
            want("A/Tuned", Some(Kind::Model)),
            want("d/data", None),
            want("new/one", Some(Kind::Dataset)),
        ];
        let d = drift(&wants, &file);
        assert_eq!(d.missing, [want("new/one", Some(Kind::Dataset))]);
        assert_eq!(d.unused, [(Kind::Model, "old/gone".to_string())]);
        assert!(drift(
            &wants[..2],
            &LockFile {
                models: file.models[..2].to_vec(),
                ..file.clone()
            }
        )
        .is_empty());
    }
}
