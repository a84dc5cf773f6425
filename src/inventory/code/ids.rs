//! What a hub id looks like: the Hub's own id syntax, the placeholders, paths and file
//! names that look like ids but are not, names of variables that hold a model or dataset,
//! and hub URLs in a text.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};

use super::{Hit, Kind, Loader};

/// `org/name` as the Hub accepts it: one `/`, each side `[A-Za-z0-9][A-Za-z0-9._-]*`, at
/// most 96 characters, no `--` or `..`.
pub fn is_hub_id(s: &str) -> bool {
    let parts = s.split_once('/');
    s.len() <= 96
        && !s.contains("--")
        && !s.contains("..")
        && parts.is_some_and(|(org, name)| is_name_part(org) && is_name_part(name))
}

/// `[A-Za-z0-9][A-Za-z0-9._-]*`
pub(super) fn is_name_part(p: &str) -> bool {
    let mut bytes = p.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphanumeric())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Owners and names that stand for "yours" in examples, not a repository.
const PLACEHOLDER_ORGS: &[&str] = &[
    "org",
    "organization",
    "owner",
    "user",
    "username",
    "user-name",
    "user_name",
    "me",
    "someone",
    "namespace",
    "author",
    "example",
    "foo",
    "xxx",
    "repo",
    "repo-owner",
    "hf-user",
    "hf_user",
    "name",
    "model",
    "models",
    "team",
];
const PLACEHOLDER_NAMES: &[&str] = &[
    "model",
    "model-name",
    "model_name",
    "modelname",
    "repo",
    "repo-name",
    "repo_name",
    "xxx",
    "dataset",
    "dataset-name",
    "dataset_name",
    "name",
    "foo",
    "bar",
    "example",
];
/// First path components that make an `a/b` a path in a project, not a Hub id.
const PATH_ROOTS: &[&str] = &[
    "data",
    "src",
    "lib",
    "configs",
    "config",
    "checkpoints",
    "checkpoint",
    "ckpt",
    "ckpts",
    "outputs",
    "output",
    "out",
    "tmp",
    "temp",
    "logs",
    "weights",
    "results",
    "scripts",
    "examples",
    "images",
    "assets",
    "path",
    "local",
    "cache",
    "runs",
    "experiments",
    "save",
    "saved",
    "dist",
    "build",
    "docs",
    "tests",
    "test",
    "utils",
    "tools",
    "resources",
    "static",
    "public",
    "home",
    "mnt",
    "workspace",
    "root",
    "pretrained",
    "exp",
    "work_dirs",
];
/// File extensions: `org/x.json` is a file, not a repository.
const FILE_EXTENSIONS: &[&str] = &[
    "json",
    "jsonl",
    "yaml",
    "yml",
    "txt",
    "py",
    "bin",
    "safetensors",
    "pt",
    "pth",
    "gguf",
    "csv",
    "tsv",
    "parquet",
    "md",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "sh",
    "tar",
    "gz",
    "zip",
    "onnx",
    "ckpt",
    "npy",
    "npz",
    "h5",
    "pkl",
    "wav",
    "mp3",
    "mp4",
    "html",
    "log",
    "arrow",
];

/// A hub id that names a real repository: not a placeholder (`org/model`, `your-name/x`,
/// `<model>`), a path (`data/train`), or a file (`org/x.json`).
pub fn is_usable_id(s: &str) -> bool {
    let s = s.trim();
    if !is_hub_id(s) {
        return false;
    }
    let Some((org, name)) = s.split_once('/') else {
        return false;
    };
    let (org_l, name_l) = (org.to_ascii_lowercase(), name.to_ascii_lowercase());
    let ext = name_l.rsplit_once('.').map(|(_, e)| e);
    !(PLACEHOLDER_ORGS.contains(&org_l.as_str())
        || org_l.starts_with("your")
        || org_l.starts_with("my-")
        || org_l.starts_with("my_")
        || name_l.starts_with("your")
        || PLACEHOLDER_NAMES.contains(&name_l.as_str())
        || PATH_ROOTS.contains(&org_l.as_str())
        || (org.len() == 1 && name.len() == 1)
        || org.chars().all(|c| c.is_ascii_digit())
        || ext.is_some_and(|e| FILE_EXTENSIONS.contains(&e)))
}

