//! weightlint: a license-compliance linter for machine-learning projects.
//!
//! The data flow is `discover → inventory → resolve → rules → policy → render`:
//! [`walk`] classifies paths by name, [`inventory`] reads cards, weights and the models
//! code uses, [`project`] resolves them into models and uses, [`rules`] turn facts into
//! [`core::diagnostic::Diagnostic`]s, [`judge::policy`] applies severities, exceptions and
//! suppressions, and [`render`] prints them. [`scan`] runs all but the last step and is the
//! library's entry point.
//!
//! The modules the binary (`main.rs`) and the integration tests reach are public; the
//! rest is `pub(crate)`, so what they hold is used here or is dead code the compiler names.

pub(crate) mod catalogue;
pub mod cli;
pub mod config;
pub mod core;
pub mod eval;
pub(crate) mod inventory;
pub mod judge;
pub mod license;
pub mod lock;
pub(crate) mod openness;
pub(crate) mod project;
pub(crate) mod provenance;
pub mod render;
pub mod rules;
pub(crate) mod walk;
pub(crate) mod yaml;

use std::path::{Path, PathBuf};

use crate::core::diagnostic::{Diagnostic, Severity};
use config::{Config, ConfigError, Overrides};
use openness::Openness;
use project::{Project, Root};
use walk::{Walk, WalkOptions};

/// Why weightlint could not do its job (exit code 2). Problems in the scanned tree are
/// diagnostics, never errors.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("path does not exist: {0}")]
    NoSuchPath(String),
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Config(Box<ConfigError>),
}

/// Which config a scan uses.
#[derive(Clone, Debug, Default)]
pub enum ConfigChoice {
    /// The nearest config file upward from the first path, else the embedded default.
    #[default]
    Discover,
    /// This file.
    File(PathBuf),
    /// The embedded default, whatever files exist.
    Default,
}

/// How to scan.
#[derive(Clone, Debug, Default)]
pub struct ScanOptions {
    /// Walker threads; 0 picks a number from the machine.
    pub threads: usize,
    pub config: ConfigChoice,
    /// Product values from the command line.
    pub overrides: Overrides,
    /// Read every README, not only cards (`classify` wants the project's documentation).
    pub read_docs: bool,
}

/// The outcome of a check: the resolved project and its sorted diagnostics.
#[derive(Debug)]
pub struct Report {
    pub project: Project,
    /// Each model's openness (`project.models[i]`), classified once; rules and renderers
    /// read it.
    pub openness: Vec<Openness>,
    pub diagnostics: Vec<Diagnostic>,
    pub config: Config,
    /// Findings an exception or inline allow took away, with what took them.
    pub suppressed: Vec<judge::policy::Suppressed>,
    /// Findings a baseline took away.
    pub baselined: Vec<Diagnostic>,
}

impl Report {
    pub fn has(&self, severity: Severity) -> bool {
        self.diagnostics.iter().any(|d| d.severity == severity)
    }

    /// Drop the findings a baseline records.
    pub fn apply_baseline(&mut self, baseline: &judge::baseline::Baseline) {
        self.baselined = baseline.filter(&mut self.diagnostics, &self.project);
    }
}

/// Classify the openness of every model under the paths; a scanned root with no model
/// of its own is classified as a project (its README and license files).
pub fn classify(
    paths: &[PathBuf],
    options: &ScanOptions,
) -> Result<Vec<render::classify::Classified>, Error> {
    let options = ScanOptions {
        read_docs: true,
        ..options.clone()
    };
    let report = scan(paths, &options)?;
    let project = &report.project;
    // The models' openness is the report's; a root without a model is classified here.
    let mut subjects: Vec<(String, openness::Subject, Openness)> = project
        .models
        .iter()
        .zip(&report.openness)
        .map(|(m, o)| (m.path.clone(), openness::Subject::of_model(m), o.clone()))
        .collect();
    for (i, root) in project.roots.iter().enumerate() {
        if !project.models.iter().any(|m| m.root == i) {
            if let Some(s) = openness::Subject::of_root(project, i) {
                let o = openness::classify(project, &s);
                // A README that is a model card without front matter ("# Model Card for
                // C4AI Command R+") describes a model; any other root releases none.
                let o = if s.doc_is_a_model_card(project) {
                    o
                } else {
                    o.not_a_model()
                };
                subjects.push((root.display.clone(), s, o));
            }
        }
    }
    Ok(subjects
        .into_iter()
        .map(|(path, s, o)| render::classify::Classified {
            name: s.name.clone(),
            path,
            fit_for: judge::fit::fit(&report.config.product.use_case, &o, &s.licenses),
            references: if o.verdict == openness::Verdict::NotAModel {
                references(project, s.root)
            } else {
                Vec::new()
            },
            openness: o,
        })
        .collect())
}

