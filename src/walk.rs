//! discover: walk the roots and classify every path by its name alone. Nothing is opened
//! here; the walk respects `.gitignore` (in a git work tree, where files git tracks are
//! read even if it names them), `.ignore` and `.weightlintignore`, skips hidden
//! paths (`.git`, `.venv`, …) and never follows a symlink out of the root.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::{WalkBuilder, WalkState};

/// What a path is, judged by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    /// `LICENSE`, `LICENSE-MODEL`, `MODEL_LICENSE`, `Tongyi Qianwen LICENSE AGREEMENT`, …
    License,
    /// `NOTICE`, `NOTICE.txt`
    Notice,
    /// `USE_POLICY.md`, `ACCEPTABLE_USE_POLICY`, `USAGE_POLICY`
    UsePolicy,
    /// `README.md` and `*_README.md`: a card only if its front matter carries card keys.
    Readme,
    /// `MODEL_CARD.md`, `model-card.md`, `modelcard.md`, `*.md` under `model_cards/`.
    ModelCard,
    /// `*.safetensors`, `*.gguf`, `*.bin`, … (never read, except a GGUF header)
    Weights,
    /// `config.json` and `adapter_config.json`: read only beside a model.
    ModelConfig,
    /// Python, notebooks, Modelfiles and shell scripts: scanned for hub ids code loads.
    Code,
    /// `DATASHEET.md`, `datasheet.md`: a dataset's datasheet, read for what it says of the
    /// data's license and where the data comes from.
    Datasheet,
}

impl FileKind {
    pub fn is_license_like(self) -> bool {
        matches!(
            self,
            FileKind::License | FileKind::Notice | FileKind::UsePolicy
        )
    }

    pub fn is_card_like(self) -> bool {
        matches!(self, FileKind::Readme | FileKind::ModelCard)
    }
}

/// A file worth looking at, with the path to open and the path to show.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    /// Display path: the root as the user wrote it joined with the path below it,
    /// `/`-separated, without a leading `./`.
    pub display: String,
    pub path: PathBuf,
    pub kind: FileKind,
    /// Which root it was found under, and its `/`-separated path below that root.
    pub root: usize,
    pub rel: String,
}

const WEIGHT_EXTENSIONS: &[&str] = &[
    "safetensors",
    "gguf",
    "bin",
    "pt",
    "pth",
    "onnx",
    "ckpt",
    "h5",
    "tflite",
    "mlmodel",
    "keras",
    "msgpack",
];

/// Extensions that make a `license`-looking name a source or data file, not a license text.
const NOT_TEXT_EXTENSIONS: &[&str] = &[
    "py", "rs", "js", "ts", "tsx", "jsx", "go", "java", "kt", "c", "h", "cc", "cpp", "hpp", "rb",
    "php", "cs", "swift", "scala", "json", "yaml", "yml", "toml", "xml", "html", "htm", "css",
    "scss", "csv", "tsv", "png", "jpg", "jpeg", "gif", "svg", "ico", "pdf", "zip", "gz", "tar",
    "lock", "sh", "bat", "ps1", "ipynb", "tex", "sql", "mjs", "cjs", "vue", "pyc", "so", "dll",
    "exe", "o", "a", "class", "jar", "cmake", "mk", "cu", "cuh", "pl", "pm", "lua", "r", "jl",
    "dart", "zig", "proto", "bzl", "nix", "hs", "ml",
];

