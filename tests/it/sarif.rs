//! `check --format sarif` and `--format github`: the SARIF log is well formed for GitHub
//! code scanning (a structural check against the 2.1.0 schema; .ci/run validates fully),
//! and workflow-command annotations are escaped.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");

/// `weightlint check <fixture> --format <format>`, run in the fixtures directory so the
/// displayed paths are relative; returns stdout.
fn check(fixture: &str, format: &str) -> String {
    let out = Command::cargo_bin("weightlint")
        .expect("binary built")
        .env("NO_COLOR", "1")
        .env("HF_HUB_CACHE", "/nonexistent")
        .current_dir(FIXTURES)
        .args(["check", fixture, "--format", format])
        .output()
        .expect("run");
    // 0 clean, 1 findings; 2 would be a tool failure.
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{fixture}: exit {:?}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn sarif(fixture: &str) -> Value {
    let text = check(fixture, "sarif");
    assert!(text.ends_with('\n'), "{fixture}: no trailing newline");
    serde_json::from_str(&text).expect("SARIF is JSON")
}

fn schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(path).expect("schema copy");
    serde_json::from_str(&text).expect("schema is JSON")
}

/// The property names a schema object allows.
fn allowed<'a>(schema: &'a Value, pointer: &str) -> Vec<&'a str> {
    schema
        .pointer(pointer)
        .and_then(Value::as_object)
        .unwrap_or_else(|| panic!("schema has {pointer}"))
        .keys()
        .map(String::as_str)
        .collect()
}

/// Keys of `object` not among the properties the schema allows at `pointer`.
fn unknown_keys(object: &Value, schema: &Value, pointer: &str) -> Vec<String> {
    let allowed = allowed(schema, pointer);
    object
        .as_object()
        .expect("an object")
        .keys()
        .filter(|k| !allowed.contains(&k.as_str()))
        .cloned()
        .collect()
}

/// Everything the brief and GitHub's ingestion ask of a log; returns its results.
fn assert_well_formed(log: &Value, fixture: &str) -> Vec<Value> {
    let schema = schema();
    assert_eq!(log["version"], "2.1.0", "{fixture}");
    assert!(
        log["$schema"]
            .as_str()
            .is_some_and(|s| s.starts_with("https://")),
        "{fixture}: $schema"
    );
    assert_eq!(
        unknown_keys(log, &schema, "/properties"),
        Vec::<String>::new(),
        "{fixture}: top-level keys"
    );

    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1, "{fixture}: one run");
    let run = &runs[0];
    assert_eq!(
        unknown_keys(run, &schema, "/definitions/run/properties"),
        Vec::<String>::new(),
        "{fixture}: run keys"
    );
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "weightlint");
    assert!(driver["semanticVersion"].is_string() && driver["informationUri"].is_string());

    let rules = driver["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    let codes: Vec<&str> = weightlint::core::registry::ALL
        .iter()
        .map(|r| r.code)
        .collect();
    assert_eq!(
        ids, codes,
        "{fixture}: one descriptor per rule, in registry order"
    );
    for rule in rules {
        assert_eq!(
            unknown_keys(rule, &schema, "/definitions/reportingDescriptor/properties"),
            Vec::<String>::new()
        );
        for key in ["shortDescription", "fullDescription", "help"] {
            let text = rule[key]["text"].as_str().unwrap_or_default();
            assert!(!text.is_empty(), "{}: {key}.text", rule["id"]);
        }
        assert!(rule["help"]["markdown"].is_string());
        assert!(rule["helpUri"]
            .as_str()
            .is_some_and(|u| u.ends_with(&format!(
                "/src/rules/docs/{}.md",
                rule["id"].as_str().unwrap_or_default()
            ))));
        assert!(matches!(
            rule["defaultConfiguration"]["level"].as_str(),
            Some("error" | "warning" | "note")
        ));
    }

    let results = run["results"].as_array().expect("results").clone();
    for result in &results {
        assert_eq!(
            unknown_keys(result, &schema, "/definitions/result/properties"),
            Vec::<String>::new(),
            "{fixture}: result keys"
        );
        let id = result["ruleId"].as_str().expect("ruleId");
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(ids.get(index), Some(&id), "{fixture}: ruleIndex of {id}");
        assert!(
            matches!(result["level"].as_str(), Some("error" | "warning")),
            "{fixture}: level {}",
            result["level"]
        );
        assert!(result["message"]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty()));
        assert!(result["partialFingerprints"]["weightlint/v1"].is_string());

        let locations = result["locations"].as_array().expect("locations");
        assert_eq!(locations.len(), 1);
        let physical = &locations[0]["physicalLocation"];
        let uri = physical["artifactLocation"]["uri"].as_str().expect("uri");
        assert!(
            !uri.is_empty() && !uri.starts_with('/') && !uri.starts_with("./"),
            "{fixture}: uri {uri}"
        );
        assert!(
            !uri.contains(' ') && !uri.contains('\\'),
            "{fixture}: uri {uri}"
        );
        assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        if let Some(region) = physical.get("region") {
            assert!(
                region["startLine"].as_u64().is_some_and(|l| l >= 1),
                "{fixture}: region {region}"
            );
            if let Some(column) = region.get("startColumn") {
                assert!(column.as_u64().is_some_and(|c| c >= 1));
            }
        }
    }
    results
}

