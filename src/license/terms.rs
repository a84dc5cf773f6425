//! Term extraction from license text: thresholds, attribution and naming duties, use
//! policies, commercial limits, output and geographic restrictions, flow-down, each with the
//! line it is on and the clause heading above it. Works on any text, so a license the
//! knowledge base does not know still yields its terms.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use regex::bytes::{Captures, Match, Regex as BytesRegex, RegexBuilder as BytesRegexBuilder};
use regex::Regex;
use serde::Serialize;

use super::kb::TermKind;
use crate::core::text::Normalised;

/// A term found in a text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Extracted {
    pub kind: TermKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    /// The heading of the clause it is in, or `line N`.
    pub clause: String,
    pub line: usize,
}

type Build = fn(&Captures) -> Option<(Option<u64>, Option<String>, Vec<String>)>;

struct Pattern {
    kind: TermKind,
    /// Words every match holds (any one, case-insensitive): the regex is compiled and run
    /// only on a text that has one.
    needles: &'static [&'static str],
    source: &'static str,
    regex: OnceLock<BytesRegex>,
    build: Build,
}

impl Pattern {
    /// Compiled over bytes, and an ASCII pattern without Unicode: `\s`, `\d`, `\b`, case
    /// folding and a bounded gap (`[^.;]{0,120}`) are then ASCII or byte classes, not UTF-8
    /// automata repeated 120 times (which made compiling the term patterns most of a
    /// one-license run). Gaps count bytes, not characters; the two patterns with curly quotes
    /// keep Unicode.
    fn regex(&self) -> &BytesRegex {
        // The patterns are ours and tested; a bad one is a bug caught by the unit tests.
        self.regex.get_or_init(|| {
            BytesRegexBuilder::new(self.source)
                .unicode(!self.source.is_ascii())
                .build()
                .unwrap_or_else(|e| panic!("term pattern {}: {e}", self.source))
        })
    }
}

/// A match's text; a gap that ends a pattern may stop inside a character, which is left out.
fn text(m: Match<'_>) -> &str {
    let bytes = m.as_bytes();
    std::str::from_utf8(bytes)
        .unwrap_or_else(|e| std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default())
}

fn number(digits: &str, scale: Option<&str>) -> Option<u64> {
    let clean: String = digits
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let base: f64 = clean.trim_end_matches('.').parse().ok()?;
    let factor = match scale.map(str::to_ascii_lowercase).as_deref() {
        Some("million") | Some("m") => 1e6,
        Some("billion") | Some("b") => 1e9,
        Some("thousand") | Some("k") => 1e3,
        _ => 1.0,
    };
    let v = base * factor;
    (v.is_finite() && v >= 1.0).then_some(v.round() as u64)
}

fn value(c: &Captures) -> Option<(Option<u64>, Option<String>, Vec<String>)> {
    let v = number(text(c.name("n")?), c.name("scale").map(text))?;
    Some((Some(v), None, Vec::new()))
}

fn quoted(c: &Captures) -> Option<(Option<u64>, Option<String>, Vec<String>)> {
    Some((
        None,
        Some(text(c.name("t")?).trim().to_string()),
        Vec::new(),
    ))
}

fn whole(c: &Captures) -> Option<(Option<u64>, Option<String>, Vec<String>)> {
    let t = text(c.get(0)?);
    let t: String = t.chars().take(160).collect();
    Some((None, Some(t), Vec::new()))
}

fn flag(_: &Captures) -> Option<(Option<u64>, Option<String>, Vec<String>)> {
    Some((None, None, Vec::new()))
}

fn eu(_: &Captures) -> Option<(Option<u64>, Option<String>, Vec<String>)> {
    Some((None, None, vec!["EU".to_string()]))
}

