//! AI bills of materials (`weightlint bom`): CycloneDX 1.6 JSON and SPDX 3.0.1 JSON-LD.
//!
//! Both formats are drawn from one [`Graph`] gathered from the resolved project: the
//! scanned root, its models (with their own and inherited licenses, task, openness
//! verdict), the base models they name, the hub models code loads, and the training
//! datasets. Renderers only read: nothing here judges, and nothing is invented that the
//! scan did not find (no versions, suppliers or release dates).
//!
//! Output is deterministic: elements are sorted and identifiers are derived from a hash of
//! the gathered facts. The one exception is SPDX's `CreationInfo.created`, which the format
//! requires: it is the current UTC time to the second, or `SOURCE_DATE_EPOCH` when set.

use std::collections::BTreeMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::inventory::code;
use crate::license::expr::Named;
use crate::openness::{self, Subject};
use crate::project::{Model, Project};
use crate::provenance::{Resolved, Via};
use crate::Report;

/// SPDX license ids that the `spdx` crate (list 3.29.0) knows but the SPDX list bundled
/// with the CycloneDX 1.6 schema (`spdx.schema.json`, list 3.28.0) does not: CycloneDX
/// validators reject them as `license.id`, so they are written as `license.name`.
const NOT_IN_CYCLONEDX_LIST: &[&str] = &[
    "BSD-2-Clause-pos-unchanged",
    "BSD-3-Clause-OpenWebUI",
    "BSD-Source-Code-no-disclaimer",
    "BSD-Source-alt-GPL",
    "BSD-ask-to-endorse",
    "Brian-Gladman-3-Clause-no-conversion",
    "Bugroff",
    "CC-BY-NC-3.0-IGO",
    "FDK-MPEG-H",
    "GFDL-1.1-invariants",
    "GFDL-1.1-no-invariants",
    "GFDL-1.2-invariants",
    "GFDL-1.2-no-invariants",
    "GFDL-1.3-invariants",
    "GFDL-1.3-no-invariants",
    "Hippocratic-3.0-core",
    "Informatica",
    "MVT-1.1",
    "NOASSERTION",
    "atc-game",
];

const TOOL: &str = "weightlint";
const VERSION: &str = env!("CARGO_PKG_VERSION");

// ---------------------------------------------------------------------------------------
// The gathered graph

/// How a license is known: stated by the thing itself, or concluded by weightlint
/// (carried over from a base model, or taken from weightlint's catalogue).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
enum Ack {
    Declared,
    Concluded,
}

impl Ack {
    fn as_str(self) -> &'static str {
        match self {
            Ack::Declared => "declared",
            Ack::Concluded => "concluded",
        }
    }
}

/// One license of one node.
#[derive(Clone, Debug, Serialize)]
struct License {
    /// SPDX id or `LicenseRef-…`.
    id: String,
    name: String,
    /// The license text's address, when the knowledge base has one.
    url: Option<String>,
    ack: Ack,
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
    fn is_listed(&self) -> bool {
        spdx::license_id(&self.id).is_some_and(|l| l.name == self.id)
    }
}

/// Licenses in order, each id once (the first mention wins).
fn push_license(out: &mut Vec<License>, license: License) {
    if !out.iter().any(|l| l.id == license.id) {
        out.push(license);
    }
}

/// A model of the scanned tree.
#[derive(Debug, Serialize)]
struct LocalModel {
    bom_ref: String,
    path: String,
    name: String,
    card: Option<String>,
    weights: Vec<String>,
    licenses: Vec<License>,
    /// The card's `pipeline_tag`.
    task: Option<String>,
    /// The card's `base_model_relation`.
    relation: Option<String>,
    /// bom-refs of its base models (local or hub).
    bases: Vec<String>,
    /// bom-refs of its training datasets.
    datasets: Vec<String>,
    verdict: &'static str,
    summary: String,
}

/// A hub model (a base, or one code loads) or a dataset, known by its id.
#[derive(Debug, Serialize)]
struct External {
    bom_ref: String,
    id: String,
    licenses: Vec<License>,
    /// Where its licenses were found: `repo:<path>`, `hf-cache`, `catalogue:<pattern>`.
    source: Option<String>,
    /// Its Hugging Face Hub page, when the id is a Hub id.
    url: Option<String>,
    /// `path:line (loader)` for each place code loads it.
    loaded_by: Vec<String>,
}

