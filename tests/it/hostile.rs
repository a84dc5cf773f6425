//! A hostile tree, built at run time (nothing huge is committed): every bad input gets a
//! diagnostic or is passed over, the scan finishes in bounded time with exit 0 or 1, and
//! the good model beside the bad ones is still reported.

use std::fs;
use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;

use crate::common::write;

fn gguf_header(kv_count: u64, key_len: u64) -> Vec<u8> {
    let mut b = b"GGUF".to_vec();
    b.extend(3u32.to_le_bytes());
    b.extend(0u64.to_le_bytes());
    b.extend(kv_count.to_le_bytes());
    b.extend(key_len.to_le_bytes());
    b.extend(b"general.lic");
    b
}

fn build(root: &Path) {
    // The good model, which must survive everything around it.
    write(
        root,
        "good/README.md",
        b"---\nlicense: apache-2.0\npipeline_tag: text-generation\n---\n# good\n",
    );
    // Binary and non-UTF-8 license texts.
    write(root, "bin/LICENSE", [0u8, 159, 146, 150, 0, 1, 2, 3]);
    write(root, "latin1/LICENSE", b"Licence \xe9t\xe9 \xe0 Paris\n");
    write(
        root,
        "latin1/README.md",
        b"---\nlicense: mit\n---\n# caf\xe9\n",
    );
    // A README far over the size cap, never read (sparse: no disk used).
    let big = root.join("huge/README.md");
    fs::create_dir_all(big.parent().expect("parent")).expect("mkdir");
    fs::File::create(&big)
        .expect("create")
        .set_len(3 * 1024 * 1024 * 1024)
        .expect("sparse");
    // YAML: an alias bomb, deep nesting, a 200 000-character value.
    let mut bomb = String::from(
        "---\nlicense: mit\na: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n",
    );
    for (i, prev) in ["a", "b", "c", "d", "e", "f", "g", "h"].iter().enumerate() {
        let name = ["b", "c", "d", "e", "f", "g", "h", "i"][i];
        bomb.push_str(&format!(
            "{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    bomb.push_str("---\n");
    write(root, "bomb/README.md", bomb.as_bytes());
    let deep = format!(
        "---\nlicense: mit\nx: {}{}\n---\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    write(root, "deep/README.md", deep.as_bytes());
    let long = format!(
        "---\nlicense: mit\ndescription: \"{}\"\n---\n",
        "x".repeat(200_000)
    );
    write(root, "long/README.md", long.as_bytes());
    // Front matter: unclosed, empty, BOM-prefixed, CRLF.
    write(
        root,
        "unclosed/README.md",
        b"---\nlicense: mit\n# no closing fence\n",
    );
    write(root, "empty/README.md", b"---\n---\n# empty\n");
    write(
        root,
        "bom/README.md",
        b"\xef\xbb\xbf---\nlicense: mit\n---\n# bom\n",
    );
    write(
        root,
        "crlf/README.md",
        b"---\r\nlicense: mit\r\n---\r\n# crlf\r\n",
    );
    // GGUF headers: absurd counts and lengths, truncated.
    write(root, "gguf1/model.gguf", gguf_header(u64::MAX, 12));
    write(root, "gguf2/model.gguf", gguf_header(3, u64::MAX));
    write(root, "gguf3/model.gguf", b"GGUF\x03\x00");
    // Code with a hostile line.
    write(
        root,
        "code/app.py",
        "from_pretrained(".repeat(50_000).as_bytes(),
    );
    // Deep directories.
    let mut deep_dir = String::new();
    for i in 0..120 {
        deep_dir.push_str(&format!("d{i}/"));
    }
    write(root, &format!("{deep_dir}LICENSE"), b"MIT License\n");
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::fs::{symlink, PermissionsExt};
        // Symlink loops and a link out of the root.
        fs::create_dir_all(root.join("loop")).expect("mkdir");
        let _ = symlink("../loop", root.join("loop/again"));
        let _ = symlink("/etc/passwd", root.join("loop/LICENSE"));
        let _ = symlink("/", root.join("escape"));
        // File names with a newline and with bytes that are not UTF-8.
        write(root, "names/LICENSE\nNOTICE", b"MIT License\n");
        let odd = std::ffi::OsStr::from_bytes(b"names/LICENSE-\xff\xfe");
        fs::write(root.join(odd), b"MIT License\n").expect("odd name");
        // An unreadable card (root can read it anyway; then it is simply a card).
        write(root, "locked/README.md", b"---\nlicense: mit\n---\n");
        let _ = fs::set_permissions(
            root.join("locked/README.md"),
            fs::Permissions::from_mode(0o000),
        );
    }
}

fn check(root: &Path) -> (serde_json::Value, i32) {
    let out = Command::cargo_bin("weightlint")
        .expect("binary built")
        .current_dir(root)
        .env("HF_HUB_CACHE", root.join(".no-cache"))
        .args(["check", ".", "--format", "json"])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("run");
    let code = out.status.code().unwrap_or(-1);
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "exit {code}, not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (v, code)
}

#[test]
fn the_hostile_tree_is_survived() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    build(root);
    let (v, code) = check(root);
    assert!(code == 0 || code == 1, "exit {code}");

    let models: Vec<&str> = v["models"]
        .as_array()
        .expect("models")
        .iter()
        .filter_map(|m| m["path"].as_str())
        .collect();
    assert!(models.contains(&"good"), "{models:?}");
    let findings: Vec<(String, String)> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["path"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let has = |code: &str, path: &str| findings.iter().any(|(c, p)| c == code && p == path);
    assert!(has("WL900", "bin/LICENSE"), "{findings:?}");
    assert!(has("WL900", "latin1/LICENSE"), "{findings:?}");
    assert!(has("WL900", "latin1/README.md"), "{findings:?}");
    assert!(has("WL902", "huge/README.md"), "{findings:?}");
    assert!(has("WL901", "bomb/README.md"), "{findings:?}");
    assert!(has("WL901", "deep/README.md"), "{findings:?}");
    assert!(has("WL901", "unclosed/README.md"), "{findings:?}");
    assert!(has("WL901", "empty/README.md"), "{findings:?}");
    for g in ["gguf1", "gguf2", "gguf3"] {
        assert!(
            has("WL900", &format!("{g}/model.gguf")),
            "{g}: {findings:?}"
        );
    }
    // BOM and CRLF front matter are fine cards.
    for ok in ["bom", "crlf", "long"] {
        assert!(
            models.contains(&ok),
            "{ok}: {models:?} {}",
            v["diagnostics"]
        );
        assert!(
            !findings
                .iter()
                .any(|(c, p)| c == "WL901" && p.starts_with(&format!("{ok}/"))),
            "{ok}: {findings:?}"
        );
    }
    // Control characters in names are shown escaped, never raw.
    assert!(
        findings.iter().all(|(_, p)| !p.contains('\n')),
        "{findings:?}"
    );
    // Nothing outside the root was read: the link to /etc/passwd is not a license here.
    assert!(
        !findings.iter().any(|(_, p)| p == "loop/LICENSE"),
        "{findings:?}"
    );

    // Deterministic across runs.
    let (again, _) = check(root);
    assert_eq!(v, again);
}
