//! Building the project from what was read: license texts identified once per distinct
//! text, models grouped by directory, configs and docs read, provenance resolved.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::config::CodeScope;
use crate::core::source;
use crate::inventory::card::Card;
use crate::inventory::code::{self, Kind, Loader};
use crate::inventory::gguf::GgufMeta;
use crate::inventory::prose::{self, Claim, Declaration, Generated, Statement};
use crate::license::expr::Named;
use crate::license::identify::{self, Identification};
use crate::license::terms::{self, Extracted};
use crate::provenance::{BaseRef, Origin};
use crate::walk::{self, display_path, Candidate, FileKind};

use super::bases::resolve_provenance;
use super::declared::{declared, effective_licenses, scope_license_files};
use super::read::{
    file_name, for_code, parent_rel, read_candidate, readme_refs, Read, ReadmeRead, ScanCache,
    CODE_CAP,
};
use super::{
    Component, DatasetCard, DocDeclaration, FileLicense, GeneratedData, InputProblem, LicenseFile,
    Limit, Model, OpenClaim, Project, Release, Root,
};

/// Build the project from walked candidates.
pub fn build(
    roots: Vec<Root>,
    candidates: Vec<Candidate>,
    walk_errors: Vec<(String, String)>,
    read_docs: bool,
    scope: &CodeScope,
    lock: Option<&crate::lock::Lock>,
) -> Project {
    let mut project = Project {
        candidates: candidates.len(),
        code_files: candidates
            .iter()
            .filter(|c| matches!(c.kind, FileKind::Code | FileKind::ModelConfig))
            .map(|c| c.display.clone())
            .collect(),
        ..Project::default()
    };
    project.code_files.sort();
    for (path, message) in walk_errors {
        project.problems.push(InputProblem::Walk { path, message });
    }

    let cache = ScanCache::default();
    let readmes: Vec<ReadmeRead> = candidates
        .par_iter()
        .filter(|c| c.kind == FileKind::Readme)
        .filter_map(|c| readme_refs(c, scope))
        .collect();
    let releases = releases(&roots, &candidates, &readmes);
    // A repository's own README states its release's limits; nested READMEs describe
    // examples and parts.
    type Prose = (
        String,
        usize,
        Arc<str>,
        Vec<Statement>,
        Vec<Claim>,
        Vec<Declaration>,
        Option<Generated>,
    );
    let prose: Vec<Prose> = candidates
        .par_iter()
        .filter(|c| {
            (c.kind.is_card_like() && !c.rel.contains('/'))
                || (c.kind == FileKind::Datasheet && scope.reads(&c.rel, false))
        })
        .filter_map(|c| {
            let text = source::read_text_capped(&c.path, CODE_CAP).ok()?;
            let readme = c.kind == FileKind::Readme && walk::is_project_readme(file_name(&c.rel));
            // READMEs say it with their code references (`readme_refs`).
            let generated = (c.kind == FileKind::Datasheet)
                .then(|| prose::generated(&text))
                .flatten();
            let said = prose::read(&text);
            // Only the project's README speaks for the release; cards and datasheets declare.
            let (limits, claims) = if readme {
                (said.statements, said.claims)
            } else {
                (Vec::new(), Vec::new())
            };
            let declared = said.declarations;
            let found = !limits.is_empty()
                || !claims.is_empty()
                || !declared.is_empty()
                || generated.is_some();
            found.then(|| {
                let display = c.display.clone();
                (
                    display,
                    c.root,
                    Arc::from(text),
                    limits,
                    claims,
                    declared,
                    generated,
                )
            })
        })
        .collect();
    for (path, root, text, limits, claims, declared, generated) in prose {
        if let Some(generated) = generated {
            project.generated.push(GeneratedData {
                path: path.clone(),
                generated,
            });
        }
        project
            .declarations
            .extend(declared.into_iter().map(|declaration| DocDeclaration {
                path: path.clone(),
                root,
                declaration,
            }));
        project.texts.entry(path.clone()).or_insert(text);
        project
            .limits
            .extend(limits.into_iter().map(|statement| Limit {
                path: path.clone(),
                statement,
            }));
        project
            .claims
            .extend(claims.into_iter().map(|claim| OpenClaim {
                path: path.clone(),
                root,
                claim,
            }));
    }
    let reads: Vec<Read> = candidates
        .into_par_iter()
        .map(|c| read_candidate(c, scope, &cache))
        .collect();

    let mut cards = Vec::new();
    let mut weights = Vec::new();
    let mut configs = Vec::new();
    let mut plain_readmes = Vec::new();
    let mut code_refs = Vec::new();
    for (path, mut refs, text, generated) in readmes {
        project.texts.entry(path.clone()).or_insert(text);
        if !releases.iter().any(|r| r.release.readme == path) {
            refs.retain(|r| r.loader != Loader::DatasetLink);
        }
        if let Some(generated) = generated {
            project.generated.push(GeneratedData {
                path: path.clone(),
                generated,
            });
        }
        code_refs.push((path, refs));
    }
    let mut license_texts: Vec<(Candidate, Option<Arc<str>>)> = Vec::new();
    for r in reads {
        match r {
            Read::Card(c, card, text) => {
                project.texts.insert(c.display.clone(), text);
                cards.push((c, card));
            }
            Read::DatasetCard(c, card) => project.dataset_cards.push(DatasetCard {
                path: c.display,
                root: c.root,
                rel_dir: parent_rel(&c.rel).unwrap_or("").to_string(),
                card,
            }),
            Read::Nothing => {}
            Read::License(c, text) => license_texts.push((c, text)),
            Read::Weights(c, header) => {
                let header = match header {
                    Some(Ok(meta)) => Some(meta),
                    Some(Err(error)) => {
                        project.problems.push(InputProblem::Gguf {
                            path: c.display.clone(),
                            error,
                        });
                        None
                    }
                    None => None,
                };
                weights.push((c, header));
            }
            Read::Code(c, refs, publishes, header) => {
                if let Some(line) = publishes {
                    project.publishes.insert(c.display.clone(), line);
                }
                project.sources.insert(c.display.clone(), c.path.clone());
                if let Some((line, license)) = header {
                    project.file_licenses.push(FileLicense {
                        path: c.display.clone(),
                        line,
                        license,
                    });
                }
                code_refs.push((c.display, refs));
            }
            Read::Config(c) => configs.push(c),
            Read::PlainReadme(c) => plain_readmes.push(c),
            Read::Problem(c, problem) => {
                if c.kind.is_license_like() {
                    license_texts.push((c.clone(), None));
                }
                project.problems.push(InputProblem::Read {
                    path: c.display,
                    problem,
                });
            }
        }
    }

    identify_license_files(&mut project, license_texts);
    group_models(&mut project, &roots, cards, weights, &configs, releases);
    read_configs(&mut project, configs);
    resolve_provenance(&mut project, code_refs, lock);
    collect_docs(&mut project, plain_readmes, read_docs);
    project.roots = roots;
    project
}