/// Everything a BOM says, sorted.
#[derive(Debug, Serialize)]
struct Graph {
    tool_version: &'static str,
    root_name: String,
    models: Vec<LocalModel>,
    hub_models: Vec<External>,
    datasets: Vec<External>,
    /// bom-refs of the hub models code in the tree loads.
    code_loaded: Vec<String>,
}

impl Graph {
    /// SHA-256 of the gathered facts: the seed of every identifier.
    fn fingerprint(&self) -> [u8; 32] {
        let bytes = serde_json::to_vec(self).unwrap_or_default();
        Sha256::digest(&bytes).into()
    }
}

fn source_of(resolved: &Resolved) -> String {
    match &resolved.via {
        Via::Repo(p) => format!("repo:{p}"),
        // The cache path is machine-specific: it would make the BOM differ per machine.
        Via::Cache(_) => "hf-cache".to_string(),
        Via::Catalogue(p) => format!("catalogue:{p}"),
    }
}

/// A card or cache states the licenses; the catalogue is weightlint's own knowledge.
fn resolved_licenses(resolved: &Resolved) -> Vec<License> {
    let ack = match resolved.via {
        Via::Catalogue(_) => Ack::Concluded,
        Via::Repo(_) | Via::Cache(_) => Ack::Declared,
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

/// The name of what was scanned: each root's directory name.
fn root_name(project: &Project) -> String {
    let names: Vec<String> = project
        .roots
        .iter()
        .map(|r| {
            let abs = std::path::absolute(&r.path).unwrap_or_else(|_| r.path.clone());
            abs.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| r.display.clone())
        })
        .collect();
    if names.is_empty() {
        ".".to_string()
    } else {
        names.join(", ")
    }
}

fn model_ref(path: &str) -> String {
    format!("model:{path}")
}

fn local_model(
    project: &Project,
    model: &Model,
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
    let verdict = openness::classify(project, &Subject::of_model(model));
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
        summary: verdict.summary,
    }
}

fn gather(report: &Report) -> Graph {
    let project = &report.project;
    let mut hubs = Externals::new("model:hub:", "https://huggingface.co/");
    let mut datasets = Externals::new("dataset:", "https://huggingface.co/datasets/");
    let mut models: Vec<LocalModel> = project
        .models
        .iter()
        .map(|m| local_model(project, m, &mut hubs, &mut datasets))
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
        root_name: root_name(project),
        models,
        hub_models: hubs.into_sorted(),
        datasets: datasets.into_sorted(),
        code_loaded,
    }
}

/// An RFC 4122 name-based UUID (version 5 layout) from a SHA-256 digest.
fn uuid_of(hash: &[u8; 32]) -> String {
    let mut b = [0u8; 16];
    b.copy_from_slice(&hash[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Pretty JSON with a trailing newline.
fn pretty<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    text
}

// ---------------------------------------------------------------------------------------
// CycloneDX 1.6

#[derive(Serialize)]
struct CdxBom {
    #[serde(rename = "$schema")]
    schema: &'static str,
    #[serde(rename = "bomFormat")]
    bom_format: &'static str,
    #[serde(rename = "specVersion")]
    spec_version: &'static str,
    #[serde(rename = "serialNumber")]
    serial_number: String,
    version: u32,
    metadata: CdxMetadata,
    components: Vec<CdxComponent>,
    dependencies: Vec<CdxDependency>,
}

#[derive(Serialize)]
struct CdxMetadata {
    tools: CdxTools,
    component: CdxComponent,
}

#[derive(Serialize)]
struct CdxTools {
    components: Vec<CdxComponent>,
}

#[derive(Default, Serialize)]
struct CdxComponent {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "bom-ref", skip_serializing_if = "Option::is_none")]
    bom_ref: Option<String>,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    licenses: Vec<CdxLicenseChoice>,
    #[serde(rename = "externalReferences", skip_serializing_if = "Vec::is_empty")]
    external_references: Vec<CdxExternalReference>,
    #[serde(rename = "modelCard", skip_serializing_if = "Option::is_none")]
    model_card: Option<CdxModelCard>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    data: Vec<CdxData>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    properties: Vec<CdxProperty>,
}

