//! The product profile and policy: `weightlint.yaml`, `.weightlint.yaml` or
//! `[tool.weightlint]` in `pyproject.toml`, found upward from the scanned path, or
//! `--config FILE`. Parsed strictly: an unknown key, a wrong type or an id weightlint does
//! not know is a [`ConfigError`] that points at the line, and the run stops (exit 2).

pub mod presets;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;
use miette::{NamedSource, SourceSpan};
use serde::Deserialize;

use crate::core::registry::{self as rules, Rule};
use crate::core::source::{self, LineIndex};
use crate::license::expr::Named;
use crate::license::kb::{kb, Entry};
use crate::yaml::{self, steps, Mark, Spans, Step};
use presets::UseCase;

/// File names searched for, nearest directory first.
pub const FILE_NAMES: &[&str] = &["weightlint.yaml", ".weightlint.yaml"];

/// How the product is shipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Distribution {
    Saas,
    OnDevice,
    Internal,
    Research,
    OpenRelease,
}

impl Distribution {
    pub fn as_str(self) -> &'static str {
        match self {
            Distribution::Saas => "saas",
            Distribution::OnDevice => "on-device",
            Distribution::Internal => "internal",
            Distribution::Research => "research",
            Distribution::OpenRelease => "open-release",
        }
    }
}

/// How open a model must be (`policy.require`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Require {
    #[default]
    OpenWeight,
    Osi,
    OpenSourceAi,
}

impl Require {
    pub fn as_str(self) -> &'static str {
        match self {
            Require::OpenWeight => "open-weight",
            Require::Osi => "osi",
            Require::OpenSourceAi => "open-source-ai",
        }
    }
}

/// A severity override in `rules:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Note,
    Off,
}

/// A count written as `800000000`, `800_000_000`, `"800M"`, `"1.5B"` or `"$5M"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "CountRepr")]
pub struct Count(pub u64);

#[derive(Deserialize)]
#[serde(untagged)]
enum CountRepr {
    Number(u64),
    Text(String),
}

impl TryFrom<CountRepr> for Count {
    type Error = String;
    fn try_from(raw: CountRepr) -> Result<Self, String> {
        match raw {
            CountRepr::Number(n) => Ok(Count(n)),
            CountRepr::Text(s) => parse_count(&s).map(Count),
        }
    }
}

/// Parse `800M`, `1.5B`, `$5,000,000`, `120k`: a whole number, optionally scaled.
pub fn parse_count(text: &str) -> Result<u64, String> {
    let bad = || format!("`{text}` is not a count (write 800000000, 800M or 1.5B)");
    let t: String = text
        .trim()
        .trim_start_matches(['$', '€'])
        .chars()
        .filter(|c| !matches!(c, '_' | ',' | ' '))
        .collect();
    let (digits, scale) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let scale: u64 = match c.to_ascii_lowercase() {
                'k' => 1_000,
                'm' => 1_000_000,
                'b' | 'g' => 1_000_000_000,
                _ => return Err(bad()),
            };
            (&t[..i], scale)
        }
        _ => (t.as_str(), 1),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty()
        || !whole
            .bytes()
            .chain(frac.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let mut value = whole
        .parse::<u64>()
        .ok()
        .and_then(|w| w.checked_mul(scale))
        .ok_or_else(bad)?;
    let mut unit = scale;
    for d in frac.bytes() {
        unit /= 10;
        if unit == 0 {
            return Err(bad());
        }
        value = value
            .checked_add(u64::from(d - b'0') * unit)
            .ok_or_else(bad)?;
    }
    Ok(value)
}

/// `expires:` as a YAML string or a TOML date.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum DateRepr {
    Text(String),
    Toml(toml::value::Datetime),
}

