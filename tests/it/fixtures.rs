//! Runs the binary over every `fixtures/<case>/` repo and compares what it reports with
//! reviewed snapshots: `snapshots/rules/` holds each rule fixture's findings for its own
//! rule, `snapshots/cases/` the whole concise output of the other fixtures, and
//! `snapshots/formats/` a few fixtures in every format. Also checks that every rule has a
//! fixture that makes it fire and a twin that keeps it quiet.
//!
//! Fixtures are copied into a scratch directory first: `X.sparse` files (holding a size)
//! become sparse files `X` of that size there, so huge inputs are never committed.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(fixtures_dir())
        .expect("fixtures/ exists")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn copy_tree(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).expect("create scratch dir");
    for entry in fs::read_dir(src).expect("read fixture dir") {
        let entry = entry.expect("dir entry");
        let from = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if from.is_dir() {
            copy_tree(&from, &dst.join(&name));
        } else if let Some(real) = name.strip_suffix(".sparse") {
            let size: u64 = fs::read_to_string(&from)
                .expect("read .sparse")
                .trim()
                .parse()
                .expect(".sparse holds a byte count");
            let f = fs::File::create(dst.join(real)).expect("create sparse file");
            f.set_len(size).expect("extend sparse file");
        } else {
            fs::copy(&from, dst.join(&name)).expect("copy fixture file");
        }
    }
}

/// The fixture, materialised as `<scratch>/<name>/`, so the root model keeps its name.
fn materialise(name: &str) -> (tempfile::TempDir, PathBuf) {
    let scratch = tempfile::tempdir().expect("tempdir");
    let dir = scratch.path().join(name);
    copy_tree(&fixtures_dir().join(name), &dir);
    (scratch, dir)
}

/// A fixture's own Hugging Face cache (`.hf-cache/`, hidden from the walk), else none:
/// the machine's cache must never change a fixture's outcome.
fn run(dir: &Path, format: &str) -> (String, i32) {
    let out = Command::cargo_bin("weightlint")
        .expect("binary built")
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("HF_HOME")
        .env("HF_HUB_CACHE", dir.join(".hf-cache"))
        .args(["check", ".", "--color", "never", "--format", format])
        .output()
        .expect("run weightlint");
    let code = out.status.code().unwrap_or(-1);
    (String::from_utf8_lossy(&out.stdout).into_owned(), code)
}

/// The rule a fixture is about (`WL200-llama-over-mau` → `WL200`); other fixtures are
/// cases of a behaviour across rules.
fn rule_of(name: &str) -> Option<&'static str> {
    weightlint::core::registry::ALL
        .iter()
        .map(|r| r.code)
        .find(|code| {
            name.strip_prefix(code)
                .is_some_and(|rest| rest.starts_with('-'))
        })
}

/// The concise lines of one rule: a rule's snapshot shows only its own findings, so a
/// change to another rule leaves it alone.
fn only_rule(concise: &str, code: &str) -> String {
    let tag = format!(" {code} [");
    concise
        .lines()
        .filter(|l| l.contains(&tag))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Compare every snapshot before failing, so one mismatch does not hide the others.
fn check_snapshots(cases: impl IntoIterator<Item = (&'static str, String, String)>) {
    let mut differ = Vec::new();
    for (folder, name, body) in cases {
        let path = format!("../snapshots/{folder}");
        let outcome = std::panic::catch_unwind(|| {
            insta::with_settings!({
                snapshot_path => path,
                prepend_module_to_snapshot => false,
                omit_expression => true,
            }, {
                insta::assert_snapshot!(name.clone(), body);
            });
        });
        if outcome.is_err() {
            differ.push(format!("{folder}/{name}"));
        }
    }
    assert!(
        differ.is_empty(),
        "{} snapshots differ: {differ:?}; review them with `cargo insta review`",
        differ.len()
    );
}

/// Each rule fixture's findings for its rule (concise form); each other fixture's whole
/// concise output with its exit code.
#[test]
fn fixtures_match_snapshots() {
    let cases = fixture_names().into_iter().map(|name| {
        let (_scratch, dir) = materialise(&name);
        let (concise, code) = run(&dir, "concise");
        assert!(code == 0 || code == 1, "{name}: exit {code}");
        match rule_of(&name) {
            Some(rule) => ("rules", name, only_rule(&concise, rule)),
            None => ("cases", name, format!("exit: {code}\n\n{concise}")),
        }
    });
    check_snapshots(cases.collect::<Vec<_>>());
}

/// A few fixtures in every format, whole: the human report with its source excerpts and
/// the JSON contract. The exit code is the same whatever the format.
#[test]
fn formats_match_snapshots() {
    let mut cases = Vec::new();
    for name in [
        "WL200-llama-over-mau",
        "WL403-notebook-loads-llama",
        "multi-mixed-repo",
    ] {
        let (_scratch, dir) = materialise(name);
        let mut codes = Vec::new();
        for format in ["human", "json", "concise"] {
            let (out, code) = run(&dir, format);
            codes.push(code);
            if format != "concise" {
                cases.push(("formats", format!("{name}.{format}"), out));
            }
        }
        assert!(
            codes.windows(2).all(|w| w[0] == w[1]),
            "{name}: exit codes differ: {codes:?}"
        );
    }
    check_snapshots(cases);
}

/// The codes a fixture's JSON report holds. Its messages and help speak to the user:
/// never of how weightlint knows a fact.
fn codes_fired(dir: &Path) -> Vec<String> {
    let (json, _) = run(dir, "json");
    let lower = json.to_ascii_lowercase();
    for marker in ["unverified", "corpus", "facts §"] {
        assert!(
            !lower.contains(marker),
            "{}: the report says {marker:?}",
            dir.display()
        );
    }
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    v["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .filter_map(|d| d["code"].as_str().map(str::to_string))
        .collect()
}

/// Each rule names, in its own file, the fixtures that make it fire and keep it quiet;
/// every `WLxxx-…` fixture is named by its rule.
#[test]
fn every_rule_fires_on_its_fixtures_and_stays_quiet_on_its_twins() {
    let mut named = Vec::new();
    for rule in weightlint::core::registry::ALL {
        let spec = weightlint::rules::spec(rule).expect("every rule has a spec");
        for name in spec.fires {
            let (_scratch, dir) = materialise(name);
            let codes = codes_fired(&dir);
            assert!(
                codes.iter().any(|c| c == rule.code),
                "{name}: {} did not fire ({codes:?})",
                rule.code
            );
        }
        for name in spec.quiet {
            let (_scratch, dir) = materialise(name);
            let codes = codes_fired(&dir);
            assert!(
                !codes.iter().any(|c| c == rule.code),
                "{name}: {} fired ({codes:?})",
                rule.code
            );
        }
        named.extend(spec.fires.iter().chain(spec.quiet).map(|n| n.to_string()));
    }
    let unnamed: Vec<String> = fixture_names()
        .into_iter()
        .filter(|n| rule_of(n).is_some() && !named.contains(n))
        .collect();
    assert!(unnamed.is_empty(), "fixtures no rule names: {unnamed:?}");
}

#[test]
fn every_rule_has_docs_for_explain() {
    for rule in weightlint::core::registry::ALL {
        let out = Command::cargo_bin("weightlint")
            .expect("binary built")
            .args(["explain", rule.code])
            .output()
            .expect("run explain");
        assert!(out.status.success(), "{}", rule.code);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.starts_with(&format!("# {} {}", rule.code, rule.name)),
            "{}",
            rule.code
        );
        assert!(text.contains("## How to fix"), "{}", rule.code);
    }
}
