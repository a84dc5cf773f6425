//! Use-case presets: every preset has a fixture with a model that fits and one that does
//! not, and explicit policy keys win over what a preset implies.

use std::path::Path;

use assert_cmd::Command;

use crate::common::weightlint;

fn json(cmd: &mut Command) -> serde_json::Value {
    let out = cmd.output().expect("run");
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn every_preset_has_a_model_that_fits_and_one_that_does_not() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for p in weightlint::config::presets::PRESETS {
        let dir = fixtures.join(format!("preset-{}", p.name));
        assert!(dir.is_dir(), "no fixture for {}", p.name);
        let v = json(
            weightlint()
                .current_dir(&dir)
                .args(["classify", ".", "--format", "json"]),
        );
        let models = v["models"].as_array().expect("models");
        for (model, want) in [("fits", true), ("misfit", false)] {
            let m = models
                .iter()
                .find(|m| m["path"] == model)
                .unwrap_or_else(|| panic!("{}: {model} not classified", p.name));
            let fit = &m["fit_for"][0];
            assert_eq!(fit["use_case"], p.name, "{}", p.name);
            assert_eq!(fit["fit"], want, "{} / {model}: {}", p.name, fit["reason"]);
            assert!(fit["reason"].as_str().is_some_and(|r| !r.is_empty()));
        }
    }
}

#[test]
fn explicit_keys_win_over_the_preset() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(
        root.join("README.md"),
        "---\nlicense: apache-2.0\npipeline_tag: text-generation\n---\n# m\n",
    )
    .expect("card");
    std::fs::write(root.join("model.safetensors"), "").expect("weights");
    let codes = |v: &serde_json::Value| -> Vec<(String, String)> {
        v["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or("").to_string(),
                    d["severity"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };

    // The preset alone: regulated requires Open Source AI, so the gaps are WL206 errors.
    std::fs::write(
        root.join("weightlint.yaml"),
        "product:\n  use_case: regulated\n",
    )
    .expect("config");
    let v = json(
        weightlint()
            .current_dir(root)
            .args(["check", ".", "--format", "json"]),
    );
    let found = codes(&v);
    assert!(
        found.contains(&("WL206".into(), "error".into())),
        "{found:?}"
    );

    // An explicit `policy.require` wins; the preset's emphasis still makes WL501 a warning.
    std::fs::write(
        root.join("weightlint.yaml"),
        "product:\n  use_case: [regulated]\npolicy:\n  require: open-weight\n",
    )
    .expect("config");
    let found = codes(&json(
        weightlint()
            .current_dir(root)
            .args(["check", ".", "--format", "json"]),
    ));
    assert!(!found.iter().any(|(c, _)| c == "WL206"), "{found:?}");
    assert!(
        found.contains(&("WL501".into(), "warning".into())),
        "{found:?}"
    );

    // An explicit `rules:` entry wins over the emphasis.
    std::fs::write(
        root.join("weightlint.yaml"),
        "product:\n  use_case: [regulated]\npolicy:\n  require: open-weight\nrules:\n  WL501: note\n",
    )
    .expect("config");
    let found = codes(&json(
        weightlint()
            .current_dir(root)
            .args(["check", ".", "--format", "json"]),
    ));
    assert!(
        found.contains(&("WL501".into(), "note".into())),
        "{found:?}"
    );

    // An unknown use case is a config error at its line.
    std::fs::write(
        root.join("weightlint.yaml"),
        "product:\n  use_case: [spaceship]\n",
    )
    .expect("config");
    let out = weightlint()
        .current_dir(root)
        .args(["check", "."])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("weightlint.yaml:2"));
}

#[test]
fn explain_prints_a_preset() {
    let out = Command::cargo_bin("weightlint")
        .expect("binary built")
        .args(["explain", "use-case", "regulated"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("policy.require: open-source-ai"), "{text}");
    let out = Command::cargo_bin("weightlint")
        .expect("binary built")
        .args(["explain", "use-case", "nope"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}
