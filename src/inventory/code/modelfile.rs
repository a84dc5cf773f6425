//! Ollama Modelfiles: the `FROM` line names a hub or Ollama library model.

use super::ids::{is_hub_id, is_name_part};
use super::{Hit, Kind, Loader};

/// Model weight files named in `FROM` are local, not library models.
const WEIGHT_EXTENSIONS: &[&str] = &["gguf", "bin", "safetensors", "pt", "pth", "ggml", "onnx"];

/// A Modelfile `FROM` reference: where the id starts in the token, and the id.
fn modelfile_ref(token: &str) -> Option<(usize, String)> {
    let lower = token.to_ascii_lowercase();
    let scheme = ["https://", "http://"]
        .iter()
        .find(|s| lower.starts_with(*s))
        .map_or(0, |s| s.len());
    for host in ["hf.co/", "huggingface.co/"] {
        if lower.get(scheme..)?.starts_with(host) {
            let skip = scheme + host.len();
            let id = token.get(skip..)?.split(':').next()?;
            return is_hub_id(id).then(|| (skip, id.to_string()));
        }
    }
    let name = token.split(':').next()?;
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let ok = is_name_part(name)
        && name.bytes().any(|b| b.is_ascii_alphabetic())
        && !extension.is_some_and(|e| WEIGHT_EXTENSIONS.contains(&e.as_str()));
    ok.then(|| (0, format!("ollama:{name}")))
}

/// `FROM` lines of a Modelfile that name a hub or Ollama library model.
pub(super) fn hits(text: &str) -> Vec<Hit> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split('\n') {
        let body = line.trim_start();
        let keyword = body
            .get(..4)
            .is_some_and(|k| k.eq_ignore_ascii_case("from"));
        let rest = body.get(4..).unwrap_or("");
        if keyword && rest.starts_with([' ', '\t']) {
            let token = rest.trim_start();
            let at = start + line.len() - token.len();
            let token = token.split_whitespace().next().unwrap_or("");
            if let Some((rel, id)) = modelfile_ref(token) {
                out.push(Hit::new(at + rel, id, Loader::OllamaFrom, Kind::Model));
            }
        }
        start += line.len() + 1;
    }
    out
}
