//! What both BOM formats are drawn from: the [`Graph`] gathered from the report (models
//! with their licenses and openness verdict, hub models, datasets), its fingerprint (the
//! seed of every identifier), and the JSON writer both use.

use std::collections::BTreeMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::inventory::code;
use crate::license::expr::Named;
use crate::openness::Openness;
use crate::project::{Model, Project};
use crate::provenance::{Resolved, Via};
use crate::Report;

pub(super) const TOOL: &str = "weightlint";
pub(super) const VERSION: &str = env!("CARGO_PKG_VERSION");

/// How a license is known: stated by the thing itself, or concluded by weightlint
/// (carried over from a base model, or taken from weightlint's catalogue).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub(super) enum Ack {
    Declared,
    Concluded,
}

impl Ack {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Ack::Declared => "declared",
            Ack::Concluded => "concluded",
        }
    }
}

/// One license of one node.
#[derive(Clone, Debug, Serialize)]
pub(super) struct License {
    /// SPDX id or `LicenseRef-…`.
    pub(super) id: String,
    pub(super) name: String,
    /// The license text's address, when the knowledge base has one.
    pub(super) url: Option<String>,
    pub(super) ack: Ack,
}

impl License {
    fn of(named: &Named, ack: Ack) -> Self {
        License {
            id: named.id.clone(),
            name: named.name.clone(),
            url: named.entry().and_then(|e| e.url.clone()),
            ack,
        }
    }

    /// Whether the id is on the SPDX list (as opposed to a `LicenseRef-…`).
    pub(super) fn is_listed(&self) -> bool {
        spdx::license_id(&self.id).is_some_and(|l| l.name == self.id)
    }
}

/// Licenses in order, each id once (the first mention wins).
pub(super) fn push_license(out: &mut Vec<License>, license: License) {
    if !out.iter().any(|l| l.id == license.id) {
        out.push(license);
    }
}

/// A model of the scanned tree.
#[derive(Debug, Serialize)]
pub(super) struct LocalModel {
    pub(super) bom_ref: String,
    pub(super) path: String,
    pub(super) name: String,
    pub(super) card: Option<String>,
    pub(super) weights: Vec<String>,
    pub(super) licenses: Vec<License>,
    /// The card's `pipeline_tag`.
    pub(super) task: Option<String>,
    /// The card's `base_model_relation`.
    pub(super) relation: Option<String>,
    /// bom-refs of its base models (local or hub).
    pub(super) bases: Vec<String>,
    /// bom-refs of its training datasets.
    pub(super) datasets: Vec<String>,
    pub(super) verdict: &'static str,
    pub(super) summary: String,
}

/// A hub model (a base, or one code loads) or a dataset, known by its id.
#[derive(Debug, Serialize)]
pub(super) struct External {
    pub(super) bom_ref: String,
    pub(super) id: String,
    pub(super) licenses: Vec<License>,
    /// Where its licenses were found: `repo:<path>`, `hf-cache`, `catalogue:<pattern>`.
    pub(super) source: Option<String>,
    /// Its Hugging Face Hub page, when the id is a Hub id.
    pub(super) url: Option<String>,
    /// `path:line (loader)` for each place code loads it.
    pub(super) loaded_by: Vec<String>,
}

/// Everything a BOM says, sorted.
#[derive(Debug, Serialize)]
pub(super) struct Graph {
    pub(super) tool_version: &'static str,
    pub(super) root_name: String,
    /// The scan found no model of its own (a library, framework or tool): `classify`'s
    /// `not-a-model`.
    pub(super) not_a_model: bool,
    pub(super) models: Vec<LocalModel>,
    pub(super) hub_models: Vec<External>,
    pub(super) datasets: Vec<External>,
    /// bom-refs of the hub models code in the tree loads.
    pub(super) code_loaded: Vec<String>,
}

impl Graph {
    /// SHA-256 of the gathered facts: the seed of every identifier.
    pub(super) fn fingerprint(&self) -> [u8; 32] {
        let bytes = serde_json::to_vec(self).unwrap_or_default();
        Sha256::digest(&bytes).into()
    }
}

fn source_of(resolved: &Resolved) -> String {
    match &resolved.via {
        Via::Repo(p) => format!("repo:{p}"),
        Via::Lock(l) => match &l.revision {
            Some(r) => format!("hub:{r}"),
            None => "hub".to_string(),
        },
        // The cache path is machine-specific: it would make the BOM differ per machine.
        Via::Cache(_) => "hf-cache".to_string(),
        Via::Catalogue(p) | Via::Name(p) => format!("catalogue:{p}"),
    }
}

/// A card or cache states the licenses; the catalogue is weightlint's own knowledge.
fn resolved_licenses(resolved: &Resolved) -> Vec<License> {
    let ack = match resolved.via {
        Via::Catalogue(_) | Via::Name(_) => Ack::Concluded,
        Via::Repo(_) | Via::Lock(_) | Via::Cache(_) => Ack::Declared,
    };
    let mut out = Vec::new();
    for n in &resolved.licenses {
        push_license(&mut out, License::of(n, ack));
    }
    out
}

