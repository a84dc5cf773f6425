//! `weightlint classify`: the openness table (rows: dimensions; one column per model) as
//! text, Markdown or JSON.

use serde::Serialize;

use crate::openness::{Dimension, Openness, Status};

/// One classified model or project.
#[derive(Serialize)]
pub struct Classified {
    pub name: String,
    pub path: String,
    #[serde(flatten)]
    pub openness: Openness,
    /// For each use case in `product.use_case`: fit or not, and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fit_for: Vec<crate::judge::fit::Fit>,
    /// What a repository that is not a model references instead: each Hub model and
    /// dataset its code, configs and docs name, with the licenses resolved.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
}

/// A model or dataset a repository references.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Reference {
    pub id: String,
    /// `model` or `dataset`.
    pub kind: &'static str,
    /// License names; empty when unknown.
    pub licenses: Vec<String>,
}

/// At most this many references are written in the text and Markdown outputs.
const SHOWN_REFERENCES: usize = 10;

/// "references 42 models and datasets: a (MIT), b (license unknown), … and 32 more"
fn references_line(m: &Classified) -> Option<String> {
    if m.references.is_empty() {
        return None;
    }
    let shown: Vec<String> = m
        .references
        .iter()
        .take(SHOWN_REFERENCES)
        .map(|r| {
            let license = if r.licenses.is_empty() {
                "license unknown".to_string()
            } else {
                r.licenses.join(" AND ")
            };
            format!("{} ({license})", r.id)
        })
        .collect();
    let more = match m.references.len().saturating_sub(SHOWN_REFERENCES) {
        0 => String::new(),
        n => format!(", … and {n} more (--format json lists all)"),
    };
    Some(format!(
        "references {} model(s) and dataset(s): {}{more}",
        m.references.len(),
        shown.join(", ")
    ))
}

/// "regulated: not fit — training data not documented; saas: fit — …"
fn fit_line(m: &Classified) -> Option<String> {
    if m.fit_for.is_empty() {
        return None;
    }
    let parts: Vec<String> = m
        .fit_for
        .iter()
        .map(|f| {
            format!(
                "{}: {} — {}",
                f.use_case,
                if f.fit { "fit" } else { "not fit" },
                f.reason
            )
        })
        .collect();
    Some(parts.join("; "))
}

fn cell(d: &Dimension) -> String {
    let status = match d.status {
        Status::Yes => "yes",
        Status::Restricted => "restricted",
        Status::No => "no",
    };
    match d.evidence.first() {
        Some(e) if d.evidence.len() > 1 => {
            format!("{status}: {} (+{})", e.what, d.evidence.len() - 1)
        }
        Some(e) => format!("{status}: {}", e.what),
        None => status.to_string(),
    }
}

/// Rows of the table: label, then one cell per model.
fn rows(models: &[Classified]) -> Vec<(String, Vec<String>)> {
    let mut out = vec![(
        "verdict".to_string(),
        models
            .iter()
            .map(|m| m.openness.verdict.as_str().to_string())
            .collect(),
    )];
    if let Some(first) = models.first() {
        for (i, d) in first.openness.dimensions.iter().enumerate() {
            out.push((
                d.name.to_string(),
                models
                    .iter()
                    .map(|m| m.openness.dimensions.get(i).map(cell).unwrap_or_default())
                    .collect(),
            ));
        }
    }
    out.push((
        "MOF class".to_string(),
        models
            .iter()
            .map(
                |m| match (m.openness.mof_class, m.openness.mof_missing.is_empty()) {
                    (Some(c), true) => format!("Class {c}"),
                    (Some(c), false) => format!(
                        "Class {c}; next needs {}",
                        m.openness.mof_missing.join(", ")
                    ),
                    (None, _) => format!(
                        "unclassified; Class III needs {}",
                        m.openness.mof_missing.join(", ")
                    ),
                },
            )
            .collect(),
    ));
    out.push((
        "EU AI Act 53(2)".to_string(),
        models
            .iter()
            .map(|m| {
                let eu = &m.openness.eu_ai_act;
                if eu.exemption_possible {
                    "exemption possible".to_string()
                } else {
                    format!("no exemption: {}", eu.reason)
                }
            })
            .collect(),
    ));
    out
}

fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let cut: String = text.chars().take(width.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// A plain-text table plus one verdict line per model.
pub fn human(models: &[Classified]) -> String {
    if models.is_empty() {
        return "No models found.\n".to_string();
    }
    const LABEL: usize = 22;
    const CELL: usize = 36;
    let mut out = String::new();
    out.push_str(&format!("{:<LABEL$}", ""));
    for m in models {
        out.push_str(&format!("  {:<CELL$}", fit(&m.name, CELL)));
    }
    out.push('\n');
    for (label, cells) in rows(models) {
        out.push_str(&format!("{label:<LABEL$}"));
        for c in cells {
            out.push_str(&format!("  {:<CELL$}", fit(&c, CELL)));
        }
        out.push('\n');
    }
    out.push('\n');
    for m in models {
        out.push_str(&format!(
            "{} ({}): {} — {}\n",
            m.name,
            m.path,
            m.openness.verdict.as_str(),
            m.openness.summary
        ));
        if let Some(fit) = fit_line(m) {
            out.push_str(&format!("  fit for {fit}\n"));
        }
        if let Some(refs) = references_line(m) {
            out.push_str(&format!("  {refs}\n"));
        }
    }
    out
}

/// The same table in Markdown, for a README or a compliance document.
pub fn markdown(models: &[Classified]) -> String {
    let esc = |s: &str| s.replace('|', "\\|");
    let mut out = String::from("| |");
    for m in models {
        out.push_str(&format!(" {} |", esc(&m.name)));
    }
    out.push_str("\n|---|");
    for _ in models {
        out.push_str("---|");
    }
    out.push('\n');
    for (label, cells) in rows(models) {
        out.push_str(&format!("| **{label}** |"));
        for c in cells {
            out.push_str(&format!(" {} |", esc(&c)));
        }
        out.push('\n');
    }
    out.push('\n');
    for m in models {
        out.push_str(&format!(
            "- **{}** (`{}`): {} — {}\n",
            esc(&m.name),
            m.path,
            m.openness.verdict.as_str(),
            esc(&m.openness.summary)
        ));
        if let Some(fit) = fit_line(m) {
            out.push_str(&format!("  - fit for {}\n", esc(&fit)));
        }
        if let Some(refs) = references_line(m) {
            out.push_str(&format!("  - {}\n", esc(&refs)));
        }
    }
    out
}

/// Every model with its dimensions and evidence.
pub fn json(models: &[Classified]) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        version: u32,
        models: &'a [Classified],
    }
    let mut s = serde_json::to_string_pretty(&Out { version: 1, models })
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
