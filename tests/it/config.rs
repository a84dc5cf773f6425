//! The config and policy contract: discovery, errors that point at the line, command-line
//! overrides, `init`, `ignore:`, and baselines.

use std::fs;
use std::path::Path;

use crate::common::{weightlint, write};

/// The binary, with no Hugging Face cache: the machine's cache must not change an outcome.
const LLAMA_CARD: &str = "---\nlicense: llama3.1\npipeline_tag: text-generation\n---\n# chat\n";
const NC_CARD: &str = "---\nlicense: cc-by-nc-4.0\npipeline_tag: text-classification\n---\n# nc\n";

/// Run `check . --format json` in `dir` with extra args; the parsed output and exit code.
/// A run that prints no JSON report (a crash, a config error) fails the test here, so an
/// empty `findings` always means a report with no diagnostics.
fn check_json(dir: &Path, args: &[&str]) -> (serde_json::Value, i32) {
    let out = weightlint()
        .current_dir(dir)
        .args(["check", ".", "--format", "json"])
        .args(args)
        .output()
        .expect("run");
    let code = out.status.code().unwrap_or(-1);
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "check {args:?} printed no JSON report ({e}); exit {code}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (v, code)
}

/// (code, severity) of every diagnostic; the report must have a `diagnostics` array.
fn findings(v: &serde_json::Value) -> Vec<(String, String)> {
    let Some(a) = v["diagnostics"].as_array() else {
        panic!("no `diagnostics` array in the report: {v}");
    };
    a.iter()
        .map(|d| {
            (
                d["code"].as_str().expect("code").to_string(),
                d["severity"].as_str().expect("severity").to_string(),
            )
        })
        .collect()
}

#[test]
fn config_errors_exit_2_and_point_at_the_line() {
    let cases = [
        (
            "product:\n  commercial: true\n  comercial: false\n",
            "weightlint.yaml:3",
            "unknown field `comercial`",
        ),
        (
            "product:\n  headquarters: Europe\n",
            "weightlint.yaml:2",
            "not a region",
        ),
        (
            "policy:\n  deny:\n    - CC-BY-NC-4.0\n    - no-such-license\n",
            "weightlint.yaml:4",
            "no-such-license",
        ),
        (
            "rules:\n  WL100: warning\n  WL999: off\n",
            "weightlint.yaml:3",
            "no rule `WL999`",
        ),
        (
            "policy:\n  exceptions:\n    - model: m\n      rules: [WL200]\n",
            "weightlint.yaml:3",
            "missing field `reason`",
        ),
    ];
    for (text, place, message) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "weightlint.yaml", text);
        write(dir.path(), "README.md", LLAMA_CARD);
        let out = weightlint()
            .current_dir(dir.path())
            .args(["check", "."])
            .output()
            .expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{text}\n{err}");
        assert!(err.contains(place), "{text}: {err}");
        assert!(err.contains(message), "{text}: {err}");
        assert!(out.stdout.is_empty(), "{text}: no report on a config error");
    }
}

#[test]
fn pyproject_table_is_found_and_toml_errors_point_at_the_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "README.md", NC_CARD);
    write(
        dir.path(),
        "pyproject.toml",
        "[project]\nname = \"demo\"\n\n[tool.weightlint.product]\ncommercial = true\n",
    );
    let (v, code) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(v["config"], "pyproject.toml");
    assert!(findings(&v).contains(&("WL202".into(), "error".into())));

    write(
        dir.path(),
        "pyproject.toml",
        "[project]\nname = \"demo\"\n\n[tool.weightlint.product]\ncommercial = \"yes\"\n",
    );
    let out = weightlint()
        .current_dir(dir.path())
        .args(["check", "."])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pyproject.toml:5"));
}

#[test]
fn a_pyproject_without_the_table_is_passed_over() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), ".git/HEAD", "ref: refs/heads/main\n");
    write(
        dir.path(),
        "weightlint.yaml",
        "product:\n  commercial: true\n",
    );
    write(
        dir.path(),
        "pkg/pyproject.toml",
        "[project]\nname = \"pkg\"\n",
    );
    write(dir.path(), "pkg/README.md", NC_CARD);
    let out = weightlint()
        .current_dir(dir.path().join("pkg"))
        .args(["check", ".", "--format", "json"])
        .output()
        .expect("run");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(out.status.code(), Some(1));
    assert!(v["config"]
        .as_str()
        .is_some_and(|c| c.ends_with("weightlint.yaml")));
}

#[test]
fn discovery_stops_at_the_repository_top() {
    let outer = tempfile::tempdir().expect("tempdir");
    write(
        outer.path(),
        "weightlint.yaml",
        "product:\n  commercial: true\n",
    );
    write(outer.path(), "repo/.git/HEAD", "ref: refs/heads/main\n");
    write(outer.path(), "repo/README.md", NC_CARD);
    let (v, code) = check_json(&outer.path().join("repo"), &[]);
    assert_eq!(code, 0, "the config above the repository must not apply");
    assert!(v["config"].is_null());
    assert_eq!(findings(&v), [("WL202".to_string(), "note".to_string())]);
}

