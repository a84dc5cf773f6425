//! resolve, part two: where each model came from and what code loads. Base models,
//! datasets and code references are resolved to licenses inside the repository, in
//! `weightlint.lock`, in the local Hugging Face cache, or in the embedded catalogue, in
//! that order. Never a network.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::catalogue::{self, Catalogue};
use crate::core::source;
use crate::inventory::card::{self, Card};
use crate::license::expr::{self, Named};
use crate::license::identify;
use crate::license::kb::Modality;
use crate::lock::{self, Lock};

/// Where a resolution came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Via {
    /// A model or dataset card in the scanned tree (its display path).
    Repo(String),
    /// An entry of `weightlint.lock`: the Hub card as `weightlint lock` fetched it.
    Lock(Locked),
    /// A snapshot in the local Hugging Face cache (its path).
    Cache(String),
    /// A catalogue pattern.
    Catalogue(String),
    /// A catalogue pattern that knows the family from the name alone (`*/Llama-2-*`): a
    /// re-upload, quantization or fine-tune under another org.
    Name(String),
}

/// Where in `weightlint.lock` a license was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Locked {
    /// The lock's display path.
    pub file: String,
    /// The revision of the Hub card (short).
    pub revision: Option<String>,
    pub fetched: String,
    /// The base whose license flows down to it, when its own card does not state it.
    pub through: Option<String>,
}

impl Via {
    pub fn describe(&self) -> String {
        match self {
            Via::Repo(p) => format!("its card in this repository ({p})"),
            Via::Lock(l) => {
                let at = match &l.revision {
                    Some(r) => format!("the Hub card at revision {r}"),
                    None => "the Hub card".to_string(),
                };
                let through = match &l.through {
                    Some(b) => format!(" and its base `{b}`"),
                    None => String::new(),
                };
                format!("{at}{through}, locked {} ({})", l.fetched, l.file)
            }
            Via::Cache(p) => format!("the local Hugging Face cache ({p})"),
            Via::Catalogue(p) => format!("weightlint's catalogue (`{p}`)"),
            Via::Name(p) => format!(
                "its name alone, which weightlint's catalogue ties to a model family (`{p}`)"
            ),
        }
    }
}

/// What a Hub id resolved to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub licenses: Vec<Named>,
    pub via: Via,
    pub modality: Option<Modality>,
    /// What the data was made from, per the catalogue: the dataset it copies or the model
    /// that generated it, with that one's licenses (a copy cannot drop them).
    pub derived_from: Option<(String, Vec<Named>)>,
}

/// Where a model names its base.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The card's `base_model:` (line).
    Card(usize),
    /// A GGUF header's `general.base_model.*` (file).
    Gguf(String),
    /// `config.json`'s `_name_or_path` (file).
    Config(String),
    /// `adapter_config.json`'s `base_model_name_or_path` (file).
    Adapter(String),
}

impl Origin {
    pub fn describe(&self) -> String {
        match self {
            Origin::Card(line) => format!("the card's `base_model` (line {line})"),
            Origin::Gguf(p) => format!("the GGUF header of {p}"),
            Origin::Config(p) => format!("`_name_or_path` in {p}"),
            Origin::Adapter(p) => format!("`base_model_name_or_path` in {p}"),
        }
    }
}

/// A base model a model names, and what it resolved to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseRef {
    pub id: String,
    pub origin: Origin,
    pub resolved: Option<Resolved>,
}

/// A training dataset a card names (`datasets:`), and what it resolved to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataRef {
    pub id: String,
    pub line: usize,
    pub resolved: Option<Resolved>,
}

