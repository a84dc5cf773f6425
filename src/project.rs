//! inventory + resolve: read the candidates the walk found (capped, in parallel), parse
//! cards, identify license texts (once per distinct text), group everything into models
//! and resolve what each model declares. Facts only: judgments are the rules' job.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::diagnostic::Location;
use crate::inventory::card::{self, Card, CardKind, FrontMatterProblem};
use crate::license::expr::{self, Named, Problem, Resolution};
use crate::license::identify::{self, Fit, Identification, Method};
use crate::license::kb::TermKind;
use crate::license::terms::{self, Extracted};
use crate::source::{self, ReadProblem};
use crate::walk::{display_path, Candidate, FileKind};
use crate::yaml::Value;

/// A scanned root: the path to open and how the user wrote it.
#[derive(Clone, Debug)]
pub struct Root {
    pub path: PathBuf,
    pub display: String,
}

/// A license, notice or use-policy file.
#[derive(Clone, Debug)]
pub struct LicenseFile {
    pub path: String,
    pub root: usize,
    /// Directory below the root, `/`-separated, `""` for the root itself.
    pub rel_dir: String,
    pub kind: FileKind,
    /// The name says the file is for code only (`LICENSE-CODE`).
    pub for_code: bool,
    pub identification: Option<Identification>,
    /// Terms stated in the text itself, with their lines.
    pub terms: Vec<Extracted>,
    /// Whether the text could be read at all.
    pub readable: bool,
}

/// What a card's `license:` key says, exactly as written, and what it resolves to.
#[derive(Clone, Debug)]
pub struct Declared {
    pub value: Value,
    pub line: usize,
    pub resolution: Resolution,
    pub license_name: Option<(String, usize)>,
    pub license_link: Option<(String, usize)>,
}

impl Declared {
    /// The value as written: a string, or the list's items joined for messages.
    pub fn as_written(&self) -> String {
        match &self.value {
            Value::List(items) => items
                .iter()
                .map(|v| v.scalar_text().unwrap_or_else(|| v.kind().to_string()))
                .collect::<Vec<_>>()
                .join(", "),
            v => v.scalar_text().unwrap_or_else(|| v.kind().to_string()),
        }
    }
}

/// A model: a directory with a card and/or weights, or a card file of its own.
#[derive(Clone, Debug)]
pub struct Model {
    /// Display path: the directory, or the card file for cards that are not the directory's.
    pub path: String,
    pub root: usize,
    pub rel_dir: String,
    pub name: String,
    pub card: Option<Card>,
    pub weights: Vec<String>,
    pub declared: Option<Declared>,
    /// The effective licenses: what the card declares, else what the texts in scope are.
    pub licenses: Vec<Named>,
    /// License files in scope: those of the nearest directory at or above the model that has any.
    pub license_files: Vec<usize>,
    /// Of those, the ones in the model's own directory.
    pub beside: Vec<usize>,
}

/// A file that could not be used as it is.
#[derive(Clone, Debug)]
pub enum InputProblem {
    Read {
        path: String,
        problem: ReadProblem,
    },
    FrontMatter {
        path: String,
        problem: FrontMatterProblem,
    },
    Walk {
        path: String,
        message: String,
    },
}

/// Everything weightlint knows about the scanned tree.
#[derive(Debug, Default)]
pub struct Project {
    pub roots: Vec<Root>,
    pub models: Vec<Model>,
    pub license_files: Vec<LicenseFile>,
    pub problems: Vec<InputProblem>,
    /// The text of every file read, by display path, for showing source lines.
    pub texts: HashMap<String, Arc<str>>,
    pub candidates: usize,
}