#[derive(Serialize)]
struct CdxLicenseChoice {
    license: CdxLicense,
}

#[derive(Serialize)]
struct CdxLicense {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    acknowledgement: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    properties: Vec<CdxProperty>,
}

#[derive(Serialize)]
struct CdxExternalReference {
    #[serde(rename = "type")]
    kind: &'static str,
    url: String,
}

#[derive(Serialize)]
struct CdxModelCard {
    #[serde(rename = "modelParameters")]
    model_parameters: CdxModelParameters,
}

#[derive(Serialize)]
struct CdxModelParameters {
    #[serde(skip_serializing_if = "Option::is_none")]
    task: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    datasets: Vec<CdxDataRef>,
}

#[derive(Serialize)]
struct CdxDataRef {
    #[serde(rename = "ref")]
    reference: String,
}

#[derive(Serialize)]
struct CdxData {
    #[serde(rename = "type")]
    kind: &'static str,
    name: String,
}

#[derive(Serialize)]
struct CdxProperty {
    name: &'static str,
    value: String,
}

#[derive(Serialize)]
struct CdxDependency {
    #[serde(rename = "ref")]
    reference: String,
    #[serde(rename = "dependsOn")]
    depends_on: Vec<String>,
}

fn prop(name: &'static str, value: impl Into<String>) -> CdxProperty {
    CdxProperty {
        name,
        value: value.into(),
    }
}

/// A license entry: `id` when the SPDX list that CycloneDX 1.6 bundles has it, else `name`
/// (with weightlint's `LicenseRef-…` id kept as a property).
fn cdx_license(l: &License) -> CdxLicenseChoice {
    let listed = l.is_listed() && !NOT_IN_CYCLONEDX_LIST.contains(&l.id.as_str());
    let license = if listed {
        CdxLicense {
            id: Some(l.id.clone()),
            name: None,
            url: None,
            acknowledgement: l.ack.as_str(),
            properties: Vec::new(),
        }
    } else {
        CdxLicense {
            id: None,
            name: Some(if l.name.is_empty() {
                l.id.clone()
            } else {
                l.name.clone()
            }),
            url: l.url.clone(),
            acknowledgement: l.ack.as_str(),
            properties: vec![prop("weightlint:license-id", l.id.clone())],
        }
    };
    CdxLicenseChoice { license }
}

fn cdx_model(m: &LocalModel) -> CdxComponent {
    let params = CdxModelParameters {
        task: m.task.clone(),
        datasets: m
            .datasets
            .iter()
            .map(|d| CdxDataRef {
                reference: d.clone(),
            })
            .collect(),
    };
    let model_card =
        (params.task.is_some() || !params.datasets.is_empty()).then_some(CdxModelCard {
            model_parameters: params,
        });
    let mut properties = vec![
        prop("weightlint:openness", m.verdict),
        prop("weightlint:openness-summary", m.summary.clone()),
        prop("weightlint:path", m.path.clone()),
    ];
    if let Some(card) = &m.card {
        properties.push(prop("weightlint:card", card.clone()));
    }
    if let Some(r) = &m.relation {
        properties.push(prop("weightlint:base-model-relation", r.clone()));
    }
    for w in &m.weights {
        properties.push(prop("weightlint:weights", w.clone()));
    }
    CdxComponent {
        kind: "machine-learning-model",
        bom_ref: Some(m.bom_ref.clone()),
        name: m.name.clone(),
        licenses: m.licenses.iter().map(cdx_license).collect(),
        model_card,
        properties,
        ..CdxComponent::default()
    }
}

fn cdx_external(e: &External, dataset: bool) -> CdxComponent {
    let mut properties = Vec::new();
    if let Some(s) = &e.source {
        properties.push(prop("weightlint:license-source", s.clone()));
    }
    for place in &e.loaded_by {
        properties.push(prop("weightlint:loaded-by", place.clone()));
    }
    CdxComponent {
        kind: if dataset {
            "data"
        } else {
            "machine-learning-model"
        },
        bom_ref: Some(e.bom_ref.clone()),
        name: e.id.clone(),
        licenses: e.licenses.iter().map(cdx_license).collect(),
        external_references: e
            .url
            .iter()
            .map(|u| CdxExternalReference {
                kind: "distribution",
                url: u.clone(),
            })
            .collect(),
        data: if dataset {
            vec![CdxData {
                kind: "dataset",
                name: e.id.clone(),
            }]
        } else {
            Vec::new()
        },
        properties,
        ..CdxComponent::default()
    }
}

