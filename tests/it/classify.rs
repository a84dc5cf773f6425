//! `weightlint classify`: verdicts, evidence and the three output formats.

use std::path::Path;

use assert_cmd::Command;

fn classify(dirs: &[&str], format: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut args: Vec<&str> = dirs.to_vec();
    args.extend(["--format", format]);
    classify_in(&root, &args)
}

/// `weightlint classify ARGS` run in `dir`, with no Hugging Face cache.
fn classify_in(dir: &Path, args: &[&str]) -> String {
    let out = Command::cargo_bin("weightlint")
        .expect("binary built")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("HF_HUB_CACHE", dir.join("no-such-cache"))
        .arg("classify")
        .args(args)
        .output()
        .expect("run classify");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn verdicts_come_with_their_evidence() {
    let json = classify(
        &[
            "classify-open-project",
            "WL500-llama-called-open-source",
            "WL501-weights-no-data",
        ],
        "json",
    );
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let models = v["models"].as_array().expect("models");
    let by_name = |n: &str| {
        models
            .iter()
            .find(|m| m["path"].as_str().is_some_and(|p| p.starts_with(n)))
            .unwrap_or_else(|| panic!("{n} classified"))
    };
    let open = by_name("classify-open-project");
    assert_eq!(open["verdict"], "open-source-ai");
    let dims = open["dimensions"].as_array().expect("dimensions");
    let data = dims
        .iter()
        .find(|d| d["name"] == "training data")
        .expect("data");
    assert_eq!(data["status"], "yes");
    assert!(data["evidence"][0]["place"]
        .as_str()
        .is_some_and(|p| p.starts_with("classify-open-project/README.md:")));

    let llama = by_name("WL500-llama-called-open-source");
    assert_eq!(llama["verdict"], "restricted-weight");
    assert_eq!(llama["eu_ai_act"]["exemption_possible"], false);

    let plain = by_name("WL501-weights-no-data");
    assert_eq!(plain["verdict"], "open-weight");
    assert!(plain["summary"]
        .as_str()
        .is_some_and(|s| s.contains("training data: undocumented")));
}

#[test]
fn markdown_is_a_table_with_one_column_per_model() {
    let md = classify(
        &["classify-open-project", "WL502-ok-train-script"],
        "markdown",
    );
    let header = md.lines().next().expect("a header row");
    assert_eq!(header.matches('|').count(), 4, "{header}");
    assert!(md.contains("| **verdict** | open-source-ai |"), "{md}");
    assert!(md.contains("| **training code** |"));
    // The project is named by the release its README labels as the weights.
    assert!(md.contains("- **example-org/tiny-lm-1b**"), "{md}");
}

#[test]
fn human_output_ends_with_one_verdict_line_per_model() {
    let text = classify(&["classify-open-project"], "human");
    let last = text.lines().last().expect("a verdict line");
    assert!(last.starts_with("example-org/tiny-lm-1b"), "{last}");
    assert!(last.contains("open-source-ai"));
}

#[test]
fn a_repository_without_a_model_of_its_own_is_not_a_model() {
    let json = classify(&["code-python-references"], "json");
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let models = v["models"].as_array().expect("models");
    assert_eq!(models.len(), 1, "{json}");
    assert_eq!(models[0]["verdict"], "not-a-model");
    assert_eq!(models[0]["eu_ai_act"]["exemption_possible"], false);
    assert_eq!(models[0]["mof_class"], serde_json::Value::Null);
    // It is listed with the models it references instead, each with its license.
    let refs = models[0]["references"].as_array().expect("references");
    assert!(!refs.is_empty(), "{json}");
    assert!(refs
        .iter()
        .all(|r| r["id"].is_string() && r["licenses"].is_array()));
}

#[test]
fn weights_vendored_in_a_code_tree_are_a_component_not_the_repositorys_model() {
    let json = classify(&["WL404-vendored-weights"], "json");
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let models = v["models"].as_array().expect("models");
    assert_eq!(models.len(), 1, "{json}");
    assert_eq!(models[0]["path"], "WL404-vendored-weights");
    assert_eq!(models[0]["verdict"], "not-a-model");
}

/// The one subject of a fixture, as JSON.
fn only_subject(dir: &str) -> serde_json::Value {
    let json = classify(&[dir], "json");
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let models = v["models"].as_array().expect("models");
    assert_eq!(models.len(), 1, "{json}");
    models[0].clone()
}

fn evidence(subject: &serde_json::Value, dimension: &str) -> Vec<String> {
    subject["dimensions"]
        .as_array()
        .expect("dimensions")
        .iter()
        .find(|d| d["name"] == dimension)
        .and_then(|d| d["evidence"].as_array())
        .map(|e| e.iter().map(|x| x["what"].to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn a_library_with_a_hub_link_in_its_news_and_a_banner_in_a_dataset_repo_is_not_a_model() {
    let s = only_subject("classify-library-news-link");
    assert_eq!(s["verdict"], "not-a-model");
    assert_eq!(s["eu_ai_act"]["exemption_possible"], false);
    // The model its usage loads is listed; the banner image is not a dataset it uses.
    let refs: Vec<&str> = s["references"]
        .as_array()
        .expect("references")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(refs, ["Qwen/Qwen2.5-0.5B"]);
}

#[test]
fn a_release_loaded_in_readme_code_is_weights_and_a_demo_image_is_not_training_data() {
    let s = only_subject("classify-release-readme-code");
    assert_eq!(s["name"], "acme/classify-release-readme-code-base");
    assert_eq!(s["verdict"], "open-weight");
    assert!(evidence(&s, "weights")[0].contains("released on the Hugging Face Hub"));
    assert!(evidence(&s, "training data").is_empty());
    assert!(!evidence(&s, "training code").is_empty());
}

#[test]
fn a_release_in_a_download_table_inherits_the_restricted_base_it_names() {
    let s = only_subject("classify-release-table");
    assert_eq!(s["verdict"], "restricted-weight");
    let licensing = evidence(&s, "licensing");
    assert!(
        licensing
            .iter()
            .any(|l| l.contains("Llama 2 Community License") && l.contains("inherited from")),
        "{licensing:?}"
    );
    assert_eq!(s["eu_ai_act"]["exemption_possible"], false);
}

#[test]
fn classify_reads_the_profile_like_check_and_no_config_drops_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/preset-regulated");
    let run = |extra: &[&str]| classify_in(&root, extra);
    // The fixture's weightlint.yaml names the regulated use case: "fit for" lines follow.
    assert!(run(&[]).contains("fit for regulated: not fit"));
    assert!(run(&["--config", "weightlint.yaml"]).contains("fit for regulated"));
    assert!(!run(&["--no-config"]).contains("fit for"));
}