impl DateRepr {
    fn text(&self) -> String {
        match self {
            DateRepr::Text(s) => s.clone(),
            DateRepr::Toml(d) => d.to_string(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawConfig {
    product: Product,
    policy: RawPolicy,
    rules: BTreeMap<String, Level>,
    ignore: Vec<String>,
    code: RawCode,
}

/// `code:`: which code files are the product's, beyond the default (tests, docs and
/// examples are not).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawCode {
    include: Vec<String>,
    exclude: Vec<String>,
}

/// Which code is the product's: gitignore-style patterns over paths relative to each
/// scanned root. `include` brings back code the default leaves out (tests, docs,
/// examples); `exclude` leaves out more. A pattern for a directory covers its files.
#[derive(Clone, Debug, Default)]
pub struct CodeScope {
    include: Option<ignore::gitignore::Gitignore>,
    exclude: Option<ignore::gitignore::Gitignore>,
}

/// The root the scope's patterns are anchored at: scanned paths are joined to it.
const SCOPE_ROOT: &str = "/";

impl CodeScope {
    /// Whether the code file at `rel` (relative to its root) is read, given whether the
    /// default counts it as test, docs or example code.
    pub fn reads(&self, rel: &str, default_out: bool) -> bool {
        let path = Path::new(SCOPE_ROOT).join(rel);
        let any = |set: &Option<ignore::gitignore::Gitignore>| {
            set.as_ref()
                .is_some_and(|g| g.matched_path_or_any_parents(&path, false).is_ignore())
        };
        if any(&self.exclude) {
            return false;
        }
        !default_out || any(&self.include)
    }
}

/// The product profile: what decides the product-dependent terms. `None` is "not said".
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Product {
    pub commercial: Option<bool>,
    pub monthly_active_users: Option<Count>,
    pub daily_active_users: Option<Count>,
    pub annual_revenue_usd: Option<Count>,
    /// Where the licensee is domiciled or headquartered (ISO 3166 code, or `EU`).
    pub headquarters: Option<String>,
    /// Where the product's users are.
    pub regions: Option<Vec<String>>,
    pub distribution: Option<Distribution>,
    pub trains_on_outputs: Option<bool>,
    /// Use-case presets (`saas`, `regulated`, …): policy defaults, see `presets`.
    #[serde(deserialize_with = "one_or_many")]
    pub use_case: Vec<UseCase>,
}

/// A single value or a list of them.
fn one_or_many<'de, D>(d: D) -> Result<Vec<UseCase>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(UseCase),
        Many(Vec<UseCase>),
    }
    let parsed = OneOrMany::deserialize(d).map_err(|_| {
        serde::de::Error::custom(format!(
            "expected a use case or a list of them: {}",
            presets::PRESETS
                .iter()
                .map(|p| p.name)
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    Ok(match parsed {
        OneOrMany::One(u) => vec![u],
        OneOrMany::Many(v) => v,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawPolicy {
    require: Option<Require>,
    allow: Vec<String>,
    deny: Vec<String>,
    exceptions: Vec<RawException>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawException {
    model: String,
    rules: Vec<String>,
    reason: String,
    #[serde(default)]
    expires: Option<DateRepr>,
}

/// An `allow` or `deny` entry: an id, key, Hub id or family, optionally ending in `*`.
#[derive(Clone, Debug)]
pub struct Pattern {
    pub text: String,
    pub line: usize,
}

impl Pattern {
    /// Whether a model's license is what this entry names.
    pub fn matches(&self, license: &Named) -> bool {
        let entry = license.entry();
        let mut names = vec![license.id.as_str()];
        if let Some(e) = entry {
            names.extend([e.key.as_str(), e.family.as_str()]);
            names.extend(e.hf_ids.iter().map(String::as_str));
            names.extend(e.spdx.as_deref());
        }
        let pattern = self.text.to_ascii_lowercase();
        names.iter().any(|n| {
            let n = n.to_ascii_lowercase();
            match pattern.strip_suffix('*') {
                Some(prefix) => n.starts_with(prefix),
                None => n == pattern,
            }
        })
    }
}

/// A per-model exception: these rules do not apply to the models the glob matches.
#[derive(Clone, Debug)]
pub struct Exception {
    pub model: String,
    pub glob: globset::GlobMatcher,
    pub rules: Vec<&'static Rule>,
    pub reason: String,
    pub expires: Option<Date>,
    pub line: usize,
}

/// The config file a run uses, with its text for diagnostics that point into it.
#[derive(Clone, Debug)]
pub struct Source {
    /// The file as shown in messages.
    pub display: String,
    /// The absolute directory the file is in: exception and ignore paths are relative to it.
    pub dir: PathBuf,
    pub text: Arc<str>,
}

/// The loaded, validated configuration (the embedded default when there is no file).
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub source: Option<Source>,
    pub product: Product,
    pub require: Require,
    pub allow: Vec<Pattern>,
    pub deny: Vec<Pattern>,
    pub exceptions: Vec<Exception>,
    pub severities: Vec<(&'static Rule, Level)>,
    /// Rules whose undecided notes the use cases make warnings.
    pub emphasis: Vec<&'static Rule>,
    pub ignore: Option<ignore::gitignore::Gitignore>,
    pub code: CodeScope,
    /// Where each product key was set: `weightlint.yaml:3` or `--mau`.
    origins: BTreeMap<&'static str, String>,
}

/// A config file that cannot be used: what is wrong, and where.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
#[diagnostic(code(weightlint::config))]
pub struct ConfigError {
    pub message: String,
    #[source_code]
    src: NamedSource<String>,
    #[label("{label}")]
    span: Option<SourceSpan>,
    label: String,
    #[help]
    help: Option<String>,
    /// 1-based line in the config file, when known.
    pub line: Option<usize>,
}

/// Product values given on the command line; they win over the file.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub mau: Option<u64>,
    pub revenue: Option<u64>,
    pub headquarters: Option<String>,
    pub regions: Vec<String>,
    pub commercial: Option<bool>,
}

/// The member states of the European Union (Llama's multimodal clause looks here).
pub const EU_MEMBERS: &[&str] = &[
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
];

/// Jurisdictions under comprehensive US sanctions, as licenses that exclude them mean it.
pub const SANCTIONED: &[&str] = &["CU", "IR", "KP", "SY"];

/// ISO 3166-1 alpha-2 codes, for telling a region from a typo.
const ISO_3166: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// A region as written (`us`, `UK`, `EU`) in canonical form, or why it is not one.
pub fn region(text: &str) -> Result<String, String> {
    let upper = text.trim().to_ascii_uppercase();
    match upper.as_str() {
        "EU" => Ok(upper),
        "UK" => Ok("GB".to_string()),
        code if code.len() == 2 && ISO_3166.split(' ').any(|c| c == code) => Ok(upper),
        _ => Err(format!(
            "`{text}` is not a region: write an ISO 3166 country code (US, DE, GB) or EU"
        )),
    }
}

/// Whether a region is the EU or one of its member states.
pub fn in_eu(region: &str) -> bool {
    region == "EU" || EU_MEMBERS.contains(&region)
}

impl Config {
    /// Where a product key was set, for messages: `` `product.headquarters` (weightlint.yaml:4) ``.
    pub fn origin(&self, key: &str) -> String {
        match self.origins.get(key) {
            Some(o) if o.starts_with("--") => format!("`{o}`"),
            Some(o) if o.starts_with("use case ") => format!("`product.{key}` (set by the {o})"),
            Some(o) => format!("`product.{key}` ({o})"),
            None => format!("`product.{key}`"),
        }
    }

    /// The severity override for a rule, if the config sets one.
    pub fn level(&self, rule: &Rule) -> Option<Level> {
        self.severities
            .iter()
            .find(|(r, _)| r.code == rule.code)
            .map(|(_, l)| *l)
    }

    /// Fill what the use cases imply and the config leaves unsaid: the strictest
    /// `require` among them, `commercial` and `distribution` from the first that sets them,
    /// and the emphasis on the rules that matter for them.
    fn apply_presets(&mut self, require_set: bool, explicit: &BTreeMap<String, Level>) {
        let cases = self.product.use_case.clone();
        for case in cases {
            let p = presets::preset(case);
            let origin = format!("use case `{}`", p.name);
            if !require_set {
                self.require = self.require.max(p.require);
            }
            if self.product.commercial.is_none() {
                if let Some(c) = p.commercial {
                    self.product.commercial = Some(c);
                    self.origins.insert("commercial", origin.clone());
                }
            }
            if self.product.distribution.is_none() {
                if let Some(d) = p.distribution {
                    self.product.distribution = Some(d);
                    self.origins.insert("distribution", origin.clone());
                }
            }
            for code in p.emphasis {
                let overridden = explicit
                    .keys()
                    .any(|k| rules::find(k).is_some_and(|r| r.code == *code));
                if let Some(rule) = rules::find(code).filter(|_| !overridden) {
                    if !self.emphasis.iter().any(|r| r.code == rule.code) {
                        self.emphasis.push(rule);
                    }
                }
            }
        }
    }

    /// Apply command-line product values.
    pub fn apply(&mut self, o: &Overrides) -> Result<(), String> {
        if let Some(n) = o.mau {
            self.product.monthly_active_users = Some(Count(n));
            self.origins.insert("monthly_active_users", "--mau".into());
        }
        if let Some(n) = o.revenue {
            self.product.annual_revenue_usd = Some(Count(n));
            self.origins
                .insert("annual_revenue_usd", "--revenue".into());
        }
        if let Some(hq) = &o.headquarters {
            self.product.headquarters = Some(region(hq)?);
            self.origins.insert("headquarters", "--headquarters".into());
        }
        if !o.regions.is_empty() {
            let regions = o
                .regions
                .iter()
                .map(|r| region(r))
                .collect::<Result<_, _>>()?;
            self.product.regions = Some(regions);
            self.origins.insert("regions", "--region".into());
        }
        if let Some(c) = o.commercial {
            self.product.commercial = Some(c);
            self.origins.insert("commercial", "--commercial".into());
        }
        Ok(())
    }
}

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
const SPAN_DEPTH: usize = 6;

/// Where each key and item of a TOML config is, under the table at `prefix`. A document
/// that does not parse has no positions (its parse error has its own).
fn toml_spans(text: &str, prefix: &[&str]) -> Spans {
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

fn toml_table(
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

fn toml_item(item: &toml_edit::Item, path: &mut Vec<Step>, mark: &ToMark<'_>, spans: &mut Spans) {
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
enum Syntax {
    Yaml,
    /// `pyproject.toml`: the `[tool.weightlint]` table.
    PyProject,
    Toml,
}

#[derive(Deserialize)]
struct PyProject {
    #[serde(default)]
    tool: Option<PyTool>,
}

#[derive(Deserialize)]
struct PyTool {
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

struct Parser<'a> {
    display: &'a str,
    text: &'a str,
    syntax: Syntax,
    /// Where each key and item is, from the parser (YAML) or the TOML document.
    spans: Spans,
}

impl<'a> Parser<'a> {
    fn new(display: &'a str, text: &'a str, syntax: Syntax) -> Self {
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

    fn parse(&self, dir: PathBuf) -> Result<Config, Box<ConfigError>> {
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
fn known_license(text: &str) -> bool {
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

fn entry_names(e: &Entry) -> impl Iterator<Item = &str> {
    [e.id.as_str(), e.key.as_str(), e.family.as_str()]
        .into_iter()
        .chain(e.hf_ids.iter().map(String::as_str))
}

/// Today's date (UTC), for exception expiry.
pub fn today() -> Date {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
}

/// The commented starter config `weightlint init` writes.
pub const STARTER: &str = include_str!("config/starter.yaml");

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Box<ConfigError>> {
        Parser::new("weightlint.yaml", text, Syntax::Yaml).parse(PathBuf::from("/repo"))
    }

    #[test]
    fn code_include_brings_back_examples_and_exclude_wins() {
        let c =
            parse("code:\n  include: [\"examples/**\", tools, \"*.ipynb\"]\n  exclude: [examples/archived/]\n")
                .expect("valid");
        assert!(c.code.reads("examples/a/train.py", true));
        assert!(c.code.reads("tools/x/run.py", true));
        assert!(c.code.reads("docs/deep/demo.ipynb", true));
        assert!(!c.code.reads("examples/archived/old.py", true));
        assert!(!c.code.reads("tests/test_x.py", true));
        assert!(c.code.reads("src/app.py", false));
        let e = parse("code:\n  include: [\"a/{b\"]\n").expect_err("bad glob");
        assert_eq!(e.line, Some(2));
        assert!(!Config::default().code.reads("examples/a.py", true));
    }

    #[test]
    fn counts_take_suffixes_and_separators() {
        assert_eq!(parse_count("800M"), Ok(800_000_000));
        assert_eq!(parse_count("1.5B"), Ok(1_500_000_000));
        assert_eq!(parse_count("$5,000,000"), Ok(5_000_000));
        assert_eq!(parse_count("120k"), Ok(120_000));
        assert_eq!(parse_count("700_000_000"), Ok(700_000_000));
        assert!(parse_count("lots").is_err());
        assert!(parse_count("1.5.5M").is_err());
        assert!(parse_count("99999999999999999999B").is_err());
    }

    #[test]
    fn regions_are_iso_codes_or_eu() {
        assert_eq!(region("de"), Ok("DE".to_string()));
        assert_eq!(region("UK"), Ok("GB".to_string()));
        assert_eq!(region("EU"), Ok("EU".to_string()));
        assert!(region("Europe").is_err());
        assert!(region("XX").is_err());
        assert!(in_eu("FR") && in_eu("EU") && !in_eu("US") && !in_eu("GB"));
    }

    #[test]
    fn the_starter_config_parses() {
        let c = parse(STARTER).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.require, Require::OpenWeight);
    }

    #[test]
    fn a_full_config_parses_with_origins() {
        let text = "product:\n  commercial: true\n  monthly_active_users: 800M\n  headquarters: de\npolicy:\n  deny: [CC-BY-NC-4.0, llama]\n  exceptions:\n    - model: models/chat\n      rules: [WL200, non-commercial]\n      reason: signed agreement\n      expires: 2027-06-30\nrules:\n  WL104: off\nignore: [third_party/**]\n";
        let c = parse(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.product.monthly_active_users, Some(Count(800_000_000)));
        assert_eq!(c.product.headquarters.as_deref(), Some("DE"));
        assert_eq!(
            c.origin("monthly_active_users"),
            "`product.monthly_active_users` (weightlint.yaml:3)"
        );
        assert_eq!(c.exceptions[0].rules.len(), 2);
        assert_eq!(c.exceptions[0].line, 8);
        assert_eq!(c.deny[1].line, 6);
        let ignored = |p: &str| {
            c.ignore
                .as_ref()
                .is_some_and(|g| g.matched_path_or_any_parents(p, false).is_ignore())
        };
        assert!(ignored("/repo/third_party/x/LICENSE"));
        assert!(!ignored("/repo/models/LICENSE"));
    }

    #[test]
    fn errors_point_at_the_line() {
        let cases = [
            ("product:\n  comercial: true\n", 2, "unknown field `comercial`"),
            ("product:\n  monthly_active_users: lots\n", 2, "not a count"),
            ("product:\n  headquarters: Europe\n", 2, "not a region"),
            ("policy:\n  allow: [MIT]\n  deny:\n    - MIT\n    - nonsense-license\n", 5, "nonsense-license"),
            ("rules:\n  WL999: off\n", 2, "no rule `WL999`"),
            ("policy:\n  exceptions:\n    - model: a\n      rules: [WL200]\n      reason: ''\n", 5, "empty `reason`"),
            ("policy:\n  exceptions:\n    - model: a\n      rules: [WL200]\n      reason: r\n      expires: soon\n", 6, "not a date"),
            ("policy:\n  require: closed\n", 2, "unknown variant `closed`"),
        ];
        for (text, line, needle) in cases {
            let e = parse(text).err().unwrap_or_else(|| panic!("{text} parsed"));
            assert!(e.message.contains(needle), "{}", e.message);
            assert_eq!(e.line, Some(line), "{text}: {}", e.message);
        }
    }

    #[test]
    fn the_second_exception_is_reported_at_its_own_line() {
        let text = "policy:\n  exceptions:\n    - model: models/chat\n      rules: [WL200]\n      reason: signed agreement\n    - model: models/chat\n      rules: [WL200]\n      reason: \"\"\n";
        let e = parse(text).expect_err("empty reason");
        assert!(e.message.contains("exception 2"), "{}", e.message);
        assert_eq!(e.line, Some(8));
        let text = "policy:\n  exceptions:\n    - model: m\n      rules: [WL200]\n      reason: r\n    - model: m\n      rules: [WL200, WL999]\n      reason: r\n";
        assert_eq!(parse(text).expect_err("unknown rule").line, Some(7));
    }

    #[test]
    fn an_origin_is_the_key_not_a_comment_above_it() {
        let text = "# Old setting: commercial: false\nproduct:\n  commercial: true\n";
        let c = parse(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            c.origin("commercial"),
            "`product.commercial` (weightlint.yaml:3)"
        );
    }

    #[test]
    fn toml_errors_after_parsing_point_at_the_line() {
        let text = "[tool.weightlint.product]\nheadquarters = \"Europe\"\n\n[[tool.weightlint.policy.exceptions]]\nmodel = \"m\"\nrules = [\"WL200\"]\nreason = \"r\"\n\n[[tool.weightlint.policy.exceptions]]\nmodel = \"m\"\nrules = [\"WL200\"]\nreason = \"\"\n";
        let e = Parser::new("pyproject.toml", text, Syntax::PyProject)
            .parse(PathBuf::from("/repo"))
            .expect_err("bad region");
        assert_eq!(e.line, Some(2));
        let text = text.replace("Europe", "DE");
        let e = Parser::new("pyproject.toml", &text, Syntax::PyProject)
            .parse(PathBuf::from("/repo"))
            .expect_err("empty reason");
        assert_eq!(e.line, Some(12), "{}", e.message);
        let c = Parser::new(
            "pyproject.toml",
            "[tool.weightlint]\npolicy = { deny = [\"MIT\", \"llama\"] }\n[tool.weightlint.product]\n# commercial = false\ncommercial = true\n",
            Syntax::PyProject,
        )
        .parse(PathBuf::from("/repo"))
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.deny[1].line, 2);
        assert_eq!(
            c.origin("commercial"),
            "`product.commercial` (pyproject.toml:5)"
        );
    }

    #[test]
    fn pyproject_table_and_toml_dates() {
        let text = "[project]\nname = \"x\"\n\n[tool.weightlint.product]\ncommercial = true\n\n[[tool.weightlint.policy.exceptions]]\nmodel = \"m\"\nrules = [\"WL200\"]\nreason = \"r\"\nexpires = 2027-01-01\n";
        let c = Parser::new("pyproject.toml", text, Syntax::PyProject)
            .parse(PathBuf::from("/repo"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.product.commercial, Some(true));
        assert_eq!(c.exceptions[0].expires, Some(jiff::civil::date(2027, 1, 1)));
        let bad = "[tool.weightlint.product]\ncomercial = true\n";
        let e = Parser::new("pyproject.toml", bad, Syntax::PyProject)
            .parse(PathBuf::from("/repo"))
            .err();
        assert_eq!(e.and_then(|e| e.line), Some(2));
    }
}