/// Collects hub models or datasets by id, case-insensitively (Hub ids are).
struct Externals {
    prefix: &'static str,
    url_prefix: &'static str,
    by_key: BTreeMap<String, External>,
}

impl Externals {
    fn new(prefix: &'static str, url_prefix: &'static str) -> Self {
        Externals {
            prefix,
            url_prefix,
            by_key: BTreeMap::new(),
        }
    }

    /// The node for an id, created on first sight; returns its bom-ref.
    fn add(&mut self, id: &str, resolved: Option<&Resolved>) -> String {
        let node = self
            .by_key
            .entry(id.to_ascii_lowercase())
            .or_insert_with(|| External {
                bom_ref: format!("{}{id}", self.prefix),
                id: id.to_string(),
                licenses: Vec::new(),
                source: None,
                url: code::is_hub_id(id).then(|| format!("{}{id}", self.url_prefix)),
                loaded_by: Vec::new(),
            });
        if node.source.is_none() {
            if let Some(r) = resolved {
                node.licenses = resolved_licenses(r);
                node.source = Some(source_of(r));
            }
        }
        node.bom_ref.clone()
    }

    fn into_sorted(self) -> Vec<External> {
        let mut out: Vec<External> = self.by_key.into_values().collect();
        out.sort_by(|a, b| a.bom_ref.cmp(&b.bom_ref));
        out
    }
}

fn model_ref(path: &str) -> String {
    format!("model:{path}")
}

fn local_model(
    project: &Project,
    model: &Model,
    verdict: &Openness,
    hubs: &mut Externals,
    datasets: &mut Externals,
) -> LocalModel {
    let mut licenses = Vec::new();
    for n in &model.licenses {
        push_license(&mut licenses, License::of(n, Ack::Declared));
    }
    for n in &model.inherited {
        push_license(&mut licenses, License::of(n, Ack::Concluded));
    }
    let mut bases: Vec<String> = model
        .bases
        .iter()
        .map(|b| match b.resolved.as_ref().map(|r| &r.via) {
            // `base_model: ../base`: the model in that directory of the tree.
            Some(Via::Repo(p)) if project.models.iter().any(|m| &m.path == p) => model_ref(p),
            _ => hubs.add(&b.id, b.resolved.as_ref()),
        })
        .collect();
    bases.sort();
    bases.dedup();
    let mut trained_on: Vec<String> = model
        .datasets
        .iter()
        .filter(|d| !d.id.is_empty())
        .map(|d| datasets.add(&d.id, d.resolved.as_ref()))
        .collect();
    trained_on.sort();
    trained_on.dedup();
    LocalModel {
        bom_ref: model_ref(&model.path),
        path: model.path.clone(),
        name: model.name.clone(),
        card: model.card.as_ref().map(|c| c.path.clone()),
        weights: model.weights.clone(),
        licenses,
        task: model
            .card
            .as_ref()
            .and_then(|c| c.str_field("pipeline_tag"))
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty()),
        relation: model.relation.as_ref().map(|(r, _)| r.clone()),
        bases,
        datasets: trained_on,
        verdict: verdict.verdict.as_str(),
        summary: verdict.summary.clone(),
    }
}

pub(super) fn gather(report: &Report) -> Graph {
    let project = &report.project;
    let mut hubs = Externals::new("model:hub:", "https://huggingface.co/");
    let mut datasets = Externals::new("dataset:", "https://huggingface.co/datasets/");
    let mut models: Vec<LocalModel> = project
        .models
        .iter()
        .zip(&report.openness)
        .map(|(m, o)| local_model(project, m, o, &mut hubs, &mut datasets))
        .collect();
    models.sort_by(|a, b| a.bom_ref.cmp(&b.bom_ref));
    models.dedup_by(|a, b| a.bom_ref == b.bom_ref);

    let mut uses: Vec<_> = project.code_uses.iter().collect();
    uses.sort_by(|a, b| (&a.path, a.line, &a.id).cmp(&(&b.path, b.line, &b.id)));
    let mut code_loaded = Vec::new();
    for u in uses {
        let bom_ref = hubs.add(&u.id, u.resolved.as_ref());
        if let Some(node) = hubs.by_key.get_mut(&u.id.to_ascii_lowercase()) {
            node.loaded_by
                .push(format!("{}:{} ({})", u.path, u.line, u.loader.as_str()));
        }
        code_loaded.push(bom_ref);
    }
    code_loaded.sort();
    code_loaded.dedup();

    Graph {
        tool_version: VERSION,
        root_name: crate::render::root_name(project),
        not_a_model: models.is_empty(),
        models,
        hub_models: hubs.into_sorted(),
        datasets: datasets.into_sorted(),
        code_loaded,
    }
}

/// Pretty JSON with a trailing newline.
pub(super) fn pretty<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    text
}