#[test]
fn sarif_for_a_mixed_repository_is_well_formed_and_leaves_notes_out() {
    let log = sarif("multi-mixed-repo");
    let results = assert_well_formed(&log, "multi-mixed-repo");
    assert!(!results.is_empty(), "the repository has an error");
    assert!(results.iter().any(|r| r["ruleId"] == "WL101"));
    // Its WL200 and WL204 findings are notes here, so they are not results.
    assert!(!results
        .iter()
        .any(|r| r["ruleId"] == "WL204" || r["ruleId"] == "WL200"));
    let uri = &results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(
        uri, "multi-mixed-repo/models/broken/README.md",
        "relative to the current directory, the repository root in CI"
    );
}

#[test]
fn sarif_for_an_mau_finding_points_at_the_license_clause() {
    let log = sarif("WL200-llama-over-mau");
    let results = assert_well_formed(&log, "WL200-llama-over-mau");
    let wl200: Vec<_> = results.iter().filter(|r| r["ruleId"] == "WL200").collect();
    assert_eq!(wl200.len(), 1);
    let result = wl200[0];
    assert_eq!(result["level"], "warning");
    let physical = &result["locations"][0]["physicalLocation"];
    assert_eq!(
        physical["artifactLocation"]["uri"],
        "WL200-llama-over-mau/LICENSE"
    );
    assert!(physical["region"]["startLine"]
        .as_u64()
        .is_some_and(|l| l > 1));
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
    assert_eq!(rules[index]["name"], "MauThreshold");
    assert!(rules[index]["help"]["markdown"]
        .as_str()
        .is_some_and(|m| m.starts_with("# WL200 mau-threshold")));
}

#[test]
fn sarif_is_deterministic() {
    assert_eq!(
        check("multi-mixed-repo", "sarif"),
        check("multi-mixed-repo", "sarif")
    );
}

#[test]
fn github_annotations_name_file_line_and_rule() {
    let text = check("WL200-llama-over-mau", "github");
    let lines: Vec<&str> = text.lines().collect();
    assert!(!lines.is_empty());
    for line in &lines {
        assert!(
            line.starts_with("::error file=")
                || line.starts_with("::warning file=")
                || line.starts_with("::notice file="),
            "{line}"
        );
    }
    let wl200 = lines
        .iter()
        .find(|l| l.contains("title=WL200 mau-threshold::"))
        .expect("a WL200 annotation");
    assert!(
        wl200.starts_with("::warning file=WL200-llama-over-mau/LICENSE,line="),
        "{wl200}"
    );
    assert!(wl200.contains(",col=1,"), "{wl200}");
    // Properties are `key=value` pairs; the help follows the message on an escaped new
    // line, so nothing breaks the line.
    let rest = wl200.strip_prefix("::warning ").expect("a warning");
    let (properties, message) = rest.split_once("::").expect("properties::message");
    let keys: Vec<&str> = properties
        .split(',')
        .map(|p| p.split_once('=').map_or("", |(k, _)| k))
        .collect();
    assert_eq!(keys, ["file", "line", "col", "title"]);
    assert!(message.contains("%0A"), "{message}");
    assert!(!text.contains('\r'));
}
