//! weightlint: a license-compliance linter for machine-learning projects.
//!
//! The data flow is `discover → inventory → resolve → rules → render`:
//! [`walk`] classifies paths by name, [`project`] reads and resolves them into models,
//! [`rules`] turn facts into [`diagnostic::Diagnostic`]s, and [`render`] prints them.
//! [`scan`] runs the first four steps and is the library's entry point.

pub mod cli;
pub mod diagnostic;
pub mod eval;
pub mod inventory;
pub mod license;
pub mod project;
pub mod render;
pub mod rules;
pub mod source;
pub mod walk;
pub mod yaml;

use std::path::{Path, PathBuf};

use diagnostic::{Diagnostic, Severity};
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
}

/// How to scan.
#[derive(Clone, Debug, Default)]
pub struct ScanOptions {
    /// Walker threads; 0 picks a number from the machine.
    pub threads: usize,
}

/// The outcome of a check: the resolved project and its sorted diagnostics.
#[derive(Debug)]
pub struct Report {
    pub project: Project,
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn has(&self, severity: Severity) -> bool {
        self.diagnostics.iter().any(|d| d.severity == severity)
    }
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
        };
        absorb(walk::walk(&top, &display, index, &options));
        roots.push(Root { path: top, display });
    }
    candidates.sort();
    candidates.dedup_by(|a, b| a.path == b.path);

    let project = project::build(roots, candidates, errors);
    let mut diagnostics = rules::check(&project);
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup_by(|a, b| a.sort_key() == b.sort_key());
    Ok(Report {
        project,
        diagnostics,
    })
}