/// Whether a variable, parameter, key or flag is named like a model or dataset it holds,
/// and which: `model_path`, `BASE_MODEL`, `pretrained_model_name_or_path`, `tokenizer_name`,
/// `dataset_name`, `repo_id`. Outputs (`output_model`, `hub_model_id`, `save_model_to`),
/// directories and types (`model_dir`, `model_type`) are not.
pub(crate) fn is_model_name(name: &str) -> Option<Kind> {
    let lower = name.trim_start_matches('-').to_ascii_lowercase();
    let words: Vec<&str> = lower.split(['_', '-', '.']).collect();
    let has = |w: &str| words.contains(&w);
    if [
        "output", "save", "push", "upload", "dir", "type", "class", "revision", "hub", "new",
    ]
    .iter()
    .any(|w| has(w))
        || lower.contains("output")
    {
        return None;
    }
    if lower.contains("dataset") || has("data") || lower == "data_path" {
        return Some(Kind::Dataset);
    }
    if lower.contains("model")
        || lower.contains("checkpoint")
        || lower.contains("tokenizer")
        || lower.contains("adapter")
        || lower.contains("pretrained")
        || ["base", "llm", "vae", "lora", "ckpt", "unet", "controlnet"]
            .iter()
            .any(|w| has(w))
    {
        return Some(Kind::Model);
    }
    if matches!(lower.as_str(), "repo_id" | "repo" | "repo_name" | "hf_repo") {
        return Some(Kind::Either);
    }
    None
}

/// Weights downloaded from Mistral's CDN (`https://models.mistralcdn.com/mistral-large-2407/
/// mistral-large-instruct-2407.tar`): the model `mistralcdn:mistral-large-instruct-2407`.
pub(crate) fn cdn_urls(text: &str, base: usize) -> Vec<Hit> {
    const HOST: &str = "models.mistralcdn.com/";
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = text.get(from..).and_then(|t| t.find(HOST)) {
        let start = from + p + HOST.len();
        from = start;
        let rest = text.get(start..).unwrap_or("");
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ')' | '>' | '`' | '|'))
            .unwrap_or(rest.len());
        let url = rest.get(..end).unwrap_or("");
        let Some(name) = url.rsplit('/').next().and_then(|f| f.strip_suffix(".tar")) else {
            continue;
        };
        if !name.is_empty() && url.contains('/') {
            out.push(Hit::new(
                base + start,
                format!("mistralcdn:{name}"),
                Loader::Zoo,
                Kind::Model,
            ));
        }
    }
    out
}

/// Each mention of a dataset the catalogue knows by name (`MOSE`, `SA-1B`): whole words,
/// case-sensitive, at offsets from `base`, as the catalogue's id for it (`named:MOSE`).
pub(crate) fn named_datasets(text: &str, base: usize) -> Vec<Hit> {
    static NAMES: OnceLock<Option<(AhoCorasick, Vec<String>)>> = OnceLock::new();
    let Some((ac, ids)) = NAMES
        .get_or_init(|| {
            let (words, ids): (Vec<&str>, Vec<String>) = crate::catalogue::datasets()
                .items
                .iter()
                .flat_map(|i| i.mentions.iter().map(|m| (m.as_str(), i.pattern.clone())))
                .unzip();
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(words)
                .ok()
                .map(|ac| (ac, ids))
        })
        .as_ref()
    else {
        return Vec::new();
    };
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    ac.find_iter(text)
        .filter(|m| {
            !word(text[..m.start()].chars().next_back()) && !word(text[m.end()..].chars().next())
        })
        .map(|m| {
            Hit::new(
                base + m.start(),
                ids[m.pattern().as_usize()].clone(),
                Loader::Named,
                Kind::Dataset,
            )
        })
        .collect()
}

