//! Rendering for `identify` and `licenses`: what a text is, and what the knowledge base holds.

use std::fmt::Write as _;

use serde::Serialize;

use crate::license::identify::{Fit, Identification};
use crate::license::kb::{Entry, Term};
use crate::license::terms::Extracted;

/// One file's identification and the terms its text states, or why it could not be read.
pub struct Identified {
    pub path: String,
    pub found: Option<Identification>,
    pub extracted: Vec<Extracted>,
    pub error: Option<String>,
}

#[derive(Serialize)]
struct IdentifyOut<'a> {
    path: &'a str,
    id: Option<&'a str>,
    name: Option<&'a str>,
    confidence: f32,
    #[serde(skip_serializing_if = "Option::is_none")]
    fit: Option<&'a Fit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    also: Option<&'a [String]>,
    /// The knowledge base's terms for the license identified.
    terms: &'a [Term],
    /// The terms the text itself states, with their lines.
    extracted: &'a [Extracted],
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

pub fn json(results: &[Identified]) -> String {
    let out: Vec<IdentifyOut> = results
        .iter()
        .map(
            |Identified {
                 path,
                 found,
                 extracted,
                 error,
             }| IdentifyOut {
                path,
                extracted,
                id: found.as_ref().map(|f| f.id.as_str()),
                name: found.as_ref().map(|f| f.name.as_str()),
                confidence: found.as_ref().map_or(0.0, |f| f.confidence),
                fit: found.as_ref().map(|f| &f.fit),
                also: found
                    .as_ref()
                    .map(|f| f.also.as_slice())
                    .filter(|a| !a.is_empty()),
                terms: found
                    .as_ref()
                    .and_then(|f| f.entry())
                    .map_or(&[][..], |e| e.terms.as_slice()),
                error: error.as_deref(),
            },
        )
        .collect();
    let mut s = serde_json::to_string_pretty(&out).unwrap_or_default();
    s.push('\n');
    s
}

fn describe_term(t: &Term) -> String {
    let mut parts = vec![t.kind.as_str().to_string()];
    if let Some(v) = t.value {
        parts.push(v.to_string());
    }
    for x in [&t.text, &t.prefix, &t.url, &t.measured_on, &t.scope]
        .into_iter()
        .flatten()
    {
        parts.push(format!("\"{x}\""));
    }
    if !t.regions.is_empty() {
        parts.push(t.regions.join(","));
    }
    let info = if t.kind.is_informational() {
        "; informational, no rule judges it"
    } else {
        ""
    };
    format!("{} ({}{info})", parts.join(" "), t.clause)
}

pub fn human(results: &[Identified]) -> String {
    let mut out = String::new();
    for Identified {
        path,
        found,
        extracted,
        error,
    } in results
    {
        match (found, error) {
            (_, Some(e)) => {
                let _ = writeln!(out, "{path}: unreadable: {e}");
            }
            (None, None) => {
                let _ = writeln!(out, "{path}: no known license");
                for t in extracted {
                    let value = t
                        .value
                        .map(|v| format!(" {v}"))
                        .or_else(|| t.text.as_ref().map(|x| format!(" \"{x}\"")))
                        .unwrap_or_default();
                    let _ = writeln!(
                        out,
                        "  states: {}{value} (line {}, {})",
                        t.kind.as_str(),
                        t.line,
                        t.clause
                    );
                }
            }
            (Some(f), None) => {
                let fit = match &f.fit {
                    Fit::Exact => "exact".to_string(),
                    Fit::Modified { detail } => format!("modified: {detail}"),
                    Fit::Ambiguous { others } => format!("ambiguous with {}", others.join(", ")),
                };
                let _ = writeln!(
                    out,
                    "{path}: {} ({}), confidence {:.2}, {fit}",
                    f.id, f.name, f.confidence
                );
                if !f.also.is_empty() {
                    let _ = writeln!(out, "  also carries: {}", f.also.join(", "));
                }
                if let Some(e) = f.entry() {
                    for t in &e.terms {
                        let _ = writeln!(out, "  {}", describe_term(t));
                    }
                }
            }
        }
    }
    out
}

pub fn kb_table(entries: &[Entry]) -> String {
    let mut out = String::new();
    for e in entries {
        let hub = if e.hf_ids.is_empty() {
            "-".to_string()
        } else {
            e.hf_ids.join(",")
        };
        let _ = writeln!(out, "{:<34} {:<52} {:<24} {}", e.key, e.id, hub, e.name);
    }
    let _ = writeln!(out, "{} entries", entries.len());
    out
}

pub fn kb_entry(e: &Entry) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})", e.name, e.id);
    let _ = writeln!(out, "  key:          {}", e.key);
    let _ = writeln!(
        out,
        "  family:       {}{}",
        e.family,
        e.version
            .as_deref()
            .map(|v| format!(" {v}"))
            .unwrap_or_default()
    );
    if let Some(r) = &e.released {
        let _ = writeln!(out, "  released:     {r}");
    }
    if !e.hf_ids.is_empty() {
        let _ = writeln!(out, "  Hub ids:      {}", e.hf_ids.join(", "));
    }
    let _ = writeln!(
        out,
        "  OSI approved: {}",
        if e.osi_approved { "yes" } else { "no" }
    );
    let _ = writeln!(out, "  commercial:   {:?}", e.commercial);
    if let Some(p) = &e.use_policy {
        let _ = writeln!(out, "  use policy:   {p}");
    }
    if let Some(u) = &e.url {
        let _ = writeln!(out, "  url:          {u}");
    }
    for t in &e.terms {
        let _ = writeln!(out, "  term: {}", describe_term(t));
    }
    out
}