/// Identify each distinct text once (monorepos repeat the same LICENSE hundreds of times).
fn identify_license_files(project: &mut Project, files: Vec<(Candidate, Option<Arc<str>>)>) {
    let mut by_hash: BTreeMap<[u8; 32], Arc<str>> = BTreeMap::new();
    let hashes: Vec<Option<[u8; 32]>> = files
        .iter()
        .map(|(_, text)| {
            text.as_ref().map(|t| {
                let h: [u8; 32] = Sha256::digest(t.as_bytes()).into();
                by_hash.entry(h).or_insert_with(|| t.clone());
                h
            })
        })
        .collect();
    type Found = (Option<Identification>, Vec<Extracted>);
    let identified: HashMap<[u8; 32], Found> = by_hash
        .into_par_iter()
        .map(|(h, text)| (h, (identify::identify(&text), terms::extract(&text))))
        .collect();
    for ((c, text), hash) in files.into_iter().zip(hashes) {
        let (identification, terms) = hash
            .and_then(|h| identified.get(&h).cloned())
            .unwrap_or_default();
        if let Some(t) = &text {
            project.texts.insert(c.display.clone(), t.clone());
        }
        project.license_files.push(LicenseFile {
            path: c.display,
            root: c.root,
            rel_dir: parent_rel(&c.rel).unwrap_or("").to_string(),
            kind: c.kind,
            for_code: for_code(file_name(&c.rel)),
            identification,
            terms: if c.kind == FileKind::Notice {
                Vec::new()
            } else {
                terms
            },
            readable: text.is_some(),
        });
    }
}