/// CycloneDX 1.6 JSON.
pub fn cyclonedx(report: &Report) -> String {
    let graph = gather(report);
    let mut components: Vec<CdxComponent> = graph
        .models
        .iter()
        .map(cdx_model)
        .chain(graph.hub_models.iter().map(|e| cdx_external(e, false)))
        .chain(graph.datasets.iter().map(|e| cdx_external(e, true)))
        .collect();
    components.sort_by(|a, b| a.bom_ref.cmp(&b.bom_ref));

    // Only what is known to depend on something: an entry with no `dependsOn` would claim
    // that a model has no dependencies, which a card that names no base does not say.
    let mut dependencies: Vec<CdxDependency> = graph
        .models
        .iter()
        .map(|m| CdxDependency {
            reference: m.bom_ref.clone(),
            depends_on: m.bases.iter().chain(&m.datasets).cloned().collect(),
        })
        .filter(|d| !d.depends_on.is_empty())
        .collect();
    let mut from_root: Vec<String> = graph
        .models
        .iter()
        .map(|m| m.bom_ref.clone())
        .chain(graph.code_loaded.iter().cloned())
        .collect();
    from_root.sort();
    from_root.dedup();
    if !from_root.is_empty() {
        dependencies.push(CdxDependency {
            reference: "root".to_string(),
            depends_on: from_root,
        });
    }
    dependencies.sort_by(|a, b| a.reference.cmp(&b.reference));

    let bom = CdxBom {
        schema: "http://cyclonedx.org/schema/bom-1.6.schema.json",
        bom_format: "CycloneDX",
        spec_version: "1.6",
        serial_number: format!("urn:uuid:{}", uuid_of(&graph.fingerprint())),
        version: 1,
        metadata: CdxMetadata {
            tools: CdxTools {
                components: vec![CdxComponent {
                    kind: "application",
                    name: TOOL.to_string(),
                    version: Some(VERSION.to_string()),
                    ..CdxComponent::default()
                }],
            },
            component: CdxComponent {
                kind: "application",
                bom_ref: Some("root".to_string()),
                name: graph.root_name.clone(),
                ..CdxComponent::default()
            },
        },
        components,
        dependencies,
    };
    pretty(&bom)
}

// ---------------------------------------------------------------------------------------
// SPDX 3.0.1

#[derive(Serialize)]
struct SpdxDoc {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@graph")]
    graph: Vec<SpdxItem>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum SpdxItem {
    Info(CreationInfo),
    Element(Box<Element>),
}

#[derive(Serialize)]
struct CreationInfo {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "@id")]
    id: &'static str,
    #[serde(rename = "specVersion")]
    spec_version: &'static str,
    created: String,
    #[serde(rename = "createdBy")]
    created_by: Vec<String>,
    #[serde(rename = "createdUsing")]
    created_using: Vec<String>,
}

/// Any SPDX element this BOM writes; unset fields are left out.
#[derive(Default, Serialize)]
struct Element {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "spdxId")]
    spdx_id: String,
    #[serde(rename = "creationInfo")]
    creation_info: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
    // SpdxDocument and Sbom
    #[serde(rename = "profileConformance", skip_serializing_if = "Vec::is_empty")]
    profile_conformance: Vec<&'static str>,
    #[serde(rename = "dataLicense", skip_serializing_if = "Option::is_none")]
    data_license: Option<String>,
    #[serde(rename = "software_sbomType", skip_serializing_if = "Vec::is_empty")]
    sbom_type: Vec<&'static str>,
    #[serde(rename = "rootElement", skip_serializing_if = "Vec::is_empty")]
    root_element: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    element: Vec<String>,
    // Packages
    #[serde(
        rename = "software_primaryPurpose",
        skip_serializing_if = "Option::is_none"
    )]
    primary_purpose: Option<&'static str>,
    #[serde(
        rename = "software_downloadLocation",
        skip_serializing_if = "Option::is_none"
    )]
    download_location: Option<String>,
    #[serde(
        rename = "ai_informationAboutApplication",
        skip_serializing_if = "Option::is_none"
    )]
    information_about_application: Option<String>,
    #[serde(rename = "dataset_datasetType", skip_serializing_if = "Vec::is_empty")]
    dataset_type: Vec<&'static str>,
    // License expressions
    #[serde(
        rename = "simplelicensing_licenseExpression",
        skip_serializing_if = "Option::is_none"
    )]
    license_expression: Option<String>,
    #[serde(
        rename = "simplelicensing_licenseListVersion",
        skip_serializing_if = "Option::is_none"
    )]
    license_list_version: Option<&'static str>,
    #[serde(
        rename = "simplelicensing_customIdToUri",
        skip_serializing_if = "Vec::is_empty"
    )]
    custom_id_to_uri: Vec<DictionaryEntry>,
    // Relationships
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(rename = "relationshipType", skip_serializing_if = "Option::is_none")]
    relationship_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    to: Vec<String>,
    // Annotations
    #[serde(rename = "annotationType", skip_serializing_if = "Option::is_none")]
    annotation_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    statement: Option<String>,
}

