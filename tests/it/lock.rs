//! `weightlint lock` against a Hub served on 127.0.0.1 from the recorded answers in
//! `tests/hub/`, and `check` reading the lock offline. No test here reaches the internet.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::{weightlint, write};

/// The token the fake Hub accepts for `acme/private-7b`.
const TOKEN: &str = "hf_test_secret_8f3a";

/// Each request's path and `Authorization` header.
type Log = Mutex<Vec<(String, Option<String>)>>;

/// A fake Hub: each request's path and `Authorization` header are recorded.
struct Hub {
    endpoint: String,
    seen: Arc<Log>,
}

impl Hub {
    fn start() -> Hub {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let endpoint = format!("http://{}", listener.local_addr().expect("addr"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let log = log.clone();
                std::thread::spawn(move || serve(stream, &log));
            }
        });
        Hub { endpoint, seen }
    }

    fn requests(&self, path: &str) -> Vec<Option<String>> {
        let seen = self.seen.lock().expect("log");
        seen.iter()
            .filter(|(p, _)| p == path)
            .map(|(_, a)| a.clone())
            .collect()
    }
}

fn serve(stream: TcpStream, log: &Log) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
    let mut auth = None;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            if k.eq_ignore_ascii_case("authorization") {
                auth = Some(v.trim().to_string());
            }
        }
    }
    log.lock().expect("log").push((path.clone(), auth.clone()));
    let mut stream = stream;
    if path == "/api/models/acme/slow" {
        std::thread::sleep(Duration::from_secs(5));
        return;
    }
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hub")
        .join(format!("{}.json", path.trim_start_matches('/')));
    let authorised = auth.as_deref() == Some(&format!("Bearer {TOKEN}"));
    let (status, body) = match fs::read_to_string(&file) {
        _ if path == "/api/models/acme/private-7b" && !authorised => (
            "401 Unauthorized",
            r#"{"error":"Invalid credentials in Authorization header"}"#.to_string(),
        ),
        Ok(body) => ("200 OK", body),
        Err(_) => (
            "404 Not Found",
            r#"{"error":"Repository not found"}"#.to_string(),
        ),
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

/// A repository whose references span the tree, the catalogue and ids only the Hub
/// knows: a fine-tune in the tree relabelled Apache-2.0 on a chain that ends at Llama
/// 3.1, a dataset, a catalogue model, a private one, a missing one; `flaky` adds one
/// that never answers and one whose answer is not JSON.
fn project(flaky: bool) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("repo");
    fs::create_dir_all(root.join(".git")).expect("mkdir");
    write(
        &root,
        "models/tuned/README.md",
        "---\nlicense: apache-2.0\nbase_model: acme/chat-7b-sft\ndatasets:\n- acme/instructions\n---\n# tuned\n",
    );
    let mut code = String::from(
        "from transformers import AutoModelForCausalLM\n\
         chat = AutoModelForCausalLM.from_pretrained(\"Qwen/Qwen2.5-7B-Instruct\")\n\
         private = AutoModelForCausalLM.from_pretrained(\"acme/private-7b\")\n\
         gone = AutoModelForCausalLM.from_pretrained(\"acme/missing-7b\")\n",
    );
    if flaky {
        code.push_str(
            "slow = AutoModelForCausalLM.from_pretrained(\"acme/slow\")\n\
             broken = AutoModelForCausalLM.from_pretrained(\"acme/broken\")\n",
        );
    }
    write(&root, "serve.py", code);
    (dir, root)
}

/// `weightlint lock` with the fake Hub and no token anywhere on the machine.
fn lock_cmd(hub: &str, home: &Path) -> assert_cmd::Command {
    let mut cmd = weightlint();
    cmd.env("HF_ENDPOINT", hub)
        .env("HOME", home)
        .env("HF_HOME", home.join("hf"))
        .env_remove("HF_TOKEN")
        .env_remove("HUGGING_FACE_HUB_TOKEN")
        .env_remove("HF_TOKEN_PATH")
        .args(["lock", "--timeout", "1", "--retries", "1"]);
    cmd
}

/// The lock's entries in order: (table, id) → the entry's lines.
fn entries(text: &str) -> Vec<((String, String), String)> {
    let mut out = Vec::new();
    for block in text.split("\n[[").skip(1) {
        let (table, rest) = block.split_once("]]").unwrap_or_default();
        let id = rest
            .lines()
            .find_map(|l| l.strip_prefix("id = \""))
            .map(|l| l.trim_end_matches('"').to_string())
            .unwrap_or_default();
        out.push(((table.to_string(), id), rest.to_string()));
    }
    out
}

