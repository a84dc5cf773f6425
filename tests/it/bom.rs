//! `weightlint bom`: the structure of the CycloneDX 1.6 and SPDX 3.0.1 documents, checked
//! without Python (scripts/validate_bom.py checks them against the schemas), and their
//! determinism.

use std::collections::{BTreeSet, HashSet};

use serde_json::Value;

use crate::common::weightlint;

/// The raw output of `weightlint bom PATH --format FORMAT`.
fn bom_text(path: &str, format: &str) -> String {
    let out = weightlint()
        .args(["bom", path, "--format", format])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.ends_with("}\n"), "pretty JSON with a trailing newline");
    text
}

fn bom(path: &str, format: &str) -> Value {
    serde_json::from_str(&bom_text(path, format)).expect("JSON")
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn component<'a>(bom: &'a Value, bom_ref: &str) -> &'a Value {
    bom["components"]
        .as_array()
        .and_then(|c| c.iter().find(|c| str_of(c, "bom-ref") == bom_ref))
        .unwrap_or_else(|| panic!("no component {bom_ref}"))
}

fn depends_on<'a>(bom: &'a Value, bom_ref: &str) -> Vec<&'a str> {
    bom["dependencies"]
        .as_array()
        .and_then(|d| d.iter().find(|d| str_of(d, "ref") == bom_ref))
        .map(|d| strings(&d["dependsOn"]))
        .unwrap_or_default()
}

/// The model paths `check --format json` reports.
fn model_paths(path: &str) -> Vec<String> {
    let out = weightlint()
        .args(["check", path, "--format", "json"])
        .output()
        .expect("run");
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    json["models"]
        .as_array()
        .expect("models")
        .iter()
        .map(|m| str_of(m, "path").to_string())
        .collect()
}

/// Every bom-ref is unique and every dependency names one.
fn assert_cyclonedx_consistent(bom: &Value) {
    assert_eq!(bom["bomFormat"], "CycloneDX");
    assert_eq!(bom["specVersion"], "1.6");
    assert_eq!(bom["version"], 1);
    let serial = str_of(bom, "serialNumber");
    let uuid = serial.strip_prefix("urn:uuid:").expect("urn:uuid:");
    let groups: Vec<&str> = uuid.split('-').collect();
    assert_eq!(
        groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
        [8, 4, 4, 4, 12]
    );
    assert!(uuid
        .chars()
        .all(|c| c == '-' || matches!(c, '0'..='9' | 'a'..='f')));
    assert!(groups[2].starts_with('5'), "version 5 layout: {uuid}");
    assert!(
        groups[3].starts_with(['8', '9', 'a', 'b']),
        "variant: {uuid}"
    );
    assert!(bom["metadata"].get("timestamp").is_none());
    assert_eq!(bom["metadata"]["component"]["bom-ref"], "root");
    assert_eq!(
        bom["metadata"]["tools"]["components"][0]["name"],
        "weightlint"
    );

    let mut refs = HashSet::from(["root".to_string()]);
    let components = bom["components"].as_array().expect("components");
    for c in components {
        assert!(refs.insert(str_of(c, "bom-ref").to_string()), "{c}");
    }
    let sorted: Vec<&str> = components.iter().map(|c| str_of(c, "bom-ref")).collect();
    let mut expected = sorted.clone();
    expected.sort();
    assert_eq!(sorted, expected, "components sorted by bom-ref");
    for d in bom["dependencies"].as_array().expect("dependencies") {
        assert!(refs.contains(str_of(d, "ref")), "{d}");
        for to in strings(&d["dependsOn"]) {
            assert!(refs.contains(to), "{to} in {d}");
        }
    }
}

