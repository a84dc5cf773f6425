//! Model and dataset cards: front matter parsed into fields that remember their line.

use super::front_matter::{self, FrontMatter};
use crate::yaml::{self, Spans, Step, Value};

/// One top-level key of the front matter, with the 1-based line it is on in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub key: String,
    pub value: Value,
    pub line: usize,
}

/// What went wrong with a front matter block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrontMatterProblem {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

/// Whether a card describes a model, a dataset, or a Space (which is neither).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardKind {
    Model,
    Dataset,
    Space,
    /// A README whose front matter carries no card keys (a docs page).
    NotACard,
}

/// A parsed card.
#[derive(Clone, Debug)]
pub struct Card {
    pub path: String,
    pub has_front_matter: bool,
    pub fields: Vec<Field>,
    pub problem: Option<FrontMatterProblem>,
    /// 1-based line where the body starts.
    pub body_line: usize,
    /// `weightlint: allow CODE… -- reason` comments anywhere in the card.
    pub suppressions: Vec<Suppression>,
}

/// An inline suppression: `<!-- weightlint: allow WL301 -- reason -->` or a YAML comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// Rule codes or names as written.
    pub rules: Vec<String>,
    pub reason: Option<String>,
    pub line: usize,
}

/// Find the inline suppressions in a card's text.
pub fn suppressions(text: &str) -> Vec<Suppression> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(at) = line.find("weightlint:") else {
            continue;
        };
        let rest = line[at + "weightlint:".len()..].trim_start();
        let Some(rest) = rest.strip_prefix("allow") else {
            continue;
        };
        // The comment may close on the same line: `… -->`.
        let rest = rest.split_once("-->").map_or(rest, |(r, _)| r);
        let (rules, reason) = match rest.find(" --") {
            Some(k) => (&rest[..k], Some(rest[k + 3..].trim())),
            None => (rest, None),
        };
        out.push(Suppression {
            rules: rules
                .split([',', ' ', '\t'])
                .filter(|r| !r.is_empty())
                .map(str::to_string)
                .collect(),
            reason: reason.filter(|r| !r.is_empty()).map(str::to_string),
            line: i + 1,
        });
    }
    out
}

impl Card {
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    pub fn str_field(&self, key: &str) -> Option<&str> {
        self.field(key).and_then(|f| f.value.as_str())
    }

    pub fn kind(&self) -> CardKind {
        let has = |k: &str| self.fields.iter().any(|f| f.key == k);
        // A Space's README; some model cards copy Space metadata, and keep their license.
        if has("app_file") || (has("sdk") && !has("license")) {
            return CardKind::Space;
        }
        if DATASET_KEYS.iter().any(|k| has(k)) && !has("pipeline_tag") && !has("base_model") {
            return CardKind::Dataset;
        }
        if MODEL_KEYS.iter().any(|k| has(k)) {
            return CardKind::Model;
        }
        CardKind::NotACard
    }
}

/// Keys that make a README's front matter a model card's.
const MODEL_KEYS: &[&str] = &[
    "license",
    "licenses",
    "license_name",
    "license_link",
    "base_model",
    "base_model_relation",
    "datasets",
    "pipeline_tag",
    "library_name",
    "model-index",
    "model_name",
    "new_version",
    "inference",
    "widget",
    "metrics",
    "tags",
    "language",
    "gated",
    "extra_gated_prompt",
    "extra_gated_fields",
    "thumbnail",
    "co2_eq_emissions",
];

/// Keys only dataset cards carry.
const DATASET_KEYS: &[&str] = &[
    "task_categories",
    "size_categories",
    "dataset_info",
    "annotations_creators",
    "language_creators",
    "source_datasets",
    "pretty_name",
    "configs",
    "task_ids",
];

/// Whether the first non-blank line after the opening fence is a `key:` line.
fn opens_metadata(rest: &str) -> bool {
    rest.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .and_then(|l| l.split_once(':'))
        .is_some_and(|(key, _)| {
            !key.is_empty()
                && key
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'"' | b'\''))
        })
}

