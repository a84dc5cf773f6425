//! `weightlint report`: one self-contained HTML page. What a reviewer relies on is
//! asserted on the page itself: every finding with its source line, the lineage, the
//! openness table, the profile with where each value came from, suppressions with their
//! reasons, and nothing from a card that could run or break the layout.

use std::fs;
use std::path::Path;

use crate::common::{weightlint, write};

fn report(args: &[&str]) -> String {
    let out = weightlint().arg("report").args(args).output().expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn diagnostics(path: &str) -> Vec<serde_json::Value> {
    let out = weightlint()
        .args(["check", path, "--format", "json"])
        .output()
        .expect("run");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    v["diagnostics"].as_array().expect("diagnostics").clone()
}

/// Every element the page opens, it closes: a card cannot end a table or a section.
fn assert_balanced(page: &str) {
    for tag in [
        "table", "section", "article", "pre", "svg", "ul", "dl", "figure", "a",
    ] {
        let open =
            page.matches(&format!("<{tag} ")).count() + page.matches(&format!("<{tag}>")).count();
        let close = page.matches(&format!("</{tag}>")).count();
        assert_eq!(open, close, "<{tag}> opened {open} times, closed {close}");
    }
}

#[test]
fn a_fine_tune_report_has_every_finding_with_its_line_the_lineage_and_openness() {
    let fixture = "fixtures/WL400-llama-finetune-apache";
    let page = report(&[fixture]);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    assert!(!page.to_ascii_lowercase().contains("<script"));
    assert!(page.contains("Verdict: not ready to ship"));
    assert!(page.contains("<svg class=\"lineage\""));
    assert!(page.contains("<strong>meta-llama/Llama-3.1-8B-Instruct</strong>"));
    assert!(page.contains("<table class=\"openness\">"));
    let found = diagnostics(fixture);
    assert!(!found.is_empty());
    assert_eq!(
        page.matches("<article class=\"finding ").count(),
        found.len()
    );
    for d in &found {
        let (Some(path), Some(line)) = (d["path"].as_str(), d["line"].as_u64()) else {
            continue;
        };
        let text = fs::read_to_string(path).expect("source");
        let quoted = text.lines().nth(line as usize - 1).expect("line");
        let want = format!(
            "<pre class=\"source\"><span class=\"ln\">{line}</span>{}</pre>",
            quoted
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', "&#39;")
        );
        assert!(page.contains(&want), "no quote of {path}:{line}");
    }
    assert_balanced(&page);
}

#[test]
fn the_page_is_the_same_every_run_and_dated_only_when_asked() {
    let fixture = "fixtures/WL400-merge-of-two-bases";
    let a = report(&[fixture]);
    let b = report(&["--threads", "1", fixture]);
    assert_eq!(a, b);
    assert!(!a.contains("Date:"));
    let dated = report(&[fixture, "--date", "2026-12-05"]);
    assert!(dated.contains("Date: 2026-12-05"));
    weightlint()
        .args(["report", fixture, "--date", "yesterday"])
        .assert()
        .code(2);
}

#[test]
fn a_clean_model_is_ready_to_ship() {
    let page = report(&["fixtures/WL400-ok-qwen-7b-apache"]);
    assert!(page.contains("Verdict: ready to ship"));
    assert!(page.contains("No findings."));
}

#[test]
fn the_profile_says_where_each_value_came_from_and_suppressions_keep_their_reasons() {
    let page = report(&["fixtures/WL207-ok-valid-exception", "--mau", "5M"]);
    assert!(page.contains("<td><code>product.commercial</code></td><td>true</td><td><code>fixtures/WL207-ok-valid-exception/weightlint.yaml:2</code></td>"));
    assert!(page.contains("<td>5M</td><td><code>--mau</code></td>"));
    assert!(page.contains("<td><code>product.headquarters</code></td><td><em>not set</em></td>"));
    let suppressed = &page[page.find("id=\"suppressed\"").expect("section")..];
    assert!(suppressed.contains("WL202"));
    assert!(suppressed.contains("commercial license bought from the authors"));
    assert!(suppressed.contains("<td>2099-12-31</td>"));
    assert!(suppressed
        .contains("exception at <code>fixtures/WL207-ok-valid-exception/weightlint.yaml:"));
}

#[test]
fn baselined_findings_are_listed_as_such() {
    let dir = tempfile::tempdir().expect("tempdir");
    let baseline = dir.path().join("baseline.json");
    let fixture = "fixtures/WL400-llama-finetune-apache";
    weightlint()
        .args(["check", fixture, "--write-baseline"])
        .arg(&baseline)
        .assert()
        .code(0);
    let page = report(&[fixture, "--baseline", baseline.to_str().expect("utf-8")]);
    assert_eq!(page.matches("<article class=\"finding ").count(), 0);
    assert!(page.contains("<h3>In the baseline</h3>"));
    assert!(page.contains("Verdict: ready to ship"));
}

#[test]
fn locked_and_unknown_licenses_say_how_they_were_resolved() {
    let locked = report(&["fixtures/WL404-ok-locked"]);
    assert!(locked.contains("the Hub card at revision"));
    assert!(locked.contains("locked 2026-12-01"));
    let unknown = report(&["fixtures/WL404-unknown-model"]);
    let section = &unknown[unknown.find("id=\"unknowns\"").expect("section")..];
    assert!(section.contains("<a href=\"#finding-"));
    assert!(section.contains("WL404"));
}

fn listing(root: &Path) -> Vec<String> {
    let mut out: Vec<String> = walk(root)
        .into_iter()
        .map(|p| p.strip_prefix(root).expect("below").display().to_string())
        .collect();
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).expect("read_dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        }
        out.push(p);
    }
    out
}

