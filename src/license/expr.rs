//! Declared licenses: a card's `license:` value as a Hugging Face Hub id, an SPDX
//! expression, or a known name, turned into knowledge-base entries. Pure: no I/O.

use serde::Serialize;

use super::kb::{kb, Entry};
use crate::yaml::Value;

/// One license a declaration names.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Named {
    /// Canonical id: SPDX id or `LicenseRef-…`.
    pub id: String,
    pub name: String,
    /// The knowledge-base key, when weightlint knows the license.
    #[serde(skip)]
    pub key: Option<String>,
}

impl Named {
    /// Whether the license is OSI-approved: by its knowledge-base entry, else its SPDX id.
    pub fn is_osi_approved(&self) -> bool {
        match self.entry() {
            Some(e) => e.osi_approved,
            None => spdx::license_id(&self.id).is_some_and(|l| l.is_osi_approved()),
        }
    }

    pub fn from_entry(e: &Entry) -> Self {
        Named {
            id: e.id.clone(),
            name: e.name.clone(),
            key: Some(e.key.clone()),
        }
    }

    pub fn entry(&self) -> Option<&'static Entry> {
        self.key.as_deref().and_then(|k| kb().key(k))
    }
}

/// Something wrong with a declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Not a Hub id, SPDX expression or known name (WL101).
    Invalid { text: String, reason: String },
    /// A family id or deprecated SPDX id (WL106).
    Ambiguous { text: String, advice: String },
    /// `license: other` and no `license_name` / `license_link` (WL102); set by the caller.
    UnnamedOther,
    /// `license: unknown` (WL100).
    Unknown,
}

/// What a `license:` value resolves to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resolution {
    pub licenses: Vec<Named>,
    pub problems: Vec<Problem>,
    /// `license: other` was written: [`Resolution::resolve_other`] resolves what it names.
    pub other: bool,
}

/// What `license: other` names, resolved the one way every reader uses: a known text
/// behind `license_link` outranks an unknown `license_name`; a known name is its
/// knowledge-base entry; an unknown one is a custom `LicenseRef-` license. With neither
/// key the card names no license (WL102); a link to a text nobody knows names nothing
/// more, but is not that problem.
impl Resolution {
    pub fn resolve_other(&mut self, name: Option<&str>, linked: Option<Named>, link_given: bool) {
        if !self.other {
            return;
        }
        let from_name = name.map(|n| {
            kb().name(n)
                .map(Named::from_entry)
                .unwrap_or_else(|| custom(n))
        });
        let pick = match (from_name, linked) {
            (Some(n), Some(l)) if n.key.is_none() => l,
            (Some(n), _) => n,
            (None, Some(l)) => l,
            (None, None) => {
                if !link_given {
                    self.problems.push(Problem::UnnamedOther);
                }
                return;
            }
        };
        self.licenses.push(pick);
    }
}

/// A license known only by the name a card gives it: `LicenseRef-<name>`.
fn custom(name: &str) -> Named {
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    Named {
        id: format!("LicenseRef-{}", slug.trim_matches('-')),
        name: name.to_string(),
        key: None,
    }
}

/// Resolve a `license:` value from a card.
pub fn resolve_value(value: &Value) -> Resolution {
    let mut res = Resolution::default();
    match value {
        Value::String(s) => resolve_into(s, &mut res),
        Value::List(items) => {
            for item in items {
                match item {
                    Value::String(s) => resolve_into(s, &mut res),
                    other => res.problems.push(Problem::Invalid {
                        text: other.scalar_text().unwrap_or_default(),
                        reason: format!("a list item is {}, not a license id", other.kind()),
                    }),
                }
            }
        }
        Value::Null => {}
        other => res.problems.push(Problem::Invalid {
            text: other.scalar_text().unwrap_or_default(),
            reason: format!("the value is {}, not a license id", other.kind()),
        }),
    }
    res.licenses.dedup();
    res
}

/// Resolve one string: a Hub id, an SPDX expression, or a known name.
pub fn resolve_str(text: &str) -> Resolution {
    let mut res = Resolution::default();
    resolve_into(text, &mut res);
    res
}