fn get<'a>(e: &'a [((String, String), String)], key: (&str, &str)) -> &'a str {
    e.iter()
        .find(|((t, i), _)| t == key.0 && i == key.1)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no entry {key:?}"))
}

#[test]
fn lock_fetches_the_chain_records_answers_and_reports_failures() {
    let hub = Hub::start();
    let (dir, root) = project(true);
    let out = lock_cmd(&hub.endpoint, dir.path())
        .arg(&root)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let text = fs::read_to_string(root.join("weightlint.lock")).expect("lock written");
    let e = entries(&text);
    let keys: Vec<(&str, &str)> = e
        .iter()
        .map(|((t, i), _)| (t.as_str(), i.as_str()))
        .collect();
    assert_eq!(
        keys,
        [
            ("model", "acme/chat-7b-base"),
            ("model", "acme/chat-7b-sft"),
            ("model", "acme/missing-7b"),
            ("model", "acme/private-7b"),
            ("model", "meta-llama/Llama-3.1-8B"),
            ("model", "Qwen/Qwen2.5-7B"),
            ("model", "Qwen/Qwen2.5-7B-Instruct"),
            ("dataset", "acme/instructions"),
        ],
        "{text}"
    );
    let llama = get(&e, ("model", "meta-llama/Llama-3.1-8B"));
    assert!(
        llama.contains("revision = \"d04e592bb4f6aa9cfee91e2e20afa771667e1d4b\""),
        "{llama}"
    );
    assert!(llama.contains("license = [\"llama3.1\"]"), "{llama}");
    assert!(
        llama.contains("resolved = [\"LicenseRef-scancode-llama-3.1-license-2024\"]"),
        "{llama}"
    );
    assert!(llama.contains("gated = \"manual\""), "{llama}");
    let base = get(&e, ("model", "acme/chat-7b-base"));
    assert!(base.contains("license_name = \"llama3.1\""), "{base}");
    assert!(
        base.contains("base_models = [\"meta-llama/Llama-3.1-8B\"]"),
        "{base}"
    );
    let data = get(&e, ("dataset", "acme/instructions"));
    assert!(data.contains("license = [\"cc-by-nc-4.0\"]"), "{data}");
    let missing = get(&e, ("model", "acme/missing-7b"));
    assert!(missing.contains("status = \"not-found\""), "{missing}");
    let private = get(&e, ("model", "acme/private-7b"));
    assert!(private.contains("status = \"unauthorized\""), "{private}");
    assert!(!private.contains("license"), "{private}");
    // Each failure is named; a timeout is tried again (--retries 1), a bad body is not.
    assert!(
        stderr.contains("`acme/slow`: no answer from the Hub"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`acme/broken`: the Hub's answer is not the API's JSON"),
        "{stderr}"
    );
    assert!(stderr.contains("set HF_TOKEN"), "{stderr}");
    assert_eq!(hub.requests("/api/models/acme/slow").len(), 2);
    assert_eq!(hub.requests("/api/models/acme/broken").len(), 1);
    // No token on this machine: none is sent.
    assert!(hub
        .requests("/api/models/acme/private-7b")
        .iter()
        .all(Option::is_none));

    // Locked again, the same answers give the same bytes (dates included).
    lock_cmd(&hub.endpoint, dir.path())
        .arg(&root)
        .assert()
        .success();
    let again = fs::read_to_string(root.join("weightlint.lock")).expect("lock");
    assert_eq!(again, text);
}

#[test]
fn the_token_is_sent_for_gated_repositories_and_never_printed() {
    let hub = Hub::start();
    let (dir, root) = project(false);
    let token_file = dir.path().join("hf/token");
    write(dir.path(), "hf/token", format!("{TOKEN}\n"));
    assert!(token_file.is_file());
    let out = lock_cmd(&hub.endpoint, dir.path())
        .arg(&root)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!printed.contains(TOKEN), "{printed}");
    assert_eq!(
        hub.requests("/api/models/acme/private-7b"),
        [Some(format!("Bearer {TOKEN}"))]
    );
    let text = fs::read_to_string(root.join("weightlint.lock")).expect("lock");
    assert!(!text.contains(TOKEN));
    let e = entries(&text);
    let private = get(&e, ("model", "acme/private-7b"));
    assert!(private.contains("license = [\"mit\"]"), "{private}");
}

