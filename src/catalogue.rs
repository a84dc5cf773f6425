//! The catalogue: well-known Hugging Face Hub models and datasets and the license that
//! governs each, as patterns (`catalogue/*.yaml`, embedded, parsed on first use). It is how
//! a `base_model`, a dataset or a `from_pretrained("…")` is resolved without a network.

use std::sync::OnceLock;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::license::kb::{kb, Entry, Modality};
use crate::yaml;

/// One catalogue line: Hub ids matching `pattern` are under `license` (a knowledge-base key).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub pattern: String,
    pub license: String,
    #[serde(default)]
    pub modality: Option<Modality>,
    /// The pattern knows the family from the name alone (a re-upload under any org).
    #[serde(default)]
    pub inferred: bool,
    /// The dataset it copies or the model that generated it (an id this catalogue knows).
    #[serde(default)]
    pub derived_from: Option<String>,
    /// Words that name a dataset known by name rather than by a Hub id (`MOSE`, `SA-1B`),
    /// matched whole and case-sensitively in training READMEs and configs.
    #[serde(default)]
    pub mentions: Vec<String>,
    /// Where the fact comes from; the catalogue's tests require one on every item.
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "a fact's source, checked by tests")
    )]
    pub source: String,
}

impl Item {
    pub fn entry(&self) -> Option<&'static Entry> {
        kb().key(&self.license)
    }
}

/// A parsed catalogue with its matcher; the first matching item wins.
#[derive(Debug)]
pub struct Catalogue {
    pub items: Vec<Item>,
    set: GlobSet,
}

impl Catalogue {
    /// The catalogue in `text`, or why it does not load (only ever seen by our own tests).
    pub fn parse(text: &str) -> Result<Self, String> {
        let items: Vec<Item> =
            yaml::from_str(text).map_err(|e| format!("{e} (line {:?})", e.line))?;
        Catalogue::of(items)
    }

    /// The catalogue of parsed items, with its matcher.
    fn of(items: Vec<Item>) -> Result<Self, String> {
        let mut builder = GlobSetBuilder::new();
        for item in &items {
            // Lowercase patterns against lowercase ids, rather than case-insensitive globs:
            // globset then matches `org/name` and `org/prefix-*` by literal and prefix,
            // leaving few to its regex set (building that set was most of a one-card check).
            let glob = GlobBuilder::new(&item.pattern.to_lowercase())
                .build()
                .map_err(|e| format!("{}: {e}", item.pattern))?;
            builder.add(glob);
        }
        let set = builder.build().map_err(|e| e.to_string())?;
        Ok(Catalogue { items, set })
    }

    /// The first item whose pattern matches the id.
    pub fn find(&self, id: &str) -> Option<&Item> {
        let id = id.trim().trim_end_matches('/').to_lowercase();
        self.set
            .matches(&id)
            .into_iter()
            .min()
            .map(|i| &self.items[i])
    }
}

const MODELS: &str = include_str!("../catalogue/models.yaml");
const DATASETS: &str = include_str!("../catalogue/datasets.yaml");
/// The same catalogues as build.rs converted them to JSON.
const MODELS_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/models.json"));
const DATASETS_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/datasets.json"));

fn load(json: &str, yaml: &str) -> Catalogue {
    // The embedded files are checked by the tests below; a broken one matches nothing.
    serde_json::from_str::<Vec<Item>>(json)
        .map_err(|e| e.to_string())
        .and_then(Catalogue::of)
        .or_else(|_| Catalogue::parse(yaml))
        .unwrap_or_else(|_| Catalogue {
            items: Vec::new(),
            set: GlobSet::empty(),
        })
}

/// The embedded model catalogue.
pub fn models() -> &'static Catalogue {
    static C: OnceLock<Catalogue> = OnceLock::new();
    C.get_or_init(|| load(MODELS_JSON, MODELS))
}