/// Classify a file by its name. `parent` is the name of the directory holding it.
pub fn classify(file_name: &str, parent: Option<&str>) -> Option<FileKind> {
    let lower = file_name.to_ascii_lowercase();
    let (stem, ext) = match lower.rsplit_once('.') {
        // A dot followed only by digits is part of a version (`LICENSE-SDXL1.0`), not an extension.
        Some((s, e)) if !e.is_empty() && !e.chars().all(|c| c.is_ascii_digit()) => (s, e),
        _ => (lower.as_str(), ""),
    };

    if WEIGHT_EXTENSIONS.contains(&ext) {
        return Some(FileKind::Weights);
    }
    if lower == "config.json" || lower == "adapter_config.json" {
        return Some(FileKind::ModelConfig);
    }
    if crate::inventory::code::classify(file_name).is_some() {
        return Some(FileKind::Code);
    }
    let markdown = matches!(ext, "md" | "markdown");
    if markdown {
        if stem == "readme"
            || stem.ends_with("_readme")
            || stem.ends_with("-readme")
            || stem.starts_with("readme_")
            || stem.starts_with("readme-")
            || is_translated_readme(stem)
        {
            return Some(FileKind::Readme);
        }
        let squashed: String = stem.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        let in_cards_dir = parent.is_some_and(|p| {
            let p: String = p
                .to_ascii_lowercase()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect();
            p == "modelcards" || p == "modelcard"
        });
        if squashed.contains("modelcard") || in_cards_dir {
            return Some(FileKind::ModelCard);
        }
        if squashed == "datasheet" {
            return Some(FileKind::Datasheet);
        }
    }
    if NOT_TEXT_EXTENSIONS.contains(&ext) {
        return None;
    }
    let words: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if words.starts_with("notice") {
        return Some(FileKind::Notice);
    }
    if words.contains("use_policy") || words.contains("usage_policy") || words == "aup" {
        return Some(FileKind::UsePolicy);
    }
    if words.contains("license")
        || words.contains("licence")
        || words.starts_with("copying")
        || words.contains("terms_of_use")
    {
        return Some(FileKind::License);
    }
    None
}

/// The outcome of a walk: candidates sorted by display path, plus paths that could not be
/// walked (permission errors, loops), which become diagnostics.
#[derive(Debug, Default)]
pub struct Walk {
    pub candidates: Vec<Candidate>,
    pub errors: Vec<(String, String)>,
}

/// Options for the walk.
#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    pub threads: usize,
    /// Pre-commit's file mode: only these directories (relative to the root, `/`-separated)
    /// are scanned for models; their ancestors contribute license files only.
    pub only_dirs: Option<Vec<String>>,
    /// The config's `ignore:` globs, rooted at the config file's directory.
    pub exclude: Option<ignore::gitignore::Gitignore>,
}

/// Files under `root` that git tracks although an ignore rule names them (`git ls-files
/// -ci --exclude-standard`), relative to `root`. Empty outside a git work tree or without
/// git: then .gitignore rules do not apply to the walk either.
fn tracked_but_ignored(root: &Path) -> Vec<String> {
    if !root.ancestors().any(|a| a.join(".git").exists()) {
        return Vec::new();
    }
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--ignored",
            "--exclude-standard",
        ])
        .stderr(std::process::Stdio::null())
        .output();
    let Ok(output) = output else {
        return Vec::new();
    };
    if !output.status.success() {
        return Vec::new();
    }
    output
        .stdout
        .split(|&b| b == 0)
        .filter(|p| !p.is_empty())
        .filter_map(|p| std::str::from_utf8(p).ok().map(str::to_string))
        .collect()
}

/// Whether `dir` is one of `targets` or an ancestor of one.
fn on_the_way(dir: &str, targets: &[String]) -> bool {
    targets.iter().any(|t| {
        dir.is_empty()
            || t == dir
            || (t.starts_with(dir) && t.as_bytes().get(dir.len()) == Some(&b'/'))
    })
}

pub fn display_path(root_display: &str, rel: &Path) -> String {
    // Control characters (a newline in a file name) are shown escaped: output stays one
    // finding per line.
    let mut rel = rel.to_string_lossy().replace('\\', "/");
    if rel.contains(char::is_control) {
        rel = rel
            .chars()
            .map(|c| match c.is_control() {
                true => c.escape_default().to_string(),
                false => c.to_string(),
            })
            .collect();
    }
    let root = root_display.trim_end_matches('/');
    let joined = if rel.is_empty() {
        root.to_string()
    } else if root.is_empty() || root == "." {
        rel
    } else {
        format!("{root}/{rel}")
    };
    joined
        .strip_prefix("./")
        .map(str::to_string)
        .unwrap_or(joined)
}

