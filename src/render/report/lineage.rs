//! The base-model lineage: each model of the tree, the bases it names (and, from
//! `weightlint.lock`, the base their license flows from), the datasets it was trained on,
//! and the licenses at the end of each chain; drawn as an inline SVG graph (derivative on
//! the left, licenses on the right) and written out as nested lists, which are the text
//! alternative and complete where the drawing is capped.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::html::esc;
use crate::license::expr::Named;
use crate::license::kb::{self, Commercial};
use crate::provenance::{Resolved, Via};
use crate::Report;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Model,
    Base,
    Dataset,
    /// A license; `open` says OSI-approved without restrictions, `known` that weightlint
    /// knows its terms.
    License {
        open: bool,
        known: bool,
    },
    /// No license could be found.
    Unknown,
}

impl Kind {
    fn class(self) -> &'static str {
        match self {
            Kind::Model => "n-model",
            Kind::Base => "n-base",
            Kind::Dataset => "n-dataset",
            Kind::License { open: true, .. } => "n-license open",
            Kind::License { known: true, .. } => "n-license restricted",
            Kind::License { .. } => "n-license",
            Kind::Unknown => "n-license unknown",
        }
    }

    /// The word that says what the colour says.
    fn word(self) -> &'static str {
        match self {
            Kind::Model => "model",
            Kind::Base => "base model",
            Kind::Dataset => "dataset",
            Kind::License { open: true, .. } => "license: OSI-approved",
            Kind::License { known: true, .. } => "license: restricted",
            Kind::License { .. } => "license",
            Kind::Unknown => "license unknown",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Link {
    /// To a base model (the card's `base_model_relation` when it says one).
    Base,
    Trained,
    License,
}

struct Node {
    label: String,
    /// Second line: an id, a path or how it was resolved.
    detail: String,
    kind: Kind,
    /// An anchor in the page (the model's section).
    href: Option<String>,
}

struct Edge {
    from: usize,
    to: usize,
    link: Link,
    /// `finetune`, `adapter`, … or `trained on`, `declares`.
    label: String,
}

#[derive(Default)]
pub(super) struct Lineage {
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    by_key: HashMap<String, usize>,
    /// The nodes the drawing starts from: the models with a lineage.
    roots: Vec<usize>,
}

/// The most nodes drawn; the lists below the drawing hold the rest.
const MAX_NODES: usize = 240;
const W: usize = 250;
const H: usize = 44;
const GAP_X: usize = 70;
const GAP_Y: usize = 14;

impl Lineage {
    pub(super) fn of(report: &Report) -> Self {
        let mut g = Lineage::default();
        let project = &report.project;
        for (i, m) in project.models.iter().enumerate() {
            let built_on = m.released_as.as_ref().map_or(&[][..], |r| &r.built_on[..]);
            if m.bases.is_empty() && m.datasets.is_empty() && built_on.is_empty() {
                continue;
            }
            let me = g.model(report, i);
            g.roots.push(me);
            let relation = m
                .relation
                .as_ref()
                .map_or("base model", |(r, _)| r.as_str());
            for b in &m.bases {
                let local = match b.resolved.as_ref().map(|r| &r.via) {
                    Some(Via::Repo(p)) => project.models.iter().position(|x| &x.path == p),
                    _ => None,
                };
                let to = match local {
                    Some(j) => g.model(report, j),
                    None => g.external(&b.id, Kind::Base, b.resolved.as_ref()),
                };
                g.edge(me, to, Link::Base, relation);
            }
            for d in m.datasets.iter().filter(|d| !d.id.is_empty()) {
                let to = g.external(&d.id, Kind::Dataset, d.resolved.as_ref());
                g.edge(me, to, Link::Trained, "trained on");
            }
            for (key, line) in built_on {
                if let Some(e) = kb::kb().name(key) {
                    let family: Vec<String> = e
                        .family
                        .split(' ')
                        .map(|w| {
                            let mut c = w.chars();
                            c.next()
                                .map(|f| f.to_uppercase().chain(c).collect())
                                .unwrap_or_default()
                        })
                        .collect();
                    let readme = m.released_as.as_ref().map_or("", |r| r.readme.as_str());
                    let to = g.node(
                        format!("kb:{key}"),
                        Node {
                            label: format!("a {} model", family.join(" ")),
                            detail: format!("named at {readme}:{line}"),
                            kind: Kind::Base,
                            href: None,
                        },
                    );
                    g.edge(me, to, Link::Base, "built on");
                    let l = g.license(&Named::from_entry(e));
                    g.edge(to, l, Link::License, "license");
                }
            }
        }
        g
    }

    pub(super) fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }

    fn node(&mut self, key: String, node: Node) -> usize {
        if let Some(&i) = self.by_key.get(&key) {
            return i;
        }
        self.nodes.push(node);
        self.by_key.insert(key, self.nodes.len() - 1);
        self.nodes.len() - 1
    }

    fn edge(&mut self, from: usize, to: usize, link: Link, label: &str) {
        if from != to
            && !self
                .edges
                .iter()
                .any(|e| e.from == from && e.to == to && e.link == link)
        {
            self.edges.push(Edge {
                from,
                to,
                link,
                label: label.to_string(),
            });
        }
    }

    /// A model of the tree, with its own licenses when it is another's base.
    fn model(&mut self, report: &Report, i: usize) -> usize {
        let m = &report.project.models[i];
        let known = self.by_key.contains_key(&format!("model:{}", m.path));
        let n = self.node(
            format!("model:{}", m.path),
            Node {
                label: m.name.clone(),
                detail: m.path.clone(),
                kind: Kind::Model,
                href: Some(format!("#model-{}", i + 1)),
            },
        );
        if !known {
            for l in &m.licenses {
                let to = self.license(l);
                self.edge(n, to, Link::License, "declares");
            }
        }
        n
    }

    /// A Hub model or dataset, its licenses, and the locked base they come through.
    fn external(&mut self, id: &str, kind: Kind, resolved: Option<&Resolved>) -> usize {
        let prefix = if kind == Kind::Dataset {
            "dataset"
        } else {
            "hub"
        };
        let key = format!("{prefix}:{}", id.to_ascii_lowercase());
        if let Some(&n) = self.by_key.get(&key) {
            return n;
        }
        let detail = match resolved {
            Some(r) => resolved_from(&r.via),
            None => "not resolved".to_string(),
        };
        let n = self.node(
            key,
            Node {
                label: id.to_string(),
                detail,
                kind,
                href: None,
            },
        );
        let mut holder = n;
        if let Some(Resolved {
            via: Via::Lock(l), ..
        }) = resolved
        {
            if let Some(base) = &l.through {
                let t = self.node(
                    format!("hub:{}", base.to_ascii_lowercase()),
                    Node {
                        label: base.clone(),
                        detail: "its base, per the Hub cards".to_string(),
                        kind: Kind::Base,
                        href: None,
                    },
                );
                self.edge(n, t, Link::Base, "base model");
                holder = t;
            }
        }
        match resolved.filter(|r| !r.licenses.is_empty()) {
            Some(r) => {
                for l in &r.licenses {
                    let to = self.license(l);
                    self.edge(holder, to, Link::License, "license");
                }
            }
            None => {
                let to = self.node(
                    "license:?".to_string(),
                    Node {
                        label: "license unknown".to_string(),
                        detail: "see Unknowns".to_string(),
                        kind: Kind::Unknown,
                        href: Some("#unknowns".to_string()),
                    },
                );
                self.edge(holder, to, Link::License, "license");
            }
        }
        n
    }

    fn license(&mut self, n: &Named) -> usize {
        let entry = n.entry();
        let kind = Kind::License {
            open: n.is_osi_approved()
                && entry.is_none_or(|e| e.commercial == Commercial::Yes && !e.binds_derivatives()),
            known: entry.is_some(),
        };
        self.node(
            format!("license:{}", n.id),
            Node {
                label: n.name.clone(),
                detail: n.id.clone(),
                kind,
                href: None,
            },
        )
    }

    /// Columns: a node sits one to the right of everything that points at it; licenses
    /// all in the last column.
    fn layers(&self) -> Vec<usize> {
        let mut layer = vec![0usize; self.nodes.len()];
        let is_license =
            |i: usize| matches!(self.nodes[i].kind, Kind::License { .. } | Kind::Unknown);
        // At most one pass per node: a cycle (`base_model` pointing back) stops growing.
        for _ in 0..self.nodes.len() {
            let mut changed = false;
            for e in self.edges.iter().filter(|e| !is_license(e.to)) {
                if layer[e.to] < layer[e.from] + 1 {
                    layer[e.to] = layer[e.from] + 1;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        let last = (0..self.nodes.len())
            .filter(|&i| !is_license(i))
            .map(|i| layer[i])
            .max()
            .unwrap_or(0)
            + 1;
        for (i, l) in layer.iter_mut().enumerate() {
            if is_license(i) {
                *l = last;
            }
        }
        layer
    }

    /// The drawing.
    pub(super) fn svg(&self, out: &mut String) {
        let shown = self.nodes.len().min(MAX_NODES);
        let layer = self.layers();
        let mut rows: Vec<usize> = Vec::new();
        let mut place = vec![(0usize, 0usize); shown];
        for (i, p) in place.iter_mut().enumerate() {
            let l = layer[i];
            if rows.len() <= l {
                rows.resize(l + 1, 0);
            }
            *p = (l * (W + GAP_X), GAP_Y + rows[l] * (H + GAP_Y));
            rows[l] += 1;
        }
        let width = rows.len() * (W + GAP_X) - GAP_X + 2;
        let height = GAP_Y + rows.iter().max().copied().unwrap_or(1) * (H + GAP_Y) + 2;
        let _ = write!(
            out,
            "<svg class=\"lineage\" role=\"img\" aria-labelledby=\"lineage-title\" \
             xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
             viewBox=\"-1 -1 {width} {height}\">\n<title id=\"lineage-title\">Base-model \
             lineage: each model, its bases and datasets, and the licenses they carry \
             (listed in full below)</title>\n<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" \
             refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">\
             <path d=\"M0,0 L10,5 L0,10 z\"/></marker></defs>\n"
        );
        for e in self.edges.iter().filter(|e| e.from < shown && e.to < shown) {
            let (x1, top) = place[e.from];
            let (x2, y2) = place[e.to];
            let (x1, y1, x2, y2) = (x1 + W, top + H / 2, x2, y2 + H / 2);
            // To the next column, a curve; further, along the gap above the source's row
            // and the gaps between columns, so no box is crossed.
            let d = if x2 == x1 + GAP_X {
                let mid = x1 + GAP_X / 2;
                format!("M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}")
            } else {
                let (a, b, lane) = (
                    x1 + GAP_X / 2,
                    x2.saturating_sub(GAP_X / 2),
                    top - GAP_Y / 2,
                );
                format!("M{x1},{y1} L{a},{y1} L{a},{lane} L{b},{lane} L{b},{y2} L{x2},{y2}")
            };
            let class = match e.link {
                Link::Base => "e-base",
                Link::Trained => "e-trained",
                Link::License => "e-license",
            };
            let _ = writeln!(
                out,
                "<path class=\"{class}\" d=\"{d}\" marker-end=\"url(#arrow)\"><title>{}: {} → {}</title></path>",
                esc(&e.label),
                esc(&self.nodes[e.from].label),
                esc(&self.nodes[e.to].label)
            );
        }
        for (i, n) in self.nodes.iter().take(shown).enumerate() {
            let (x, y) = place[i];
            let open = match &n.href {
                Some(h) => format!("<a href=\"{}\">", esc(h)),
                None => String::new(),
            };
            let close = if n.href.is_some() { "</a>" } else { "" };
            let _ = writeln!(
                out,
                "<g class=\"{}\">{open}<title>{}: {} ({})</title>\
                 <rect x=\"{x}\" y=\"{y}\" width=\"{W}\" height=\"{H}\" rx=\"5\"/>\
                 <text x=\"{}\" y=\"{}\" class=\"t1\">{}</text>\
                 <text x=\"{}\" y=\"{}\" class=\"t2\">{}</text>{close}</g>",
                n.kind.class(),
                esc(n.kind.word()),
                esc(&n.label),
                esc(&n.detail),
                x + 8,
                y + 18,
                esc(&clip(&n.label, 30)),
                x + 8,
                y + 35,
                esc(&clip(&format!("{} · {}", n.kind.word(), n.detail), 38)),
            );
        }
        out.push_str("</svg>\n");
        if shown < self.nodes.len() {
            let _ = writeln!(
                out,
                "<p>The drawing shows the first {shown} of {} nodes; the lists below are complete.</p>",
                self.nodes.len()
            );
        }
    }

    /// The same graph as nested lists, from each model.
    pub(super) fn lists(&self, out: &mut String) {
        out.push_str("<ul class=\"lineage-list\">\n");
        for &r in &self.roots {
            self.item(r, None, &mut Vec::new(), out);
        }
        out.push_str("</ul>\n");
    }

    fn item(&self, n: usize, via: Option<&Edge>, path: &mut Vec<usize>, out: &mut String) {
        let node = &self.nodes[n];
        let how = via.map_or(String::new(), |e| format!("{}: ", esc(&e.label)));
        let name = match &node.href {
            Some(h) => format!("<a href=\"{}\">{}</a>", esc(h), esc(&node.label)),
            None => format!("<strong>{}</strong>", esc(&node.label)),
        };
        let _ = write!(
            out,
            "<li>{how}{name} <span class=\"kind\">({}; {})</span>",
            esc(node.kind.word()),
            esc(&node.detail)
        );
        if path.contains(&n) {
            out.push_str(" — already listed above</li>\n");
            return;
        }
        path.push(n);
        let children: Vec<&Edge> = self.edges.iter().filter(|e| e.from == n).collect();
        if !children.is_empty() {
            out.push_str("\n<ul>\n");
            for e in children {
                self.item(e.to, Some(e), path, out);
            }
            out.push_str("</ul>");
        }
        path.pop();
        out.push_str("</li>\n");
    }
}

/// How a Hub id was resolved, briefly.
fn resolved_from(via: &Via) -> String {
    match via {
        Via::Repo(p) => format!("card in the tree: {p}"),
        Via::Lock(l) => match &l.revision {
            Some(r) => format!("Hub card {r}, locked {}", l.fetched),
            None => format!("Hub card, locked {}", l.fetched),
        },
        Via::Cache(_) => "local Hugging Face cache".to_string(),
        Via::Catalogue(_) => "weightlint's catalogue".to_string(),
        Via::Name(_) => "inferred from the name".to_string(),
    }
}

/// At most `max` characters, with `…` when cut.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max - 1).collect();
        s.push('…');
        s
    }
}