/// Parse a card's text. Never fails: problems are recorded on the card.
pub fn parse(path: &str, text: &str) -> Card {
    let mut card = Card {
        path: path.to_string(),
        has_front_matter: false,
        fields: Vec::new(),
        problem: None,
        body_line: 1,
        suppressions: suppressions(text),
    };
    match front_matter::split(text) {
        FrontMatter::Absent => {}
        // A `---` followed by prose (`# Title`) and never closed is a Markdown rule, not
        // metadata: the Hub sees no front matter either.
        FrontMatter::Unclosed { rest, .. } if !opens_metadata(rest) => {}
        FrontMatter::Unclosed { rest, first_line } => {
            let open = first_line - 1;
            card.has_front_matter = true;
            card.problem = Some(FrontMatterProblem {
                message: format!(
                    "the front matter opened on line {open} is never closed with `---`"
                ),
                line: open,
                column: 1,
            });
            // Read what we can, so a declared license is still seen.
            card.fields = lenient_fields(rest, first_line);
        }
        FrontMatter::Empty {
            first_line,
            close_line,
        } => {
            card.has_front_matter = true;
            card.body_line = close_line + 1;
            card.problem = Some(FrontMatterProblem {
                message: "the front matter block is empty".to_string(),
                line: first_line - 1,
                column: 1,
            });
        }
        FrontMatter::Block {
            yaml: block,
            first_line,
            body_line,
        } => {
            card.has_front_matter = true;
            card.body_line = body_line;
            // Top-level keys only: a card's `dataset_info` or `model-index` can be large.
            let spans = Spans::of(block, 1);
            let line_of = |key: &str| {
                spans
                    .line(&[Step::from(key)])
                    .map_or(first_line, |l| l + first_line - 1)
            };
            match yaml::parse(block) {
                Ok(Value::Map(entries)) => {
                    card.problem = tab_problem(block, first_line);
                    card.fields = entries
                        .into_iter()
                        .map(|(key, value)| Field {
                            line: line_of(&key),
                            key,
                            value,
                        })
                        .collect();
                }
                Ok(other) => {
                    card.problem = Some(FrontMatterProblem {
                        message: format!(
                            "the front matter is {}, not a mapping of keys",
                            other.kind()
                        ),
                        line: first_line,
                        column: 1,
                    });
                }
                Err(e) => {
                    card.problem = Some(FrontMatterProblem {
                        message: format!("invalid YAML: {}", e.message),
                        line: e.line.map_or(first_line, |l| l + first_line - 1),
                        column: e.column.unwrap_or(1),
                    });
                    card.fields = lenient_fields(block, first_line);
                }
            }
        }
    }
    card
}

/// A tab outside quotes: libyaml accepts some, but PyYAML (what `huggingface_hub` loads
/// cards with) rejects the card, so Python tooling sees no metadata at all.
fn tab_problem(block: &str, first_line: usize) -> Option<FrontMatterProblem> {
    for (i, line) in block.lines().enumerate() {
        let mut quote: Option<char> = None;
        for (col, c) in line.chars().enumerate() {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '#') => break,
                (None, '\t') => {
                    return Some(FrontMatterProblem {
                        message: "a tab character outside quotes: PyYAML, which huggingface_hub uses to read cards, rejects it".to_string(),
                        line: first_line + i,
                        column: col + 1,
                    })
                }
                _ => {}
            }
        }
    }
    None
}

/// For a block that does not parse: `key: scalar` lines at the top level, read one by one,
/// so that a card with one bad line still shows what it declares.
fn lenient_fields(block: &str, first_line: usize) -> Vec<Field> {
    let mut out: Vec<Field> = Vec::new();
    for (i, line) in block.lines().enumerate() {
        if front_matter_fence(line) {
            break;
        }
        // A top-level key starts in column 1.
        if line.starts_with(|c: char| c.is_whitespace() || "#-[{}]".contains(c)) {
            continue;
        }
        let has_value = line
            .split_once(':')
            .is_some_and(|(_, raw)| !raw.trim().is_empty());
        // One line on its own is valid YAML when the value is a plain scalar.
        let Ok(Value::Map(mut entries)) = yaml::parse(line) else {
            continue;
        };
        let Some((key, value)) = entries.pop() else {
            continue;
        };
        if has_value && entries.is_empty() && !out.iter().any(|f| f.key == key) {
            out.push(Field {
                key,
                value,
                line: first_line + i,
            });
        }
    }
    out
}