fn resolve_into(raw: &str, res: &mut Resolution) {
    let text = raw.trim();
    if text.is_empty() {
        res.problems.push(Problem::Invalid {
            text: raw.to_string(),
            reason: "the value is empty".to_string(),
        });
        return;
    }
    let kb = kb();
    // Hub ids are lower case; `GPL-3.0` in capitals is the deprecated SPDX id, not `gpl-3.0`.
    let hub = kb
        .hf_id(text)
        .filter(|_| text == text.to_ascii_lowercase() || spdx::license_id(text).is_none());
    if let Some(entry) = hub {
        match entry.key.as_str() {
            "other" => res.other = true,
            "unknown" => res.problems.push(Problem::Unknown),
            _ => {
                if entry.ambiguous {
                    res.problems.push(Problem::Ambiguous {
                        text: text.to_string(),
                        advice: entry
                            .deprecated_for
                            .clone()
                            .unwrap_or_else(|| "name the exact license".to_string()),
                    });
                }
                res.licenses.push(Named::from_entry(entry));
            }
        }
        return;
    }
    if let Some(found) = resolve_spdx(text, res) {
        res.licenses.extend(found);
        return;
    }
    if let Some(entry) = kb.name(text) {
        let suggestion = entry
            .hf_ids
            .first()
            .cloned()
            .unwrap_or_else(|| entry.id.clone());
        let reason = if entry.hf_ids.is_empty() {
            format!(
                "`{text}` is not a Hub license id or SPDX expression; it names {}, which has no Hub id: write `license: other` with `license_name: {}`",
                entry.name, entry.key
            )
        } else {
            format!("`{text}` is not a Hub license id or SPDX expression; did you mean `{suggestion}` ({})?", entry.name)
        };
        res.problems.push(Problem::Invalid {
            text: text.to_string(),
            reason,
        });
        res.licenses.push(Named::from_entry(entry));
        return;
    }
    res.problems.push(Problem::Invalid {
        text: text.to_string(),
        reason: format!(
            "`{text}` is not a Hub license id, an SPDX expression or a license weightlint knows"
        ),
    });
}

/// Parse as an SPDX expression; `None` when it is not one.
fn resolve_spdx(text: &str, res: &mut Resolution) -> Option<Vec<Named>> {
    let mode = spdx::ParseMode {
        allow_slash_as_or_operator: true,
        allow_imprecise_license_names: false,
        allow_postfix_plus_on_gpl: true,
        allow_deprecated: true,
        allow_unknown: false,
    };
    let expr = spdx::Expression::parse_mode(text, mode).ok()?;
    let kb = kb();
    let mut out = Vec::new();
    for req in expr.requirements() {
        match &req.req.license {
            spdx::LicenseItem::Spdx { id, or_later } => {
                if id.is_deprecated() || (*or_later && id.is_gnu()) {
                    res.problems.push(Problem::Ambiguous {
                        text: text.to_string(),
                        advice: deprecated_advice(id.name),
                    });
                }
                let canonical = canonical_gnu(id.name, *or_later);
                match kb.id(&canonical) {
                    Some(e) => out.push(Named::from_entry(e)),
                    None => out.push(Named {
                        id: canonical,
                        name: id.full_name.to_string(),
                        key: None,
                    }),
                }
            }
            spdx::LicenseItem::Other(lic_ref) => {
                let id = match &lic_ref.doc_ref {
                    Some(doc) => format!("DocumentRef-{doc}:LicenseRef-{}", lic_ref.lic_ref),
                    None => format!("LicenseRef-{}", lic_ref.lic_ref),
                };
                match kb.id(&id) {
                    Some(e) => out.push(Named::from_entry(e)),
                    None => out.push(Named {
                        name: id.clone(),
                        id,
                        key: None,
                    }),
                }
            }
        }
    }
    Some(out)
}

