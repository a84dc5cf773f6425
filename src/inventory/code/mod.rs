//! Hub models and datasets that code, scripts, configs and READMEs use. Each source kind
//! has its reader: Python parsed with tree-sitter (`python`), shell words (`shell`),
//! configs by key (`keyed`), README code blocks and links (`markdown`), notebooks' code
//! cells (Python, with `!` lines as shell), Ollama Modelfiles and Dockerfiles. Every reader
//! has a cheap prefilter: a file with no candidate is never parsed.

pub mod header;
mod ids;
mod keyed;
mod markdown;
mod modelfile;
mod notebook;
mod python;
mod regions;
mod shell;

pub(crate) use ids::{cdn_urls, data_urls, hub_urls, is_model_name, named_dataset_uses};
pub use ids::{is_hub_id, is_usable_id};
pub use keyed::COMPONENT;
pub(crate) use markdown::weights_label;

/// How the code names the repository.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Loader {
    FromPretrained,
    /// `hf_hub_download`, `snapshot_download`, `huggingface-cli download`, `hf download`,
    /// `tune download`.
    HubDownload,
    Pipeline,
    Vllm,
    SentenceTransformer,
    LoadDataset,
    OllamaFrom,
    LlamaCpp,
    /// A default or constant named like a model or dataset: a parameter, an argparse or
    /// dataclass default, an assignment (`model_path = "org/x"`), `MODEL=org/x`, `ENV`.
    Default,
    /// A command-line flag (`--base_model org/x`).
    Flag,
    /// A config key (`base_model: org/x`, `datasets: [{path: org/x}]`).
    Key,
    /// A Hub URL (`https://huggingface.co/org/x`).
    HubUrl,
    /// A model zoo outside the Hub: `torch.hub.load` (`github:owner/repo`), insightface
    /// packs (`insightface:buffalo_l`), Coqui TTS names (`coqui:tts_models/…`), Mistral's
    /// CDN (`mistralcdn:mistral-large-instruct-2407`).
    Zoo,
    /// A data file in a GitHub repository (`raw.githubusercontent.com/owner/repo/…/x.json`):
    /// the dataset `github:owner/repo`.
    DataUrl,
    /// A dataset known by name, not by a Hub id, named in a training README or config
    /// (`MOSE`, `SA-1B`): the catalogue's `named:` entries.
    Named,
    /// A README's link to a Hub dataset with no download wording: a use only in the README
    /// of a repository's own release (what it was trained on), dropped elsewhere.
    DatasetLink,
}

impl Loader {
    /// The way of use as users know it.
    pub fn as_str(self) -> &'static str {
        match self {
            Loader::FromPretrained => "from_pretrained",
            Loader::HubDownload => "hub download",
            Loader::Pipeline => "pipeline",
            Loader::Vllm => "vllm",
            Loader::SentenceTransformer => "SentenceTransformer",
            Loader::LoadDataset => "load_dataset",
            Loader::OllamaFrom => "Modelfile FROM",
            Loader::LlamaCpp => "llama.cpp -hf",
            Loader::Default => "default",
            Loader::Flag => "command-line flag",
            Loader::Key => "config key",
            Loader::HubUrl => "Hub URL",
            Loader::Zoo => "model zoo",
            Loader::DataUrl => "data file URL",
            Loader::Named => "named in a training recipe",
            Loader::DatasetLink => "linked from the release's README",
        }
    }

    /// How the repository is used: `load`, `download`, `default` or `config` (JSON).
    pub fn usage(self) -> &'static str {
        match self {
            Loader::HubDownload
            | Loader::LlamaCpp
            | Loader::OllamaFrom
            | Loader::HubUrl
            | Loader::Zoo
            | Loader::DataUrl
            | Loader::DatasetLink => "download",
            Loader::Default | Loader::Flag => "default",
            Loader::Key | Loader::Named => "config",
            _ => "load",
        }
    }
}

/// What a reference names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Model,
    Dataset,
    /// Either (`repo_id`): the catalogues decide.
    Either,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Model => "model",
            Kind::Dataset => "dataset",
            Kind::Either => "model or dataset",
        }
    }
}

/// One reference: the hub id as written, where it is (1-based line and column of the id's
/// first character in the file as stored on disk), how it is used and what it names.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CodeRef {
    pub id: String,
    pub line: usize,
    pub column: usize,
    pub loader: Loader,
    pub kind: Kind,
    /// The function or name that holds this default, if it is one.
    pub owner: Option<String>,
}

