//! Where a subject's evidence is looked for: the lines of its card or README, and the
//! code files under its directory (names only). Reads the project; decides nothing.

use crate::inventory::card::Card;
use crate::project::Project;

use super::{Evidence, Subject};

/// A subject with what its evidence is drawn from.
pub(super) struct Scope<'a> {
    pub(super) project: &'a Project,
    pub(super) subject: &'a Subject<'a>,
    /// Its card or README, when the text was read.
    pub(super) doc: Option<Doc<'a>>,
    pub(super) card: Option<&'a Card>,
    /// The subject's directory with a trailing `/`, or empty for a root.
    prefix: String,
    /// Where the subject's files begin in `project.code_files`.
    start: usize,
}

impl<'a> Scope<'a> {
    pub(super) fn new(project: &'a Project, subject: &'a Subject<'a>) -> Self {
        let doc = subject
            .doc
            .and_then(|p| project.texts.get(p).map(|t| Doc::new(p, t)));
        let card = subject.model.and_then(|m| m.card.as_ref());
        let dir_prefix = {
            let root = project
                .roots
                .get(subject.root)
                .map_or(".", |r| r.display.as_str());
            crate::walk::display_path(root, std::path::Path::new(&subject.rel_dir))
        };
        // `code_files` is sorted: the subject's files are one run of it, found by bisection.
        let prefix = if dir_prefix == "." {
            String::new()
        } else {
            format!("{dir_prefix}/")
        };
        let start = project
            .code_files
            .partition_point(|p| p.as_str() < prefix.as_str());
        Scope {
            project,
            subject,
            doc,
            card,
            prefix,
            start,
        }
    }

    /// Whether a display path lies in the subject's directory.
    pub(super) fn under(&self, path: &str) -> bool {
        path.starts_with(&self.prefix)
    }

    /// Up to three of the subject's code files whose lower-cased file name `pred` accepts.
    pub(super) fn files_under(&self, pred: impl Fn(&str) -> bool) -> Vec<Evidence> {
        self.project.code_files[self.start..]
            .iter()
            .take_while(|p| self.under(p))
            .filter(|p| {
                let name = p.rsplit('/').next().unwrap_or(p).to_ascii_lowercase();
                pred(&name)
            })
            .take(3)
            .map(|p| Evidence {
                what: "file".to_string(),
                place: p.clone(),
            })
            .collect()
    }
}

/// The lines of a text with their numbers, headings lower-cased, for evidence searches.
pub(super) struct Doc<'a> {
    path: &'a str,
    lines: Vec<(usize, &'a str)>,
}

impl<'a> Doc<'a> {
    fn new(path: &'a str, text: &'a str) -> Self {
        Doc {
            path,
            lines: text.lines().enumerate().map(|(i, l)| (i + 1, l)).collect(),
        }
    }

    pub(super) fn at(&self, line: usize) -> String {
        format!("{}:{line}", self.path)
    }

    /// The first line that `pred` accepts.
    pub(super) fn line_where(&self, pred: impl Fn(&str) -> bool) -> Option<(usize, &'a str)> {
        self.lines.iter().copied().find(|(_, l)| pred(l))
    }

    /// The first heading containing any of `words`.
    pub(super) fn heading(&self, words: &[&str]) -> Option<(usize, String)> {
        self.lines.iter().find_map(|(n, l)| {
            let t = l.trim_start();
            if !t.starts_with('#') {
                return None;
            }
            let lower = t.to_ascii_lowercase();
            words
                .iter()
                .any(|w| lower.contains(w))
                .then(|| (*n, t.trim_start_matches('#').trim().to_string()))
        })
    }

    /// The first line containing all of one group of `words` (lower case).
    pub(super) fn line_with(&self, groups: &[&[&str]]) -> Option<(usize, &'a str)> {
        self.lines.iter().copied().find(|(_, l)| {
            let lower = l.to_ascii_lowercase();
            groups.iter().any(|g| g.iter().all(|w| lower.contains(w)))
        })
    }
}

/// A link to a model repository on the Hub (not a dataset or Space).
pub(super) fn hub_model_link(line: &str) -> bool {
    for host in ["huggingface.co/", "hf.co/"] {
        let mut rest = line;
        while let Some(i) = rest.find(host) {
            let after = &rest[i + host.len()..];
            let path: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.'))
                .collect();
            let mut parts = path.split('/');
            let first = parts.next().unwrap_or("");
            let second = parts.next().unwrap_or("");
            let not_model = matches!(
                first,
                "datasets"
                    | "spaces"
                    | "docs"
                    | "blog"
                    | "papers"
                    | "models"
                    | "collections"
                    | "settings"
                    | "join"
            );
            if !not_model && !first.is_empty() && !second.is_empty() {
                return true;
            }
            rest = after;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hub_links_are_models_not_datasets() {
        assert!(hub_model_link(
            "[Checkpoints](https://hf.co/allenai/OLMoE-1B-7B-0924)"
        ));
        assert!(hub_model_link(
            "see https://huggingface.co/EleutherAI/pythia-6.9b for"
        ));
        assert!(!hub_model_link(
            "https://huggingface.co/datasets/allenai/dolma"
        ));
        assert!(!hub_model_link("https://huggingface.co/docs/hub"));
        assert!(!hub_model_link("https://huggingface.co/allenai"));
    }
}