/// Where the local Hugging Face cache is: `HF_HUB_CACHE`, `HF_HOME/hub`, or
/// `~/.cache/huggingface/hub`.
pub fn hub_cache_dir() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("HF_HUB_CACHE") {
        return Some(PathBuf::from(p));
    }
    if let Some(h) = std::env::var_os("HF_HOME") {
        return Some(PathBuf::from(h).join("hub"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/huggingface/hub"))
}

/// The licenses a card states: `license:`, or `license_name:` for `license: other`.
pub fn card_licenses(card: &Card) -> Vec<Named> {
    let Some(field) = card.field("license") else {
        return Vec::new();
    };
    let mut res = expr::resolve_value(&field.value);
    res.resolve_other(
        card.str_field("license_name"),
        None,
        card.field("license_link").is_some(),
    );
    res.licenses
}

/// A Hub id as the cache spells its directory: `models--org--name`.
fn cache_dir_name(kind: &str, id: &str) -> Option<String> {
    let (org, name) = id.split_once('/')?;
    Some(format!("{kind}--{org}--{name}"))
}

/// Resolves Hub ids, remembering each answer.
pub struct Resolver<'a> {
    lock: Option<&'a Lock>,
    cache: Option<PathBuf>,
    memo: HashMap<(bool, String), Option<Resolved>>,
}

impl<'a> Resolver<'a> {
    pub fn new(lock: Option<&'a Lock>, cache: Option<PathBuf>) -> Self {
        Resolver {
            lock,
            cache: cache.filter(|c| c.is_dir()),
            memo: HashMap::new(),
        }
    }

    /// A model id through the cache, then the catalogue.
    pub fn model(&mut self, id: &str) -> Option<Resolved> {
        self.resolve(false, id)
    }

    /// A dataset id through the cache, then the catalogue.
    pub fn dataset(&mut self, id: &str) -> Option<Resolved> {
        self.resolve(true, id)
    }

    fn resolve(&mut self, dataset: bool, id: &str) -> Option<Resolved> {
        let key = (dataset, id.to_ascii_lowercase());
        if let Some(hit) = self.memo.get(&key) {
            return hit.clone();
        }
        let (kind, catalogue): (&str, &Catalogue) = if dataset {
            ("datasets", catalogue::datasets())
        } else {
            ("models", catalogue::models())
        };
        // The Hub said it is a dataset and not a model: no model answer by name.
        let not_a_model = !dataset
            && self.lock.is_some_and(|l| {
                l.get(lock::Kind::Model, id).is_none() && l.get(lock::Kind::Dataset, id).is_some()
            });
        let listed = from_catalogue(catalogue, id).filter(|_| !not_a_model);
        let found = self
            .locked(dataset, id, listed.as_ref())
            .or_else(|| self.cached(kind, id))
            .or(listed);
        self.memo.insert(key, found.clone());
        found
    }

    /// The lock's entry: the licenses its Hub card states, and those its bases carry
    /// over (a fine-tune relabelled `apache-2.0` still carries its Llama base's terms).
    /// The catalogue still says what the model is (its modality, what data derives from).
    fn locked(&self, dataset: bool, id: &str, listed: Option<&Resolved>) -> Option<Resolved> {
        let lock = self.lock?;
        let kind = if dataset {
            lock::Kind::Dataset
        } else {
            lock::Kind::Model
        };
        let entry = lock.get(kind, id).filter(|e| e.status.is_none())?;
        let mut licenses = entry.licenses();
        let mut through = None;
        if kind == lock::Kind::Model {
            for base in lock.ancestry(&entry.id) {
                for named in base.licenses() {
                    let binds = named.entry().is_some_and(|e| e.binds_derivatives());
                    if binds && !licenses.contains(&named) {
                        through.get_or_insert_with(|| base.id.clone());
                        licenses.push(named);
                    }
                }
            }
        }
        // A name the knowledge base does not know (`license_name: my-license`) yields to
        // what the catalogue knows of the id.
        let unknown = licenses.iter().all(|n| n.key.is_none());
        if licenses.is_empty() || (unknown && listed.is_some()) {
            return None;
        }
        Some(Resolved {
            licenses,
            via: Via::Lock(Locked {
                file: lock.display.clone(),
                revision: entry.short_revision().map(str::to_string),
                fetched: entry.fetched.clone(),
                through,
            }),
            modality: listed.and_then(|l| l.modality),
            derived_from: listed.and_then(|l| l.derived_from.clone()),
        })
    }

    fn cached(&self, kind: &str, id: &str) -> Option<Resolved> {
        let repo = self.cache.as_ref()?.join(cache_dir_name(kind, id)?);
        let snapshots = repo.join("snapshots");
        let pinned = std::fs::read_to_string(repo.join("refs/main"))
            .ok()
            .map(|r| snapshots.join(r.trim()))
            .filter(|p| p.is_dir());
        let snapshot = pinned.or_else(|| {
            let mut all: Vec<PathBuf> = std::fs::read_dir(&snapshots)
                .ok()?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect();
            all.sort();
            all.pop()
        })?;
        snapshot_licenses(&snapshot).map(|licenses| Resolved {
            licenses,
            via: Via::Cache(snapshot.display().to_string()),
            modality: None,
            derived_from: None,
        })
    }
}

/// The licenses a cached snapshot states: its card's, else its license text's.
fn snapshot_licenses(dir: &Path) -> Option<Vec<Named>> {
    if let Ok(text) = source::read_text(&dir.join("README.md")) {
        let found = card_licenses(&card::parse("README.md", &text));
        if !found.is_empty() {
            return Some(found);
        }
    }
    for name in ["LICENSE", "LICENSE.md", "LICENSE.txt"] {
        if let Ok(text) = source::read_text(&dir.join(name)) {
            if let Some(id) = identify::identify(&text) {
                let named = match id.entry() {
                    Some(e) => Named::from_entry(e),
                    None => Named {
                        id: id.id,
                        name: id.name,
                        key: None,
                    },
                };
                return Some(vec![named]);
            }
        }
    }
    None
}

fn from_catalogue(catalogue: &Catalogue, id: &str) -> Option<Resolved> {
    let item = catalogue.find(id)?;
    let entry = item.entry()?;
    let derived_from = item.derived_from.as_ref().and_then(|up| {
        let found = catalogue::datasets()
            .find(up)
            .or_else(|| catalogue::models().find(up))?;
        Some((up.clone(), vec![Named::from_entry(found.entry()?)]))
    });
    Some(Resolved {
        licenses: vec![Named::from_entry(entry)],
        via: if item.inferred {
            Via::Name(item.pattern.clone())
        } else {
            Via::Catalogue(item.pattern.clone())
        },
        modality: item.modality,
        derived_from,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap_or(root)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(p, text).unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn the_cache_wins_over_the_catalogue_and_follows_refs_main() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let repo = "models--meta-llama--Llama-3.1-8B";
        write(dir.path(), &format!("{repo}/refs/main"), "bbb\n");
        write(
            dir.path(),
            &format!("{repo}/snapshots/bbb/README.md"),
            "---\nlicense: other\nlicense_name: qwen\n---\n",
        );
        write(
            dir.path(),
            &format!("{repo}/snapshots/ccc/README.md"),
            "---\nlicense: mit\n---\n",
        );
        let mut r = Resolver::new(None, Some(dir.path().to_path_buf()));
        let found = r.model("meta-llama/Llama-3.1-8B");
        let found = found.unwrap_or_else(|| panic!("resolved"));
        assert!(matches!(found.via, Via::Cache(_)));
        assert_eq!(found.licenses[0].key.as_deref(), Some("qwen"));
        // Not cached: the catalogue answers.
        let found = r.model("meta-llama/Llama-3.1-70B");
        assert!(matches!(found.map(|f| f.via), Some(Via::Catalogue(_))));
        assert_eq!(r.model("nobody/nothing"), None);
    }

    #[test]
    fn the_lock_wins_over_the_cache_and_catalogue_and_carries_its_chain() {
        use crate::lock::{Entry, LockFile, VERSION};
        let e = |id: &str, license: &[&str], name: Option<&str>, bases: &[&str]| Entry {
            id: id.to_string(),
            revision: Some("abcdef0123456789".to_string()),
            fetched: "2026-12-01".to_string(),
            license: license.iter().map(|s| s.to_string()).collect(),
            license_name: name.map(str::to_string),
            base_models: bases.iter().map(|s| s.to_string()).collect(),
            ..Entry::default()
        };
        let lock = Lock::new(
            "weightlint.lock".to_string(),
            LockFile {
                version: VERSION,
                models: vec![
                    e(
                        "acme/tuned",
                        &["apache-2.0"],
                        None,
                        &["meta-llama/Llama-3.1-8B"],
                    ),
                    e("meta-llama/Llama-3.1-8B", &["llama3.1"], None, &[]),
                    e(
                        "Qwen/Qwen2.5-72B-Instruct",
                        &["other"],
                        Some("our-own"),
                        &[],
                    ),
                    Entry {
                        status: Some("not-found".to_string()),
                        ..e("meta-llama/Llama-3.1-70B", &[], None, &[])
                    },
                ],
                datasets: vec![e("acme/Llama-2-7b-chat-data", &["mit"], None, &[])],
            },
        );
        let mut r = Resolver::new(Some(&lock), None);
        let tuned = r.model("acme/tuned").unwrap_or_else(|| panic!("resolved"));
        let keys: Vec<Option<&str>> = tuned.licenses.iter().map(|n| n.key.as_deref()).collect();
        assert_eq!(keys, [Some("apache-2.0"), Some("llama-3.1")]);
        assert_eq!(
            tuned.via.describe(),
            "the Hub card at revision abcdef0 and its base `meta-llama/Llama-3.1-8B`, locked 2026-12-01 (weightlint.lock)"
        );
        // The catalogue knows the id: a name the knowledge base does not know yields to it,
        // and so does an entry the Hub had no metadata for.
        let qwen = r.model("Qwen/Qwen2.5-72B-Instruct").map(|f| f.via);
        assert!(matches!(qwen, Some(Via::Catalogue(_))), "{qwen:?}");
        let gone = r.model("meta-llama/Llama-3.1-70B").map(|f| f.via);
        assert!(matches!(gone, Some(Via::Catalogue(_))), "{gone:?}");
        // Locked as a dataset only: not a model by name, even where the catalogue has a
        // pattern for the name.
        let mut r = Resolver::new(Some(&lock), None);
        assert!(r.model("acme/Llama-2-7b-chat-data").is_none());
        assert!(r.dataset("acme/Llama-2-7b-chat-data").is_some());
        // The catalogue's modality stays with a locked id.
        let llama = r
            .model("meta-llama/Llama-3.1-8B")
            .unwrap_or_else(|| panic!("resolved"));
        assert!(matches!(llama.via, Via::Lock(_)));
        assert_eq!(
            llama.modality,
            from_catalogue(catalogue::models(), "meta-llama/Llama-3.1-8B").and_then(|c| c.modality)
        );
    }

    #[test]
    fn cache_dir_names() {
        assert_eq!(
            cache_dir_name("models", "org/name").as_deref(),
            Some("models--org--name")
        );
        assert_eq!(cache_dir_name("models", "gpt2"), None);
    }
}
