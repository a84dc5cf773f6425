//! Finding and loading a config: discovery upward from the scanned path, YAML or
//! `[tool.weightlint]` in pyproject.toml, positions from the parsers, strict validation.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;
use miette::{NamedSource, SourceSpan};
use serde::Deserialize;

use crate::core::registry::{self as rules};
use crate::core::source::{self, LineIndex};
use crate::license::kb::{kb, Entry};
use crate::yaml::{self, steps, Mark, Spans, Step};

use super::*;

/// Find the config for a scan starting in `dir`: the nearest `weightlint.yaml`,
/// `.weightlint.yaml` or `pyproject.toml` with a `[tool.weightlint]` table, looking upward
/// no further than the repository top (the first directory with `.git`).
pub fn discover(dir: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    for d in start.ancestors() {
        for name in FILE_NAMES {
            let p = d.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
        let py = d.join("pyproject.toml");
        if py.is_file() && source::read_text(&py).is_ok_and(|t| t.contains("[tool.weightlint")) {
            return Some(py);
        }
        if d.join(".git").exists() {
            break;
        }
    }
    None
}

/// How deep config positions go: `policy.exceptions[i].rules[j]` is five steps.
pub(super) const SPAN_DEPTH: usize = 6;

/// Where each key and item of a TOML config is, under the table at `prefix`. A document
/// that does not parse has no positions (its parse error has its own).
pub(super) fn toml_spans(text: &str, prefix: &[&str]) -> Spans {
    let mut spans = Spans::default();
    let Ok(doc) = toml_edit::ImDocument::parse(text) else {
        return spans;
    };
    let mut table: &dyn toml_edit::TableLike = doc.as_table();
    for key in prefix {
        match table.get(key).and_then(toml_edit::Item::as_table_like) {
            Some(t) => table = t,
            None => return spans,
        }
    }
    let index = LineIndex::new(text);
    let mark = |span: Option<std::ops::Range<usize>>| {
        span.map(|s| {
            let (line, column) = index.position(text, s.start);
            Mark { line, column }
        })
    };
    toml_table(table, &mut Vec::new(), &mark, &mut spans);
    spans
}

type ToMark<'a> = dyn Fn(Option<std::ops::Range<usize>>) -> Option<Mark> + 'a;

pub(super) fn toml_table(
    table: &dyn toml_edit::TableLike,
    path: &mut Vec<Step>,
    mark: &ToMark<'_>,
    spans: &mut Spans,
) {
    for (key, item) in table.iter() {
        path.push(Step::from(key));
        let key_span = table.key(key).and_then(toml_edit::Key::span);
        if let Some(m) = mark(key_span).or_else(|| mark(item.span())) {
            spans.insert(path.clone(), m);
        }
        toml_item(item, path, mark, spans);
        path.pop();
    }
}

pub(super) fn toml_item(
    item: &toml_edit::Item,
    path: &mut Vec<Step>,
    mark: &ToMark<'_>,
    spans: &mut Spans,
) {
    match item {
        toml_edit::Item::ArrayOfTables(tables) => {
            for (i, t) in tables.iter().enumerate() {
                path.push(Step::Index(i));
                if let Some(m) = mark(t.span()) {
                    spans.insert(path.clone(), m);
                }
                toml_table(t, path, mark, spans);
                path.pop();
            }
        }
        toml_edit::Item::Value(toml_edit::Value::Array(items)) => {
            for (i, v) in items.iter().enumerate() {
                path.push(Step::Index(i));
                if let Some(m) = mark(v.span()) {
                    spans.insert(path.clone(), m);
                }
                if let toml_edit::Value::InlineTable(t) = v {
                    toml_table(t, path, mark, spans);
                }
                path.pop();
            }
        }
        other => {
            if let Some(t) = other.as_table_like() {
                toml_table(t, path, mark, spans);
            }
        }
    }
}

/// Which syntax a config file is in.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Syntax {
    Yaml,
    /// `pyproject.toml`: the `[tool.weightlint]` table.
    PyProject,
    Toml,
}