fn patterns() -> &'static [Pattern] {
    static PATTERNS: OnceLock<Vec<Pattern>> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let p = |kind, needles, source, build: Build| Pattern {
            kind,
            needles,
            source,
            regex: OnceLock::new(),
            build,
        };
        vec![
            p(
                TermKind::MauThreshold,
                &["monthly active users", "mau"],
                r"(?i)(?P<n>\d[\d,.]*)\s*(?P<scale>million|billion)?\s*(?:monthly active users|MAU\b)",
                value,
            ),
            p(
                TermKind::DauThreshold,
                &["daily active users"],
                r"(?i)(?P<n>\d[\d,.]*)\s*(?P<scale>million|billion)?\s*daily active users",
                value,
            ),
            p(
                TermKind::RevenueThreshold,
                &["revenue"],
                r"(?i)(?:US\s?\$|USD\s?\$?|\$)\s?(?P<n>\d[\d,.]*)\s*(?P<scale>million|billion|M\b)?[^.;]{0,60}?(?:annual|gross)?\s*revenue",
                value,
            ),
            p(
                TermKind::RevenueThreshold,
                &["revenue"],
                r"(?i)(?:annual|gross) revenues?[^.;]{0,80}?(?:US\s?\$|USD\s?\$?|\$)\s?(?P<n>\d[\d,.]*)\s*(?P<scale>million|billion)?",
                value,
            ),
            p(
                TermKind::Attribution,
                &["built with", "powered by", "improved using", "built on"],
                r#"["“](?P<t>(?:Built with|Powered by|Improved using|Built on) [^"”]{1,40})["”]"#,
                quoted,
            ),
            p(
                TermKind::DerivativeNaming,
                &["at the beginning of"],
                r#"(?i)include ["“](?P<t>[^"”]{1,24})["”] at the beginning of"#,
                quoted,
            ),
            p(
                TermKind::AcceptableUsePolicy,
                &["http"],
                r"(?i)https?://[^\s)\]>]*(?:use-policy|use_policy|usage-policy|usage_policy|prohibited[-_]use|/aup)[^\s)\]>.,]*",
                whole,
            ),
            p(
                TermKind::NonCommercial,
                &["commercial"],
                r"(?i)\bnon[- ]?commercial (?:purposes?|use|research|scientific research|license|only|community)\b|\bother than commercial\b",
                whole,
            ),
            p(
                TermKind::ResearchOnly,
                &["research"],
                r"(?i)\b(?:for )?(?:research|research and evaluation|evaluation and research) purposes only\b|\bresearch purposes? only\b|\bexclusively for research purposes\b",
                whole,
            ),
            p(
                TermKind::NonProduction,
                &["production"],
                r"(?i)\bnon[- ]production\b",
                whole,
            ),
            p(
                TermKind::OutputRestriction,
                &["output", "result"],
                r"(?i)(?:outputs?|results)[^.;]{0,120}?to (?:improve|train)[^.;]{0,40}?(?:any other large language model|other (?:ai )?models?|a (?:model|competing)[^.;]{0,40}|competi\w+)",
                whole,
            ),
            p(
                TermKind::GeographicRestriction,
                &["european union"],
                r"(?i)(?:domiciled in|principal place of business (?:is )?in),?[^.;]{0,80}?the European Union",
                eu,
            ),
            p(
                TermKind::FlowDown,
                &["enforceable provision"], r"(?i)as an enforceable provision", whole),
            p(
                TermKind::NoDerivatives,
                &["noderiv"], r"NoDerivatives|NoDerivs", flag),
            p(
                TermKind::ShareAlike,
                &["sharealike"], r"\bShareAlike\b", flag),
            p(
                TermKind::LitigationTermination,
                &["litigation"],
                r"(?i)(?:institute|initiate|commence)s? (?:patent )?litigation[^.]{0,300}?terminat",
                flag,
            ),
        ]
    })
}

/// A line that reads like a clause heading: `2.`, `1.b.`, `§3`, `Section 4`, `## Outputs`,
/// `(d) Outputs`, or a short line in capitals.
fn heading(line: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^\s*(?:#{1,6}\s*)?(?:\*\*)?((?:§\s*\d+(?:\.\d+)*\.?|(?i:section)\s+\d+(?:\.\d+)*\.?|\d+(?:\.\d+)*\.|[ivx]+\.|\([a-z0-9]+\)|[a-z]\.)\s+[A-Z].*|[A-Z][A-Z0-9 ,&'\-]{4,60})$")
            .unwrap_or_else(|e| panic!("heading pattern: {e}"))
    });
    let trimmed = line.trim().trim_matches('*').trim();
    let caps = re.captures(trimmed)?;
    let h = caps.get(1)?.as_str();
    // "2. Non-commercial use only. You may not …" → "2. Non-commercial use only"
    let title_end = h
        .char_indices()
        .skip_while(|(_, c)| !c.is_alphabetic())
        .find(|&(i, c)| c == '.' && h[i + 1..].starts_with(' '))
        .map_or(h.len(), |(i, _)| i);
    let h: String = h[..title_end].chars().take(60).collect();
    Some(h.trim_end_matches([':', '*', ' ', '.']).to_string())
}

/// The heading of the clause a line is in: the nearest heading at or above it.
fn clause_of(lines: &[&str], line: usize) -> String {
    for i in (0..line.min(lines.len())).rev() {
        if let Some(h) = heading(lines[i]) {
            if line - i <= 40 {
                return h;
            }
            break;
        }
    }
    format!("line {line}")
}

