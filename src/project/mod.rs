//! inventory + resolve: read the candidates the walk found (capped, in parallel), parse
//! cards, identify license texts (once per distinct text), group everything into models
//! and resolve what each model declares. Facts only: judgments are the rules' job.

mod bases;
mod build;
mod declared;
mod read;

pub use build::build;
pub use declared::linked_file;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::core::diagnostic::Location;
use crate::core::source::ReadProblem;
use crate::inventory::card::{Card, FrontMatterProblem};
use crate::inventory::code::{Kind, Loader};
use crate::inventory::gguf::{GgufError, GgufMeta};
use crate::inventory::prose::{Claim, Declaration, Statement};
use crate::license::expr::{Named, Resolution};
use crate::license::identify::Identification;
use crate::license::kb::TermKind;
use crate::license::terms::Extracted;
use crate::provenance::{BaseRef, DataRef, Resolved};
use crate::walk::FileKind;
use crate::yaml::Value;

/// A source file whose header puts it under a model license (Meta's Llama code header).
#[derive(Clone, Debug)]
pub struct FileLicense {
    pub path: String,
    /// The header line.
    pub line: usize,
    /// The knowledge-base key.
    pub license: String,
}

/// A top-level README's or model card's sentence that says what license the data or the
/// weights are under.
#[derive(Clone, Debug)]
pub struct DocDeclaration {
    pub path: String,
    pub root: usize,
    pub declaration: Declaration,
}

/// A README's sentence that calls a model open source.
#[derive(Clone, Debug)]
pub struct OpenClaim {
    pub path: String,
    pub root: usize,
    pub claim: Claim,
}

/// A README's statement that limits the use of what the repository releases.
#[derive(Clone, Debug)]
pub struct Limit {
    pub path: String,
    pub statement: Statement,
}

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
    /// A release on the Hub that this repository's README links as its own.
    pub released_as: Option<Release>,
}

/// A model the repository releases on the Hub, known from its top-level README.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Release {
    /// The Hub id the README links.
    pub id: String,
    /// The README (display path): the release's documentation.
    pub readme: String,
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
            released_as: None,
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

impl CodeUse {
    /// The id as users write it: a dataset known by name is its name (`MOSE`, not
    /// `named:MOSE`).
    pub fn shown_id(&self) -> &str {
        self.id.strip_prefix("named:").unwrap_or(&self.id)
    }

    /// Whether its license is known only from its name (a re-upload under another org).
    pub fn by_name(&self) -> bool {
        self.resolved
            .as_ref()
            .is_some_and(|r| matches!(r.via, crate::provenance::Via::Name(_)))
    }
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
    /// What the top-level READMEs say limits the use of the release.
    pub limits: Vec<Limit>,
    /// Where the top-level READMEs call a model open source.
    pub claims: Vec<OpenClaim>,
    /// What the top-level READMEs and model cards say the data or weights are under.
    pub declarations: Vec<DocDeclaration>,
    /// Source files whose header puts them under a model license.
    pub file_licenses: Vec<FileLicense>,
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
            _ => match &model.released_as {
                Some(r) => Location::file(&r.readme),
                None => Location::file(&model.path),
            },
        }
    }
}
