//! CycloneDX 1.6 JSON, written from the gathered [`Graph`].

use serde::Serialize;

use super::common::{pretty, External, Graph, License, LocalModel, TOOL, VERSION};

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
pub(super) fn render(graph: &Graph) -> String {
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
                properties: if graph.not_a_model {
                    vec![prop("weightlint:openness", "not-a-model")]
                } else {
                    Vec::new()
                },
                ..CdxComponent::default()
            },
        },
        components,
        dependencies,
    };
    pretty(&bom)
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
        let text = include_str!("../../../tests/schemas/cyclonedx-1.6-spdx.schema.json");
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