fn dir_name(roots: &[Root], root: usize, rel_dir: &str) -> String {
    if let Some((_, last)) = rel_dir.rsplit_once('/') {
        return last.to_string();
    }
    if !rel_dir.is_empty() {
        return rel_dir.to_string();
    }
    roots
        .get(root)
        .and_then(|r| r.path.canonicalize().ok())
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| ".".to_string())
}

fn is_primary_card(c: &Candidate) -> bool {
    let name = file_name(&c.rel).to_ascii_lowercase();
    matches!(
        name.as_str(),
        "readme.md" | "model_card.md" | "model-card.md" | "modelcard.md" | "readme.markdown"
    )
}

/// A model the repository releases, known from its top-level README: a Hub model whose
/// name starts with the repository's (`TencentARC/PhotoMaker` in PhotoMaker's README,
/// `deepseek-ai/deepseek-vl2-small` in DeepSeek-VL2's), a link on a line that labels it as
/// the weights ("- Weights: https://huggingface.co/…"), or a download table: a table whose
/// header names the repository ("MiniGPT-4 (Vicuna 13B)") or a download column ("LoRA下载",
/// "Checkpoint") and whose body links the files. A checkout named `owner__repo` (a mirror's
/// convention) is named by its repo part.
struct Found {
    root: usize,
    release: Release,
}

fn squash(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Header words of a table that offers files for download.
const DOWNLOAD_HEADERS: &[&str] = &["download", "下载", "checkpoint", "weights", "权重", "ckpt"];

fn releases(roots: &[Root], candidates: &[Candidate], readmes: &[ReadmeRead]) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    for c in candidates
        .iter()
        .filter(|c| c.kind == FileKind::Readme && c.rel.eq_ignore_ascii_case("readme.md"))
    {
        let Some((_, refs, text, _)) = readmes.iter().find(|(path, ..)| *path == c.display) else {
            continue;
        };
        let dir = dir_name(roots, c.root, "");
        let repo = squash(dir.rsplit_once("__").map_or(dir.as_str(), |(_, r)| r));
        let names_repo = |s: &str| repo.len() >= 4 && squash(s).starts_with(&repo);
        let lines: Vec<&str> = text.lines().collect();
        // Named after the repository, or on a line that labels it as the weights.
        let own = refs.iter().find(|r| {
            r.kind != Kind::Dataset
                && (r
                    .id
                    .split_once('/')
                    .is_some_and(|(_, name)| names_repo(name))
                    || lines
                        .get(r.line.saturating_sub(1))
                        .is_some_and(|l| code::weights_label(&l.to_ascii_lowercase())))
        });
        let tables: Vec<prose::Table> = prose::tables(text)
            .into_iter()
            .filter(|t| {
                !t.links.is_empty()
                    && t.header.iter().any(|h| {
                        let lower = h.to_lowercase();
                        names_repo(h) || DOWNLOAD_HEADERS.iter().any(|w| lower.contains(w))
                    })
            })
            .collect();
        let built_on: Vec<(&'static str, usize)> = tables
            .iter()
            .flat_map(|t| t.cells.iter().map(move |cell| (cell.as_str(), t.line)))
            .filter_map(|(cell, line)| prose::restricted_family(cell)?.key.map(|k| (k, line)))
            .fold(Vec::new(), |mut acc, (k, line)| {
                if !acc.iter().any(|(x, _)| *x == k) {
                    acc.push((k, line));
                }
                acc
            });
        let release = if let Some(r) = own {
            Some((r.id.clone(), r.line))
        } else {
            tables.first().map(|t| {
                // A Hub model the table links, else the header cell that names the repository.
                t.links
                    .iter()
                    .find_map(|(url, line)| {
                        code::hub_urls(url, 0, Loader::HubUrl)
                            .into_iter()
                            .find(|h| h.kind == Kind::Model)
                            .map(|h| (h.id, *line))
                    })
                    .unwrap_or_else(|| {
                        let name = t
                            .header
                            .iter()
                            .find(|h| names_repo(h))
                            .or(t.header.first())
                            .cloned()
                            .unwrap_or_default();
                        (name, t.line)
                    })
            })
        };
        if let Some((id, line)) = release {
            out.push(Found {
                root: c.root,
                release: Release {
                    id,
                    readme: c.display.clone(),
                    line,
                    built_on,
                },
            });
        }
    }
    out
}

/// Whether a weights file's name is one a model is published under: the Hub's formats
/// (`model.safetensors`, `model-00001-of-00004.safetensors`, `pytorch_model.bin`,
/// `adapter_model.bin`, `diffusion_pytorch_model.safetensors`) or Meta's `consolidated.00.pth`.
fn hub_weights_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        "model",
        "pytorch_model",
        "adapter_model",
        "diffusion_pytorch_model",
        "consolidated",
        "tf_model",
        "flax_model",
    ]
    .iter()
    .any(|stem| {
        name.strip_prefix(stem)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('-'))
    })
}