fn front_matter_fence(line: &str) -> bool {
    matches!(line.trim_end(), "---" | "...")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_suppressions_with_and_without_reasons() {
        let text = "---\nlicense: mit # weightlint: allow WL103 -- relicensed with permission\n---\n<!-- weightlint: allow WL301, derivative-naming -- upstream name kept -->\n<!-- weightlint: allow WL300 -->\nweightlint: check\n";
        let s = suppressions(text);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].rules, ["WL103"]);
        assert_eq!(s[0].reason.as_deref(), Some("relicensed with permission"));
        assert_eq!(s[0].line, 2);
        assert_eq!(s[1].rules, ["WL301", "derivative-naming"]);
        assert_eq!(s[1].reason.as_deref(), Some("upstream name kept"));
        assert_eq!(
            (s[2].rules.as_slice(), s[2].reason.as_deref()),
            (&["WL300".to_string()][..], None)
        );
    }

    #[test]
    fn fields_keep_their_file_lines() {
        let card = parse(
            "README.md",
            "---\ntags:\n- x\nlicense: llama3.1\n---\n# Model\n",
        );
        let f = card.field("license").unwrap();
        assert_eq!(f.line, 4);
        assert_eq!(f.value, Value::String("llama3.1".into()));
        assert_eq!(card.kind(), CardKind::Model);
        assert_eq!(card.body_line, 6);
    }

    #[test]
    fn broken_yaml_is_a_problem_and_keeps_scalar_keys() {
        let card = parse("README.md", "---\nlicense: mit\ntags: [a, b\n---\n");
        let p = card.problem.as_ref().unwrap();
        assert!(p.message.starts_with("invalid YAML"), "{p:?}");
        assert_eq!(card.str_field("license"), Some("mit"));
    }

    #[test]
    fn a_tab_outside_quotes_is_a_problem() {
        let card = parse(
            "README.md",
            "---\nlicense: mit\nvalue: 0.91\t\nq: \"a\tb\"\n---\n",
        );
        let p = card.problem.as_ref().unwrap();
        assert_eq!((p.line, p.column), (3, 12));
        assert_eq!(card.str_field("license"), Some("mit"));
        assert!(parse("README.md", "---\nq: \"a\tb\"\n---\n")
            .problem
            .is_none());
    }

    #[test]
    fn unclosed_and_empty_blocks() {
        let card = parse("README.md", "---\nlicense: mit\n");
        assert!(card.problem.is_some());
        assert_eq!(card.str_field("license"), Some("mit"));
        // A rule above a heading, never closed, is Markdown, not metadata.
        let card = parse("model_card.md", "---\n# Alpaca Model Card\n\nText: more\n");
        assert!(card.problem.is_none() && !card.has_front_matter);
        let card = parse("README.md", "---\n---\n");
        assert_eq!(
            card.problem.as_ref().unwrap().message,
            "the front matter block is empty"
        );
    }

    #[test]
    fn kinds() {
        assert_eq!(
            parse("R", "---\ntitle: x\nsdk: gradio\napp_file: app.py\n---\n").kind(),
            CardKind::Space
        );
        assert_eq!(
            parse(
                "R",
                "---\ntitle: x\nsdk: gradio\nlicense: mit\ntags: [art]\n---\n"
            )
            .kind(),
            CardKind::Model
        );
        assert_eq!(
            parse("R", "---\ntask_categories: [x]\nlicense: mit\n---\n").kind(),
            CardKind::Dataset
        );
        assert_eq!(
            parse("R", "---\ntitle: Docs\nlayout: page\n---\n").kind(),
            CardKind::NotACard
        );
    }

    /// The 1,000 shared Hub cards against PyYAML's reading of them (their LABELS.yaml):
    /// `cargo test --lib hub_cards -- --ignored --nocapture` (it needs ../shared, or
    /// WEIGHTLINT_HUB_CARDS naming the folder). Prints the agreement and each disagreement.
    #[test]
    #[ignore = "reads the shared Hub-card corpus"]
    fn hub_cards_agree_with_their_labels() {
        let dir = std::env::var("WEIGHTLINT_HUB_CARDS").map_or_else(
            |_| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/hub-cards"),
            std::path::PathBuf::from,
        );
        let labels = std::fs::read_to_string(dir.join("LABELS.yaml")).expect("LABELS.yaml");
        let Ok(Value::List(labels)) = yaml::parse(&labels) else {
            panic!("LABELS.yaml is not a list");
        };
        let (mut status_ok, mut license_ok, mut hub_reads, mut lines) = (0, 0, 0, Vec::new());
        for label in &labels {
            let card = label.get("card").and_then(Value::as_str).expect("card");
            let want_status = label
                .get("front_matter")
                .and_then(Value::as_str)
                .expect("status");
            let want_license = label.get("license").cloned().unwrap_or(Value::Null);
            let path = dir.join(card.trim_start_matches("hub-cards/"));
            let text = crate::core::source::read_text(&path).expect("card text");
            let parsed = parse(card, &text);
            let license = parsed.field("license").map(|f| f.value.clone());
            let status = match (&parsed.problem, &license) {
                _ if !parsed.has_front_matter => "no-front-matter",
                (Some(p), _) if p.message.starts_with("invalid YAML") => "yaml-error",
                (_, None) => "no-license-key",
                (_, Some(_)) => "ok",
            };
            let got_license = license.unwrap_or(Value::Null);
            // The labels come from a reader that wants `---` on line 1; huggingface_hub's
            // REGEX_YAML_BLOCK allows whitespace first, and so does weightlint.
            if want_status == "no-front-matter"
                && parsed.has_front_matter
                && text
                    .trim_start_matches('\u{feff}')
                    .starts_with(char::is_whitespace)
            {
                hub_reads += 1;
                continue;
            }
            status_ok += usize::from(status == want_status);
            license_ok += usize::from(got_license == want_license);
            if status != want_status || got_license != want_license {
                lines.push(format!(
                    "{card}: front matter {status} (label {want_status}), license {got_license:?} (label {want_license:?})"
                ));
            }
        }
        for line in &lines {
            println!("{line}");
        }
        println!(
            "front matter status agrees on {status_ok}/{n}, license on {license_ok}/{n}; \
             {hub_reads} more labelled no-front-matter open with whitespace before `---`, \
             which the Hub's client reads as front matter",
            n = labels.len() - hub_reads
        );
    }

    mod properties {
        use super::super::{parse, suppressions};
        use crate::inventory::front_matter::{self, FrontMatter};
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]

            #[test]
            fn cards_never_panic(s in "([ \t\r\n]{0,3}---\r?\n)?\\PC{0,400}(\r?\n---\r?\n\\PC{0,40})?") {
                let _ = parse("README.md", &s);
                let _ = suppressions(&s);
            }

            /// A block split out and fenced again splits the same way.
            #[test]
            fn front_matter_round_trips(yaml in "([a-z_]{1,8}: [a-z0-9 .-]{0,12}\n){1,6}", body in "[^-]\\PC{0,60}") {
                let text = format!("---\n{yaml}---\n{body}");
                let FrontMatter::Block { yaml: got, body_line, .. } = front_matter::split(&text) else {
                    return Err(TestCaseError::fail("no block"));
                };
                prop_assert_eq!(got, yaml.as_str());
                let again = format!("---\n{got}---\n{body}");
                let FrontMatter::Block { yaml: got2, body_line: line2, .. } = front_matter::split(&again) else {
                    return Err(TestCaseError::fail("no block on the second split"));
                };
                prop_assert_eq!(got2, got);
                prop_assert_eq!(line2, body_line);
            }
        }
    }
}