#[test]
fn check_resolves_from_the_lock_offline_and_opens_no_socket() {
    let hub = Hub::start();
    let (dir, root) = project(false);
    let before = weightlint().arg("check").arg(&root).output().expect("run");
    let before = String::from_utf8_lossy(&before.stdout).to_string();
    assert!(before.contains("WL402"), "{before}");
    assert!(before.contains("acme/private-7b"), "{before}");
    lock_cmd(&hub.endpoint, dir.path())
        .arg(&root)
        .assert()
        .success();

    // A listener where the Hub was: `check` must never connect to it.
    let trap = TcpListener::bind("127.0.0.1:0").expect("bind");
    trap.set_nonblocking(true).expect("nonblocking");
    let trap_url = format!("http://{}", trap.local_addr().expect("addr"));
    let out = weightlint()
        .env("HF_ENDPOINT", &trap_url)
        .args(["check", "--format", "json"])
        .arg(&root)
        .output()
        .expect("run");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(
        matches!(trap.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "check connected to HF_ENDPOINT"
    );
    let findings = json["diagnostics"].as_array().cloned().unwrap_or_default();
    let codes: Vec<&str> = findings.iter().filter_map(|d| d["code"].as_str()).collect();
    // The base resolves through the lock: no WL402; its chain reaches Llama 3.1, so the
    // Apache-2.0 relabel conflicts with it (WL400), and the message says where from.
    assert!(!codes.contains(&"WL402"), "{codes:?}");
    let wl400 = findings
        .iter()
        .find(|d| d["code"] == "WL400")
        .unwrap_or_else(|| panic!("no WL400 in {codes:?}"));
    let message = wl400["message"].as_str().unwrap_or_default();
    assert!(message.contains("Llama 3.1"), "{message}");
    let help = wl400["help"].as_str().unwrap_or_default();
    assert!(
        help.contains("the Hub card at revision 2222222 and its base `acme/chat-7b-base`, locked"),
        "{help}"
    );
    // A repository the Hub does not have stays unknown; one it refused stays unknown.
    let unknown: Vec<&str> = findings
        .iter()
        .filter(|d| d["code"] == "WL404")
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert!(
        unknown.iter().any(|m| m.contains("acme/missing-7b")),
        "{unknown:?}"
    );
    assert!(!unknown.iter().any(|m| m.contains("Qwen")), "{unknown:?}");
}

#[test]
fn lock_check_catches_a_stale_lock() {
    let hub = Hub::start();
    let (dir, root) = project(false);
    let check = || {
        let mut cmd = weightlint();
        cmd.env("HF_ENDPOINT", "http://127.0.0.1:9")
            .args(["lock", "--check"])
            .arg(&root);
        cmd
    };
    let out = check().output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));

    lock_cmd(&hub.endpoint, dir.path())
        .arg(&root)
        .assert()
        .success();
    let out = check().output().expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A new use, and a use gone.
    let code = fs::read_to_string(root.join("serve.py"))
        .expect("read")
        .replace("acme/missing-7b", "acme/new-7b");
    write(&root, "serve.py", code);
    let out = check().output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("not locked: model `acme/new-7b` (used at"),
        "{stderr}"
    );
    assert!(stderr.contains("serve.py:4"), "{stderr}");
    assert!(
        stderr.contains("no longer used: model `acme/missing-7b`"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("meta-llama"),
        "the chain's root is still used: {stderr}"
    );
}

#[test]
fn nothing_fetched_is_exit_2_and_keeps_the_lock() {
    let (dir, root) = project(false);
    write(&root, "weightlint.lock", "version = 1\n");
    // A port nothing listens on.
    let closed = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", closed.local_addr().expect("addr"));
    drop(closed);
    let out = lock_cmd(&url, dir.path()).arg(&root).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing could be fetched"));
    assert_eq!(
        fs::read_to_string(root.join("weightlint.lock")).expect("lock"),
        "version = 1\n"
    );
}

#[test]
fn a_malformed_lock_is_reported_and_the_scan_goes_on() {
    let (_dir, root) = project(false);
    write(&root, "weightlint.lock", "version = 1\n[[model]]\nid = 3\n");
    let out = weightlint()
        .args(["check", "--format", "concise"])
        .arg(&root)
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("weightlint.lock") && stdout.contains("WL900"),
        "{stdout}"
    );
    assert!(stdout.contains("WL402"), "{stdout}");
}

/// Only `src/lock/hub.rs` may reach the network.
#[test]
fn only_the_hub_module_has_network_code() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offenders = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).expect("read src").flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let mut text = String::new();
            fs::File::open(&p)
                .and_then(|mut f| f.read_to_string(&mut text))
                .expect("read");
            let rel = p
                .strip_prefix(&src)
                .expect("under src")
                .to_string_lossy()
                .replace('\\', "/");
            if rel != "lock/hub.rs"
                && ["ureq", "std::net", "TcpStream", "UdpSocket"]
                    .iter()
                    .any(|n| text.contains(n))
            {
                offenders.push(rel);
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "network code outside src/lock/hub.rs: {offenders:?}"
    );
}
