//! Product rules (WL200–WL206): each model's license terms against the product profile and
//! the policy. A term the profile does not decide is a note that names the key that would;
//! a term the profile crosses is a finding at the clause that states it.

use crate::config::{self, Config, Distribution, Require};
use crate::core::diagnostic::{Diagnostic, Location, Severity};
use crate::core::registry::Rule;
use crate::core::registry::{WL200, WL201, WL202, WL203, WL204, WL205, WL206};
use crate::core::text::fmt_count;
use crate::license::expr::Named;
use crate::license::kb::{kb, Commercial, Entry, Modality, Term, TermKind};
use crate::project::{CodeUse, Model, Project};
use crate::provenance::Resolved;

pub(super) fn check(project: &Project, config: &Config, out: &mut Vec<Diagnostic>) {
    let models = project.models.iter().map(Subject::Model);
    let code = project.code_uses.iter().map(Subject::Code);
    for subject in models.chain(code) {
        let cx = Cx {
            project,
            config,
            subject,
        };
        let licenses: Vec<&Named> = match subject {
            Subject::Model(m) => m.governing().collect(),
            Subject::Code(c) => c.resolved.iter().flat_map(|r| &r.licenses).collect(),
        };
        for named in licenses {
            cx.policy(named, out);
            let Some(entry) = named.entry() else {
                continue;
            };
            let use_policy = entry.use_policy.as_deref().and_then(|k| kb().key(k));
            cx.thresholds(entry, out);
            cx.commercial(entry, out);
            for source in std::iter::once(entry).chain(use_policy) {
                cx.geographic(entry, source, out);
            }
            cx.outputs(entry, out);
        }
        if let Subject::Model(model) = subject {
            cx.hub_gate(model, out);
        }
    }
}

/// What the product rules judge: a model in the tree, or a hub model that code loads.
/// Code references get only decided findings, at the code line: their undecided terms
/// are summed up by WL403.
#[derive(Clone, Copy)]
enum Subject<'a> {
    Model(&'a Model),
    Code(&'a CodeUse),
}

/// One threshold term against the profile: the note while undecided, the finding when over.
struct Threshold<'a> {
    rule: &'static Rule,
    key: &'static str,
    have: Option<u64>,
    /// Reaching the threshold already crosses it (`fewer than`), not only passing it.
    inclusive: bool,
    /// How sure a crossing is: a test taken once, on a past month, against today's figure
    /// is a warning (the profile says how many users there are now, not then).
    over_severity: Severity,
    note: (String, String),
    over: Box<dyn Fn(u64) -> (String, String) + 'a>,
}

struct Cx<'a> {
    project: &'a Project,
    config: &'a Config,
    subject: Subject<'a>,
}

/// "June 2024" for a release on 2024-07-23: the calendar month before.
fn month_before(date: &str) -> Option<String> {
    let d: jiff::civil::Date = date.parse().ok()?;
    let prev = d
        .first_of_month()
        .checked_sub(jiff::Span::new().months(1))
        .ok()?;
    Some(prev.strftime("%B %Y").to_string())
}

/// Whether a model takes more than text, and what says so.
enum Multimodal {
    Yes(String),
    No,
    Unknown,
}

const MULTIMODAL_TAGS: &[&str] = &[
    "image-text-to-text",
    "visual-question-answering",
    "image-to-text",
    "video-text-to-text",
    "any-to-any",
    "audio-text-to-text",
    "document-question-answering",
];

const TEXT_TAGS: &[&str] = &[
    "text-generation",
    "text2text-generation",
    "conversational",
    "feature-extraction",
    "fill-mask",
    "question-answering",
    "summarization",
    "translation",
    "text-classification",
    "token-classification",
    "sentence-similarity",
];

const MULTIMODAL_NAMES: &[&str] = &["vision", "-vl", "llava", "multimodal", "-omni"];

