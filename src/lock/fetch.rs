//! Filling a lock: ask the Hub for every wanted repository, then for the bases their
//! cards name, level by level, a few requests at a time.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::hub::{Client, Failure, Info};
use super::refs::{is_hub_id, Want};
use super::{Entry, Kind, LockFile, MAX_DEPTH, VERSION};

/// Requests in flight at once.
const PARALLEL: usize = 8;

/// What a lock run did.
#[derive(Debug, Default)]
pub struct Outcome {
    pub file: LockFile,
    /// Repositories whose metadata the Hub sent.
    pub fetched: usize,
    /// Repositories the Hub answered for without metadata (404, 401).
    pub answered: Vec<(Kind, String, Failure)>,
    /// Repositories that failed; `true` when the previous lock's entry was kept.
    pub failed: Vec<(String, Failure, bool)>,
}

/// One repository to ask for.
#[derive(Clone, Debug)]
struct Ask {
    id: String,
    kind: Option<Kind>,
}

/// Ask the Hub for every wanted repository and its bases. `previous` is the lock being
/// replaced: an entry whose answer is unchanged keeps its date, and one the Hub cannot be
/// asked about now is kept as it was. `progress` is told (done, known, id) after each.
pub fn run(
    client: &Client,
    wants: &[Want],
    previous: Option<&LockFile>,
    today: &str,
    progress: &(dyn Fn(usize, usize, &str) + Sync),
) -> Outcome {
    let previous = previous.map(|p| super::Lock::new(String::new(), p.clone()));
    let mut out = Outcome {
        file: LockFile {
            version: VERSION,
            ..LockFile::default()
        },
        ..Outcome::default()
    };
    let mut seen: HashSet<String> = HashSet::new();
    let mut level: Vec<Ask> = wants
        .iter()
        .filter(|w| seen.insert(w.id.to_ascii_lowercase()))
        .map(|w| Ask {
            id: w.id.clone(),
            kind: w.kind,
        })
        .collect();
    let done = AtomicUsize::new(0);
    let mut known = level.len();
    for _ in 0..MAX_DEPTH {
        if level.is_empty() {
            break;
        }
        let results = ask_all(client, &level, &done, known, progress);
        let mut next = Vec::new();
        for (ask, (kind, result)) in level.iter().zip(results) {
            let kept = |kind: Option<Kind>| {
                let p = previous.as_ref()?;
                match kind {
                    Some(k) => p.get(k, &ask.id).map(|e| (k, e.clone())),
                    None => p
                        .get(Kind::Model, &ask.id)
                        .map(|e| (Kind::Model, e.clone()))
                        .or_else(|| {
                            p.get(Kind::Dataset, &ask.id)
                                .map(|e| (Kind::Dataset, e.clone()))
                        }),
                }
            };
            let entry = match result {
                Ok(info) => {
                    out.fetched += 1;
                    Some((kind, entry_of(&ask.id, info, None, today)))
                }
                Err(f) if f.is_answer() => {
                    let status = match f {
                        Failure::NotFound => "not-found",
                        _ => "unauthorized",
                    };
                    out.answered.push((kind, ask.id.clone(), f));
                    Some((
                        kind,
                        entry_of(&ask.id, Info::default(), Some(status), today),
                    ))
                }
                Err(f) => {
                    let old = kept(ask.kind);
                    out.failed.push((ask.id.clone(), f, old.is_some()));
                    old
                }
            };
            let Some((kind, mut entry)) = entry else {
                continue;
            };
            if let Some(old) = previous.as_ref().and_then(|p| p.get(kind, &entry.id)) {
                let same = Entry {
                    fetched: old.fetched.clone(),
                    ..entry.clone()
                };
                if same == *old {
                    entry.fetched = old.fetched.clone();
                }
            }
            if kind == Kind::Model {
                for base in &entry.base_models {
                    if is_hub_id(base) && seen.insert(base.to_ascii_lowercase()) {
                        next.push(Ask {
                            id: base.clone(),
                            kind: Some(Kind::Model),
                        });
                    }
                }
            }
            match kind {
                Kind::Model => out.file.models.push(entry),
                Kind::Dataset => out.file.datasets.push(entry),
            }
        }
        known += next.len();
        level = next;
    }
    out.failed.sort_by(|a, b| a.0.cmp(&b.0));
    out.answered.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    out
}

/// What the Hub said of one repository, and which kind it turned out to be.
type Answer = (Kind, Result<Info, Failure>);

/// Ask for a level's repositories, `PARALLEL` at a time, in order.
fn ask_all(
    client: &Client,
    level: &[Ask],
    done: &AtomicUsize,
    known: usize,
    progress: &(dyn Fn(usize, usize, &str) + Sync),
) -> Vec<Answer> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Answer>>> = Mutex::new(vec![None; level.len()]);
    std::thread::scope(|s| {
        for _ in 0..PARALLEL.min(level.len()) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(ask) = level.get(i) else {
                    break;
                };
                let got = ask_one(client, ask);
                if let Ok(mut r) = results.lock() {
                    r[i] = Some(got);
                }
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, known, &ask.id);
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|r| {
            r.unwrap_or((
                Kind::Model,
                Err(Failure::Transport("no answer".to_string())),
            ))
        })
        .collect()
}

/// A model, a dataset, or (kind unknown) a model else a dataset.
fn ask_one(client: &Client, ask: &Ask) -> Answer {
    match ask.kind {
        Some(k) => (k, client.info(k, &ask.id)),
        None => match client.info(Kind::Model, &ask.id) {
            Err(f) if f.is_answer() => match client.info(Kind::Dataset, &ask.id) {
                Ok(info) => (Kind::Dataset, Ok(info)),
                Err(_) => (Kind::Model, Err(f)),
            },
            other => (Kind::Model, other),
        },
    }
}

fn entry_of(id: &str, info: Info, status: Option<&str>, today: &str) -> Entry {
    let mut entry = Entry {
        id: id.to_string(),
        status: status.map(str::to_string),
        revision: info.sha,
        fetched: today.to_string(),
        license: info.license,
        license_name: info.license_name,
        license_link: info.license_link,
        resolved: Vec::new(),
        gated: info.gated,
        base_models: info.base_models,
    };
    entry.resolved = entry.licenses().into_iter().map(|n| n.id).collect();
    entry
}