#[derive(Serialize)]
struct DictionaryEntry {
    #[serde(rename = "type")]
    kind: &'static str,
    key: String,
    value: String,
}

const CREATION_INFO: &str = "_:creationinfo";

/// `created`: `SOURCE_DATE_EPOCH` (reproducible builds) when set, else now, in UTC to
/// the second.
fn created() -> String {
    let at = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .unwrap_or_else(jiff::Timestamp::now);
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Builds the element list, handing out ids under one namespace.
struct SpdxBuilder {
    ns: String,
    /// License expression elements, in order of first use.
    license_elements: Vec<Element>,
    /// License expression element ids by license id.
    licenses: BTreeMap<String, String>,
    relationships: Vec<Element>,
    annotations: Vec<Element>,
}

impl SpdxBuilder {
    fn id(&self, local: &str) -> String {
        format!("{}#{local}", self.ns)
    }

    fn element(&self, kind: &'static str, local: &str) -> Element {
        Element {
            kind,
            spdx_id: self.id(local),
            creation_info: CREATION_INFO,
            ..Element::default()
        }
    }

    /// The expression element for a license, created on first use.
    fn license(&mut self, l: &License) -> String {
        if let Some(id) = self.licenses.get(&l.id) {
            return id.clone();
        }
        let spdx_id = self.id(&format!("license-{}", self.licenses.len() + 1));
        let listed = l.is_listed();
        let custom_id_to_uri = match (&l.url, listed) {
            (Some(url), false) if l.id.starts_with("LicenseRef-") => vec![DictionaryEntry {
                kind: "DictionaryEntry",
                key: l.id.clone(),
                value: url.clone(),
            }],
            _ => Vec::new(),
        };
        self.license_elements.push(Element {
            kind: "simplelicensing_LicenseExpression",
            spdx_id: spdx_id.clone(),
            creation_info: CREATION_INFO,
            name: (!l.name.is_empty()).then(|| l.name.clone()),
            license_expression: Some(l.id.clone()),
            license_list_version: listed.then_some(spdx::identifiers::VERSION),
            custom_id_to_uri,
            ..Element::default()
        });
        self.licenses.insert(l.id.clone(), spdx_id.clone());
        spdx_id
    }

    fn relate(&mut self, from: &str, kind: &'static str, to: Vec<String>, comment: Option<String>) {
        if to.is_empty() {
            return;
        }
        let local = format!("relationship-{}", self.relationships.len() + 1);
        let mut rel = self.element("Relationship", &local);
        rel.from = Some(from.to_string());
        rel.relationship_type = Some(kind);
        rel.to = to;
        rel.comment = comment;
        self.relationships.push(rel);
    }

    /// weightlint's openness verdict on a model, as a review annotation.
    fn annotate(&mut self, subject: &str, m: &LocalModel) {
        let local = format!("annotation-{}", self.annotations.len() + 1);
        let mut note = self.element("Annotation", &local);
        note.annotation_type = Some("review");
        note.subject = Some(subject.to_string());
        note.statement = Some(format!("weightlint openness: {}: {}", m.verdict, m.summary));
        self.annotations.push(note);
    }

    /// `hasDeclaredLicense` for the licenses stated, `hasConcludedLicense` for every
    /// license weightlint concludes governs (stated or carried over).
    fn relate_licenses(&mut self, from: &str, licenses: &[License], all_concluded: bool) {
        let mut declared = Vec::new();
        let mut concluded = Vec::new();
        for l in licenses {
            let id = self.license(l);
            if l.ack == Ack::Declared {
                declared.push(id.clone());
            }
            if l.ack == Ack::Concluded || all_concluded {
                concluded.push(id);
            }
        }
        self.relate(from, "hasDeclaredLicense", declared, None);
        self.relate(from, "hasConcludedLicense", concluded, None);
    }
}

/// SPDX 3.0.1 JSON-LD: models as `ai_AIPackage`, datasets as `dataset_DatasetPackage`.
///
/// The document claims conformance to the core, software and simple-licensing profiles
/// only: the AI and Dataset profiles also require a supplier, version and release time
/// for every package, which a repository scan does not know.
pub fn spdx(report: &Report) -> String {
    let graph = gather(report);
    let hash = graph.fingerprint();
    let hex: String = hash[..16].iter().map(|b| format!("{b:02x}")).collect();
    let mut b = SpdxBuilder {
        ns: format!("https://weightlint.invalid/spdx/{hex}"),
        license_elements: Vec::new(),
        licenses: BTreeMap::new(),
        relationships: Vec::new(),
        annotations: Vec::new(),
    };

    let agent_id = b.id("agent");
    let tool_id = b.id("tool");
    let root_id = b.id("root");
    let mut packages: Vec<Element> = Vec::new();

    let mut root = b.element("software_Package", "root");
    root.name = Some(graph.root_name.clone());
    packages.push(root);

    let ids_of = |prefix: &str, refs: &[String]| -> BTreeMap<String, String> {
        refs.iter()
            .enumerate()
            .map(|(i, r)| (r.clone(), format!("{prefix}-{}", i + 1)))
            .collect()
    };
    let model_refs: Vec<String> = graph.models.iter().map(|m| m.bom_ref.clone()).collect();
    let hub_refs: Vec<String> = graph.hub_models.iter().map(|m| m.bom_ref.clone()).collect();
    let data_refs: Vec<String> = graph.datasets.iter().map(|m| m.bom_ref.clone()).collect();
    let mut local: BTreeMap<String, String> = ids_of("model", &model_refs);
    local.extend(ids_of("hub-model", &hub_refs));
    local.extend(ids_of("dataset", &data_refs));
    let id_of = |b: &SpdxBuilder, bom_ref: &str| local.get(bom_ref).map(|l| b.id(l));

    for m in &graph.models {
        let Some(id) = id_of(&b, &m.bom_ref) else {
            continue;
        };
        let mut p = Element {
            kind: "ai_AIPackage",
            spdx_id: id.clone(),
            creation_info: CREATION_INFO,
            name: Some(m.name.clone()),
            comment: Some(format!("{} in the scanned tree", m.path)),
            primary_purpose: Some("model"),
            information_about_application: m
                .task
                .as_ref()
                .map(|t| format!("Hugging Face pipeline_tag: {t}")),
            ..Element::default()
        };
        if let Some(r) = &m.relation {
            p.comment = Some(format!(
                "{} in the scanned tree; base_model_relation: {r}",
                m.path
            ));
        }
        packages.push(p);
        b.relate_licenses(&id, &m.licenses, true);
        let bases = m.bases.iter().filter_map(|r| id_of(&b, r)).collect();
        b.relate(&id, "descendantOf", bases, None);
        let data = m.datasets.iter().filter_map(|r| id_of(&b, r)).collect();
        b.relate(&id, "trainedOn", data, None);
        b.annotate(&id, m);
    }
    for (e, dataset) in graph
        .hub_models
        .iter()
        .map(|e| (e, false))
        .chain(graph.datasets.iter().map(|e| (e, true)))
    {
        let Some(id) = id_of(&b, &e.bom_ref) else {
            continue;
        };
        let mut notes: Vec<String> = Vec::new();
        if let Some(s) = &e.source {
            notes.push(format!("licenses from {s}"));
        }
        if !e.loaded_by.is_empty() {
            notes.push(format!("loaded by code at {}", e.loaded_by.join(", ")));
        }
        packages.push(Element {
            kind: if dataset {
                "dataset_DatasetPackage"
            } else {
                "ai_AIPackage"
            },
            spdx_id: id.clone(),
            creation_info: CREATION_INFO,
            name: Some(e.id.clone()),
            comment: (!notes.is_empty()).then(|| notes.join("; ")),
            primary_purpose: Some(if dataset { "data" } else { "model" }),
            download_location: e.url.clone(),
            // Required by the schema; a card's `datasets:` id does not say what it holds.
            dataset_type: if dataset {
                vec!["noAssertion"]
            } else {
                Vec::new()
            },
            ..Element::default()
        });
        b.relate_licenses(&id, &e.licenses, false);
    }
    let contained = graph
        .models
        .iter()
        .filter_map(|m| id_of(&b, &m.bom_ref))
        .collect();
    b.relate(&root_id, "contains", contained, None);
    let loaded = graph
        .code_loaded
        .iter()
        .filter_map(|r| id_of(&b, r))
        .collect();
    b.relate(
        &root_id,
        "dependsOn",
        loaded,
        Some("hub models that code in the scanned tree loads".to_string()),
    );

    // The SPDX document's own data license is CC0-1.0 by the specification's terms.
    let data_license = b.license(&License {
        id: "CC0-1.0".to_string(),
        name: "Creative Commons Zero v1.0 Universal".to_string(),
        url: None,
        ack: Ack::Declared,
    });

    let sbom_id = b.id("sbom");
    let mut content: Vec<String> = packages.iter().map(|p| p.spdx_id.clone()).collect();
    content.extend(
        b.license_elements
            .iter()
            .chain(&b.relationships)
            .chain(&b.annotations)
            .map(|e| e.spdx_id.clone()),
    );

    let mut agent = b.element("SoftwareAgent", "agent");
    agent.name = Some(TOOL.to_string());
    let mut tool = b.element("Tool", "tool");
    tool.name = Some(format!("{TOOL} {VERSION}"));

    let mut sbom = b.element("software_Sbom", "sbom");
    sbom.name = Some(format!("AI BOM of {}", graph.root_name));
    sbom.sbom_type = vec!["analyzed"];
    sbom.root_element = vec![root_id.clone()];
    sbom.element = content.clone();

    let mut doc = b.element("SpdxDocument", "document");
    doc.name = Some(format!("weightlint AI BOM of {}", graph.root_name));
    doc.profile_conformance = vec!["core", "software", "simpleLicensing"];
    doc.data_license = Some(data_license);
    doc.root_element = vec![sbom_id.clone()];
    doc.element = [agent_id.clone(), tool_id.clone(), sbom_id]
        .into_iter()
        .chain(content)
        .collect();

    let mut items = vec![SpdxItem::Info(CreationInfo {
        kind: "CreationInfo",
        id: CREATION_INFO,
        spec_version: "3.0.1",
        created: created(),
        created_by: vec![agent_id],
        created_using: vec![tool_id],
    })];
    items.extend(
        [agent, tool, doc, sbom]
            .into_iter()
            .chain(packages)
            .chain(b.license_elements)
            .chain(b.relationships)
            .chain(b.annotations)
            .map(|e| SpdxItem::Element(Box::new(e))),
    );
    pretty(&SpdxDoc {
        context: "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
        graph: items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_have_the_version_5_layout() {
        let u = uuid_of(&[0xff; 32]);
        assert_eq!(u, "ffffffff-ffff-5fff-bfff-ffffffffffff");
        let u = uuid_of(&[0; 32]);
        assert_eq!(u, "00000000-0000-5000-8000-000000000000");
    }

    /// The ids written as `license.id` are exactly those CycloneDX 1.6's bundled SPDX list
    /// has (its `spdx.schema.json`, kept in tests/schemas).
    #[test]
    fn the_cyclonedx_exclusions_match_its_spdx_list() {
        let text = include_str!("../../tests/schemas/cyclonedx-1.6-spdx.schema.json");
        let schema: serde_json::Value =
            serde_json::from_str(text).unwrap_or_else(|e| panic!("the schema parses: {e}"));
        let listed: std::collections::HashSet<&str> = schema["enum"]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        assert!(!listed.is_empty());
        for l in spdx::identifiers::LICENSES {
            let excluded = NOT_IN_CYCLONEDX_LIST.contains(&l.name);
            assert_eq!(listed.contains(l.name), !excluded, "{}", l.name);
        }
    }
}