impl Project {
    /// Where a license's term is stated for this model: the clause in a license text in
    /// the model's scope that is that license, with its line.
    pub fn term_place<'a>(
        &'a self,
        model: &'a Model,
        license_id: &'a str,
        kind: TermKind,
    ) -> Option<(&'a str, usize)> {
        self.texts_of(model, license_id).find_map(|f| {
            f.terms
                .iter()
                .find(|x| x.kind == kind)
                .map(|x| (f.path.as_str(), x.line))
        })
    }

    /// The license files in a model's scope identified as the given license.
    pub fn texts_of<'a>(
        &'a self,
        model: &'a Model,
        license_id: &'a str,
    ) -> impl Iterator<Item = &'a LicenseFile> + 'a {
        model
            .license_files
            .iter()
            .map(|&i| &self.license_files[i])
            .filter(move |f| {
                f.identification
                    .as_ref()
                    .is_some_and(|id| id.id == license_id)
            })
    }

    /// Where a finding about a model's license goes: the clause of `kind` in the license
    /// text, else the text's title line, else the card's `license:` line, else the card,
    /// else the model.
    pub fn license_location(
        &self,
        model: &Model,
        license_id: &str,
        kind: Option<TermKind>,
    ) -> Location {
        if let Some((path, line)) = kind.and_then(|k| self.term_place(model, license_id, k)) {
            return Location::at(path, line, 1);
        }
        let declared_here = model
            .declared
            .as_ref()
            .is_some_and(|d| d.resolution.licenses.iter().any(|n| n.id == license_id));
        if !declared_here {
            if let Some(f) = self.texts_of(model, license_id).next() {
                let line = f.identification.as_ref().and_then(|i| i.line).unwrap_or(1);
                return Location::at(&f.path, line, 1);
            }
        }
        self.model_location(model)
    }

    /// The file system path a display path stands for (absolute when the root can be made
    /// absolute), and the path below its root: the longest root whose display path is a
    /// prefix wins.
    pub fn resolve_display(&self, display: &str) -> Option<(PathBuf, String)> {
        self.roots
            .iter()
            .filter_map(|r| {
                let root = r.display.trim_end_matches('/');
                let rest = if root == "." || root.is_empty() {
                    Some(display)
                } else if display == root {
                    Some("")
                } else {
                    display.strip_prefix(root).and_then(|x| x.strip_prefix('/'))
                };
                rest.map(|rest| (r, root.len(), rest))
            })
            .max_by_key(|(_, len, _)| *len)
            .map(|(r, _, rest)| {
                let base = std::path::absolute(&r.path).unwrap_or_else(|_| r.path.clone());
                let path = if rest.is_empty() {
                    base
                } else {
                    base.join(rest)
                };
                (path, rest.to_string())
            })
    }

    /// A model's own place: its card's `license:` line, its card, or its directory.
    pub fn model_location(&self, model: &Model) -> Location {
        match (&model.card, &model.declared) {
            (Some(card), Some(d)) => Location::at(&card.path, d.line, 1),
            (Some(card), None) => Location::file(&card.path),
            _ => Location::file(&model.path),
        }
    }
}

enum Read {
    Card(Candidate, Card, Arc<str>),
    NotACard,
    License(Candidate, Option<Arc<str>>),
    Weights(Candidate),
    Problem(Candidate, ReadProblem),
}

/// Cards are read only this far to see whether they start with front matter at all.
const CARD_SNIFF: usize = 4;

fn read_candidate(c: Candidate) -> Read {
    match c.kind {
        FileKind::Weights => Read::Weights(c),
        FileKind::Readme | FileKind::ModelCard => {
            // The cap is checked first: a huge README is reported even if it is not a card.
            if let Ok(meta) = std::fs::metadata(&c.path) {
                if meta.len() > source::TEXT_CAP {
                    return Read::Problem(c, ReadProblem::TooLarge(meta.len()));
                }
            }
            if c.kind == FileKind::Readme && !starts_with_fence(&c.path) {
                return Read::NotACard;
            }
            match source::read_text(&c.path) {
                Ok(text) => {
                    let parsed = card::parse(&c.display, &text);
                    // A Jinja card template (`license: {{ license }}`) is not a card.
                    let head_end = text
                        .match_indices('\n')
                        .nth(parsed.body_line.saturating_sub(2))
                        .map_or(text.len(), |(i, _)| i);
                    if text[..head_end].contains("{{") || text[..head_end].contains("{%") {
                        return Read::NotACard;
                    }
                    // A card template with `license: {license}` placeholders is not a card either.
                    if parsed
                        .field("license")
                        .is_some_and(|f| is_placeholder(&f.value))
                    {
                        return Read::NotACard;
                    }
                    let keep = c.kind == FileKind::ModelCard
                        || match &parsed.problem {
                            // An empty or unclosed block was meant as metadata.
                            Some(_) if parsed.fields.is_empty() && !text.contains("{{") => true,
                            // A README whose YAML breaks is a card if it names a card key.
                            Some(_) => {
                                parsed.fields.iter().any(|f| {
                                    matches!(
                                        f.key.as_str(),
                                        "license"
                                            | "base_model"
                                            | "pipeline_tag"
                                            | "datasets"
                                            | "library_name"
                                    )
                                }) || text.lines().take(40).any(|l| l.starts_with("license:"))
                            }
                            None => parsed.kind() == CardKind::Model,
                        };
                    if keep {
                        Read::Card(c, parsed, Arc::from(text))
                    } else {
                        Read::NotACard
                    }
                }
                Err(p) => Read::Problem(c, p),
            }
        }
        FileKind::License | FileKind::Notice | FileKind::UsePolicy => {
            match source::read_text(&c.path) {
                Ok(text) => Read::License(c, Some(Arc::from(text))),
                Err(p) => Read::Problem(c, p),
            }
        }
    }
}

