//! The JSON output contract (DESIGN.md): stable field names, `version: 1`, sorted.

use serde::Serialize;
use serde_json::{json, Value as Json};

use crate::core::diagnostic::{Diagnostic, Summary};
use crate::license::kb::Term;
use crate::openness::Openness;
use crate::project::{Model, Project};
use crate::yaml::Value;
use crate::Report;

#[derive(Serialize)]
struct Out<'a> {
    version: u32,
    /// The config file used, if any.
    config: Option<&'a str>,
    models: Vec<ModelOut<'a>>,
    /// Hub models that code loads.
    code_references: Vec<CodeOut<'a>>,
    diagnostics: Vec<DiagOut<'a>>,
    summary: SummaryOut,
}

/// The openness verdict in brief; `weightlint classify --format json` has the evidence.
#[derive(Serialize)]
struct OpennessOut {
    class: &'static str,
    mof_class: Option<&'static str>,
    summary: String,
}

#[derive(Serialize)]
struct CodeOut<'a> {
    id: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    loader: &'a str,
    /// `model`, `dataset`, or `model or dataset` when nothing resolved it.
    kind: &'a str,
    /// `load`, `download`, `default` (a default, constant or flag) or `config`.
    usage: &'a str,
    /// The license ids it resolved to (empty when unknown).
    licenses: Vec<&'a str>,
}

#[derive(Serialize)]
struct SummaryOut {
    #[serde(flatten)]
    counts: Summary,
    suppressed: usize,
    baselined: usize,
}

#[derive(Serialize)]
struct ModelOut<'a> {
    path: &'a str,
    name: &'a str,
    card: Option<&'a str>,
    declared: Json,
    licenses: Vec<LicenseOut<'a>>,
    terms: Vec<TermOut<'a>>,
    base_models: Vec<&'a str>,
    datasets: Vec<&'a str>,
    openness: OpennessOut,
    weights: &'a [String],
}

#[derive(Serialize)]
struct LicenseOut<'a> {
    id: &'a str,
    name: &'a str,
    confidence: f32,
    /// `card` when declared, else the license file it was identified in.
    source: String,
}

#[derive(Serialize)]
struct TermOut<'a> {
    #[serde(flatten)]
    term: &'a Term,
    license: &'a str,
    /// Where the license text in scope states it, when it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
}

#[derive(Serialize)]
struct DiagOut<'a> {
    code: &'a str,
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    path: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    help: Option<&'a str>,
    /// The model the finding is about (its path), when it is about one.
    model: Option<&'a str>,
}

/// YAML as written → JSON, for `declared`.
pub fn to_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Number(n) => n
            .parse::<i64>()
            .map(Json::from)
            .or_else(|_| n.parse::<f64>().map(Json::from))
            .unwrap_or_else(|_| Json::String(n.clone())),
        Value::String(s) => Json::String(s.clone()),
        Value::List(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => Json::Object(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), to_json(v)))
                .collect(),
        ),
    }
}

fn model_out<'a>(model: &'a Model, o: &Openness, project: &'a Project) -> ModelOut<'a> {
    let card = model.card.as_ref();
    let declared_from_card = model
        .declared
        .as_ref()
        .is_some_and(|d| !d.resolution.licenses.is_empty());
    let licenses = model
        .licenses
        .iter()
        .map(|n| {
            let from_text = model
                .license_files
                .iter()
                .map(|&i| &project.license_files[i])
                .find(|f| f.identification.as_ref().is_some_and(|id| id.id == n.id));
            let (confidence, source) = match (declared_from_card, from_text) {
                (false, Some(f)) => (
                    f.identification.as_ref().map_or(1.0, |id| id.confidence),
                    f.path.clone(),
                ),
                _ => (1.0, "card".to_string()),
            };
            LicenseOut {
                id: &n.id,
                name: &n.name,
                confidence,
                source,
            }
        })
        .collect();
    let terms = model
        .licenses
        .iter()
        .filter_map(|n| n.entry())
        .flat_map(|e| {
            e.terms.iter().map(move |t| {
                // The clause in the text beside the model, if the text is this license.
                let place = project.term_place(model, &e.id, t.kind);
                TermOut {
                    term: t,
                    license: &e.id,
                    path: place.map(|p| p.0),
                    line: place.map(|p| p.1),
                }
            })
        })
        .collect();
    ModelOut {
        path: &model.path,
        name: &model.name,
        card: card.map(|c| c.path.as_str()),
        declared: model
            .declared
            .as_ref()
            .map_or(Json::Null, |d| to_json(&d.value)),
        licenses,
        terms,
        base_models: model.bases.iter().map(|b| b.id.as_str()).collect(),
        datasets: model.datasets.iter().map(|d| d.id.as_str()).collect(),
        openness: OpennessOut {
            class: o.verdict.as_str(),
            mof_class: o.mof_class,
            summary: o.summary.clone(),
        },
        weights: &model.weights,
    }
}

fn diag_out(d: &Diagnostic) -> DiagOut<'_> {
    DiagOut {
        code: d.rule.code,
        rule: d.rule.name,
        severity: d.severity.as_str(),
        message: &d.message,
        path: &d.location.path,
        line: d.location.line,
        column: d.location.column,
        help: d.help.as_deref(),
        model: d.model.as_deref(),
    }
}

/// Render a check report as pretty JSON (with a trailing newline).
pub fn render(report: &Report) -> String {
    let out = Out {
        version: 1,
        config: report.config.source.as_ref().map(|s| s.display.as_str()),
        models: report
            .project
            .models
            .iter()
            .zip(&report.openness)
            .map(|(m, o)| model_out(m, o, &report.project))
            .collect(),
        code_references: report
            .project
            .code_uses
            .iter()
            .map(|c| CodeOut {
                id: &c.id,
                path: &c.path,
                line: c.line,
                column: c.column,
                loader: c.loader.as_str(),
                kind: c.kind.as_str(),
                usage: c.loader.usage(),
                licenses: c
                    .resolved
                    .iter()
                    .flat_map(|r| &r.licenses)
                    .map(|n| n.id.as_str())
                    .collect(),
            })
            .collect(),
        diagnostics: report.diagnostics.iter().map(diag_out).collect(),
        summary: SummaryOut {
            counts: Summary::of(&report.diagnostics),
            suppressed: report.suppressed.len(),
            baselined: report.baselined.len(),
        },
    };
    let mut s =
        serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