/// One mention per dataset named in a text: the first on a line that downloads it, else
/// the first in code (`in_code`: a README's code blocks; a config is all code), else the
/// first.
pub(crate) fn named_dataset_uses(text: &str, in_code: impl Fn(usize) -> bool) -> Vec<Hit> {
    let mut by_id: Vec<(Hit, u8)> = Vec::new();
    for hit in named_datasets(text, 0) {
        let line_start = text[..hit.at].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[hit.at..].find('\n').map_or(text.len(), |i| hit.at + i);
        let rank = if text[line_start..line_end]
            .to_ascii_lowercase()
            .contains("download")
        {
            0
        } else if in_code(hit.at) {
            1
        } else {
            2
        };
        match by_id.iter_mut().find(|(h, _)| h.id == hit.id) {
            Some(best) if rank < best.1 => *best = (hit, rank),
            Some(_) => {}
            None => by_id.push((hit, rank)),
        }
    }
    by_id.into_iter().map(|(h, _)| h).collect()
}

/// Data files in GitHub repositories (`https://raw.githubusercontent.com/o/r/main/x.json`,
/// `https://github.com/o/r/raw/main/data.jsonl`), as the datasets `github:o/r`, at offsets
/// from `base`. Only files with a data extension count: code and pages are not data.
pub(crate) fn data_urls(text: &str, base: usize) -> Vec<Hit> {
    const DATA: &[&str] = &[
        ".json",
        ".jsonl",
        ".csv",
        ".tsv",
        ".parquet",
        ".json.gz",
        ".jsonl.gz",
    ];
    let mut out = Vec::new();
    for host in ["raw.githubusercontent.com/", "github.com/"] {
        let mut from = 0;
        while let Some(p) = text.get(from..).and_then(|t| t.find(host)) {
            let start = from + p + host.len();
            from = start;
            let rest = text.get(start..).unwrap_or("");
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ')' | '>' | '`'))
                .unwrap_or(rest.len());
            let url = rest.get(..end).unwrap_or("");
            let mut parts = url.split('/');
            let (Some(owner), Some(repo), Some(third)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            if host == "github.com/" && !matches!(third, "raw" | "blob") {
                continue;
            }
            let lower = url.to_ascii_lowercase();
            if owner.is_empty() || repo.is_empty() || !DATA.iter().any(|x| lower.ends_with(x)) {
                continue;
            }
            out.push(Hit::new(
                base + start,
                format!("github:{owner}/{repo}"),
                Loader::DataUrl,
                Kind::Dataset,
            ));
        }
    }
    out
}