/// `{license}` in YAML is a one-key mapping with no value: an unfilled placeholder.
fn is_placeholder(v: &Value) -> bool {
    matches!(v, Value::Map(entries) if entries.len() == 1 && entries[0].1 == Value::Null)
}

/// A README is worth reading only if it opens with `---` (after an optional BOM).
fn starts_with_fence(path: &std::path::Path) -> bool {
    use std::io::Read as _;
    let mut head = [0u8; CARD_SNIFF + 3];
    let Ok(mut f) = std::fs::File::open(path) else {
        // Let the full read report the problem.
        return true;
    };
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(_) => return true,
        }
    }
    let head = &head[..n];
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    head.starts_with(b"---")
}

fn for_code(file_name: &str) -> bool {
    let upper = file_name.to_ascii_uppercase();
    upper.contains("CODE") || upper.contains("SOFTWARE")
}

fn parent_rel(rel: &str) -> Option<&str> {
    if rel.is_empty() {
        None
    } else {
        Some(rel.rsplit_once('/').map_or("", |(p, _)| p))
    }
}

fn file_name(rel: &str) -> &str {
    rel.rsplit_once('/').map_or(rel, |(_, n)| n)
}

/// Build the project from walked candidates.
pub fn build(
    roots: Vec<Root>,
    candidates: Vec<Candidate>,
    walk_errors: Vec<(String, String)>,
) -> Project {
    let mut project = Project {
        candidates: candidates.len(),
        ..Project::default()
    };
    for (path, message) in walk_errors {
        project.problems.push(InputProblem::Walk { path, message });
    }

    let reads: Vec<Read> = candidates.into_par_iter().map(read_candidate).collect();

    let mut cards = Vec::new();
    let mut weights = Vec::new();
    let mut license_texts: Vec<(Candidate, Option<Arc<str>>)> = Vec::new();
    for r in reads {
        match r {
            Read::Card(c, card, text) => {
                project.texts.insert(c.display.clone(), text);
                cards.push((c, card));
            }
            Read::NotACard => {}
            Read::License(c, text) => license_texts.push((c, text)),
            Read::Weights(c) => weights.push(c),
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
    group_models(&mut project, &roots, cards, weights);
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

fn group_models(
    project: &mut Project,
    roots: &[Root],
    cards: Vec<(Candidate, Card)>,
    weights: Vec<Candidate>,
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
        models.insert(
            key,
            Model {
                path,
                root: c.root,
                rel_dir,
                name,
                card: Some(card),
                weights: Vec::new(),
                declared: None,
                licenses: Vec::new(),
                license_files: Vec::new(),
                beside: Vec::new(),
            },
        );
    }
    for w in weights {
        let rel_dir = parent_rel(&w.rel).unwrap_or("").to_string();
        let key = (w.root, rel_dir.clone(), String::new());
        let model = models.entry(key).or_insert_with(|| Model {
            path: display_path(&roots[w.root].display, std::path::Path::new(&rel_dir)),
            root: w.root,
            name: dir_name(roots, w.root, &rel_dir),
            rel_dir,
            card: None,
            weights: Vec::new(),
            declared: None,
            licenses: Vec::new(),
            license_files: Vec::new(),
            beside: Vec::new(),
        });
        model.weights.push(w.display);
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
}

/// The license files of the nearest directory at or above the model that has any.
fn scope_license_files(model: &mut Model, files: &[LicenseFile]) {
    let mut dir = Some(model.rel_dir.as_str());
    while let Some(d) = dir {
        let here: Vec<usize> = files
            .iter()
            .enumerate()
            .filter(|(_, f)| f.root == model.root && f.rel_dir == d)
            .map(|(i, _)| i)
            .collect();
        if !here.is_empty() {
            if d == model.rel_dir {
                model.beside = here.clone();
            }
            model.license_files = here;
            return;
        }
        dir = parent_rel(d);
    }
}

fn declared(card: &Card, model: &Model, files: &[LicenseFile]) -> Option<Declared> {
    let field = card.field("license")?;
    let mut resolution = expr::resolve_value(&field.value);
    let license_name = card
        .field("license_name")
        .and_then(|f| f.value.scalar_text().map(|s| (s, f.line)));
    let license_link = card
        .field("license_link")
        .and_then(|f| f.value.scalar_text().map(|s| (s, f.line)));
    if resolution.other {
        let from_name = license_name.as_ref().map(|(name, _)| {
            crate::license::kb::kb()
                .name(name)
                .map(Named::from_entry)
                .unwrap_or_else(|| custom(name))
        });
        let from_link = license_link
            .as_ref()
            .and_then(|(link, _)| linked_file(link, model, files))
            .and_then(|i| files[i].identification.as_ref())
            .filter(|id| id.key.is_some())
            .map(|id| Named {
                id: id.id.clone(),
                name: id.name.clone(),
                key: id.key.clone(),
            });
        match (from_name, from_link) {
            (None, None) if license_link.is_none() => {
                resolution.problems.push(Problem::UnnamedOther)
            }
            (None, None) => {}
            (name, link) => {
                // A known text behind the link outranks an unknown name.
                let pick = match (name, link) {
                    (Some(n), Some(l)) if n.key.is_none() => l,
                    (Some(n), _) => n,
                    (None, Some(l)) => l,
                    (None, None) => unreachable!("handled above"),
                };
                resolution.licenses.push(pick);
            }
        }
    }
    Some(Declared {
        value: field.value.clone(),
        line: field.line,
        resolution,
        license_name,
        license_link,
    })
}

fn custom(name: &str) -> Named {
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    Named {
        id: format!("LicenseRef-{}", slug.trim_matches('-')),
        name: name.to_string(),
        key: None,
    }
}

/// A `license_link` that names a file of the model's directory.
pub fn linked_file(link: &str, model: &Model, files: &[LicenseFile]) -> Option<usize> {
    if link.contains("://") {
        return None;
    }
    let link = link.trim_start_matches("./");
    let target = if model.rel_dir.is_empty() {
        link.to_string()
    } else {
        format!("{}/{link}", model.rel_dir)
    };
    files.iter().position(|f| {
        f.root == model.root && {
            let name = f.path.rsplit_once('/').map_or(f.path.as_str(), |(_, n)| n);
            let rel = if f.rel_dir.is_empty() {
                name.to_string()
            } else {
                format!("{}/{name}", f.rel_dir)
            };
            rel == target
        }
    })
}

fn effective_licenses(model: &Model, files: &[LicenseFile]) -> Vec<Named> {
    if let Some(d) = &model.declared {
        if !d.resolution.licenses.is_empty() {
            return d.resolution.licenses.clone();
        }
    }
    let mut out: Vec<Named> = model
        .license_files
        .iter()
        .map(|&i| &files[i])
        .filter(|f| f.kind == FileKind::License && !f.for_code)
        .filter_map(|f| f.identification.as_ref())
        .filter(|id| id.method != Method::Pointer || id.key.is_some())
        .filter(|id| !matches!(id.fit, Fit::Modified { .. }) || id.confidence >= 0.5)
        .map(|id| Named {
            id: id.id.clone(),
            name: id.name.clone(),
            key: id.key.clone(),
        })
        .collect();
    out.sort();
    out.dedup();
    out
}