/// Which patterns' needles a text holds, in one pass.
fn needles_present(text: &str) -> Vec<bool> {
    static AC: OnceLock<Option<(AhoCorasick, Vec<usize>)>> = OnceLock::new();
    let mut present = vec![false; patterns().len()];
    let built = AC.get_or_init(|| {
        let (owners, words): (Vec<usize>, Vec<&str>) = patterns()
            .iter()
            .enumerate()
            .flat_map(|(i, p)| p.needles.iter().map(move |n| (i, *n)))
            .unzip();
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(words)
            .ok()?;
        Some((ac, owners))
    });
    match built {
        Some((ac, owners)) => {
            for m in ac.find_overlapping_iter(text) {
                present[owners[m.pattern().as_usize()]] = true;
            }
        }
        // Without the prefilter every pattern runs.
        None => present.fill(true),
    }
    present
}

/// Extract every term the text states, in order of appearance, one per kind and value.
pub fn extract(text: &str) -> Vec<Extracted> {
    let squashed = Normalised::whitespace(text);
    let lines: Vec<&str> = text.lines().collect();
    let index = crate::core::source::LineIndex::new(text);
    let mut out: Vec<Extracted> = Vec::new();
    let present = needles_present(&squashed.text);
    for (pattern, _) in patterns().iter().zip(present).filter(|(_, here)| *here) {
        for caps in pattern.regex().captures_iter(squashed.text.as_bytes()) {
            let Some(m) = caps.get(0) else { continue };
            let Some((value, text_value, regions)) = (pattern.build)(&caps) else {
                continue;
            };
            let duplicate = out.iter().any(|e| {
                e.kind == pattern.kind
                    && (e.value == value
                        && (value.is_some() || e.text == text_value || text_value.is_none()))
            });
            if duplicate {
                continue;
            }
            let line = index.position(text, squashed.original_offset(m.start())).0;
            out.push(Extracted {
                kind: pattern.kind,
                value,
                text: text_value,
                regions,
                clause: clause_of(&lines, line),
                line,
            });
        }
    }
    out.sort_by(|a, b| a.line.cmp(&b.line).then_with(|| a.kind.cmp(&b.kind)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TermKind, Option<u64>, Option<String>)> {
        extract(text)
            .into_iter()
            .map(|e| (e.kind, e.value, e.text))
            .collect()
    }

    #[test]
    fn a_gap_that_ends_inside_a_character_keeps_the_text_before_it() {
        let t =
            extract("You may not use the outputs to train a model éééééééééééééééééééééééééé.\n");
        let found: Vec<_> = t
            .iter()
            .filter(|e| e.kind == TermKind::OutputRestriction)
            .collect();
        assert_eq!(found.len(), 1);
        let text = found[0].text.as_deref().unwrap_or_default();
        assert!(text.starts_with("outputs to train a model é"), "{text}");
    }

    #[test]
    fn thresholds_with_scales() {
        let t = extract("2. Additional Commercial Terms.\nIf your products had more than 700 million monthly\nactive users you must request a license.\n");
        assert_eq!(t[0].kind, TermKind::MauThreshold);
        assert_eq!(t[0].value, Some(700_000_000));
        assert_eq!(t[0].line, 2);
        assert_eq!(t[0].clause, "2. Additional Commercial Terms");
        let t = kinds("if annual revenue exceeds US$1,000,000 you need an enterprise license");
        assert_eq!(t[0], (TermKind::RevenueThreshold, Some(1_000_000), None));
        let t = kinds("exceeds 1 million daily active users");
        assert_eq!(t[0], (TermKind::DauThreshold, Some(1_000_000), None));
    }

    #[test]
    fn attribution_naming_and_outputs() {
        let t = kinds("display “Built with Llama” on a related website. You shall also include “Llama” at the beginning of any such AI model name. You will not use outputs of the Model to improve any other large language model.");
        assert!(
            t.contains(&(TermKind::Attribution, None, Some("Built with Llama".into()))),
            "{t:?}"
        );
        assert!(
            t.contains(&(TermKind::DerivativeNaming, None, Some("Llama".into()))),
            "{t:?}"
        );
        assert!(
            t.iter().any(|k| k.0 == TermKind::OutputRestriction),
            "{t:?}"
        );
    }

    #[test]
    fn commercial_limits_and_geography() {
        let t = kinds("for non-commercial purposes only in a non-production environment. Rights are not granted to an individual domiciled in, or a company with a principal place of business in, the European Union.");
        let ks: Vec<TermKind> = t.iter().map(|k| k.0).collect();
        assert!(ks.contains(&TermKind::NonCommercial));
        assert!(ks.contains(&TermKind::NonProduction));
        assert!(ks.contains(&TermKind::GeographicRestriction), "{ks:?}");
    }

    #[test]
    fn nothing_in_plain_prose() {
        assert!(extract("Permission is granted to use this software for any purpose.").is_empty());
    }
}