/// The directories whose weights are components: below the root, with no card
/// (`carded`), no model config, no GGUF and no Hub-format weights name. Keyed by
/// (root, directory), with the weights' display paths.
fn components(
    weights: &[(Candidate, Option<GgufMeta>)],
    configs: &[Candidate],
    carded: &[(usize, &str)],
) -> BTreeMap<(usize, String), Vec<String>> {
    let mut by_dir: BTreeMap<(usize, String), Vec<&Candidate>> = BTreeMap::new();
    for (w, _) in weights {
        by_dir
            .entry((w.root, parent_rel(&w.rel).unwrap_or("").to_string()))
            .or_default()
            .push(w);
    }
    by_dir.retain(|(root, dir), ws| {
        let model_like = |w: &&Candidate| {
            let name = file_name(&w.rel);
            name.to_ascii_lowercase().ends_with(".gguf") || hub_weights_name(name)
        };
        !dir.is_empty()
            && !carded.contains(&(*root, dir.as_str()))
            && !configs
                .iter()
                .any(|c| c.root == *root && parent_rel(&c.rel).unwrap_or("") == dir)
            && !ws.iter().any(model_like)
    });
    by_dir
        .into_iter()
        .map(|(key, ws)| (key, ws.into_iter().map(|w| w.display.clone()).collect()))
        .collect()
}

fn group_models(
    project: &mut Project,
    roots: &[Root],
    cards: Vec<(Candidate, Card)>,
    weights: Vec<(Candidate, Option<GgufMeta>)>,
    configs: &[Candidate],
    releases: Vec<Found>,
) {
    // (root, rel_dir or card rel) → model
    let mut models: BTreeMap<(usize, String, String), Model> = BTreeMap::new();
    for (c, card) in cards {
        if let Some(problem) = &card.problem {
            project.problems.push(InputProblem::FrontMatter {
                path: c.display.clone(),
                problem: problem.clone(),
            });
        }
        let rel_dir = parent_rel(&c.rel).unwrap_or("").to_string();
        let primary = is_primary_card(&c);
        let (slot, path, name) = if primary {
            let path = display_path(&roots[c.root].display, std::path::Path::new(&rel_dir));
            (String::new(), path, dir_name(roots, c.root, &rel_dir))
        } else {
            let stem = file_name(&c.rel);
            let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s).to_string();
            (c.rel.clone(), c.display.clone(), stem)
        };
        let key = (c.root, rel_dir.clone(), slot);
        // Two primary cards in one directory (README.md and MODEL_CARD.md): the README wins.
        if let Some(existing) = models.get(&key) {
            if existing
                .card
                .as_ref()
                .is_some_and(|e| e.path.to_ascii_lowercase().ends_with("readme.md"))
            {
                continue;
            }
        }
        models.insert(key, Model::new(path, c.root, rel_dir, name, Some(card)));
    }
    let carded: Vec<(usize, &str)> = models
        .keys()
        .map(|(root, dir, _)| (*root, dir.as_str()))
        .collect();
    let parts = components(&weights, configs, &carded);
    for (w, header) in weights {
        let rel_dir = parent_rel(&w.rel).unwrap_or("").to_string();
        if parts.contains_key(&(w.root, rel_dir.clone())) {
            continue;
        }
        let key = (w.root, rel_dir.clone(), String::new());
        let model = models.entry(key).or_insert_with(|| {
            Model::new(
                display_path(&roots[w.root].display, std::path::Path::new(&rel_dir)),
                w.root,
                rel_dir.clone(),
                dir_name(roots, w.root, &rel_dir),
                None,
            )
        });
        if let Some(meta) = header {
            model.gguf.push((w.display.clone(), meta));
        }
        model.weights.push(w.display);
    }

    // A repository with no model at its root whose README links its own release.
    for r in releases {
        let key = (r.root, String::new(), String::new());
        if models
            .keys()
            .any(|(root, dir, _)| *root == r.root && dir.is_empty())
        {
            continue;
        }
        let path = display_path(&roots[r.root].display, std::path::Path::new(""));
        let mut model = Model::new(path, r.root, String::new(), r.release.id.clone(), None);
        model.released_as = Some(r.release);
        models.insert(key, model);
    }

    let mut out: Vec<Model> = models.into_values().collect();
    for model in &mut out {
        scope_license_files(model, &project.license_files);
        model.declared = model
            .card
            .as_ref()
            .and_then(|c| declared(c, model, &project.license_files));
        model.licenses = effective_licenses(model, &project.license_files);
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    project.models = out;
    project.components = parts
        .into_iter()
        .map(|((root, rel_dir), weights)| Component {
            path: display_path(&roots[root].display, std::path::Path::new(&rel_dir)),
            licensed: project
                .license_files
                .iter()
                .any(|f| f.root == root && f.rel_dir == rel_dir && !f.for_code),
            root,
            rel_dir,
            weights,
        })
        .collect();
}