#[test]
fn cyclonedx_has_the_model_its_bases_and_the_dependencies() {
    let bom = bom("fixtures/WL400-merge-of-two-bases", "cyclonedx");
    assert_cyclonedx_consistent(&bom);
    let model = component(&bom, "model:fixtures/WL400-merge-of-two-bases");
    assert_eq!(model["type"], "machine-learning-model");
    assert_eq!(
        model["modelCard"]["modelParameters"]["task"],
        "text-generation"
    );
    let licenses = model["licenses"].as_array().expect("licenses");
    assert_eq!(licenses[0]["license"]["id"], "Apache-2.0");
    assert_eq!(licenses[0]["license"]["acknowledgement"], "declared");
    // Llama 2 is not on the SPDX list: a name, concluded (carried over from a base).
    assert!(licenses.iter().any(|l| {
        l["license"].get("id").is_none()
            && str_of(&l["license"], "name").contains("Llama 2")
            && l["license"]["acknowledgement"] == "concluded"
    }));
    let verdict = model["properties"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == "weightlint:openness"))
        .expect("openness property");
    assert!(!str_of(verdict, "value").is_empty());

    for base in [
        "model:hub:mistralai/Mistral-7B-v0.1",
        "model:hub:meta-llama/Llama-2-7b-hf",
    ] {
        let c = component(&bom, base);
        assert_eq!(c["type"], "machine-learning-model");
        assert_eq!(c["name"], base.trim_start_matches("model:hub:"));
        assert!(c["licenses"].as_array().is_some_and(|l| !l.is_empty()));
    }
    let deps = depends_on(&bom, "model:fixtures/WL400-merge-of-two-bases");
    assert_eq!(
        deps,
        [
            "model:hub:meta-llama/Llama-2-7b-hf",
            "model:hub:mistralai/Mistral-7B-v0.1"
        ]
    );
    assert_eq!(
        depends_on(&bom, "root"),
        ["model:fixtures/WL400-merge-of-two-bases"]
    );
}

#[test]
fn cyclonedx_datasets_are_data_components_the_model_card_points_at() {
    let bom = bom("fixtures/WL401-nc-data-apache-model", "cyclonedx");
    assert_cyclonedx_consistent(&bom);
    let model = component(&bom, "model:fixtures/WL401-nc-data-apache-model");
    let refs: Vec<&str> = model["modelCard"]["modelParameters"]["datasets"]
        .as_array()
        .expect("datasets")
        .iter()
        .map(|d| str_of(d, "ref"))
        .collect();
    assert_eq!(refs, ["dataset:openai/gsm8k", "dataset:tatsu-lab/alpaca"]);
    for r in &refs {
        let data = component(&bom, r);
        assert_eq!(data["type"], "data");
        assert_eq!(data["data"][0]["type"], "dataset");
        assert_eq!(data["data"][0]["name"], r.trim_start_matches("dataset:"));
    }
    assert_eq!(
        depends_on(&bom, "model:fixtures/WL401-nc-data-apache-model"),
        refs
    );
}

#[test]
fn cyclonedx_has_a_component_per_model_of_a_multi_model_tree() {
    let path = "fixtures/multi-mixed-repo";
    let bom = bom(path, "cyclonedx");
    assert_cyclonedx_consistent(&bom);
    let paths = model_paths(path);
    assert!(paths.len() >= 2, "{paths:?}");
    for p in &paths {
        let c = component(&bom, &format!("model:{p}"));
        assert_eq!(c["type"], "machine-learning-model");
    }
    let root: BTreeSet<&str> = depends_on(&bom, "root").into_iter().collect();
    for p in &paths {
        assert!(root.contains(format!("model:{p}").as_str()));
    }
}

#[test]
fn cyclonedx_has_hub_models_code_loads() {
    let bom = bom("fixtures/WL403-notebook-loads-llama", "cyclonedx");
    assert_cyclonedx_consistent(&bom);
    let hub: Vec<&str> = bom["components"]
        .as_array()
        .expect("components")
        .iter()
        .map(|c| str_of(c, "bom-ref"))
        .filter(|r| r.starts_with("model:hub:"))
        .collect();
    assert!(!hub.is_empty());
    let root = depends_on(&bom, "root");
    for h in hub {
        assert!(root.contains(&h), "{h} in {root:?}");
    }
}