/// Hub URLs in a text (`https://huggingface.co/org/x/...`, `hf.co/datasets/org/d`), at
/// offsets from `base`. Spaces and the site's own pages (docs, blog, …) are not repositories.
pub(crate) fn hub_urls(text: &str, base: usize, how: Loader) -> Vec<Hit> {
    const SITE: &[&str] = &[
        "docs",
        "blog",
        "papers",
        "learn",
        "spaces",
        "models",
        "settings",
        "join",
        "login",
        "pricing",
        "tasks",
        "api",
        "collections",
        "organizations",
        "new",
        "chat",
        "posts",
        "enterprise",
        "changelog",
        "welcome",
        "inference-endpoints",
        "course",
        "transformers",
        "huggingface",
        "search",
        "terms-of-service",
        "privacy",
        "legal",
    ];
    let mut out = Vec::new();
    for host in ["huggingface.co/", "hf.co/"] {
        let mut from = 0;
        while let Some(p) = text.get(from..).and_then(|t| t.find(host)) {
            let start = from + p + host.len();
            from = start;
            // `hf.co/` inside `huggingface.co/` was seen already.
            if host == "hf.co/"
                && text
                    .get(..start)
                    .is_some_and(|t| t.ends_with("huggingface.co/"))
            {
                continue;
            }
            let rest = text.get(start..).unwrap_or("");
            let (kind, skip) = match rest.strip_prefix("datasets/") {
                Some(_) => (Kind::Dataset, "datasets/".len()),
                None => (Kind::Model, 0),
            };
            let rest = rest.get(skip..).unwrap_or("");
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/')))
                .unwrap_or(rest.len());
            let mut parts = rest.get(..end).unwrap_or("").split('/');
            let (Some(org), Some(name)) = (parts.next(), parts.next()) else {
                continue;
            };
            let name = name.trim_end_matches('.');
            let id = format!("{org}/{name}");
            if SITE.contains(&org.to_ascii_lowercase().as_str()) || !is_usable_id(&id) {
                continue;
            }
            // An image or video kept in a repository (a banner in `datasets/org/blog-images`,
            // a demo picture) is not a use of the model or dataset.
            const MEDIA: &[&str] = &[
                ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".mp4", ".mov", ".webm", ".wav",
                ".mp3",
            ];
            let url = rest
                .get(
                    ..rest
                        .find(|c: char| {
                            c.is_whitespace() || matches!(c, ')' | '"' | '\'' | '>' | ']')
                        })
                        .unwrap_or(rest.len()),
                )
                .unwrap_or("")
                .to_ascii_lowercase();
            let url = url.split(['?', '#']).next().unwrap_or("");
            if MEDIA.iter().any(|m| url.ends_with(m)) {
                continue;
            }
            out.push(Hit::new(base + start + skip, id, how, kind));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_in_github_repositories() {
        let ids = |t: &str| -> Vec<String> { data_urls(t, 0).into_iter().map(|h| h.id).collect() };
        assert_eq!(
            ids("https://raw.githubusercontent.com/tloen/alpaca-lora/main/alpaca_data.json"),
            ["github:tloen/alpaca-lora"]
        );
        assert_eq!(
            ids("see https://github.com/o/r/raw/main/data/train.jsonl.gz)"),
            ["github:o/r"]
        );
        assert!(ids("https://github.com/o/r/blob/main/train.py").is_empty());
        assert!(ids("https://github.com/o/r/issues/12.json").is_empty());
        assert!(ids("https://raw.githubusercontent.com/o/r/main/README.md").is_empty());
    }

    #[test]
    fn media_files_in_hub_repositories_are_not_uses() {
        let ids = |t: &str| -> Vec<String> {
            hub_urls(t, 0, Loader::HubUrl)
                .into_iter()
                .map(|h| h.id)
                .collect()
        };
        assert!(
            ids("![b](https://huggingface.co/datasets/o/blog-images/resolve/main/banner.png)")
                .is_empty()
        );
        assert!(
            ids("\"https://huggingface.co/datasets/o/DemoCase/resolve/main/football.mp4\"")
                .is_empty()
        );
        assert_eq!(
            ids("https://huggingface.co/datasets/some-org/chat-data/resolve/main/data/train.parquet"),
            ["some-org/chat-data"]
        );
    }

    #[test]
    fn mistral_cdn_downloads() {
        let ids: Vec<String> = cdn_urls(
            "| [123B](https://models.mistralcdn.com/mistral-large-2407/mistral-large-instruct-2407.tar) | \
             https://models.mistralcdn.com/ https://models.mistralcdn.com/x/notes.md",
            0,
        )
        .into_iter()
        .map(|h| h.id)
        .collect();
        assert_eq!(ids, ["mistralcdn:mistral-large-instruct-2407"]);
    }

    #[test]
    fn datasets_known_by_name_are_whole_words() {
        let ids =
            |t: &str| -> Vec<String> { named_datasets(t, 0).into_iter().map(|h| h.id).collect() };
        assert_eq!(
            ids("Download MOSE and SA-1B."),
            ["named:MOSE", "named:SA-1B"]
        );
        assert_eq!(ids("# SA1B as an example"), ["named:SA-1B"]);
        assert!(ids("MOSES, mose, hiera_b+_MOSE_finetune.yaml, SA-1Bx").is_empty());
        // The download line wins over the first mention, code over prose.
        let text = "Fine-tune on MOSE.\n\n- Download the MOSE dataset.\n";
        let picked = named_dataset_uses(text, |_| false);
        assert_eq!(picked.len(), 1);
        assert_eq!(picked[0].at, text.rfind("MOSE").unwrap_or(0));
    }
}
