//! The command-line contract: exit codes, failing closed, help text, read-only scans.

use std::fs;

use crate::common::weightlint;

#[test]
fn a_missing_path_fails_closed_with_exit_2() {
    let out = weightlint()
        .args(["check", "/no/such/path/anywhere"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
}

#[test]
fn an_unknown_rule_is_a_usage_error() {
    let out = weightlint()
        .args(["explain", "WL999"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn explain_finds_rules_by_name_and_lists_them_all() {
    let out = weightlint()
        .args(["explain", "missing-license"])
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("# WL100 missing-license"));
    let out = weightlint().arg("explain").output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    for rule in weightlint::core::registry::ALL {
        assert!(
            text.contains(rule.code) && text.contains(rule.name),
            "{}",
            rule.code
        );
    }
}

#[test]
fn help_reads_well() {
    let out = weightlint().arg("--help").output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("license-compliance linter"));
    assert!(text.contains("check"));
    let out = weightlint()
        .args(["check", "--help"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Exit status"));
    assert!(text.contains("--format"));
}

#[test]
fn an_empty_directory_is_clean() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = weightlint()
        .args(["check"])
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn deny_warnings_turns_warnings_into_failure() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(
        dir.path().join("README.md"),
        "---\nlicense: openrail\npipeline_tag: text-to-image\n---\n",
    )
    .expect("write");
    let out = weightlint()
        .args(["check", "--format", "concise"])
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = weightlint()
        .args(["check", "--deny-warnings", "--format", "concise"])
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
}

/// Every file's bytes and modification time, to prove a scan wrote nothing.
fn tree_state(root: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(&dir).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.display().to_string(), fs::read(&p).unwrap_or_default()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn check_never_writes_into_the_scanned_tree() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let dir = tempfile::tempdir().expect("tempdir");
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(&fixtures)
        .arg(dir.path())
        .status()
        .expect("cp");
    assert!(status.success());
    let before = tree_state(dir.path());
    for format in ["human", "json", "concise"] {
        weightlint()
            .args(["check", "--format", format])
            .arg(dir.path())
            .output()
            .expect("run");
    }
    assert_eq!(before, tree_state(dir.path()));
}

#[test]
fn output_is_the_same_across_runs_and_thread_counts() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let run = |threads: &str| {
        weightlint()
            .args(["check", "--format", "json", "--threads", threads])
            .arg(&fixtures)
            .output()
            .expect("run")
            .stdout
    };
    let one = run("1");
    assert_eq!(one, run("1"));
    assert_eq!(one, run("4"));
    assert_eq!(one, run("0"));
}

#[test]
fn files_as_pre_commit_passes_them_check_only_their_models() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    fs::create_dir_all(&a).expect("mkdir");
    fs::create_dir_all(&b).expect("mkdir");
    fs::create_dir(dir.path().join(".git")).expect("mkdir .git");
    fs::write(
        a.join("README.md"),
        "---\nlicense: bogus-license\npipeline_tag: fill-mask\n---\n",
    )
    .expect("write");
    fs::write(
        b.join("README.md"),
        "---\nlicense: also-bogus\npipeline_tag: fill-mask\n---\n",
    )
    .expect("write");
    let out = weightlint()
        .current_dir(dir.path())
        .args(["check", "--format", "concise", "a/README.md"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("a/README.md"), "{text}");
    assert!(!text.contains("b/README.md"), "{text}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        let out = weightlint()
            .args(["completions", shell])
            .output()
            .expect("run");
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("weightlint") && text.contains("classify"),
            "{shell}"
        );
    }
    let out = weightlint().arg("man").output().expect("run");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains(".TH weightlint 1"));
}

#[test]
fn piped_output_is_plain_and_stderr_stays_quiet() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/multi-mixed-repo");
    let out = weightlint()
        .env_remove("NO_COLOR")
        .args(["check"])
        .arg(&dir)
        .output()
        .expect("run");
    assert!(!out.stdout.contains(&0x1b), "no escape codes when piped");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn git_tracked_files_are_read_even_where_gitignore_names_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let code = "from diffusers import FluxPipeline\np = FluxPipeline.from_pretrained(\"black-forest-labs/FLUX.1-dev\")\n";
    for sub in ["extensions", "scratch"] {
        fs::create_dir_all(root.join(sub)).expect("mkdir");
        fs::write(root.join(sub).join("run.py"), code).expect("write");
    }
    fs::write(root.join(".gitignore"), "extensions/\nscratch/\n").expect("write");
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .current_dir(root)
            .args(["-c", "user.email=t@example.com", "-c", "user.name=t"])
            .args(args)
            .status()
            .expect("git runs")
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "-f", ".gitignore", "extensions/run.py"]);
    git(&["commit", "-qm", "tracked despite .gitignore"]);
    let out = weightlint()
        .current_dir(root)
        .args([
            "check",
            ".",
            "--no-config",
            "--commercial",
            "true",
            "--format",
            "concise",
        ])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("extensions/run.py:2:35: WL202"), "{text}");
    assert!(!text.contains("scratch/"), "untracked and ignored: {text}");
}