#[derive(Deserialize)]
pub(super) struct PyProject {
    #[serde(default)]
    tool: Option<PyTool>,
}

#[derive(Deserialize)]
pub(super) struct PyTool {
    #[serde(default)]
    weightlint: Option<RawConfig>,
}

/// Load and validate a config file.
pub fn load(path: &Path, display: &str) -> Result<Config, Box<ConfigError>> {
    let text = source::read_text(path).map_err(|p| {
        Box::new(ConfigError {
            message: format!("cannot read config {display}: {}", p.describe()),
            src: NamedSource::new(display, String::new()),
            span: None,
            label: String::new(),
            help: None,
            line: None,
        })
    })?;
    let name = path.file_name().map(|n| n.to_string_lossy().to_string());
    let syntax = match name.as_deref() {
        Some("pyproject.toml") => Syntax::PyProject,
        Some(n) if n.ends_with(".toml") => Syntax::Toml,
        _ => Syntax::Yaml,
    };
    let dir = std::path::absolute(path)
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    Parser::new(display, &text, syntax).parse(dir)
}

pub(super) struct Parser<'a> {
    display: &'a str,
    text: &'a str,
    syntax: Syntax,
    /// Where each key and item is, from the parser (YAML) or the TOML document.
    spans: Spans,
}

impl<'a> Parser<'a> {
    pub(super) fn new(display: &'a str, text: &'a str, syntax: Syntax) -> Self {
        let spans = match syntax {
            Syntax::Yaml => Spans::of(text, SPAN_DEPTH),
            Syntax::PyProject => toml_spans(text, &["tool", "weightlint"]),
            Syntax::Toml => toml_spans(text, &[]),
        };
        Parser {
            display,
            text,
            syntax,
            spans,
        }
    }

    fn error_at(
        &self,
        line: Option<usize>,
        message: String,
        help: Option<String>,
    ) -> Box<ConfigError> {
        let index = LineIndex::new(self.text);
        let span = line.and_then(|l| {
            let start = index.line_start(l)?;
            let end = self.text[start..]
                .find('\n')
                .map_or(self.text.len(), |e| start + e);
            let lead = self.text[start..end].len() - self.text[start..end].trim_start().len();
            Some(SourceSpan::from((start + lead)..end))
        });
        Box::new(ConfigError {
            label: "here".to_string(),
            message: format!("{}: {message}", self.display),
            src: NamedSource::new(self.display, self.text.to_string()),
            span,
            help,
            line,
        })
    }

    /// The line of the key or item at `path` (under `[tool.weightlint]` in pyproject).
    fn line(&self, path: &[Step]) -> Option<usize> {
        self.spans.line(path)
    }

    fn deserialize(&self) -> Result<RawConfig, Box<ConfigError>> {
        match self.syntax {
            Syntax::Yaml => {
                if self.text.trim().is_empty() {
                    return Ok(RawConfig::default());
                }
                yaml::from_str::<Option<RawConfig>>(self.text)
                    .map(Option::unwrap_or_default)
                    .map_err(|e| self.error_at(e.line, e.message, None))
            }
            Syntax::PyProject => toml::from_str::<PyProject>(self.text)
                .map(|p| p.tool.and_then(|t| t.weightlint).unwrap_or_default())
                .map_err(|e| self.toml_error(&e)),
            Syntax::Toml => toml::from_str::<RawConfig>(self.text).map_err(|e| self.toml_error(&e)),
        }
    }

    fn toml_error(&self, e: &toml::de::Error) -> Box<ConfigError> {
        let line = e
            .span()
            .map(|s| LineIndex::new(self.text).position(self.text, s.start).0);
        self.error_at(line, e.message().to_string(), None)
    }