#[test]
fn a_tree_without_a_model_of_its_own_is_marked_not_a_model() {
    let prop = |b: &Value| -> Vec<String> {
        b["metadata"]["component"]["properties"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|p| p["name"] == "weightlint:openness")
                    .map(|p| str_of(p, "value").to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let library = bom("fixtures/classify-library-news-link", "cyclonedx");
    assert_cyclonedx_consistent(&library);
    assert_eq!(prop(&library), ["not-a-model"]);
    let doc = bom_text("fixtures/classify-library-news-link", "spdx");
    assert_spdx_consistent(&serde_json::from_str(&doc).expect("JSON"));
    assert!(doc.contains("weightlint openness: not-a-model"));
    // A tree with a model is not.
    assert!(prop(&bom("fixtures/WL501-weights-no-data", "cyclonedx")).is_empty());
}

#[test]
fn an_empty_tree_is_an_empty_but_valid_bom() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().to_str().expect("utf-8 path");
    let bom = bom(path, "cyclonedx");
    assert_cyclonedx_consistent(&bom);
    assert_eq!(bom["components"], Value::Array(Vec::new()));
    let doc = bom_text(path, "spdx");
    assert_spdx_consistent(&serde_json::from_str(&doc).expect("JSON"));
}

#[test]
fn boms_are_deterministic() {
    for path in [
        "fixtures/multi-mixed-repo",
        "fixtures/WL400-merge-of-two-bases",
    ] {
        assert_eq!(bom_text(path, "cyclonedx"), bom_text(path, "cyclonedx"));
        let without_created = |text: String| {
            let mut doc: Value = serde_json::from_str(&text).expect("JSON");
            let info = &mut doc["@graph"][0];
            assert_eq!(info["type"], "CreationInfo");
            assert!(info
                .as_object_mut()
                .and_then(|o| o.remove("created"))
                .is_some());
            doc
        };
        assert_eq!(
            without_created(bom_text(path, "spdx")),
            without_created(bom_text(path, "spdx"))
        );
    }
    // Different trees, different serial numbers.
    assert_ne!(
        bom("fixtures/multi-mixed-repo", "cyclonedx")["serialNumber"],
        bom("fixtures/WL400-merge-of-two-bases", "cyclonedx")["serialNumber"]
    );
}

#[test]
fn source_date_epoch_fixes_the_spdx_creation_time() {
    let run = || {
        let out = weightlint()
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .args([
                "bom",
                "fixtures/WL400-merge-of-two-bases",
                "--format",
                "spdx",
            ])
            .output()
            .expect("run");
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let first = run();
    assert_eq!(first, run());
    let doc: Value = serde_json::from_str(&first).expect("JSON");
    assert_eq!(doc["@graph"][0]["created"], "2023-11-14T22:13:20Z");
}

/// Every element has a type, a unique spdxId and the creation info, and every reference
/// points at an element of the document.
fn assert_spdx_consistent(doc: &Value) {
    assert_eq!(
        doc["@context"],
        "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
    );
    let graph = doc["@graph"].as_array().expect("@graph");
    let info = &graph[0];
    assert_eq!(info["type"], "CreationInfo");
    assert_eq!(info["@id"], "_:creationinfo");
    assert_eq!(info["specVersion"], "3.0.1");
    let created = str_of(info, "created");
    assert_eq!(created.len(), 20, "{created}");
    assert!(created.ends_with('Z') && created.as_bytes()[10] == b'T');

    let mut ids = HashSet::new();
    for e in &graph[1..] {
        assert!(!str_of(e, "type").is_empty(), "{e}");
        assert_eq!(e["creationInfo"], "_:creationinfo", "{e}");
        let id = str_of(e, "spdxId");
        assert!(id.contains(':') && !id.starts_with("_:"), "{e}");
        assert!(ids.insert(id), "duplicate {id}");
    }
    let exists = |id: &str| ids.contains(id);
    for by in strings(&info["createdBy"])
        .into_iter()
        .chain(strings(&info["createdUsing"]))
    {
        assert!(exists(by), "{by}");
    }
    for e in &graph[1..] {
        match str_of(e, "type") {
            "Relationship" => {
                assert!(exists(str_of(e, "from")), "{e}");
                let to = strings(&e["to"]);
                assert!(!to.is_empty(), "{e}");
                for t in to {
                    assert!(exists(t), "{t} in {e}");
                }
            }
            "Annotation" => assert!(exists(str_of(e, "subject")), "{e}"),
            "SpdxDocument" | "software_Sbom" => {
                for r in strings(&e["rootElement"])
                    .into_iter()
                    .chain(strings(&e["element"]))
                {
                    assert!(exists(r), "{r} in {e}");
                }
            }
            "dataset_DatasetPackage" => {
                assert!(!strings(&e["dataset_datasetType"]).is_empty(), "{e}");
                assert_eq!(e["software_primaryPurpose"], "data");
            }
            "ai_AIPackage" => assert_eq!(e["software_primaryPurpose"], "model"),
            _ => {}
        }
    }
}

fn of_type<'a>(doc: &'a Value, kind: &str) -> Vec<&'a Value> {
    doc["@graph"]
        .as_array()
        .map(|g| g.iter().filter(|e| e["type"] == kind).collect())
        .unwrap_or_default()
}