/// The Hub models and datasets a root's code, configs and docs reference, once each, sorted.
fn references(project: &project::Project, root: usize) -> Vec<render::classify::Reference> {
    let prefix = project
        .roots
        .get(root)
        .map_or(String::new(), project::Root::prefix);
    let mut out: Vec<render::classify::Reference> = project
        .code_uses
        .iter()
        .filter(|u| u.path.starts_with(&prefix) && u.loader != inventory::code::Loader::DatasetLink)
        .map(|u| render::classify::Reference {
            id: u.shown_id().to_string(),
            kind: u.kind.as_str(),
            licenses: u
                .resolved
                .as_ref()
                .map(|r| r.licenses.iter().map(|n| n.name.clone()).collect())
                .unwrap_or_default(),
        })
        .collect();
    // Case-insensitively, so that `Qwen/x` and `qwen/x` are neighbours and kept once.
    out.sort_by(|a, b| {
        (a.id.to_ascii_lowercase(), a.kind)
            .cmp(&(b.id.to_ascii_lowercase(), b.kind))
            .then_with(|| a.cmp(b))
    });
    out.dedup_by(|a, b| a.id.eq_ignore_ascii_case(&b.id) && a.kind == b.kind);
    out
}

/// Show a path relative to the current directory when it is below it.
fn display_relative(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match std::env::current_dir()
        .ok()
        .and_then(|cwd| abs.strip_prefix(cwd).ok().map(Path::to_path_buf))
    {
        Some(rel) if !rel.as_os_str().is_empty() => display_of(&rel),
        _ => display_of(&abs),
    }
}

/// Load the config the options ask for; discovery starts at `start`.
fn load_config(options: &ScanOptions, start: &Path) -> Result<Config, Error> {
    let file = match &options.config {
        ConfigChoice::Default => None,
        ConfigChoice::File(f) => {
            if !f.is_file() {
                return Err(Error::NoSuchPath(f.display().to_string()));
            }
            Some(f.clone())
        }
        ConfigChoice::Discover => config::discover(start),
    };
    let mut config = match file {
        Some(f) => config::load(&f, &display_relative(&f)).map_err(Error::Config)?,
        None => Config::default(),
    };
    config.apply(&options.overrides).map_err(Error::Usage)?;
    Ok(config)
}

fn display_of(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let s = s.trim_end_matches('/');
    if s.is_empty() {
        "/".to_string()
    } else {
        s.to_string()
    }
}