#[test]
fn nothing_from_a_card_runs_or_breaks_the_layout() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("tree");
    let evil = "<script>alert(1)</script>\u{202E}\"'></table></section>";
    write(
        &root,
        "m/README.md",
        format!(
            "---\nlicense: \"{e}\"\nlicense_name: \"x\u{202E}txt.exe\u{200B}\"\nbase_model: \"x/</table><script>document.title='pwned'</script>\"\ndatasets: [\"\\\"><img src=x onerror=alert(1)>\"]\npipeline_tag: \"</svg><script>1</script>\"\n---\n# {e}\n\nThis model is open source. <script>alert(2)</script>\n",
            e = evil.replace('"', "\\\"")
        ),
    );
    write(&root, "m/model.safetensors", b"weights");
    write(
        &root,
        "m/LICENSE",
        format!("Custom license {evil}\n\u{202E}reversed\n"),
    );
    write(
        &root,
        "train.py",
        "from transformers import AutoModel\nAutoModel.from_pretrained(\"acme/<b>bold</b>\")\n",
    );
    let before = listing(&root);
    let out = dir.path().join("report.html");
    weightlint()
        .args(["report", "--date", "2026-01-01", "-o"])
        .arg(&out)
        .arg(&root)
        .assert()
        .code(0);
    assert_eq!(listing(&root), before, "the scanned tree was written to");
    let page = fs::read_to_string(&out).expect("page");
    let lower = page.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "a script element");
    assert!(!lower.contains("<img"), "an img element");
    assert!(!lower.contains("<b>"), "markup from code");
    assert!(!page.contains('\u{202E}') && !page.contains('\u{200B}'));
    assert!(page.contains("[U+202E]"));
    assert!(page.contains("&lt;script&gt;"));
    assert!(page
        .contains("x/&lt;/table&gt;&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"));
    assert!(
        page.contains("<svg class=\"lineage\""),
        "the base model is drawn"
    );
    assert_balanced(&page);
    // The only attributes with quotes in them are ours: no value a card set ends early.
    assert!(!page.contains("\"\"><"));
}
