//! Obligation rules (WL300–WL304): what a license asks of whoever distributes a model or
//! a derivative of it: a display string, a name prefix, a copy of the license, the use
//! restrictions, a notice. They apply to models the tree ships: with weights, or
//! derivatives (a card that names a base model).

pub(super) mod wl300_missing_attribution;
pub(super) mod wl301_derivative_naming;
pub(super) mod wl302_license_not_redistributed;
pub(super) mod wl303_use_restrictions_not_passed_on;
pub(super) mod wl304_missing_notice;

use std::cell::OnceCell;

use crate::core::text::Normalised;
use crate::license::kb::Entry;
use crate::project::{Model, Project};

/// Each model the tree ships, with each knowledge-base entry that governs it, once.
fn shipped(project: &Project) -> impl Iterator<Item = (&Model, &Entry)> {
    project
        .models
        .iter()
        .filter(|m| !m.weights.is_empty() || m.is_derivative())
        .flat_map(|model| {
            let mut entries: Vec<&Entry> = model.governing().filter_map(|n| n.entry()).collect();
            entries.dedup_by(|a, b| a.key == b.key);
            entries.into_iter().map(move |e| (model, e))
        })
}

/// The directory of the root a model was found under, as shown.
fn root_of<'a>(project: &'a Project, model: &Model) -> &'a str {
    project
        .roots
        .get(model.root)
        .map_or(".", |r| r.display.as_str())
}

/// Lower case, runs of anything but letters and digits as one space.
fn normalise(text: &str) -> String {
    Normalised::words(text).text
}

/// The documentation of the tree, normalised: cards, READMEs and NOTICE files, read only
/// when a license asks for something to be displayed. License texts are not
/// documentation: a license quoting its own notice does not display it.
struct Docs<'a> {
    project: &'a Project,
    texts: OnceCell<Vec<(String, String)>>,
}

impl<'a> Docs<'a> {
    fn of(project: &'a Project) -> Self {
        Docs {
            project,
            texts: OnceCell::new(),
        }
    }

    fn contains(&self, root: &str, phrase: &str) -> bool {
        let phrase = normalise(phrase);
        if phrase.is_empty() {
            return false;
        }
        let texts = self.texts.get_or_init(|| {
            let mut docs: Vec<(String, String)> = self
                .project
                .doc_paths
                .iter()
                .filter_map(|p| self.project.texts.get(p).map(|t| (p.clone(), normalise(t))))
                .collect();
            docs.sort();
            docs
        });
        texts
            .iter()
            .any(|(p, t)| (root == "." || p.starts_with(root)) && t.contains(&phrase))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_ignores_case_and_punctuation() {
        assert_eq!(normalise("Built  with\nLLAMA!"), "built with llama");
        assert_eq!(normalise("Llama-3.1 Instruct"), "llama 3 1 instruct");
    }
}