/// `GPL-3.0` + `or_later` → `GPL-3.0-or-later`; deprecated bare GNU ids → `-only`.
fn canonical_gnu(name: &str, or_later: bool) -> String {
    let base = name
        .strip_suffix("-only")
        .or_else(|| name.strip_suffix("-or-later"))
        .or_else(|| name.strip_suffix('+'))
        .unwrap_or(name);
    let gnu = ["GPL-", "LGPL-", "AGPL-", "GFDL-"]
        .iter()
        .any(|p| base.starts_with(p));
    if !gnu {
        return name.to_string();
    }
    if or_later || name.ends_with("-or-later") || name.ends_with('+') {
        format!("{base}-or-later")
    } else {
        format!("{base}-only")
    }
}

fn deprecated_advice(name: &str) -> String {
    let base = name.trim_end_matches('+');
    if ["GPL-", "LGPL-", "AGPL-", "GFDL-"]
        .iter()
        .any(|p| base.starts_with(p))
    {
        format!("write `{base}-only` or `{base}-or-later`")
    } else {
        format!("`{name}` is deprecated on the SPDX list; use its current id")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn license_other_is_resolved_one_way() {
        let other = || resolve_str("other");
        let mut known = other();
        known.resolve_other(Some("qwen"), None, false);
        assert_eq!(known.licenses.len(), 1);
        assert!(known.licenses[0].key.is_some());

        let mut unknown = other();
        unknown.resolve_other(Some("ACME Model License v2"), None, false);
        assert_eq!(unknown.licenses[0].id, "LicenseRef-ACME-Model-License-v2");

        let link = Named {
            id: "apache-2.0".into(),
            name: "Apache License 2.0".into(),
            key: Some("apache-2.0".into()),
        };
        let mut linked = other();
        linked.resolve_other(Some("ACME Model License v2"), Some(link.clone()), true);
        assert_eq!(linked.licenses, vec![link]);

        let mut unnamed = other();
        unnamed.resolve_other(None, None, false);
        assert!(unnamed.licenses.is_empty());
        assert!(unnamed.problems.contains(&Problem::UnnamedOther));

        let mut unknown_link = other();
        unknown_link.resolve_other(None, None, true);
        assert!(!unknown_link.problems.contains(&Problem::UnnamedOther));

        let mut not_other = resolve_str("mit");
        not_other.resolve_other(Some("qwen"), None, false);
        assert_eq!(not_other.licenses.len(), 1);
    }

    fn ids(r: &Resolution) -> Vec<&str> {
        r.licenses.iter().map(|n| n.id.as_str()).collect()
    }

    #[test]
    fn spdx_expressions() {
        let r = resolve_str("MIT OR Apache-2.0");
        assert_eq!(ids(&r), vec!["MIT", "Apache-2.0"]);
        assert!(r.problems.is_empty());
        let r = resolve_str("LicenseRef-acme-model-1.0");
        assert_eq!(ids(&r), vec!["LicenseRef-acme-model-1.0"]);
    }

    #[test]
    fn deprecated_spdx_is_ambiguous() {
        let r = resolve_str("GPL-3.0");
        assert_eq!(ids(&r), vec!["GPL-3.0-only"]);
        assert!(
            matches!(r.problems[..], [Problem::Ambiguous { .. }]),
            "{r:?}"
        );
        // `+` says "or later" plainly: resolved, not ambiguous.
        let r = resolve_str("GPL-2.0+");
        assert_eq!(ids(&r), vec!["GPL-2.0-or-later"]);
    }

    #[test]
    fn garbage_is_invalid() {
        let r = resolve_str("my special license!!");
        assert!(r.licenses.is_empty());
        assert!(matches!(r.problems[..], [Problem::Invalid { .. }]));
    }

    #[test]
    fn non_strings_are_invalid() {
        let r = resolve_value(&Value::Number("3".into()));
        assert!(matches!(r.problems[..], [Problem::Invalid { .. }]));
        let r = resolve_value(&Value::Null);
        assert_eq!(r, Resolution::default());
    }

    #[test]
    fn gnu_canonical_forms() {
        assert_eq!(canonical_gnu("GPL-3.0", false), "GPL-3.0-only");
        assert_eq!(canonical_gnu("GPL-3.0", true), "GPL-3.0-or-later");
        assert_eq!(canonical_gnu("LGPL-2.1-only", false), "LGPL-2.1-only");
        assert_eq!(canonical_gnu("MIT", false), "MIT");
    }
}