/// The embedded dataset catalogue.
pub fn datasets() -> &'static Catalogue {
    static C: OnceLock<Catalogue> = OnceLock::new();
    C.get_or_init(|| load(DATASETS_JSON, DATASETS))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both() -> [(&'static str, Catalogue); 2] {
        [
            (
                "models",
                Catalogue::parse(MODELS).unwrap_or_else(|e| panic!("{e}")),
            ),
            (
                "datasets",
                Catalogue::parse(DATASETS).unwrap_or_else(|e| panic!("{e}")),
            ),
        ]
    }

    #[test]
    fn the_json_the_build_made_is_the_yaml() {
        for (json, yaml) in [(MODELS_JSON, MODELS), (DATASETS_JSON, DATASETS)] {
            let from_json = load(json, "").items;
            let from_yaml = Catalogue::parse(yaml).map(|c| c.items).unwrap_or_default();
            assert!(!from_json.is_empty());
            assert_eq!(format!("{from_json:?}"), format!("{from_yaml:?}"));
        }
    }

    #[test]
    fn every_item_names_a_known_license_and_patterns_are_unique() {
        for (name, c) in both() {
            assert!(!c.items.is_empty(), "{name} is empty");
            let mut seen = std::collections::HashSet::new();
            for item in &c.items {
                assert!(
                    item.entry().is_some(),
                    "{name}: {} → {}",
                    item.pattern,
                    item.license
                );
                assert!(
                    seen.insert(item.pattern.to_ascii_lowercase()),
                    "{name}: duplicate {}",
                    item.pattern
                );
                assert!(!item.source.trim().is_empty(), "{name}: {}", item.pattern);
                if let Some(up) = &item.derived_from {
                    let known = datasets().find(up).or_else(|| models().find(up));
                    assert!(
                        known.is_some(),
                        "{name}: {} derives from unknown {up}",
                        item.pattern
                    );
                }
            }
        }
    }

    /// A model pattern for any org knows the family from the name alone, and says so; it
    /// comes after every org-specific pattern, so those win.
    #[test]
    fn name_only_patterns_are_inferred_and_last() {
        let c = models();
        let first_inferred = c.items.iter().position(|i| i.inferred);
        for (n, item) in c.items.iter().enumerate() {
            assert_eq!(
                item.pattern.starts_with("*/"),
                item.inferred,
                "{}",
                item.pattern
            );
            if first_inferred.is_some_and(|f| n > f) {
                assert!(
                    item.inferred,
                    "{} comes after name-only patterns",
                    item.pattern
                );
            }
        }
    }

    #[test]
    fn specific_patterns_win_over_general_ones() {
        let c = models();
        let key = |id: &str| c.find(id).map(|i| i.license.as_str());
        assert_eq!(
            key("meta-llama/Llama-3.2-11B-Vision-Instruct"),
            Some("llama-3.2")
        );
        assert_eq!(
            c.find("meta-llama/Llama-3.2-11B-Vision-Instruct")
                .and_then(|i| i.modality),
            Some(Modality::Multimodal)
        );
        assert_eq!(
            c.find("meta-llama/Llama-3.2-3B-Instruct")
                .and_then(|i| i.modality),
            Some(Modality::Text)
        );
        assert_eq!(key("meta-llama/llama-3.1-8b-instruct"), Some("llama-3.1"));
        assert_eq!(key("Qwen/Qwen2.5-3B-Instruct"), Some("qwen-research"));
        assert_eq!(key("Qwen/Qwen2.5-7B-Instruct"), Some("apache-2.0"));
        assert_eq!(key("Qwen/Qwen2.5-72B-Instruct"), Some("qwen"));
        assert_eq!(key("deepseek-ai/DeepSeek-R1"), Some("mit"));
        assert_eq!(
            key("black-forest-labs/FLUX.1-dev"),
            Some("flux-1-dev-non-commercial")
        );
        assert_eq!(key("black-forest-labs/FLUX.1-schnell"), Some("apache-2.0"));
        assert_eq!(key("nobody/nothing"), None);
    }
}
