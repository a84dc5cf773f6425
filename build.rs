//! The embedded knowledge base and catalogue, converted from YAML to JSON at build time so a
//! run parses JSON (parsing 160 YAML files was a third of a one-card check's 40 ms). The
//! YAML stays the source: the tests parse it too and compare. `include_dir!` does not tell
//! cargo which files it read, so the directories are named here for rebuilds.

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=licenses");
    println!("cargo:rerun-if-changed=catalogue");
    let out = std::env::var("OUT_DIR").unwrap_or_else(|e| panic!("OUT_DIR: {e}"));
    let mut names: Vec<_> = std::fs::read_dir("licenses")
        .unwrap_or_else(|e| panic!("licenses/: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    names.sort();
    // A file that is not YAML is left out; the YAML path names it (`cargo test`).
    let entries: Vec<serde_json::Value> = names.iter().filter_map(|p| json_of(p)).collect();
    write(&out, "kb.json", &serde_json::Value::Array(entries));
    for name in ["models", "datasets"] {
        let path = Path::new("catalogue").join(format!("{name}.yaml"));
        let items = json_of(&path).unwrap_or(serde_json::Value::Array(Vec::new()));
        write(&out, &format!("{name}.json"), &items);
    }
}

fn json_of(path: &Path) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_yaml::from_str(&text).ok()
}

fn write(dir: &str, name: &str, value: &serde_json::Value) {
    let text = serde_json::to_string(value).unwrap_or_else(|e| panic!("{name}: {e}"));
    std::fs::write(Path::new(dir).join(name), text).unwrap_or_else(|e| panic!("{name}: {e}"));
}
