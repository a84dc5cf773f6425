//! `weightlint.lock`: the Hub's answer for every model and dataset a repository uses,
//! fetched once by `weightlint lock` and read offline by `check`.
//!
//! TOML, like `Cargo.lock`: one `[[model]]` or `[[dataset]]` table per id, sorted, one key
//! per line, so a change is a small diff; and, unlike YAML, a value is never guessed
//! (`no`, `on` and `1e3` stay strings), which matters for ids and license names.

pub mod fetch;
pub mod hub;
pub mod refs;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::license::expr::{self, Named};

/// The lock's file name.
pub const FILE_NAME: &str = "weightlint.lock";

/// The format's version; a lock of another version is read as no lock.
pub const VERSION: u32 = 1;

/// A model or a dataset repository.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Model,
    Dataset,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Model => "model",
            Kind::Dataset => "dataset",
        }
    }

    fn api_path(self) -> &'static str {
        match self {
            Kind::Model => "models",
            Kind::Dataset => "datasets",
        }
    }
}

/// The file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockFile {
    pub version: u32,
    #[serde(default, rename = "model", skip_serializing_if = "Vec::is_empty")]
    pub models: Vec<Entry>,
    #[serde(default, rename = "dataset", skip_serializing_if = "Vec::is_empty")]
    pub datasets: Vec<Entry>,
}

/// One repository as the Hub stated it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub id: String,
    /// Why the Hub gave no metadata: `not-found` (404) or `unauthorized` (401/403).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The commit the metadata is of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    /// When it was fetched (YYYY-MM-DD); kept while the Hub's answer stays the same.
    pub fetched: String,
    /// `license:` of the Hub card, as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub license: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_link: Option<String>,
    /// What weightlint's knowledge base makes of them when locked (for the reader; `check`
    /// resolves the Hub's fields again with the knowledge base it has).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resolved: Vec<String>,
    /// `auto` or `manual` when the Hub gates access.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gated: Option<String>,
    /// `base_model:` of the Hub card; each has its own entry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub base_models: Vec<String>,
}

impl Entry {
    /// The licenses the Hub's fields state, resolved by the knowledge base.
    pub fn licenses(&self) -> Vec<Named> {
        let mut out: Vec<Named> = Vec::new();
        let mut other = false;
        for l in &self.license {
            let res = expr::resolve_str(l);
            other |= res.other;
            out.extend(res.licenses);
        }
        let mut res = expr::Resolution {
            other,
            ..Default::default()
        };
        res.resolve_other(
            self.license_name.as_deref(),
            None,
            self.license_link.is_some(),
        );
        out.extend(res.licenses);
        out.dedup();
        out
    }

    /// The revision as a reader spots it: its first seven characters.
    pub fn short_revision(&self) -> Option<&str> {
        self.revision.as_deref().map(|r| r.get(..7).unwrap_or(r))
    }
}

/// Why a lock could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockProblem {
    pub path: PathBuf,
    pub message: String,
}

/// A lock read for lookups.
#[derive(Clone, Debug, Default)]
pub struct Lock {
    /// Its display path.
    pub display: String,
    pub file: LockFile,
    models: HashMap<String, usize>,
    datasets: HashMap<String, usize>,
}

impl Lock {
    pub fn new(display: String, file: LockFile) -> Lock {
        let index = |entries: &[Entry]| {
            entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.id.to_ascii_lowercase(), i))
                .collect()
        };
        Lock {
            display,
            models: index(&file.models),
            datasets: index(&file.datasets),
            file,
        }
    }

    pub fn get(&self, kind: Kind, id: &str) -> Option<&Entry> {
        let (map, entries) = match kind {
            Kind::Model => (&self.models, &self.file.models),
            Kind::Dataset => (&self.datasets, &self.file.datasets),
        };
        map.get(&id.to_ascii_lowercase()).map(|&i| &entries[i])
    }

    /// The bases of a model, transitively, nearest first, each once.
    pub fn ancestry(&self, id: &str) -> Vec<&Entry> {
        let mut out: Vec<&Entry> = Vec::new();
        let mut queue: Vec<String> = self
            .get(Kind::Model, id)
            .map(|e| e.base_models.clone())
            .unwrap_or_default();
        let mut seen = std::collections::HashSet::from([id.to_ascii_lowercase()]);
        let mut i = 0;
        while i < queue.len() && out.len() < MAX_DEPTH * 4 {
            let base = queue[i].clone();
            i += 1;
            if !seen.insert(base.to_ascii_lowercase()) {
                continue;
            }
            if let Some(e) = self.get(Kind::Model, &base) {
                queue.extend(e.base_models.iter().cloned());
                out.push(e);
            }
        }
        out
    }
}

/// How far base models are followed.
pub const MAX_DEPTH: usize = 16;