/// `config.json` / `adapter_config.json` beside a model: the base model they name.
fn read_configs(project: &mut Project, configs: Vec<Candidate>) {
    let found: Vec<(usize, String, Origin)> = configs
        .into_par_iter()
        .filter_map(|c| {
            let dir = parent_rel(&c.rel).unwrap_or("");
            let model = project.models.iter().position(|m| {
                // The directory's model, not a card file of its own (`x_README.md`).
                m.root == c.root && m.rel_dir == dir && !m.path.ends_with(".md")
            })?;
            let text = source::read_text(&c.path).ok()?;
            let json: serde_json::Value = serde_json::from_str(&text).ok()?;
            let adapter = file_name(&c.rel).eq_ignore_ascii_case("adapter_config.json");
            let key = if adapter {
                "base_model_name_or_path"
            } else {
                "_name_or_path"
            };
            let id = json.get(key)?.as_str()?.trim().to_string();
            if !code::is_hub_id(&id) {
                return None;
            }
            let origin = if adapter {
                Origin::Adapter(c.display)
            } else {
                Origin::Config(c.display)
            };
            Some((model, id, origin))
        })
        .collect();
    for (model, id, origin) in found {
        project.models[model].bases.push(BaseRef {
            id,
            origin,
            resolved: None,
        });
    }
}

/// Whether a model the tree ships owes a display string or a notice somewhere in the docs.
fn needs_docs(project: &Project) -> bool {
    project
        .models
        .iter()
        .filter(|m| !m.weights.is_empty() || m.is_derivative())
        .flat_map(|m| m.governing())
        .filter_map(Named::entry)
        .flat_map(|e| &e.terms)
        .any(|t| t.has_scope("display-string") || t.has_scope("notice-text"))
}

/// Cards and NOTICE files are documentation already read; plain READMEs are read here,
/// only when an obligation needs them.
fn collect_docs(project: &mut Project, plain_readmes: Vec<Candidate>, always: bool) {
    let mut docs: Vec<String> = project
        .models
        .iter()
        .filter_map(|m| m.card.as_ref().map(|c| c.path.clone()))
        .chain(
            project
                .license_files
                .iter()
                .filter(|f| f.kind == FileKind::Notice && f.readable)
                .map(|f| f.path.clone()),
        )
        .collect();
    if always || needs_docs(project) {
        let read: Vec<(String, Arc<str>)> = plain_readmes
            .into_par_iter()
            .filter_map(|c| {
                let text = source::read_text(&c.path).ok()?;
                Some((c.display, Arc::from(text)))
            })
            .collect();
        for (path, text) in read {
            project.texts.insert(path.clone(), text);
            docs.push(path);
        }
    }
    docs.sort();
    docs.dedup();
    project.doc_paths = docs;
}