/// Where a file given on the command line belongs: the repository top (the nearest
/// ancestor with `.git`, else the current directory when it is an ancestor, else the
/// file's own directory), and the file's directory below that top.
fn file_scope(file: &Path) -> (PathBuf, String, String) {
    let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    let dir = abs
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let cwd = std::env::current_dir().ok();
    let top = dir
        .ancestors()
        .find(|a| a.join(".git").exists())
        .map(Path::to_path_buf)
        .or_else(|| cwd.clone().filter(|c| dir.starts_with(c)))
        .unwrap_or_else(|| dir.clone());
    let rel = dir
        .strip_prefix(&top)
        .map(|r| r.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let display = match (
        &cwd,
        top.strip_prefix(cwd.as_deref().unwrap_or(Path::new("\0"))),
    ) {
        (Some(_), Ok(r)) if r.as_os_str().is_empty() => ".".to_string(),
        (Some(_), Ok(r)) => display_of(r),
        _ => display_of(&top),
    };
    (top, display, rel)
}

/// Where a scan of these paths starts: the first directory, else the first file's
/// directory. The config and the lock are looked for upward from here.
fn scan_start(dirs: &[PathBuf], files: &[PathBuf]) -> PathBuf {
    dirs.first()
        .cloned()
        .or_else(|| {
            files
                .first()
                .and_then(|f| f.parent().map(Path::to_path_buf))
                .map(|p| {
                    if p.as_os_str().is_empty() {
                        PathBuf::from(".")
                    } else {
                        p
                    }
                })
        })
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Where `weightlint lock` writes for these paths: the lock `check` would read, else
/// `weightlint.lock` at the repository top.
pub fn lock_path(paths: &[PathBuf]) -> PathBuf {
    let (dirs, files): (Vec<PathBuf>, Vec<PathBuf>) =
        paths.iter().cloned().partition(|p| p.is_dir());
    lock::target(&scan_start(&dirs, &files))
}

/// Walk, read, resolve and check the given paths (directories, or files as pre-commit
/// passes them, which limits the check to the models those files belong to).
pub fn scan(paths: &[PathBuf], options: &ScanOptions) -> Result<Report, Error> {
    let paths: Vec<PathBuf> = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut files: Vec<PathBuf> = Vec::new();
    for p in &paths {
        let meta = std::fs::metadata(p).map_err(|_| Error::NoSuchPath(p.display().to_string()))?;
        if meta.is_dir() {
            dirs.push(p.clone());
        } else {
            files.push(p.clone());
        }
    }

    let start = scan_start(&dirs, &files);
    let config = load_config(options, &start)?;
    let (lock, lock_problem) = match lock::find(&start) {
        None => (None, None),
        Some(p) => match lock::read(&p) {
            Ok(file) => (Some(lock::Lock::new(display_relative(&p), file)), None),
            Err(e) => (None, Some(e)),
        },
    };
    let exclude = config.ignore.clone();
    // Unused exceptions are reported only when the whole tree under the config was scanned.
    let full = files.is_empty()
        && config.source.as_ref().is_some_and(|src| {
            dirs.iter()
                .any(|d| std::path::absolute(d).is_ok_and(|abs| src.dir.starts_with(abs)))
        });

    let mut roots: Vec<Root> = Vec::new();
    let mut candidates = Vec::new();
    let mut errors = Vec::new();
    let mut absorb = |w: Walk| {
        candidates.extend(w.candidates);
        errors.extend(w.errors);
    };
    for d in dirs {
        let index = roots.len();
        let display = display_of(&d);
        let options = WalkOptions {
            threads: options.threads,
            only_dirs: None,
            exclude: exclude.clone(),
        };
        absorb(walk::walk(&d, &display, index, &options));
        roots.push(Root { path: d, display });
    }
    // Files: group by repository top, scan only their directories (and the license files above).
    let mut tops: Vec<(PathBuf, String, Vec<String>)> = Vec::new();
    for f in files {
        let (top, display, rel) = file_scope(&f);
        match tops.iter_mut().find(|(t, _, _)| *t == top) {
            Some((_, _, rels)) => rels.push(rel),
            None => tops.push((top, display, vec![rel])),
        }
    }
    for (top, display, mut rels) in tops {
        rels.sort();
        rels.dedup();
        let index = roots.len();
        let options = WalkOptions {
            threads: options.threads,
            only_dirs: Some(rels),
            exclude: exclude.clone(),
        };
        absorb(walk::walk(&top, &display, index, &options));
        roots.push(Root { path: top, display });
    }
    candidates.sort();
    candidates.dedup_by(|a, b| a.path == b.path);

    let mut project = project::build(
        roots,
        candidates,
        errors,
        options.read_docs,
        &config.code,
        lock.as_ref(),
    );
    if let Some(p) = lock_problem {
        project.problems.push(project::InputProblem::Lock {
            path: display_relative(&p.path),
            message: p.message,
        });
    }
    let openness: Vec<Openness> = project
        .models
        .iter()
        .map(|m| openness::classify(&project, &openness::Subject::of_model(m)))
        .collect();
    let today = config::today();
    let found = rules::check(&project, &config, &openness, today);
    let applied = judge::policy::apply(&project, &config, full, today, found);
    let mut diagnostics = applied.diagnostics;
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup_by(|a, b| a.sort_key() == b.sort_key());
    if let Some(src) = &config.source {
        project.texts.insert(src.display.clone(), src.text.clone());
    }
    Ok(Report {
        project,
        openness,
        diagnostics,
        config,
        suppressed: applied.suppressed,
        baselined: Vec::new(),
    })
}
