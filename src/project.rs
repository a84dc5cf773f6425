//! inventory + resolve: read the candidates the walk found (capped, in parallel), parse
//! cards, identify license texts (once per distinct text), group everything into models
//! and resolve what each model declares. Facts only: judgments are the rules' job.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::config::CodeScope;
use crate::core::diagnostic::Location;
use crate::core::source::{self, ReadProblem};
use crate::inventory::card::{self, Card, CardKind, FrontMatterProblem};
use crate::inventory::code::{self, CodeKind, CodeRef, Kind, Loader};
use crate::inventory::gguf::{self, GgufError, GgufMeta};
use crate::license::expr::{self, Named, Problem, Resolution};
use crate::license::identify::{self, Fit, Identification, Method};
use crate::license::kb::TermKind;
use crate::license::terms::{self, Extracted};
use crate::provenance::{self, BaseRef, DataRef, Origin, Resolved, Resolver, Via};
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
    /// The models it derives from (card, GGUF header, config files), resolved.
    pub bases: Vec<BaseRef>,
    /// `base_model_relation` (adapter, merge, quantized, finetune) and its line.
    pub relation: Option<(String, usize)>,
    /// The training datasets the card names, resolved.
    pub datasets: Vec<DataRef>,
    /// GGUF headers of its weights.
    pub gguf: Vec<(String, GgufMeta)>,
    /// Licenses its bases carry over that it does not declare itself.
    pub inherited: Vec<Named>,
}

impl Model {
    fn new(path: String, root: usize, rel_dir: String, name: String, card: Option<Card>) -> Self {
        Model {
            path,
            root,
            rel_dir,
            name,
            card,
            weights: Vec::new(),
            declared: None,
            licenses: Vec::new(),
            license_files: Vec::new(),
            beside: Vec::new(),
            bases: Vec::new(),
            relation: None,
            datasets: Vec::new(),
            gguf: Vec::new(),
            inherited: Vec::new(),
        }
    }

    /// Whether it is a derivative: it names a base model.
    pub fn is_derivative(&self) -> bool {
        !self.bases.is_empty()
    }

    /// Whether it is a quantization of its base: said by `base_model_relation`, GGUF
    /// weights, or a quantization marker in its name (`-AWQ`, `-bnb-4bit`, `-GGUF`).
    pub fn is_quantized(&self) -> bool {
        const MARKERS: &[&str] = &[
            "gguf", "awq", "gptq", "bnb", "4bit", "8bit", "int4", "int8", "fp8", "exl2", "mlx",
        ];
        let name = self.name.to_ascii_lowercase();
        self.relation
            .as_ref()
            .is_some_and(|(r, _)| r == "quantized")
            || !self.gguf.is_empty()
            || name
                .split(|c: char| !c.is_ascii_alphanumeric())
                .any(|w| MARKERS.contains(&w))
    }

    /// Its own licenses and the ones its bases carry over.
    pub fn governing(&self) -> impl Iterator<Item = &Named> {
        self.licenses.iter().chain(&self.inherited)
    }
}

/// A hub model that code loads, at its line, and what it resolved to.
#[derive(Clone, Debug)]
pub struct CodeUse {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub id: String,
    pub loader: Loader,
    /// A model or a dataset (`Either` is decided by the catalogues when resolving).
    pub kind: Kind,
    pub resolved: Option<Resolved>,
    /// The file names so many repositories that it is a list of supported models (a
    /// registry, a model zoo table), not a choice of one: its findings stay notes.
    pub listed: bool,
}

/// A file naming more distinct repositories than this is a list, not a use.
const LIST_SIZE: usize = 20;