/// Which kind of file a name is, by name alone (None: not scanned).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CodeKind {
    Python,
    Notebook,
    Modelfile,
    Shell,
    /// YAML or TOML.
    Config,
    Json,
    Dockerfile,
    Markdown,
}

/// The kind of a file by its name (a path's last component is used). A known extension
/// wins over `Modelfile.*` (`Modelfile.py` is Python).
pub fn classify(file_name: &str) -> Option<CodeKind> {
    let name = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let lower = name.to_ascii_lowercase();
    if lower == "modelfile" || lower.ends_with(".modelfile") {
        return Some(CodeKind::Modelfile);
    }
    if lower == "dockerfile" || lower.starts_with("dockerfile.") || lower.ends_with(".dockerfile") {
        return Some(CodeKind::Dockerfile);
    }
    match lower.rsplit_once('.').map(|(_, ext)| ext) {
        Some("py") => Some(CodeKind::Python),
        Some("ipynb") => Some(CodeKind::Notebook),
        Some("sh" | "bash") => Some(CodeKind::Shell),
        Some("yaml" | "yml" | "toml") => Some(CodeKind::Config),
        Some("json") => Some(CodeKind::Json),
        _ => lower
            .starts_with("modelfile.")
            .then_some(CodeKind::Modelfile),
    }
}

/// References in a file's text, sorted by (line, column), one per position.
pub fn scan(kind: CodeKind, text: &str) -> Vec<CodeRef> {
    match kind {
        CodeKind::Python => to_refs(text, python::hits(text)),
        CodeKind::Notebook => notebook::refs(text),
        CodeKind::Modelfile => to_refs(text, modelfile::hits(text)),
        CodeKind::Shell => to_refs(text, shell::hits(text, 0)),
        CodeKind::Config => {
            let mut hits = keyed::hits(text);
            hits.extend(named_dataset_uses(text, |_| true));
            to_refs(text, hits)
        }
        CodeKind::Json => to_refs(text, keyed::json_hits(text)),
        CodeKind::Dockerfile => to_refs(text, shell::dockerfile_hits(text)),
        CodeKind::Markdown => to_refs(text, markdown::hits(text)),
    }
}

/// The line of a file that publishes what it trains: `push_to_hub: true` (YAML),
/// `--push_to_hub` (a command line), `push_to_hub=True` (Python).
pub fn publish_line(text: &str) -> Option<usize> {
    memchr::memmem::find(text.as_bytes(), b"push_to_hub")?;
    text.lines()
        .position(|l| {
            let l = l.trim();
            !l.starts_with('#')
                && (l
                    .replace(' ', "")
                    .to_ascii_lowercase()
                    .starts_with("push_to_hub:true")
                    || l.contains("--push_to_hub")
                    || l.contains("push_to_hub=True"))
        })
        .map(|i| i + 1)
}

/// A reference before its line is known: the byte offset of the id, the id, how, what.
pub(crate) struct Hit {
    pub at: usize,
    pub id: String,
    pub how: Loader,
    pub kind: Kind,
    /// For a default: the function or name that holds it (`alpaca_dataset` for its
    /// `source=` parameter), so a config that names the function inherits the default.
    pub owner: Option<String>,
}

impl Hit {
    /// A reference that is not a default held by a function or name.
    pub(crate) fn new(at: usize, id: String, how: Loader, kind: Kind) -> Hit {
        Hit {
            at,
            id,
            how,
            kind,
            owner: None,
        }
    }
}