/// Walk one root directory.
pub fn walk(root: &Path, root_display: &str, root_index: usize, options: &WalkOptions) -> Walk {
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(true)
        .follow_links(false)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        // As ripgrep: a .gitignore means "not tracked" only in a git work tree. A copy of a
        // repository (a tarball, a vendored tree) ships every file it holds.
        .require_git(true)
        .ignore(true)
        .parents(true)
        .add_custom_ignore_filename(".weightlintignore")
        .threads(options.threads);
    let targets = options.only_dirs.clone();
    let exclude = options.exclude.clone();
    if targets.is_some() || exclude.is_some() {
        let root_buf = root.to_path_buf();
        let abs_root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        builder.filter_entry(move |e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            let rel = e.path().strip_prefix(&root_buf).unwrap_or(e.path());
            if let Some(gi) = &exclude {
                let abs = abs_root.join(rel);
                if abs.starts_with(gi.path()) && gi.matched(&abs, is_dir).is_ignore() {
                    return false;
                }
            }
            match &targets {
                Some(t) if is_dir => on_the_way(&rel.to_string_lossy().replace('\\', "/"), t),
                _ => true,
            }
        });
    }

    let found = Mutex::new(Walk::default());
    builder.build_parallel().run(|| {
        let found = &found;
        let canonical_root = &canonical_root;
        Box::new(move |entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    let path = err_path(&err).unwrap_or_else(|| root.to_path_buf());
                    let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                    if let Ok(mut f) = found.lock() {
                        f.errors
                            .push((display_path(root_display, &rel), err.to_string()));
                    }
                    return WalkState::Continue;
                }
            };
            let Some(file_type) = entry.file_type() else {
                return WalkState::Continue;
            };
            let is_file = if file_type.is_symlink() {
                // A link is followed only when it resolves to a file inside the root.
                match entry.path().canonicalize() {
                    Ok(target) => target.starts_with(canonical_root) && target.is_file(),
                    Err(_) => false,
                }
            } else {
                file_type.is_file()
            };
            if !is_file {
                return WalkState::Continue;
            }
            let name = entry.file_name().to_string_lossy();
            let parent = entry
                .path()
                .parent()
                .and_then(Path::file_name)
                .map(|p| p.to_string_lossy());
            if let Some(kind) = classify(&name, parent.as_deref()) {
                let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
                if let Some(targets) = &options.only_dirs {
                    let dir = rel
                        .parent()
                        .map(|p| p.to_string_lossy().replace('\\', "/"))
                        .unwrap_or_default();
                    if !targets.contains(&dir) && !kind.is_license_like() {
                        return WalkState::Continue;
                    }
                }
                let candidate = Candidate {
                    display: display_path(root_display, rel),
                    path: entry.path().to_path_buf(),
                    kind,
                    root: root_index,
                    rel: rel.to_string_lossy().replace('\\', "/"),
                };
                if let Ok(mut f) = found.lock() {
                    f.candidates.push(candidate);
                }
            }
            WalkState::Continue
        })
    });
    let mut walk = found
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    // What git tracks ships, even where a .gitignore names it.
    for rel in tracked_but_ignored(root) {
        let path = root.join(&rel);
        let hidden = rel.split('/').any(|p| p.starts_with('.'));
        let excluded = options.exclude.as_ref().is_some_and(|gi| {
            let abs = std::path::absolute(&path).unwrap_or_else(|_| path.clone());
            abs.starts_with(gi.path()) && gi.matched_path_or_any_parents(&abs, false).is_ignore()
        });
        let name = rel.rsplit('/').next().unwrap_or(&rel);
        let parent = rel.rsplit('/').nth(1);
        let kind = classify(name, parent);
        let in_scope = |kind: FileKind| match &options.only_dirs {
            Some(targets) => {
                let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
                targets.iter().any(|t| t == dir) || kind.is_license_like()
            }
            None => true,
        };
        if let Some(kind) = kind.filter(|k| !hidden && !excluded && in_scope(*k) && path.is_file())
        {
            walk.candidates.push(Candidate {
                display: display_path(root_display, Path::new(&rel)),
                path,
                kind,
                root: root_index,
                rel,
            });
        }
    }
    walk.candidates.sort();
    walk.candidates.dedup();
    walk.errors.sort();
    walk
}

fn err_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            err_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