/// A dataset card in the tree.
#[derive(Clone, Debug)]
pub struct DatasetCard {
    pub path: String,
    pub root: usize,
    pub rel_dir: String,
    pub card: Card,
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
    /// A GGUF file whose header cannot be read.
    Gguf {
        path: String,
        error: GgufError,
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
    /// Hub models that code loads.
    pub code_uses: Vec<CodeUse>,
    pub dataset_cards: Vec<DatasetCard>,
    /// Texts that are documentation (cards, READMEs, NOTICE files), for attribution and
    /// notice checks. Plain READMEs are read only when some model needs them.
    pub doc_paths: Vec<String>,
    /// Every code and model-config file by name (most never read), sorted: training
    /// scripts and architecture configs are openness evidence.
    pub code_files: Vec<String>,
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
    DatasetCard(Candidate, Card),
    Nothing,
    License(Candidate, Option<Arc<str>>),
    Weights(Candidate, Option<Result<GgufMeta, GgufError>>),
    Code(Candidate, Vec<CodeRef>, Arc<str>),
    /// Read later, and only beside a model.
    Config(Candidate),
    /// A README that is not a card: read later, and only if an obligation needs the docs.
    PlainReadme(Candidate),
    Problem(Candidate, ReadProblem),
}

/// Code, configs and notebooks (which carry their outputs) are read this far; a larger
/// file is reported (WL902), not passed over.
const CODE_CAP: u64 = 16 * 1024 * 1024;

/// Code in tests, docs and examples is not the product: a library that names hundreds of
/// hub models in its tests is not loading them.
fn is_test_or_docs(rel: &str) -> bool {
    let mut parts = rel.split('/');
    let name = parts.next_back().unwrap_or("");
    parts.any(|d| {
        matches!(
            d.to_ascii_lowercase().as_str(),
            "test" | "tests" | "testing" | "__tests__" | "doc" | "docs" | "examples" | "example"
        )
    }) || name.starts_with("test_")
        || name.ends_with("_test.py")
        || name == "conftest.py"
}

/// Scans already made in this run, by content and kind: monorepos vendor the same scripts
/// and configs many times over.
type ScanCache = std::sync::Mutex<HashMap<([u8; 32], CodeKind), Vec<CodeRef>>>;

fn read_code(c: Candidate, scope: &CodeScope, cache: &ScanCache) -> Read {
    if !scope.reads(&c.rel, is_test_or_docs(&c.rel)) {
        return Read::Nothing;
    }
    let Some(kind) = code::classify(file_name(&c.rel)) else {
        return Read::Nothing;
    };
    let text = match source::read_text_capped(&c.path, CODE_CAP) {
        Ok(text) => text,
        Err(p @ ReadProblem::TooLarge(..)) => return Read::Problem(c, p),
        // Code that is not text (a binary `.json`, a Latin-1 script) names no hub id.
        Err(_) => return Read::Nothing,
    };
    let key = (Sha256::digest(text.as_bytes()).into(), kind);
    let known = cache.lock().ok().and_then(|m| m.get(&key).cloned());
    let refs = known.unwrap_or_else(|| {
        let refs = code::scan(kind, &text);
        if let Ok(mut m) = cache.lock() {
            m.insert(key, refs.clone());
        }
        refs
    });
    if refs.is_empty() {
        Read::Nothing
    } else {
        Read::Code(c, refs, Arc::from(text))
    }
}

/// A README's code blocks and Hub links, when it is the product's (not under tests, docs
/// or examples unless `code.include` says so) and not a model card.
fn readme_refs(c: &Candidate, scope: &CodeScope) -> Option<(String, Vec<CodeRef>, Arc<str>)> {
    if !scope.reads(&c.rel, is_test_or_docs(&c.rel)) {
        return None;
    }
    let text = source::read_text_capped(&c.path, CODE_CAP).ok()?;
    if text.starts_with("---") {
        return None;
    }
    let refs = code::scan(CodeKind::Markdown, &text);
    (!refs.is_empty()).then(|| (c.display.clone(), refs, Arc::from(text)))
}

/// Cards are read only this far to see whether they start with front matter at all.
const CARD_SNIFF: usize = 4;

fn read_candidate(c: Candidate, scope: &CodeScope, cache: &ScanCache) -> Read {
    match c.kind {
        FileKind::Weights => {
            let header = c
                .rel
                .to_ascii_lowercase()
                .ends_with(".gguf")
                .then(|| gguf::read(&c.path));
            Read::Weights(c, header)
        }
        FileKind::Code => read_code(c, scope, cache),
        FileKind::ModelConfig => Read::Config(c),
        FileKind::Readme | FileKind::ModelCard => {
            // The cap is checked first: a huge README is reported even if it is not a card.
            if let Ok(meta) = std::fs::metadata(&c.path) {
                if meta.len() > source::TEXT_CAP {
                    return Read::Problem(c, ReadProblem::TooLarge(meta.len(), source::TEXT_CAP));
                }
            }
            if c.kind == FileKind::Readme && !starts_with_fence(&c.path) {
                return Read::PlainReadme(c);
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
                        return Read::Nothing;
                    }
                    // A card template with `license: {license}` placeholders is not a card either.
                    if parsed
                        .field("license")
                        .is_some_and(|f| is_placeholder(&f.value))
                    {
                        return Read::Nothing;
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
                    } else if parsed.problem.is_none() && parsed.kind() == CardKind::Dataset {
                        Read::DatasetCard(c, parsed)
                    } else {
                        Read::Nothing
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
    read_docs: bool,
    scope: &CodeScope,
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
    let readmes: Vec<(String, Vec<CodeRef>, Arc<str>)> = candidates
        .par_iter()
        .filter(|c| c.kind == FileKind::Readme)
        .filter_map(|c| readme_refs(c, scope))
        .collect();
    let reads: Vec<Read> = candidates
        .into_par_iter()
        .map(|c| read_candidate(c, scope, &cache))
        .collect();

    let mut cards = Vec::new();
    let mut weights = Vec::new();
    let mut configs = Vec::new();
    let mut plain_readmes = Vec::new();
    let mut code_refs = Vec::new();
    for (path, refs, text) in readmes {
        project.texts.entry(path.clone()).or_insert(text);
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
            Read::Code(c, refs, text) => {
                project.texts.insert(c.display.clone(), text);
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
    group_models(&mut project, &roots, cards, weights);
    read_configs(&mut project, configs);
    resolve_provenance(&mut project, code_refs);
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

fn group_models(
    project: &mut Project,
    roots: &[Root],
    cards: Vec<(Candidate, Card)>,
    weights: Vec<(Candidate, Option<GgufMeta>)>,
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
    for (w, header) in weights {
        let rel_dir = parent_rel(&w.rel).unwrap_or("").to_string();
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

/// Resolve every model's bases and datasets, and the models code loads.
fn resolve_provenance(project: &mut Project, code_refs: Vec<(String, Vec<CodeRef>)>) {
    let code_refs = builders(code_refs);
    let mut resolver = Resolver::new(provenance::hub_cache_dir());
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
    })
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