/// Offsets to 1-based (line, column in characters), in one pass; sorted and deduplicated.
fn to_refs(text: &str, mut hits: Vec<Hit>) -> Vec<CodeRef> {
    hits.sort_by_key(|h| (h.at, h.how));
    hits.dedup_by(|b, a| a.at == b.at);
    let (mut at, mut line, mut column) = (0, 1, 1);
    let mut out = Vec::with_capacity(hits.len());
    for hit in hits {
        let Some(between) = text.get(at..hit.at) else {
            continue;
        };
        for c in between.chars() {
            (line, column) = if c == '\n' {
                (line + 1, 1)
            } else {
                (line, column + 1)
            };
        }
        at = hit.at;
        out.push(CodeRef {
            id: hit.id,
            line,
            column,
            loader: hit.how,
            kind: hit.kind,
            owner: hit.owner,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use CodeKind::*;
    use Loader::*;

    fn found(kind: CodeKind, text: &str) -> Vec<(String, usize, usize, Loader)> {
        scan(kind, text)
            .into_iter()
            .map(|r| (r.id, r.line, r.column, r.loader))
            .collect()
    }

    fn hit(id: &str, line: usize, column: usize, loader: Loader) -> (String, usize, usize, Loader) {
        (id.to_string(), line, column, loader)
    }

    #[test]
    fn python_loader_forms() {
        let text = "from transformers import AutoModel\n\
            m = AutoModel.from_pretrained(\"Qwen/Qwen2.5-7B-Instruct\")\n\
            p = hf_hub_download('lab/repo7', filename='x.bin')\n\
            s = snapshot_download(local_dir='x', repo_id=\"lab/snap\")\n\
            pipe = pipeline(\"text-generation\", model=\"meta-llama/Llama-3.1-8B\")\n\
            llm = vllm.LLM(model=\"mistralai/Mistral-7B-v0.1\"); c = ChatLLM(\"no/pe\")\n\
            e = SentenceTransformer(\"sentence-transformers/all-MiniLM-L6-v2\")\n\
            a = PeftModel.from_pretrained(base, \"lab/adapter\")\n\
            d = hf_hub_download(repo_id=\"lab/data\", repo_type=\"dataset\")\n";
        assert_eq!(
            found(Python, text),
            vec![
                hit("Qwen/Qwen2.5-7B-Instruct", 2, 32, FromPretrained),
                hit("lab/repo7", 3, 22, HubDownload),
                hit("lab/snap", 4, 47, HubDownload),
                hit("meta-llama/Llama-3.1-8B", 5, 43, Pipeline),
                hit("mistralai/Mistral-7B-v0.1", 6, 23, Vllm),
                hit(
                    "sentence-transformers/all-MiniLM-L6-v2",
                    7,
                    26,
                    SentenceTransformer
                ),
                hit("lab/adapter", 8, 38, FromPretrained),
                hit("lab/data", 9, 30, HubDownload),
            ]
        );
    }

    #[test]
    fn multi_line_call_and_keyword_forms() {
        let text = "model = AutoModelForCausalLM.from_pretrained(\n    \"google/gemma-2b\",\n    torch_dtype=dtype,\n)\n\
            pipe = DiffusionPipeline.from_pretrained(torch_dtype=t, pretrained_model_name_or_path='stabilityai/sdxl-turbo')\n\
            x = LLM('Qwen/Qwen2-0.5B'); y = pipeline(task=\"fill-mask\", tokenizer=tok.from_pretrained(\"a/tok\"), model=\"bb/mm\")\n";
        assert_eq!(
            found(Python, text),
            vec![
                hit("google/gemma-2b", 2, 6, FromPretrained),
                hit("stabilityai/sdxl-turbo", 5, 88, FromPretrained),
                hit("Qwen/Qwen2-0.5B", 6, 10, Vllm),
                hit("a/tok", 6, 91, FromPretrained),
                hit("bb/mm", 6, 107, Pipeline),
            ]
        );
    }

    #[test]
    fn non_literals_paths_and_comments_are_not_reported() {
        let text = "m = AutoModel.from_pretrained(model_id)\n\
            m = AutoModel.from_pretrained(f\"{org}/x\")\n\
            m = AutoModel.from_pretrained(\"./checkpoints/x\")\n\
            m = AutoModel.from_pretrained(\"lab/\" + name)\n\
            p = pipeline(\"text-generation\")\n\
            # m = AutoModel.from_pretrained(\"meta-llama/Llama-2-7b\")\n\
            x = 1  # from_pretrained(\"meta-llama/Llama-2-7b\")\n\
            def from_pretrained(cls, pretrained_model_name_or_path=\"a/b\"): pass\n";
        assert_eq!(found(Python, text), vec![]);
        let hash_in_string = "tok = T.from_pretrained(\"lab/t\", sep=\"#\")  # note\n";
        assert_eq!(
            found(Python, hash_in_string),
            vec![hit("lab/t", 1, 26, FromPretrained)]
        );
    }

    #[test]
    fn notebook_code_cells_map_to_ipynb_lines() {
        let text = r##"{
 "cells": [
  {
   "cell_type": "markdown",
   "metadata": {},
   "source": [
    "Uses `AutoModel.from_pretrained(\"lab/in-markdown\")`\n"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": null,
   "metadata": {},
   "outputs": [],
   "source": [
    "import transformers\n",
    "tok = AutoTokenizer.from_pretrained(\"lab/in-markdown\")\n",
    "m = AutoModel.from_pretrained(\n",
    "    'lab/model7')"
   ]
  },
  {
   "cell_type": "code",
   "source": ["# lab/two, below\n", "a = LLM(\"lab/two\"); b = LLM(\"lab/two\")"]
  }
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 5
}
"##;
        assert_eq!(
            found(Notebook, text),
            vec![
                hit("lab/in-markdown", 17, 44, FromPretrained),
                hit("lab/model7", 19, 11, FromPretrained),
                hit("lab/two", 24, 48, Vllm),
                hit("lab/two", 24, 70, Vllm),
            ]
        );
        let one_string = "{\"cells\": [{\"cell_type\": \"code\", \"source\": \"x = 1\\nm = LLM(\\\"ab/cd\\\")\"}]}";
        assert_eq!(found(Notebook, one_string), vec![hit("ab/cd", 1, 62, Vllm)]);
    }

    #[test]
    fn modelfile_from_lines() {
        let text = "FROM hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M\nfrom llama3.1:8b\n\
            FROM ./model.gguf\nFROM model.gguf\nFROM /abs/m\n# FROM gemma2\nPARAMETER temperature 1\n  FROM https://huggingface.co/lab/x\n";
        assert_eq!(
            found(Modelfile, text),
            vec![
                hit("bartowski/Llama-3.2-3B-Instruct-GGUF", 1, 12, OllamaFrom),
                hit("ollama:llama3.1", 2, 6, OllamaFrom),
                hit("lab/x", 8, 31, OllamaFrom),
            ]
        );
    }

    #[test]
    fn shell_commands() {
        let text = "llama-server -hf ggml-lab/gemma-3-1b-it-GGUF:Q4_K_M --port 8080\n\
            llama-cli --hf-repo=\"lab/a\" -hff x.gguf\n\
            # llama-cli -hf lab/commented\n\
            huggingface-cli download lab/b --local-dir m\n\
            hf download lab/c --repo-type dataset\n\
            llama-cli -hf $MODEL\n";
        assert_eq!(
            found(Shell, text),
            vec![
                hit("ggml-lab/gemma-3-1b-it-GGUF", 1, 18, LlamaCpp),
                hit("lab/a", 2, 22, LlamaCpp),
                hit("lab/b", 4, 26, HubDownload),
                hit("lab/c", 5, 13, HubDownload),
            ]
        );
    }

    #[test]
    fn hub_ids_and_file_kinds() {
        assert!(is_hub_id("Qwen/Qwen2.5-7B-Instruct"));
        for bad in "a/b/c ./a/b /abs ~/x http://x/y a/ ab a--b/c".split(' ') {
            assert!(!is_hub_id(bad), "{bad}");
        }
        assert!(!is_hub_id("a b/c") && !is_hub_id(""));
        assert!(!is_hub_id(&format!("lab/{}", "x".repeat(93))));
        let names =
            "src/train.py demo.ipynb run.sh run.bash Modelfile llama.Modelfile Modelfile.qwen";
        let kinds = [
            Python, Notebook, Shell, Shell, Modelfile, Modelfile, Modelfile,
        ];
        for (name, kind) in names.split(' ').zip(kinds) {
            assert_eq!(classify(name), Some(kind), "{name}");
        }
        assert_eq!(classify("x/Modelfile.py"), Some(Python));
        assert_eq!(classify("README.md"), None);
        assert_eq!(LlamaCpp.as_str(), "llama.cpp -hf");
    }

    #[test]
    fn hostile_input_is_fast_and_safe() {
        let started = std::time::Instant::now();
        let line = "from_pretrained(".repeat(65_536);
        assert!(scan(Python, &line).is_empty());
        let literals = "x.from_pretrained(\"ab/cd\"); ".repeat(40_000);
        assert_eq!(scan(Python, &literals).len(), 40_000);
        assert!(scan(Notebook, &format!("{{\"cells\": [{line}")).is_empty());
        assert!(scan(Notebook, "{\"cells\": 3, \"from_pretrained\": 1}").is_empty());
        assert!(scan(Shell, &"-hf ".repeat(250_000)).is_empty());
        assert!(scan(Modelfile, &"FROM é\u{301}:".repeat(100_000)).is_empty());
        for cut in ["x.from_pretrained(\"é", "LLM(", "pipeline(model='", "#"] {
            let _ = scan(Python, cut);
        }
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    }
}
