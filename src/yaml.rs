//! The one place that knows which YAML library we use. Everything else sees `Value`
//! or deserialises through `from_str`, so the parser can be swapped in one file.

use serde::de::DeserializeOwned;
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
}