/// The spdxIds that `from` relates to by `kind`.
fn related<'a>(doc: &'a Value, from: &str, kind: &str) -> Vec<&'a str> {
    of_type(doc, "Relationship")
        .into_iter()
        .filter(|r| str_of(r, "from") == from && r["relationshipType"] == kind)
        .flat_map(|r| strings(&r["to"]))
        .collect()
}

fn named<'a>(doc: &'a Value, kind: &str, name: &str) -> &'a str {
    of_type(doc, kind)
        .into_iter()
        .find(|e| e["name"] == name)
        .map(|e| str_of(e, "spdxId"))
        .unwrap_or_else(|| panic!("no {kind} named {name}"))
}

#[test]
fn spdx_relates_models_to_bases_datasets_and_licenses() {
    let doc = bom("fixtures/WL400-merge-of-two-bases", "spdx");
    assert_spdx_consistent(&doc);
    let model = named(&doc, "ai_AIPackage", "WL400-merge-of-two-bases");
    let mut bases: Vec<&str> = related(&doc, model, "descendantOf");
    bases.sort();
    let mut expected = vec![
        named(&doc, "ai_AIPackage", "mistralai/Mistral-7B-v0.1"),
        named(&doc, "ai_AIPackage", "meta-llama/Llama-2-7b-hf"),
    ];
    expected.sort();
    assert_eq!(bases, expected);
    let expression = |id: &str| {
        of_type(&doc, "simplelicensing_LicenseExpression")
            .into_iter()
            .find(|e| e["spdxId"] == id)
            .map(|e| str_of(e, "simplelicensing_licenseExpression").to_string())
            .expect("license expression element")
    };
    let declared: Vec<String> = related(&doc, model, "hasDeclaredLicense")
        .into_iter()
        .map(expression)
        .collect();
    assert_eq!(declared, ["Apache-2.0"]);
    let concluded: Vec<String> = related(&doc, model, "hasConcludedLicense")
        .into_iter()
        .map(expression)
        .collect();
    assert!(concluded.contains(&"Apache-2.0".to_string()));
    assert!(concluded.iter().any(|l| l.starts_with("LicenseRef-")));
    // The openness verdict is a review annotation on the model.
    assert!(of_type(&doc, "Annotation")
        .into_iter()
        .any(|a| a["subject"] == model && a["annotationType"] == "review"));

    let doc = bom("fixtures/WL401-nc-data-apache-model", "spdx");
    assert_spdx_consistent(&doc);
    let model = named(&doc, "ai_AIPackage", "WL401-nc-data-apache-model");
    let mut trained_on = related(&doc, model, "trainedOn");
    trained_on.sort();
    let mut expected = vec![
        named(&doc, "dataset_DatasetPackage", "openai/gsm8k"),
        named(&doc, "dataset_DatasetPackage", "tatsu-lab/alpaca"),
    ];
    expected.sort();
    assert_eq!(trained_on, expected);
}

#[test]
fn spdx_has_a_package_per_model_and_the_root_contains_them() {
    let path = "fixtures/multi-mixed-repo";
    let doc = bom(path, "spdx");
    assert_spdx_consistent(&doc);
    let sbom = of_type(&doc, "software_Sbom");
    assert_eq!(sbom.len(), 1);
    let root = strings(&sbom[0]["rootElement"]);
    assert_eq!(root.len(), 1);
    let contained = related(&doc, root[0], "contains");
    let paths = model_paths(path);
    assert_eq!(contained.len(), paths.len());
    let packages = of_type(&doc, "ai_AIPackage");
    for id in contained {
        assert!(packages.iter().any(|p| p["spdxId"] == id), "{id}");
    }
    let document = of_type(&doc, "SpdxDocument");
    assert_eq!(document.len(), 1);
    assert_eq!(
        strings(&document[0]["rootElement"]),
        [str_of(sbom[0], "spdxId")]
    );
}