    pub(super) fn parse(&self, dir: PathBuf) -> Result<Config, Box<ConfigError>> {
        let raw = self.deserialize()?;
        let mut config = Config {
            source: Some(Source {
                display: self.display.to_string(),
                dir: dir.clone(),
                text: Arc::from(self.text),
            }),
            ..Config::default()
        };

        let p = raw.product;
        let set = [
            ("commercial", p.commercial.is_some()),
            ("monthly_active_users", p.monthly_active_users.is_some()),
            ("daily_active_users", p.daily_active_users.is_some()),
            ("annual_revenue_usd", p.annual_revenue_usd.is_some()),
            ("headquarters", p.headquarters.is_some()),
            ("regions", p.regions.is_some()),
            ("distribution", p.distribution.is_some()),
            ("trains_on_outputs", p.trains_on_outputs.is_some()),
            ("use_case", !p.use_case.is_empty()),
        ];
        for (key, is_set) in set {
            if is_set {
                let line = self.line(&steps!["product", key]);
                let origin = match line {
                    Some(l) => format!("{}:{l}", self.display),
                    None => self.display.to_string(),
                };
                config.origins.insert(key, origin);
            }
        }
        let region_error =
            |path: &[Step], message: String| self.error_at(self.line(path), message, None);
        let headquarters = match &p.headquarters {
            Some(hq) => {
                Some(region(hq).map_err(|m| region_error(&steps!["product", "headquarters"], m))?)
            }
            None => None,
        };
        let regions = match &p.regions {
            Some(list) => Some(
                list.iter()
                    .enumerate()
                    .map(|(i, r)| {
                        region(r).map_err(|m| region_error(&steps!["product", "regions", i], m))
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            None => None,
        };
        config.product = Product {
            headquarters,
            regions,
            ..p
        };

        config.require = raw.policy.require.unwrap_or_default();
        config.apply_presets(raw.policy.require.is_some(), &raw.rules);
        config.allow = self.patterns("allow", &raw.policy.allow)?;
        config.deny = self.patterns("deny", &raw.policy.deny)?;
        for (i, e) in raw.policy.exceptions.iter().enumerate() {
            config.exceptions.push(self.exception(i, e)?);
        }
        for (code, level) in &raw.rules {
            let rule = rules::find(code).ok_or_else(|| {
                self.error_at(
                    self.line(&steps!["rules", code.as_str()]),
                    format!("no rule `{code}`"),
                    Some("`weightlint explain` lists the rules".to_string()),
                )
            })?;
            config.severities.push((rule, *level));
        }
        if !raw.ignore.is_empty() {
            let mut builder = ignore::gitignore::GitignoreBuilder::new(&dir);
            for (i, glob) in raw.ignore.iter().enumerate() {
                builder.add_line(None, glob).map_err(|e| {
                    self.error_at(
                        self.line(&steps!["ignore", i]),
                        format!("`{glob}` is not a glob: {e}"),
                        None,
                    )
                })?;
            }
            config.ignore =
                Some(builder.build().map_err(|e| {
                    self.error_at(self.line(&steps!["ignore"]), e.to_string(), None)
                })?);
        }
        config.code = CodeScope {
            include: self.globs("include", &raw.code.include)?,
            exclude: self.globs("exclude", &raw.code.exclude)?,
        };
        Ok(config)
    }

    /// `code.include` or `code.exclude` as one matcher; `None` when the list is empty.
    fn globs(
        &self,
        key: &str,
        items: &[String],
    ) -> Result<Option<ignore::gitignore::Gitignore>, Box<ConfigError>> {
        if items.is_empty() {
            return Ok(None);
        }
        let mut builder = ignore::gitignore::GitignoreBuilder::new(SCOPE_ROOT);
        for (i, text) in items.iter().enumerate() {
            builder.add_line(None, text).map_err(|e| {
                self.error_at(
                    self.line(&steps!["code", key, i]),
                    format!("`{text}` in `code.{key}` is not a glob: {e}"),
                    None,
                )
            })?;
        }
        builder
            .build()
            .map(Some)
            .map_err(|e| self.error_at(self.line(&steps!["code", key]), e.to_string(), None))
    }

    fn patterns(&self, key: &str, items: &[String]) -> Result<Vec<Pattern>, Box<ConfigError>> {
        items
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let line = self.line(&steps!["policy", key, i]);
                if known_license(text) {
                    Ok(Pattern {
                        text: text.clone(),
                        line: line.unwrap_or(1),
                    })
                } else {
                    Err(self.error_at(
                        line,
                        format!("`{text}` in `policy.{key}` is not a license weightlint knows"),
                        Some(
                            "write an SPDX id (CC-BY-NC-4.0), a LicenseRef, a knowledge-base key or Hub id (llama3.1), or a family (llama, rail); a trailing * matches a prefix. `weightlint licenses` lists them"
                                .to_string(),
                        ),
                    ))
                }
            })
            .collect()
    }

    fn exception(&self, index: usize, e: &RawException) -> Result<Exception, Box<ConfigError>> {
        let at = |field: &[Step]| {
            let mut path = steps!["policy", "exceptions", index].to_vec();
            path.extend_from_slice(field);
            self.line(&path)
        };
        let line = at(&[]).or_else(|| self.line(&steps!["policy", "exceptions"]));
        let err = |field: &[Step], message: String, help: Option<&str>| {
            self.error_at(at(field).or(line), message, help.map(str::to_string))
        };
        let what = format!("exception {} (`{}`)", index + 1, e.model);
        if e.reason.trim().is_empty() {
            return Err(err(
                &steps!["reason"],
                format!("{what} has an empty `reason`"),
                Some("say why the rules do not apply, e.g. a separate agreement with the licensor"),
            ));
        }
        if e.rules.is_empty() {
            return Err(err(
                &steps!["rules"],
                format!("{what} lists no `rules`"),
                Some("name the rules it lifts: rules: [WL200]"),
            ));
        }
        let mut rules_out = Vec::new();
        for (i, code) in e.rules.iter().enumerate() {
            match rules::find(code) {
                Some(r) => rules_out.push(r),
                None => {
                    return Err(err(
                        &steps!["rules", i],
                        format!("{what} names no rule `{code}`"),
                        Some("`weightlint explain` lists the rules"),
                    ))
                }
            }
        }
        let expires = match &e.expires {
            Some(d) => {
                let text = d.text();
                Some(text.parse::<Date>().map_err(|_| {
                    err(
                        &steps!["expires"],
                        format!("{what}: `expires: {text}` is not a date"),
                        Some("write YYYY-MM-DD"),
                    )
                })?)
            }
            None => None,
        };
        let pattern = e
            .model
            .trim()
            .trim_start_matches("./")
            .trim_end_matches('/');
        let glob = globset::GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .map_err(|x| {
                err(
                    &steps!["model"],
                    format!("{what}: `model` is not a glob: {x}"),
                    None,
                )
            })?
            .compile_matcher();
        Ok(Exception {
            model: e.model.clone(),
            glob,
            rules: rules_out,
            reason: e.reason.clone(),
            expires,
            line: line.unwrap_or(1),
        })
    }
}

/// Whether an allow/deny entry names something: a knowledge-base id, key, Hub id or family,
/// an SPDX id, a `LicenseRef-`, or a prefix (`CC-BY-NC-*`) of one of those.
pub(super) fn known_license(text: &str) -> bool {
    let lower = text.trim().to_ascii_lowercase();
    if let Some(prefix) = lower.strip_suffix('*') {
        return !prefix.is_empty()
            && kb()
                .entries
                .iter()
                .any(|e| entry_names(e).any(|n| n.to_ascii_lowercase().starts_with(prefix)));
    }
    lower.starts_with("licenseref-")
        || spdx::license_id(text.trim()).is_some()
        || kb().name(text).is_some()
        || kb()
            .entries
            .iter()
            .any(|e| e.family.eq_ignore_ascii_case(&lower))
}

pub(super) fn entry_names(e: &Entry) -> impl Iterator<Item = &str> {
    [e.id.as_str(), e.key.as_str(), e.family.as_str()]
        .into_iter()
        .chain(e.hf_ids.iter().map(String::as_str))
}
