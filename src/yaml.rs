//! The one place that knows which YAML libraries we use. Everything else sees `Value`,
//! deserialises through `from_str`, or asks [`Spans`] where a node is, so either library
//! can be swapped in this file.
//!
//! Values come from `serde_yaml` (libyaml's reading, which the knowledge base, configs and
//! the shared Hub cards are checked against); positions come from `saphyr-parser`, a
//! maintained YAML 1.2 event parser whose every event carries its place in the text. The
//! span index is built from events only: aliases are not expanded, so it cannot blow up.

use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::fmt;

/// A parsed YAML node, reduced to what cards, configs and the knowledge base need.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// Numbers keep their source spelling; a license id is never arithmetic.
    Number(String),
    String(String),
    List(Vec<Value>),
    /// Keys in source order; non-string keys are rendered to strings.
    Map(Vec<(String, Value)>),
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A short name for the node's type, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::List(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// Scalars as text (strings, numbers, booleans); `None` for the rest.
    pub fn scalar_text(&self) -> Option<String> {
        match self {
            Value::String(s) | Value::Number(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A string, or each string of a list of strings.
    pub fn strings(&self) -> Vec<&str> {
        match self {
            Value::String(s) => vec![s.as_str()],
            Value::List(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }
}

/// A parse failure with its place in the parsed text (1-based), when the parser knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for YamlError {}

fn convert_error(e: &serde_yaml::Error) -> YamlError {
    let location = e.location();
    // serde_yaml appends " at line N column M" to its message; we report those separately.
    let raw = e.to_string();
    let message = match raw.find(" at line ") {
        Some(i) if location.is_some() => raw[..i].to_string(),
        _ => raw,
    };
    YamlError {
        message,
        line: location.as_ref().map(|l| l.line()),
        column: location.as_ref().map(|l| l.column()),
    }
}

/// Parse one YAML document into a `Value`. An empty document is `Null`.
pub fn parse(text: &str) -> Result<Value, YamlError> {
    let raw: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| convert_error(&e))?;
    Ok(convert(raw))
}

/// Deserialise a typed structure (config, knowledge-base entries).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|e| convert_error(&e))
}

fn convert(raw: serde_yaml::Value) -> Value {
    match raw {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => Value::Number(n.to_string()),
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(items) => Value::List(items.into_iter().map(convert).collect()),
        serde_yaml::Value::Mapping(map) => Value::Map(
            map.into_iter()
                .map(|(k, v)| (key_text(k), convert(v)))
                .collect(),
        ),
        serde_yaml::Value::Tagged(tagged) => convert(tagged.value),
    }
}

fn key_text(key: serde_yaml::Value) -> String {
    match convert(key) {
        Value::String(s) | Value::Number(s) => s,
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_string(),
        other => format!("<{} key>", other.kind()),
    }
}

/// One step of a path into a document: a mapping key or a sequence index.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Key(String),
    Index(usize),
}

impl From<&str> for Step {
    fn from(key: &str) -> Self {
        Step::Key(key.to_string())
    }
}

impl From<usize> for Step {
    fn from(index: usize) -> Self {
        Step::Index(index)
    }
}

/// Where a node starts in the parsed text: 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    pub line: usize,
    pub column: usize,
}

/// Where each node of a document is: a mapping entry is found at its key, a sequence item
/// at the item. Built from the parser's events, so comments and look-alike text are never
/// mistaken for keys. A document that does not parse keeps the positions read before the
/// error; keys that repeat keep their first place.
#[derive(Clone, Debug, Default)]
pub struct Spans {
    marks: BTreeMap<Vec<Step>, Mark>,
}

/// An open collection while the events are walked.
struct Frame {
    /// The path of the collection; `None` past the depth or inside a complex (non-scalar)
    /// key, which no path can name.
    path: Option<Vec<Step>>,
    slot: Slot,
}

/// What the next node in an open collection is.
enum Slot {
    Item(usize),
    Key,
    /// The value of this key (`None`: a complex key).
    Value(Option<String>),
}