/// The project's own README (`README.md`, or one in another language): what it says is
/// said of the repository's release. `README_FINETUNE.md` and `org_model_README.md` are
/// READMEs of a part.
pub fn is_project_readme(file_name: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    let Some(stem) = lower
        .strip_suffix(".md")
        .or_else(|| lower.strip_suffix(".markdown"))
    else {
        return false;
    };
    stem == "readme" || is_translated_readme(stem)
}

/// `README_EN`, `README-zh`, `README_zh-CN`: a README in another language.
fn is_translated_readme(stem: &str) -> bool {
    stem.strip_prefix("readme")
        .and_then(|r| r.strip_prefix(['_', '-', '.']))
        .is_some_and(|lang| {
            (2..=6).contains(&lang.len())
                && lang.chars().all(|c| c.is_ascii_alphabetic() || c == '-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_license_names_seen_in_ml_repos() {
        for name in [
            "LICENSE",
            "LICENSE.txt",
            "LICENCE",
            "LICENSE-MODEL",
            "LICENSE_weights",
            "MODEL_LICENSE",
            "MODEL_LICENSE_AGREEMENT.txt",
            "LICENSE-SDXL1.0",
            "LICENCE-SD-Turbo",
            "Tongyi Qianwen LICENSE AGREEMENT",
            "NVIDIA Open Model License",
            "GEMMA_TERMS_OF_USE.txt",
            "COPYING",
            "license.md",
        ] {
            assert_eq!(classify(name, None), Some(FileKind::License), "{name}");
        }
        assert_eq!(classify("USE_POLICY.md", None), Some(FileKind::UsePolicy));
        assert_eq!(
            classify("ACCEPTABLE_USE_POLICY", None),
            Some(FileKind::UsePolicy)
        );
        assert_eq!(classify("USAGE_POLICY", None), Some(FileKind::UsePolicy));
        assert_eq!(classify("NOTICE", None), Some(FileKind::Notice));
        assert_eq!(classify("NOTICE.txt", None), Some(FileKind::Notice));
    }

    #[test]
    fn classifies_cards_and_weights() {
        assert_eq!(classify("README.md", None), Some(FileKind::Readme));
        for translated in [
            "README_EN.md",
            "README-zh.md",
            "README_zh-CN.md",
            "readme.ja.md",
        ] {
            assert_eq!(
                classify(translated, None),
                Some(FileKind::Readme),
                "{translated}"
            );
        }
        // A README of a part is read for its code and links, but does not speak for the
        // repository's release.
        assert_eq!(
            classify("README_internal_notes.md", None),
            Some(FileKind::Readme)
        );
        assert!(!is_project_readme("README_internal_notes.md"));
        assert!(!is_project_readme("README_MINIGPTv2_FINETUNE.md"));
        assert!(is_project_readme("README_zh-CN.md"));
        assert!(is_project_readme("README.md"));
        assert_eq!(
            classify("org_model_README.md", None),
            Some(FileKind::Readme)
        );
        assert_eq!(classify("MODEL_CARD.md", None), Some(FileKind::ModelCard));
        assert_eq!(classify("datasheet.md", None), Some(FileKind::Datasheet));
        assert_eq!(classify("model-card.md", None), Some(FileKind::ModelCard));
        assert_eq!(
            classify("Stable_Diffusion_v1_Model_Card.md", None),
            Some(FileKind::ModelCard)
        );
        assert_eq!(
            classify("FLUX.1-dev.md", Some("model_cards")),
            Some(FileKind::ModelCard)
        );
        assert_eq!(classify("model.safetensors", None), Some(FileKind::Weights));
        assert_eq!(classify("llama-q4_k_m.gguf", None), Some(FileKind::Weights));
    }

    #[test]
    fn ignores_code_and_data_named_like_licenses() {
        for name in [
            "license_check.rs",
            "notes.md",
            "license.cmake",
            "LICENSE.cu",
        ] {
            assert_eq!(classify(name, None), None, "{name}");
        }
        // Python and configs are code (scanned for hub ids), never a license text.
        assert_eq!(classify("license.py", None), Some(FileKind::Code));
        assert_eq!(classify("licenses.json", None), Some(FileKind::Code));
        assert_eq!(classify("setup.py", None), Some(FileKind::Code));
        assert_eq!(classify("config.json", None), Some(FileKind::ModelConfig));
    }
}