impl Cx<'_> {
    fn emit(
        &self,
        out: &mut Vec<Diagnostic>,
        rule: &'static Rule,
        mut severity: Severity,
        location: Location,
        message: String,
        help: String,
    ) {
        let mut d = Diagnostic::new(rule, location, message).with_help(help);
        match self.subject {
            Subject::Model(m) => d = d.for_model(&m.path),
            Subject::Code(c) if severity == Severity::Note && !c.listed => return,
            // In a list of supported models, only a non-commercial entry is named, as a
            // note; WL403 sums up the rest.
            Subject::Code(c) if c.listed && rule.code != "WL202" => return,
            Subject::Code(c) => {
                d.message = if c.listed {
                    severity = Severity::Note;
                    format!("`{}` is listed here: {}", c.id, d.message)
                } else {
                    format!(
                        "`{}` is used here ({}): {}",
                        c.id,
                        c.loader.as_str(),
                        d.message
                    )
                };
            }
        }
        d.severity = severity;
        out.push(d);
    }

    fn at(&self, entry: &Entry, kind: TermKind) -> Location {
        self.place(entry, Some(kind))
    }

    fn place(&self, entry: &Entry, kind: Option<TermKind>) -> Location {
        match self.subject {
            Subject::Model(m) => self.project.license_location(m, &entry.id, kind),
            Subject::Code(c) => Location::at(&c.path, c.line, c.column),
        }
    }

    fn decided(&self, key: &str) -> String {
        format!("Set by {}.", self.config.origin(key))
    }

    /// WL200 and WL201: user and revenue thresholds.
    fn thresholds(&self, entry: &Entry, out: &mut Vec<Diagnostic>) {
        let p = &self.config.product;
        let commercial_use = self.commercial_use();
        for t in &entry.terms {
            let Some(threshold) = t.value else { continue };
            let test_severity = if t.kind == TermKind::RevenueThreshold {
                WL201.default_severity
            } else {
                WL200.default_severity
            };
            let thr = fmt_count(threshold);
            let name = &entry.name;
            let clause = &t.clause;
            let test = match t.kind {
                TermKind::MauThreshold if t.has_scope("release-date") => {
                    let released = t
                        .measured_on
                        .as_deref()
                        .or(entry.released.as_deref())
                        .unwrap_or("the release");
                    let month = month_before(released)
                        .unwrap_or_else(|| "the month before release".into());
                    Threshold {
                        rule: &WL200,
                        key: "monthly_active_users",
                        have: p.monthly_active_users.map(|c| c.0),
                        inclusive: false,
                        over_severity: Severity::Warning,
                        note: (
                            format!("{name}: a separate license from the licensor is needed if the licensee and its affiliates had more than {thr} monthly active users in {month}, the month before the {released} release"),
                            "Set `product.monthly_active_users` to decide: the figure for that month counts, and later growth does not move the test.".to_string(),
                        ),
                        over: Box::new(move |n| (
                            format!("{name}: the licensee's {} monthly active users are over its {thr} threshold, which is taken once, in {month} (the month before the {released} release): if that month's figure was over too, a separate license is needed", fmt_count(n)),
                            format!("If the licensee and its affiliates had at most {thr} monthly active users in {month}, the license applies as it is: record that in a policy exception with the reason. Otherwise a license from the licensor is needed ({clause})."),
                        )),
                    }
                }
                // The other thresholds bind commercial use only.
                _ if commercial_use == Some(false) => continue,
                TermKind::MauThreshold => Threshold {
                    rule: &WL200,
                    key: "monthly_active_users",
                    have: p.monthly_active_users.map(|c| c.0),
                    inclusive: false,
                    over_severity: test_severity,
                    note: (
                        format!("{name}: a commercial product or service with more than {thr} monthly active users needs a separate license; the test is ongoing"),
                        "Set `product.monthly_active_users` (or `product.commercial: false`) to decide.".to_string(),
                    ),
                    over: Box::new(move |n| (
                        format!("{name}: the product's {} monthly active users are over the {thr} threshold for commercial use; the test is ongoing", fmt_count(n)),
                        format!("Request a license from the licensor ({clause}), or use a model whose license has no user threshold."),
                    )),
                },
                TermKind::DauThreshold => Threshold {
                    rule: &WL200,
                    key: "daily_active_users",
                    have: p.daily_active_users.map(|c| c.0),
                    inclusive: true,
                    over_severity: test_severity,
                    note: (
                        format!("{name}: commercial use is licensed only while the licensee and its affiliates have fewer than {thr} daily active users"),
                        "Set `product.daily_active_users` (or `product.commercial: false`) to decide.".to_string(),
                    ),
                    over: Box::new(move |n| (
                        format!("{name}: commercial use needs fewer than {thr} daily active users, and the product has {}", fmt_count(n)),
                        format!("Apply to the licensor for a commercial license ({clause})."),
                    )),
                },
                TermKind::RevenueThreshold => Threshold {
                    rule: &WL201,
                    key: "annual_revenue_usd",
                    have: p.annual_revenue_usd.map(|c| c.0),
                    inclusive: false,
                    over_severity: test_severity,
                    note: (
                        format!("{name}: commercial use is free only while the licensee and its affiliates together have at most US${thr} in annual revenue"),
                        "Set `product.annual_revenue_usd` (or `product.commercial: false`) to decide.".to_string(),
                    ),
                    over: Box::new(move |n| (
                        format!("{name}: annual revenue of US${} is over the US${thr} limit for free commercial use, counted for the licensee and its affiliates together", fmt_count(n)),
                        format!("Request an enterprise license from the licensor ({clause})."),
                    )),
                },
                _ => continue,
            };
            let location = self.at(entry, t.kind);
            match test.have {
                None => {
                    let (message, help) = test.note;
                    self.emit(out, test.rule, Severity::Note, location, message, help);
                }
                Some(n) if n > threshold || (test.inclusive && n == threshold) => {
                    let (message, help) = (test.over)(n);
                    let help = format!("{} {help}", self.decided(test.key));
                    self.emit(out, test.rule, test.over_severity, location, message, help);
                }
                Some(_) => {}
            }
        }
    }

    /// Whether the product is used commercially: `commercial`, else a research distribution.
    fn commercial_use(&self) -> Option<bool> {
        let p = &self.config.product;
        p.commercial
            .or((p.distribution == Some(Distribution::Research)).then_some(false))
    }

    /// Whether the model runs in production: a product people use.
    fn production(&self) -> Option<bool> {
        match self.config.product.distribution? {
            Distribution::Saas | Distribution::OnDevice => Some(true),
            Distribution::Research => Some(false),
            Distribution::Internal | Distribution::OpenRelease => None,
        }
    }

    /// WL202: non-commercial, research-only and non-production licenses.
    fn commercial(&self, entry: &Entry, out: &mut Vec<Diagnostic>) {
        let term = |k: TermKind| entry.terms.iter().find(|t| t.kind == k);
        let nc = term(TermKind::NonCommercial).or(term(TermKind::ResearchOnly));
        let np = term(TermKind::NonProduction);
        let no_commercial = entry.commercial == Commercial::No || nc.is_some();
        if !no_commercial && np.is_none() {
            return;
        }
        let name = &entry.name;
        let outputs_ok = entry
            .terms
            .iter()
            .find(|t| t.has_scope("outputs-commercial-use-allowed"));
        let outputs_note = outputs_ok.map_or(String::new(), |t| {
            format!("; its outputs may be used commercially ({})", t.clause)
        });
        let cited = nc.or(np);
        let clause = cited.map_or("its terms".to_string(), |t| t.clause.clone());
        let location = match cited {
            Some(t) => self.at(entry, t.kind),
            None => self.place(entry, None),
        };
        let what = if nc.is_some_and(|t| t.kind == TermKind::ResearchOnly) {
            "research-only"
        } else if no_commercial {
            "non-commercial"
        } else {
            "non-production"
        };
        let commercial_use = self.commercial_use();
        let production = self.production();
        if no_commercial && commercial_use == Some(true) {
            self.emit(
                out,
                &WL202,
                WL202.default_severity,
                location,
                format!("{name} is {what}, and the product is commercial{outputs_note}"),
                format!("{} Get a commercial license from the licensor, or use a model whose license allows commercial use ({clause}).", self.decided("commercial")),
            );
        } else if let (Some(t), Some(true)) = (np, production) {
            let dist = self
                .config
                .product
                .distribution
                .map_or("", Distribution::as_str);
            self.emit(
                out,
                &WL202,
                WL202.default_severity,
                self.at(entry, t.kind),
                format!("{name} allows only non-production use (testing, evaluation, non-commercial research), and the product is distributed as `{dist}`{outputs_note}"),
                format!("{} Get a production license from the licensor ({}).", self.decided("distribution"), t.clause),
            );
        } else if (no_commercial && commercial_use.is_none())
            || (np.is_some() && production.is_none())
        {
            let key = if no_commercial && commercial_use.is_none() {
                "`product.commercial`"
            } else {
                "`product.distribution`"
            };
            self.emit(
                out,
                &WL202,
                Severity::Note,
                location,
                format!("{name} is {what}: fine for research, not for a commercial product{outputs_note}"),
                format!("Set {key} to decide ({clause})."),
            );
        }
    }

    fn multimodal(&self, governing: &Entry) -> Multimodal {
        let (card, mut names, resolved): (_, Vec<&str>, Vec<&Resolved>) = match self.subject {
            Subject::Model(m) => (
                m.card.as_ref(),
                std::iter::once(m.name.as_str())
                    .chain(m.bases.iter().map(|b| b.id.as_str()))
                    .collect(),
                m.bases.iter().filter_map(|b| b.resolved.as_ref()).collect(),
            ),
            Subject::Code(c) => (None, vec![c.id.as_str()], c.resolved.iter().collect()),
        };
        if let Some(tag) = card.and_then(|c| c.str_field("pipeline_tag")) {
            if MULTIMODAL_TAGS.contains(&tag) {
                return Multimodal::Yes(format!("pipeline_tag: {tag}"));
            }
            if TEXT_TAGS.contains(&tag) {
                return Multimodal::No;
            }
        }
        let tags = card
            .and_then(|c| c.field("tags"))
            .map(|f| f.value.strings())
            .unwrap_or_default();
        if let Some(t) = tags
            .iter()
            .find(|t| matches!(t.to_ascii_lowercase().as_str(), "multimodal" | "vision"))
        {
            return Multimodal::Yes(format!("tag `{t}`"));
        }
        names.sort_unstable();
        for n in names {
            let lower = n.to_ascii_lowercase();
            if MULTIMODAL_NAMES.iter().any(|m| lower.contains(m)) {
                return Multimodal::Yes(format!("named `{n}`"));
            }
        }
        // What the catalogue knows about the model or its base.
        for r in resolved {
            match r.modality {
                Some(Modality::Multimodal) => {
                    return Multimodal::Yes(format!("per {}", r.via.describe()))
                }
                Some(Modality::Text) => return Multimodal::No,
                _ => {}
            }
        }
        match governing.modality {
            Some(Modality::Multimodal) => Multimodal::Yes(format!(
                "models under the {} are multimodal",
                governing.name
            )),
            Some(Modality::Text) => Multimodal::No,
            _ => Multimodal::Unknown,
        }
    }

    /// WL203: a license or its use policy excludes where the licensee is.
    fn geographic(&self, governing: &Entry, source: &Entry, out: &mut Vec<Diagnostic>) {
        let p = &self.config.product;
        let hq = p.headquarters.as_deref();
        for t in source
            .terms
            .iter()
            .filter(|t| t.kind == TermKind::GeographicRestriction)
        {
            let location = self.at(source, t.kind);
            let cite = if source.key == governing.key {
                t.clause.clone()
            } else {
                format!("{}, {}", source.name, t.clause)
            };
            let sanctions = "comprehensively-sanctioned-jurisdictions";
            if !t.has_scope("multimodal-models") && t.regions.iter().any(|r| r != sanctions) {
                self.territory(governing, t, hq, location, &cite, out);
            } else if t.regions.iter().any(|r| r == "EU") {
                self.eu_clause(governing, t, hq, location, &cite, out);
            } else if t
                .regions
                .iter()
                .any(|r| r == "comprehensively-sanctioned-jurisdictions")
            {
                self.sanctions(governing, hq, location, &cite, out);
            }
        }
    }

    /// A license whose territory leaves out some places for every model (Tencent Hunyuan:
    /// the EU, the UK and South Korea): a licensee there has no license.
    fn territory(
        &self,
        governing: &Entry,
        term: &Term,
        hq: Option<&str>,
        location: Location,
        cite: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        let name = &governing.name;
        let places: Vec<&str> = term
            .regions
            .iter()
            .map(String::as_str)
            .filter(|r| *r != "comprehensively-sanctioned-jurisdictions")
            .collect();
        let list = places.join(", ");
        let inside = hq.map(|hq| {
            places
                .iter()
                .any(|r| r.eq_ignore_ascii_case(hq) || (*r == "EU" && config::in_eu(hq)))
        });
        match inside {
            Some(false) => {}
            Some(true) => self.emit(
                out,
                &WL203,
                WL203.default_severity,
                location,
                format!("{name}: the license's territory leaves out {list}, and the licensee is in {}; nothing is licensed there", hq.unwrap_or("one of them")),
                format!("{} Have a licensee outside {list}, or use a model without this restriction ({cite}).", self.decided("headquarters")),
            ),
            None => self.emit(
                out,
                &WL203,
                Severity::Note,
                location,
                format!("{name}: the license's territory leaves out {list}; a licensee there has no license"),
                format!("Set `product.headquarters` to decide ({cite})."),
            ),
        }
    }

    fn eu_clause(
        &self,
        governing: &Entry,
        term: &Term,
        hq: Option<&str>,
        location: Location,
        cite: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        let name = &governing.name;
        let modal = if term.has_scope("multimodal-models") {
            self.multimodal(governing)
        } else {
            Multimodal::Yes("the restriction covers every model".to_string())
        };
        let hq_eu = hq.map(config::in_eu);
        match (modal, hq_eu) {
            (Multimodal::No, _) | (_, Some(false)) => {}
            (Multimodal::Yes(why), Some(true)) => self.emit(
                out,
                &WL203,
                WL203.default_severity,
                location,
                format!("{name}: multimodal models are not licensed to companies headquartered or individuals domiciled in the EU, and the licensee is in {}; this model is multimodal ({why})", hq.unwrap_or("the EU")),
                format!("{} End users of a product built by a non-EU licensee are not affected. Use a text-only model, or have a licensee outside the EU ({cite}).", self.decided("headquarters")),
            ),
            (Multimodal::Yes(why), None) => self.emit(
                out,
                &WL203,
                Severity::Note,
                location,
                format!("{name}: this model is multimodal ({why}), and the license grant excludes licensees domiciled or headquartered in the EU; end users are not affected"),
                format!("Set `product.headquarters` to decide ({cite})."),
            ),
            (Multimodal::Unknown, Some(true)) => self.emit(
                out,
                &WL203,
                Severity::Warning,
                location,
                format!("{name}: multimodal models are not licensed to EU-based licensees, the licensee is in {}, and nothing says whether this model is multimodal", hq.unwrap_or("the EU")),
                format!("{} Set the card's `pipeline_tag` (text-generation or image-text-to-text) so the question can be decided ({cite}).", self.decided("headquarters")),
            ),
            (Multimodal::Unknown, None) => self.emit(
                out,
                &WL203,
                Severity::Note,
                location,
                format!("{name}: multimodal models are not licensed to EU-based licensees; whether this model is multimodal is not stated"),
                format!("Set the card's `pipeline_tag` and `product.headquarters` to decide ({cite})."),
            ),
        }
    }

    fn sanctions(
        &self,
        governing: &Entry,
        hq: Option<&str>,
        location: Location,
        cite: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        let name = &governing.name;
        if let Some(h) = hq.filter(|h| config::SANCTIONED.contains(h)) {
            self.emit(
                out,
                &WL203,
                WL203.default_severity,
                location,
                format!("{name} may not be used from comprehensively sanctioned jurisdictions, and the licensee is in {h}"),
                format!("{} ({cite})", self.decided("headquarters")),
            );
            return;
        }
        let regions = self.config.product.regions.as_deref().unwrap_or_default();
        if let Some(r) = regions
            .iter()
            .find(|r| config::SANCTIONED.contains(&r.as_str()))
        {
            self.emit(
                out,
                &WL203,
                Severity::Warning,
                location,
                format!("{name} may not be used or downloaded from comprehensively sanctioned jurisdictions, and the product serves {r}"),
                format!("{} Check export and sanctions rules for that region ({cite}).", self.decided("regions")),
            );
        }
    }

    /// WL203 from the card's Hub gate: `extra_gated_eu_disallowed: true`.
    fn hub_gate(&self, model: &Model, out: &mut Vec<Diagnostic>) {
        let Some(card) = &model.card else {
            return;
        };
        let Some(field) = card
            .field("extra_gated_eu_disallowed")
            .filter(|f| f.value == crate::yaml::Value::Bool(true))
        else {
            return;
        };
        let location = Location::at(&card.path, field.line, 1);
        match self.config.product.headquarters.as_deref() {
            Some(h) if config::in_eu(h) => self.emit(
                out,
                &WL203,
                WL203.default_severity,
                location,
                format!("the card's Hub gate (`extra_gated_eu_disallowed: true`) withholds this model from EU-based users, and the licensee is in {h}"),
                self.decided("headquarters"),
            ),
            Some(_) => {}
            None => self.emit(
                out,
                &WL203,
                Severity::Note,
                location,
                "the card's Hub gate (`extra_gated_eu_disallowed: true`) withholds this model from EU-based users".to_string(),
                "Set `product.headquarters` to decide.".to_string(),
            ),
        }
    }

    /// WL204: training on outputs a license restricts.
    fn outputs(&self, entry: &Entry, out: &mut Vec<Diagnostic>) {
        let name = &entry.name;
        for t in entry
            .terms
            .iter()
            .filter(|t| t.kind == TermKind::OutputRestriction)
        {
            let (what, severity) = if t.has_scope("train-other-llms") {
                (
                    "may not be used to improve any other large language model",
                    WL204.default_severity,
                )
            } else if t.has_scope("train-other-models") {
                (
                    "may not be used to train or improve other AI models",
                    WL204.default_severity,
                )
            } else if t.has_scope("train-foundation-models") {
                (
                    "may not be used to create or improve a foundational generative AI model",
                    WL204.default_severity,
                )
            } else if t.has_scope("train-competing-models") {
                (
                    "may not be used to train, fine-tune or distill a model that competes with it",
                    Severity::Warning,
                )
            } else if t.has_scope("outputs-make-derivatives") {
                ("make a model trained on them (distillation, synthetic data) a derivative that carries this license's terms", Severity::Warning)
            } else {
                continue;
            };
            let location = self.at(entry, t.kind);
            match self.config.product.trains_on_outputs {
                Some(true) => self.emit(
                    out,
                    &WL204,
                    severity,
                    location,
                    format!("{name}: its outputs {what}, and the product trains models on outputs"),
                    format!("{} ({})", self.decided("trains_on_outputs"), t.clause),
                ),
                Some(false) => {}
                None => self.emit(
                    out,
                    &WL204,
                    Severity::Note,
                    location,
                    format!("{name}: its outputs {what}"),
                    format!("Set `product.trains_on_outputs` to decide ({}).", t.clause),
                ),
            }
        }
    }

    /// WL205 (allow/deny) and WL206 (required openness, licensing dimension).
    fn policy(&self, named: &Named, out: &mut Vec<Diagnostic>) {
        let config = self.config;
        let file = config.source.as_ref().map_or("", |s| s.display.as_str());
        let location = || match self.subject {
            Subject::Model(m) => self.project.license_location(m, &named.id, None),
            Subject::Code(c) => Location::at(&c.path, c.line, c.column),
        };
        if let Some(p) = config.deny.iter().find(|p| p.matches(named)) {
            self.emit(
                out,
                &WL205,
                WL205.default_severity,
                location(),
                format!("{} ({}) is denied by the policy", named.name, named.id),
                format!("`policy.deny` entry `{}` ({file}:{}). Replace the model, or change the policy.", p.text, p.line),
            );
        } else if !config.allow.is_empty() && !config.allow.iter().any(|p| p.matches(named)) {
            let line = config.allow[0].line;
            self.emit(
                out,
                &WL205,
                WL205.default_severity,
                location(),
                format!("{} ({}) is not in the policy's allow list", named.name, named.id),
                format!("`policy.allow` ({file}:{line}). Replace the model, or add the license to the list."),
            );
        }
        if config.require >= Require::Osi {
            let osi = match named.entry() {
                Some(e) => e.osi_approved,
                None => spdx::license_id(&named.id).is_some_and(|l| l.is_osi_approved()),
            };
            if !osi {
                self.emit(
                    out,
                    &WL206,
                    WL206.default_severity,
                    location(),
                    format!("licensing: {} is not OSI-approved, and the policy requires `{}`", named.name, config.require.as_str()),
                    "Open-weight terms with use restrictions or thresholds are not open source; use a model under an OSI-approved license, or lower `policy.require`.".to_string(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_month_before_a_release() {
        assert_eq!(month_before("2024-07-23").as_deref(), Some("June 2024"));
        assert_eq!(month_before("2025-01-05").as_deref(), Some("December 2024"));
        assert_eq!(month_before("soon"), None);
    }
}
