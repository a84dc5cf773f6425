//! The product profile and policy: `weightlint.yaml`, `.weightlint.yaml` or
//! `[tool.weightlint]` in `pyproject.toml`, found upward from the scanned path, or
//! `--config FILE`. Parsed strictly: an unknown key, a wrong type or an id weightlint does
//! not know is a [`ConfigError`] that points at the line, and the run stops (exit 2).

mod load;
pub mod presets;
mod values;

pub use load::{discover, load};
pub use values::*;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;
use miette::{NamedSource, SourceSpan};
use serde::Deserialize;

use crate::core::registry::{self as rules, Rule};
use crate::license::expr::Named;
use presets::UseCase;

/// File names searched for, nearest directory first.
pub const FILE_NAMES: &[&str] = &["weightlint.yaml", ".weightlint.yaml"];

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

    /// Where a product key was set, as recorded: `weightlint.yaml:3`, `--mau`, `use case
    /// `saas``; `None` when it is not set.
    pub fn set_by(&self, key: &str) -> Option<&str> {
        self.origins.get(key).map(String::as_str)
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
    use load::{Parser, Syntax};

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