#[test]
fn command_line_product_values_decide_notes() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "README.md", LLAMA_CARD);
    let (v, code) = check_json(dir.path(), &[]);
    assert_eq!(code, 0);
    assert!(findings(&v).contains(&("WL200".into(), "note".into())));

    // Llama's test counts the month before release: today's 800M makes it a warning.
    let (v, code) = check_json(dir.path(), &["--mau", "800M"]);
    assert_eq!(code, 0);
    assert!(findings(&v).contains(&("WL200".into(), "warning".into())));
    let help = v["diagnostics"][0]["help"].as_str().unwrap_or("");
    assert!(help.contains("`--mau`"), "{help}");

    let (v, code) = check_json(dir.path(), &["--mau", "10M"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["models"].as_array().map(Vec::len), Some(1), "{v}");
    assert!(!findings(&v).iter().any(|(c, _)| c == "WL200"), "{v}");

    let out = weightlint()
        .current_dir(dir.path())
        .args(["check", ".", "--headquarters", "Atlantis"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a region"));
}

#[test]
fn command_line_values_win_over_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "README.md", NC_CARD);
    write(
        dir.path(),
        "weightlint.yaml",
        "product:\n  commercial: true\n",
    );
    let (_, code) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let (v, code) = check_json(dir.path(), &["--commercial", "false"]);
    assert_eq!(code, 0);
    assert_eq!(v["models"].as_array().map(Vec::len), Some(1), "{v}");
    assert!(findings(&v).is_empty(), "{v}");
    let (v, code) = check_json(dir.path(), &["--no-config"]);
    assert_eq!(code, 0);
    assert!(v["config"].is_null());
}

#[test]
fn severity_overrides_and_off() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "README.md", NC_CARD);
    write(
        dir.path(),
        "weightlint.yaml",
        "product:\n  commercial: true\nrules:\n  non-commercial: warning\n",
    );
    let (v, code) = check_json(dir.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(findings(&v), [("WL202".to_string(), "warning".to_string())]);
    write(
        dir.path(),
        "weightlint.yaml",
        "product:\n  commercial: true\nrules:\n  WL202: off\n",
    );
    let (v, code) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["models"].as_array().map(Vec::len), Some(1), "{v}");
    assert!(findings(&v).is_empty(), "{v}");
}

#[test]
fn ignore_globs_are_relative_to_the_config() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "weightlint.yaml", "ignore: [third_party/**]\n");
    write(
        dir.path(),
        "third_party/x/README.md",
        "---\nlicense: not-a-license\n---\n",
    );
    write(
        dir.path(),
        "models/a/README.md",
        "---\nlicense: apache-2.0\n---\n",
    );
    let (v, code) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["models"].as_array().map(Vec::len), Some(1));
    // Scanning a subdirectory still applies the globs of the config above it.
    let (v, code) = check_json(&dir.path().join("third_party"), &[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["models"].as_array().map(Vec::len), Some(0));
}

#[test]
fn unused_entries_are_not_reported_for_a_partial_scan() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "weightlint.yaml",
        "policy:\n  exceptions:\n    - model: models/b\n      rules: [WL202]\n      reason: bought a license\n",
    );
    write(
        dir.path(),
        "models/a/README.md",
        "---\nlicense: apache-2.0\n---\n",
    );
    let (v, code) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "a warning does not fail the run: {v}");
    assert!(findings(&v).contains(&("WL208".into(), "warning".into())));
    let (v, code) = check_json(&dir.path().join("models/a"), &[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["models"].as_array().map(Vec::len), Some(1), "{v}");
    assert!(findings(&v).is_empty(), "{v}");
}

#[test]
fn init_writes_a_starter_that_parses_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = weightlint()
        .current_dir(dir.path())
        .arg("init")
        .output()
        .expect("run");
    assert!(out.status.success());
    let written = fs::read_to_string(dir.path().join("weightlint.yaml")).expect("written");
    assert!(written.contains("product:") && written.contains("policy:"));
    write(dir.path(), "README.md", LLAMA_CARD);
    let (v, code) = check_json(dir.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(v["config"], "weightlint.yaml");

    let out = weightlint()
        .current_dir(dir.path())
        .arg("init")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("never overwrites"));
    assert_eq!(
        fs::read_to_string(dir.path().join("weightlint.yaml")).expect("still there"),
        written
    );
}

#[test]
fn a_baseline_hides_known_findings_and_survives_line_moves() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = tempfile::tempdir().expect("tempdir");
    let file = base.path().join("baseline.json");
    let file = file.to_str().expect("utf-8 path");
    write(
        dir.path(),
        "weightlint.yaml",
        "product:\n  commercial: true\n",
    );
    write(dir.path(), "models/nc/README.md", NC_CARD);
    let out = weightlint()
        .current_dir(dir.path())
        .args(["check", ".", "--write-baseline", file])
        .output()
        .expect("run");
    assert!(out.status.success());

    // Move the license line down: still the same finding.
    write(
        dir.path(),
        "models/nc/README.md",
        "---\npipeline_tag: text-classification\nlicense: cc-by-nc-4.0\n---\n# nc\n",
    );
    let (v, code) = check_json(dir.path(), &["--baseline", file]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["summary"]["baselined"], 1);

    // A new model with the same problem is new.
    write(dir.path(), "models/nc2/README.md", NC_CARD);
    let (v, code) = check_json(dir.path(), &["--baseline", file]);
    assert_eq!(code, 1);
    assert_eq!(findings(&v), [("WL202".to_string(), "error".to_string())]);
    assert_eq!(v["diagnostics"][0]["path"], "models/nc2/README.md");

    // A file that is not a baseline fails closed.
    let out = weightlint()
        .current_dir(dir.path())
        .args(["check", ".", "--baseline", "weightlint.yaml"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}