impl Spans {
    /// Index the first document of `text`, down to `depth` steps (1: top-level keys only).
    pub fn of(text: &str, depth: usize) -> Spans {
        use saphyr_parser::{Event, Parser};
        let mut marks = BTreeMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        let mut documents = 0;
        for item in Parser::new_from_str(text) {
            let Ok((event, span)) = item else { break };
            let mark = Mark {
                line: span.start.line(),
                column: span.start.col() + 1,
            };
            let opens = match &event {
                Event::DocumentStart(_) => {
                    documents += 1;
                    if documents > 1 {
                        break;
                    }
                    continue;
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                    continue;
                }
                Event::MappingStart(..) => Some(Slot::Key),
                Event::SequenceStart(..) => Some(Slot::Item(0)),
                Event::Scalar(..) | Event::Alias(_) => None,
                _ => continue,
            };
            // The path of this node: `None` when it is a key, or when no path names it.
            let path = match stack.last_mut() {
                None => Some(Vec::new()),
                Some(frame) => {
                    let step = match &mut frame.slot {
                        Slot::Item(i) => {
                            *i += 1;
                            Some(Step::Index(*i - 1))
                        }
                        Slot::Key => {
                            let name = match &event {
                                Event::Scalar(value, ..) => Some(value.to_string()),
                                _ => None,
                            };
                            frame.slot = Slot::Value(name.clone());
                            if let (Some(parent), Some(name)) = (&frame.path, name) {
                                let mut p = parent.clone();
                                p.push(Step::Key(name));
                                marks.entry(p).or_insert(mark);
                            }
                            if let Some(slot) = opens {
                                stack.push(Frame { path: None, slot });
                            }
                            continue;
                        }
                        Slot::Value(name) => {
                            let name = name.take();
                            frame.slot = Slot::Key;
                            name.map(Step::Key)
                        }
                    };
                    match (&frame.path, step) {
                        (Some(parent), Some(step)) => {
                            let mut p = parent.clone();
                            p.push(step);
                            Some(p)
                        }
                        _ => None,
                    }
                }
            };
            if let Some(p) = &path {
                if matches!(p.last(), Some(Step::Index(_))) {
                    marks.entry(p.clone()).or_insert(mark);
                }
            }
            if let Some(slot) = opens {
                // Past the depth, the collection's nodes are walked but not recorded.
                let path = path.filter(|p| p.len() < depth);
                stack.push(Frame { path, slot });
            }
        }
        Spans { marks }
    }

    /// Record where a node is, for positions read by another parser (TOML configs); the
    /// first place given for a path is kept.
    pub fn insert(&mut self, path: Vec<Step>, mark: Mark) {
        self.marks.entry(path).or_insert(mark);
    }

    /// Where the node at `path` is.
    pub fn mark(&self, path: &[Step]) -> Option<Mark> {
        self.marks.get(path).copied()
    }

    /// The line of the node at `path`.
    pub fn line(&self, path: &[Step]) -> Option<usize> {
        self.mark(path).map(|m| m.line)
    }
}

/// A path for [`Spans`], steps written as keys and indices: `steps!["policy", "exceptions", 1]`.
macro_rules! steps {
    ($($step:expr),* $(,)?) => {
        [$($crate::yaml::Step::from($step)),*]
    };
}
pub(crate) use steps;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_mapping_in_order() {
        let v = parse("license: mit\ntags: [a, b]\nn: 3\n").unwrap();
        assert_eq!(v.get("license"), Some(&Value::String("mit".into())));
        assert_eq!(v.get("n"), Some(&Value::Number("3".into())));
        assert_eq!(v.get("tags").map(Value::strings), Some(vec!["a", "b"]));
    }

    #[test]
    fn error_carries_line() {
        let e = parse("a: 1\nb: [unclosed\n").unwrap_err();
        assert!(e.line.is_some(), "{e:?}");
    }

    #[test]
    fn alias_bomb_is_an_error_not_a_hang() {
        let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            doc.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(parse(&doc).is_err());
    }

    #[test]
    fn spans_find_keys_and_items_not_comments() {
        let text = "# product: commercial: false\nproduct:\n  commercial: true\npolicy:\n  exceptions:\n    - model: a\n      reason: r\n    - model: a\n      reason: ''\n";
        let spans = Spans::of(text, 8);
        assert_eq!(spans.line(&steps!["product"]), Some(2));
        assert_eq!(spans.line(&steps!["product", "commercial"]), Some(3));
        assert_eq!(
            spans.mark(&steps!["policy", "exceptions", 1, "reason"]),
            Some(Mark { line: 9, column: 7 })
        );
        assert_eq!(spans.line(&steps!["policy", "exceptions", 1]), Some(8));
        assert_eq!(spans.line(&steps!["policy", "exceptions", 2]), None);
    }

    #[test]
    fn spans_stop_at_the_depth_and_survive_bad_yaml_and_complex_keys() {
        let spans = Spans::of("a:\n  b: 1\n? [x, y]\n: 2\nc: [1, 2\n", 1);
        assert_eq!(spans.line(&steps!["a"]), Some(1));
        assert_eq!(spans.line(&steps!["a", "b"]), None);
        assert_eq!(spans.line(&steps!["c"]), Some(5));
        let flow = Spans::of("{a: 1, b: {c: 2}}\n", 4);
        assert_eq!(
            flow.mark(&steps!["b", "c"]),
            Some(Mark {
                line: 1,
                column: 12
            })
        );
    }
}
