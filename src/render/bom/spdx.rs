//! SPDX 3.0.1 JSON-LD, written from the gathered [`Graph`].

use std::collections::BTreeMap;

use serde::Serialize;

use super::common::{pretty, Ack, Graph, License, LocalModel, TOOL, VERSION};

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
/// SPDX 3.0.1 JSON-LD: see [`super::spdx`].
pub(super) fn render(graph: &Graph) -> String {
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
    if graph.not_a_model {
        let mut note = b.element("Annotation", "annotation-root");
        note.annotation_type = Some("review");
        note.subject = Some(root_id.clone());
        note.statement = Some(
            "weightlint openness: not-a-model: no model of its own (a library, framework or tool)"
                .to_string(),
        );
        b.annotations.push(note);
    }

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