/// Where the lock of a scan starting in `dir` is: the nearest `weightlint.lock` upward,
/// no further than the repository top (the first directory with `.git`).
pub fn find(dir: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    for d in start.ancestors() {
        let p = d.join(FILE_NAME);
        if p.is_file() {
            return Some(p);
        }
        if d.join(".git").exists() {
            break;
        }
    }
    None
}

/// Where `weightlint lock` writes for a scan starting in `dir`: the existing lock, else
/// the repository top, else `dir` itself.
pub fn target(dir: &Path) -> PathBuf {
    if let Some(p) = find(dir) {
        return p;
    }
    let start = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let top = start
        .ancestors()
        .find(|a| a.join(".git").exists())
        .unwrap_or(&start);
    top.join(FILE_NAME)
}

/// Read a lock file.
pub fn read(path: &Path) -> Result<LockFile, LockProblem> {
    let problem = |message: String| LockProblem {
        path: path.to_path_buf(),
        message,
    };
    let text = crate::core::source::read_text(path).map_err(|e| problem(e.describe()))?;
    let file: LockFile = toml::from_str(&text)
        .map_err(|e| problem(format!("not a weightlint lock: {}", e.message())))?;
    if file.version != VERSION {
        return Err(problem(format!(
            "lock format version {} (this weightlint reads version {VERSION})",
            file.version
        )));
    }
    Ok(file)
}

/// The lock's text: a header, then the entries sorted by id.
pub fn render(file: &LockFile) -> String {
    let mut file = file.clone();
    for entries in [&mut file.models, &mut file.datasets] {
        entries.sort_by(|a, b| {
            (a.id.to_ascii_lowercase(), &a.id).cmp(&(b.id.to_ascii_lowercase(), &b.id))
        });
    }
    let body = toml::to_string(&file).unwrap_or_default();
    format!(
        "# weightlint.lock: the Hugging Face Hub's metadata for every model and dataset this\n# repository uses, written by `weightlint lock`; `weightlint check` reads it offline.\n# Run `weightlint lock` again to update it; `weightlint lock --check` fails when it is stale.\n\n{body}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, license: &[&str], bases: &[&str]) -> Entry {
        Entry {
            id: id.to_string(),
            fetched: "2026-12-01".to_string(),
            license: license.iter().map(|s| s.to_string()).collect(),
            base_models: bases.iter().map(|s| s.to_string()).collect(),
            ..Entry::default()
        }
    }

    #[test]
    fn renders_sorted_and_reads_back() {
        let file = LockFile {
            version: VERSION,
            models: vec![
                entry("b/Zed", &["mit"], &[]),
                entry("A/first", &["other"], &["b/Zed"]),
            ],
            datasets: vec![entry("c/data", &["cc-by-nc-4.0"], &[])],
        };
        let text = render(&file);
        let a = text.find("A/first").unwrap_or(usize::MAX);
        let b = text.find("\"b/Zed\"\n").unwrap_or(0);
        assert!(a < b, "{text}");
        assert!(text.contains("[[dataset]]"), "{text}");
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let p = dir.path().join(FILE_NAME);
        std::fs::write(&p, &text).unwrap_or_else(|e| panic!("{e}"));
        let back = read(&p).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(back.models.len(), 2);
        assert_eq!(back.models[0].id, "A/first");
        assert_eq!(render(&back), text);
        // Another version, or a typo in a key, is not read as a lock.
        std::fs::write(&p, "version = 9\n").unwrap_or_else(|e| panic!("{e}"));
        assert!(read(&p).is_err());
        std::fs::write(
            &p,
            "version = 1\n[[model]]\nid = \"a/b\"\nfetched = \"x\"\nlicence = \"mit\"\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(read(&p).is_err());
    }

    #[test]
    fn licenses_and_ancestry() {
        let mut own = entry("x/tuned", &["other"], &["x/mid"]);
        own.license_name = Some("llama3.1".to_string());
        let lock = Lock::new(
            FILE_NAME.to_string(),
            LockFile {
                version: VERSION,
                models: vec![
                    own,
                    entry(
                        "x/mid",
                        &["apache-2.0"],
                        &["meta-llama/Llama-3.1-8B", "x/tuned"],
                    ),
                    entry("meta-llama/Llama-3.1-8B", &["llama3.1"], &[]),
                ],
                datasets: Vec::new(),
            },
        );
        let tuned = lock.get(Kind::Model, "X/TUNED");
        let keys: Vec<Option<String>> = tuned
            .map(|e| e.licenses().into_iter().map(|n| n.key).collect())
            .unwrap_or_default();
        assert_eq!(keys, [Some("llama-3.1".to_string())]);
        let chain: Vec<&str> = lock
            .ancestry("x/tuned")
            .iter()
            .map(|e| e.id.as_str())
            .collect();
        assert_eq!(chain, ["x/mid", "meta-llama/Llama-3.1-8B"]);
        assert!(lock.get(Kind::Dataset, "x/tuned").is_none());
    }
}
