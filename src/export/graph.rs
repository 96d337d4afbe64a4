//! `graph/`: the case as a network, for Gephi, yEd/Cytoscape, Neo4j and i2 Analyst's Notebook.
//!
//! Nodes: numbers (`n:<number>`), exhibits/handsets (`x:<exhibit_id>`) and, when the `lines`
//! table exists, deal lines (`l:<line_id>`). Edges (directed):
//! - `COMMUNICATED`: messages and calls from one end to the other, one edge per ordered pair,
//!   with counts (`messages`, `calls`, `weight` = both) and the time span (`first_utc`,
//!   `last_utc`). A handset whose own number is unknown (or not unique) is its exhibit node.
//! - `SAVED_AS`: exhibit -> number it has in its contacts, with the names saved.
//! - `OWNS`: exhibit -> its own numbers.
//! - `LINE_LINK`: one per `line_links` row (kind, strength, evidence, explanation, span).
//! - `USES`: line -> each of its numbers.
//!
//! Files: `numbers.gexf` (GEXF 1.3, dynamic: node/edge spans, and per-day activity of each
//! communication edge as a dynamic attribute), `numbers.graphml`, `neo4j/nodes.csv` +
//! `neo4j/relationships.csv` (`neo4j-admin database import` headers) and `i2/entities.csv` +
//! `i2/links.csv` (one row per link with both ends, formula-safe, for i2 import
//! specifications). Everything is built from the export tables, in a fixed order.
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;

use super::view::{self, day_of, End};
use super::Table;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeType {
    Exhibit,
    Line,
    Number,
}

impl NodeType {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeType::Exhibit => "exhibit",
            NodeType::Line => "line",
            NodeType::Number => "number",
        }
    }
    fn neo4j_label(self) -> &'static str {
        match self {
            NodeType::Exhibit => "Exhibit",
            NodeType::Line => "Line",
            NodeType::Number => "Number",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct NodeAttrs {
    /// Number kind (from the `numbers` table), e.g. `mobile`.
    pub kind: Option<String>,
    /// Names this number is saved as, on any handset.
    pub saved_names: BTreeSet<String>,
    /// Exhibits whose records mention this number.
    pub exhibits: BTreeSet<String>,
    /// Exhibits this number belongs to (owner numbers).
    pub owner_of: BTreeSet<String>,
    pub lines: BTreeSet<String>,
    /// Campaign (broadcast) verdicts for broadcasts this number sent.
    pub campaigns: BTreeMap<String, i64>,
    pub sha256: Option<String>,
    pub os: Option<String>,
    pub first: Option<String>,
    pub last: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Node {
    pub id: String,
    pub ty: NodeType,
    pub label: String,
    pub a: NodeAttrs,
}

#[derive(Debug, Clone, Default)]
pub struct Edge {
    pub source: String,
    pub target: String,
    /// `COMMUNICATED`, `SAVED_AS`, `OWNS`, `LINE_LINK`, `USES`.
    pub ty: &'static str,
    /// Distinguishes parallel edges of one type (the line-link row number).
    pub seq: usize,
    pub messages: i64,
    pub calls: i64,
    pub weight: f64,
    pub first: Option<String>,
    pub last: Option<String>,
    pub names: BTreeSet<String>,
    pub link_kind: Option<String>,
    pub strength: Option<f64>,
    pub evidence: Option<String>,
    pub explanation: Option<String>,
    /// Per-day activity (day number -> count) of a communication edge.
    pub daily: BTreeMap<i64, i64>,
}

#[derive(Debug, Default)]
pub struct Graph {
    pub nodes: BTreeMap<String, Node>,
    pub edges: Vec<Edge>,
}

fn span(first: &mut Option<String>, last: &mut Option<String>, t: Option<&str>) {
    let Some(t) = t.filter(|t| !t.is_empty()) else {
        return;
    };
    if first.as_deref().is_none_or(|f| t < f) {
        *first = Some(t.to_string());
    }
    if last.as_deref().is_none_or(|l| t > l) {
        *last = Some(t.to_string());
    }
}

pub fn number_id(n: &str) -> String {
    format!("n:{n}")
}
pub fn exhibit_id(x: &str) -> String {
    format!("x:{x}")
}
pub fn line_id(l: &str) -> String {
    format!("l:{l}")
}

impl Graph {
    fn number(&mut self, n: &str) -> &mut Node {
        self.nodes.entry(number_id(n)).or_insert_with(|| Node {
            id: number_id(n),
            ty: NodeType::Number,
            label: n.to_string(),
            a: NodeAttrs::default(),
        })
    }
    fn exhibit(&mut self, x: &str) -> &mut Node {
        self.nodes.entry(exhibit_id(x)).or_insert_with(|| Node {
            id: exhibit_id(x),
            ty: NodeType::Exhibit,
            label: x.to_string(),
            a: NodeAttrs::default(),
        })
    }
    fn end(&mut self, e: &End) -> String {
        match e {
            End::Number(n) => self.number(n).id.clone(),
            End::Exhibit(x) => self.exhibit(x).id.clone(),
        }
    }

    /// Build the graph from the export tables.
    pub fn build(tables: &[Table]) -> Graph {
        let mut g = Graph::default();
        let mut labels: BTreeMap<String, String> = BTreeMap::new();
        if let Some(v) = view::find(tables, "exhibits") {
            for r in v.rows() {
                let Some(x) = r.text("exhibit_id") else {
                    continue;
                };
                let label = r.text("label").unwrap_or_else(|| x.clone());
                labels.insert(x.clone(), label.clone());
                let node = g.exhibit(&x);
                node.label = label;
                node.a.sha256 = r.text("sha256");
                node.a.os = r.text("os");
                for n in r.list("owner_numbers") {
                    g.number(&n).a.owner_of.insert(x.clone());
                    g.number(&n).a.exhibits.insert(x.clone());
                    g.edges.push(Edge {
                        source: exhibit_id(&x),
                        target: number_id(&n),
                        ty: "OWNS",
                        weight: 1.0,
                        ..Default::default()
                    });
                }
            }
        }
        if let Some(v) = view::find(tables, "numbers") {
            for r in v.rows() {
                if let Some(n) = r.text("number_e164") {
                    let kind = r.text("kind");
                    g.number(&n).a.kind = kind;
                }
            }
        }
        // Communications, aggregated per ordered pair.
        let mut comm: BTreeMap<(String, String), Edge> = BTreeMap::new();
        for c in view::comms(tables) {
            let (s, t) = (g.end(&c.from), g.end(&c.to));
            for id in [&s, &t] {
                let n = g.nodes.get_mut(id).expect("node just added");
                if n.ty == NodeType::Number {
                    n.a.exhibits.insert(c.exhibit_id.clone());
                    span(&mut n.a.first, &mut n.a.last, c.time.as_deref());
                }
            }
            let e = comm.entry((s.clone(), t.clone())).or_insert_with(|| Edge {
                source: s,
                target: t,
                ty: "COMMUNICATED",
                ..Default::default()
            });
            if c.is_call {
                e.calls += 1;
            } else {
                e.messages += 1;
            }
            e.weight += 1.0;
            span(&mut e.first, &mut e.last, c.time.as_deref());
            if let Some(d) = c.time.as_deref().and_then(day_of) {
                *e.daily.entry(d).or_insert(0) += 1;
            }
        }
        g.edges.extend(comm.into_values());
        // Saved-as: exhibit -> number with the names saved.
        let mut saved: BTreeMap<(String, String), Edge> = BTreeMap::new();
        if let Some(v) = view::find(tables, "contacts") {
            for r in v.rows() {
                let (Some(x), Some(n)) = (r.text("exhibit_id"), r.text("number_e164")) else {
                    continue;
                };
                g.exhibit(&x);
                let node = g.number(&n);
                node.a.exhibits.insert(x.clone());
                let name = r.text("display_name");
                if let Some(name) = &name {
                    node.a.saved_names.insert(name.clone());
                }
                let e = saved
                    .entry((exhibit_id(&x), number_id(&n)))
                    .or_insert_with(|| Edge {
                        source: exhibit_id(&x),
                        target: number_id(&n),
                        ty: "SAVED_AS",
                        ..Default::default()
                    });
                e.weight += 1.0;
                if let Some(name) = name {
                    e.names.insert(name);
                }
            }
        }
        g.edges.extend(saved.into_values());
        if let Some(v) = view::find(tables, "broadcasts") {
            for r in v.rows() {
                if let Some(n) = r.text("sender_e164") {
                    let verdict = r.text("verdict").unwrap_or_else(|| "unknown".into());
                    *g.number(&n).a.campaigns.entry(verdict).or_insert(0) += 1;
                }
            }
        }
        if let Some(v) = view::find(tables, "line_links") {
            for (i, r) in v.rows().enumerate() {
                let (Some(f), Some(t)) = (r.text("from_e164"), r.text("to_e164")) else {
                    continue;
                };
                g.number(&f);
                g.number(&t);
                let strength = r.real("strength");
                g.edges.push(Edge {
                    source: number_id(&f),
                    target: number_id(&t),
                    ty: "LINE_LINK",
                    seq: i,
                    weight: strength.unwrap_or(1.0),
                    first: r.text("first_utc"),
                    last: r.text("last_utc"),
                    link_kind: r.text("kind"),
                    strength,
                    evidence: r.text("evidence"),
                    explanation: r.text("explanation"),
                    ..Default::default()
                });
            }
        }
        if let Some(v) = view::find(tables, "lines") {
            for r in v.rows() {
                let Some(l) = r.text("line_id") else { continue };
                let name = r.text("name").unwrap_or_else(|| l.clone());
                let id = line_id(&l);
                let mut a = NodeAttrs {
                    first: r.text("first_utc"),
                    last: r.text("last_utc"),
                    ..Default::default()
                };
                a.lines.insert(name.clone());
                g.nodes.insert(
                    id.clone(),
                    Node {
                        id: id.clone(),
                        ty: NodeType::Line,
                        label: name.clone(),
                        a,
                    },
                );
                for n in r.list("numbers") {
                    g.number(&n).a.lines.insert(name.clone());
                    g.edges.push(Edge {
                        source: id.clone(),
                        target: number_id(&n),
                        ty: "USES",
                        weight: 1.0,
                        ..Default::default()
                    });
                }
            }
        }
        // Exhibit ids in number attributes read better as labels.
        for n in g.nodes.values_mut() {
            for set in [&mut n.a.exhibits, &mut n.a.owner_of] {
                *set = set
                    .iter()
                    .map(|x| labels.get(x).cloned().unwrap_or_else(|| x.clone()))
                    .collect();
            }
        }
        g.edges.sort_by(|a, b| {
            (a.ty, &a.source, &a.target, a.seq).cmp(&(b.ty, &b.source, &b.target, b.seq))
        });
        g
    }

    /// Nodes in output order: exhibits, lines, numbers; each by id.
    pub fn ordered_nodes(&self) -> Vec<&Node> {
        let mut v: Vec<&Node> = self.nodes.values().collect();
        v.sort_by(|a, b| (a.ty, &a.id).cmp(&(b.ty, &b.id)));
        v
    }
}

fn join(set: &BTreeSet<String>) -> Option<String> {
    if set.is_empty() {
        None
    } else {
        Some(set.iter().cloned().collect::<Vec<_>>().join(" | "))
    }
}

fn campaigns(a: &NodeAttrs) -> Option<String> {
    if a.campaigns.is_empty() {
        return None;
    }
    Some(
        a.campaigns
            .iter()
            .map(|(v, n)| format!("{v} x{n}"))
            .collect::<Vec<_>>()
            .join(", "),
    )
}

fn dummy_node() -> Node {
    Node {
        id: String::new(),
        ty: NodeType::Number,
        label: String::new(),
        a: NodeAttrs::default(),
    }
}

/// Typed property value.
enum V {
    S(Option<String>),
    I(i64),
    F(Option<f64>),
    /// ISO timestamp.
    T(Option<String>),
}

impl V {
    fn text(&self) -> Option<String> {
        match self {
            V::S(s) | V::T(s) => s.clone(),
            V::I(i) => Some(i.to_string()),
            V::F(f) => f.map(fmt_f),
        }
    }
}

fn fmt_f(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.1}")
    } else {
        format!("{f}")
    }
}

/// Node properties in a fixed order: (name, gexf/graphml type, neo4j type, value).
fn node_props(n: &Node) -> Vec<(&'static str, &'static str, &'static str, V)> {
    let a = &n.a;
    vec![
        ("type", "string", "", V::S(Some(n.ty.as_str().into()))),
        ("kind", "string", "", V::S(a.kind.clone())),
        ("saved_names", "string", "", V::S(join(&a.saved_names))),
        (
            "exhibit_count",
            "integer",
            "int",
            V::I(a.exhibits.len() as i64),
        ),
        ("exhibits", "string", "", V::S(join(&a.exhibits))),
        ("owner_of", "string", "", V::S(join(&a.owner_of))),
        ("lines", "string", "", V::S(join(&a.lines))),
        ("campaigns", "string", "", V::S(campaigns(a))),
        ("sha256", "string", "", V::S(a.sha256.clone())),
        ("os", "string", "", V::S(a.os.clone())),
        ("first_utc", "string", "datetime", V::T(a.first.clone())),
        ("last_utc", "string", "datetime", V::T(a.last.clone())),
    ]
}

fn edge_props(e: &Edge) -> Vec<(&'static str, &'static str, &'static str, V)> {
    vec![
        ("type", "string", "", V::S(Some(e.ty.into()))),
        ("messages", "integer", "int", V::I(e.messages)),
        ("calls", "integer", "int", V::I(e.calls)),
        ("names", "string", "", V::S(join(&e.names))),
        ("link_kind", "string", "", V::S(e.link_kind.clone())),
        ("strength", "double", "float", V::F(e.strength)),
        ("evidence", "string", "", V::S(e.evidence.clone())),
        ("explanation", "string", "", V::S(e.explanation.clone())),
        ("first_utc", "string", "datetime", V::T(e.first.clone())),
        ("last_utc", "string", "datetime", V::T(e.last.clone())),
    ]
}

/// XML text/attribute escaping; characters XML 1.0 cannot carry become U+FFFD.
pub fn xml_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\t' => o.push_str("&#9;"),
            '\n' => o.push_str("&#10;"),
            '\r' => o.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => o.push('\u{FFFD}'),
            c => o.push(c),
        }
    }
    o
}

fn edge_label(e: &Edge) -> String {
    match e.ty {
        "COMMUNICATED" => format!("{} msg, {} calls", e.messages, e.calls),
        "SAVED_AS" => join(&e.names).unwrap_or_else(|| "saved".into()),
        "LINE_LINK" => e.link_kind.clone().unwrap_or_else(|| "link".into()),
        other => other.to_lowercase(),
    }
}

fn colour(t: NodeType) -> (u8, u8, u8) {
    match t {
        NodeType::Exhibit => (96, 110, 130),
        NodeType::Line => (200, 60, 50),
        NodeType::Number => (40, 110, 190),
    }
}

/// GEXF 1.3, dynamic (interval) mode with dateTime.
pub fn gexf(g: &Graph) -> String {
    let mut o = String::new();
    o.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    o.push_str("<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n");
    let _ = writeln!(
        o,
        "  <meta>\n    <creator>linesift {}</creator>\n    <description>Numbers, handsets and deal lines of the case; edges: communications, saved contacts, ownership, line links</description>\n  </meta>",
        env!("CARGO_PKG_VERSION")
    );
    o.push_str("  <graph mode=\"dynamic\" defaultedgetype=\"directed\" timeformat=\"dateTime\" timerepresentation=\"interval\" timezone=\"UTC\">\n");
    o.push_str("    <attributes class=\"node\" mode=\"static\">\n");
    for (name, ty, _, _) in node_props(&dummy_node()) {
        let _ = writeln!(
            o,
            "      <attribute id=\"{name}\" title=\"{name}\" type=\"{ty}\"/>"
        );
    }
    o.push_str("    </attributes>\n    <attributes class=\"edge\" mode=\"static\">\n");
    for (name, ty, _, _) in edge_props(&Edge::default()) {
        let _ = writeln!(
            o,
            "      <attribute id=\"{name}\" title=\"{name}\" type=\"{ty}\"/>"
        );
    }
    o.push_str("    </attributes>\n    <attributes class=\"edge\" mode=\"dynamic\">\n      <attribute id=\"activity\" title=\"activity\" type=\"integer\"/>\n    </attributes>\n");
    o.push_str("    <nodes>\n");
    for n in g.ordered_nodes() {
        let _ = write!(
            o,
            "      <node id=\"{}\" label=\"{}\"",
            xml_escape(&n.id),
            xml_escape(&n.label)
        );
        if let (Some(f), Some(l)) = (&n.a.first, &n.a.last) {
            let _ = write!(o, " start=\"{}\" end=\"{}\"", xml_escape(f), xml_escape(l));
        }
        o.push_str(">\n        <attvalues>\n");
        for (name, _, _, v) in node_props(n) {
            if let Some(t) = v.text() {
                let _ = writeln!(
                    o,
                    "          <attvalue for=\"{name}\" value=\"{}\"/>",
                    xml_escape(&t)
                );
            }
        }
        let (r, gg, b) = colour(n.ty);
        let _ = writeln!(
            o,
            "        </attvalues>\n        <viz:color r=\"{r}\" g=\"{gg}\" b=\"{b}\"/>\n      </node>"
        );
    }
    o.push_str("    </nodes>\n    <edges>\n");
    for (i, e) in g.edges.iter().enumerate() {
        let _ = write!(
            o,
            "      <edge id=\"e{i}\" source=\"{}\" target=\"{}\" kind=\"{}\" label=\"{}\" weight=\"{}\"",
            xml_escape(&e.source),
            xml_escape(&e.target),
            e.ty,
            xml_escape(&edge_label(e)),
            fmt_f(e.weight)
        );
        if let (Some(f), Some(l)) = (&e.first, &e.last) {
            let _ = write!(o, " start=\"{}\" end=\"{}\"", xml_escape(f), xml_escape(l));
        }
        o.push_str(">\n        <attvalues>\n");
        for (name, _, _, v) in edge_props(e) {
            if let Some(t) = v.text() {
                let _ = writeln!(
                    o,
                    "          <attvalue for=\"{name}\" value=\"{}\"/>",
                    xml_escape(&t)
                );
            }
        }
        for (d, c) in &e.daily {
            let day = view::date_of_day(*d);
            let _ = writeln!(
                o,
                "          <attvalue for=\"activity\" value=\"{c}\" start=\"{day}T00:00:00Z\" end=\"{day}T23:59:59Z\"/>"
            );
        }
        o.push_str("        </attvalues>\n      </edge>\n");
    }
    o.push_str("    </edges>\n  </graph>\n</gexf>\n");
    o
}

/// GraphML (yEd, Cytoscape, Gephi, networkx).
pub fn graphml(g: &Graph) -> String {
    let mut o = String::new();
    o.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    o.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
    let gml_ty = |t: &str| match t {
        "integer" => "long",
        "double" => "double",
        _ => "string",
    };
    o.push_str("  <key id=\"n_label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n");
    let dummy = dummy_node();
    for (name, ty, _, _) in node_props(&dummy) {
        let _ = writeln!(
            o,
            "  <key id=\"n_{name}\" for=\"node\" attr.name=\"{name}\" attr.type=\"{}\"/>",
            gml_ty(ty)
        );
    }
    o.push_str("  <key id=\"e_label\" for=\"edge\" attr.name=\"label\" attr.type=\"string\"/>\n");
    o.push_str("  <key id=\"e_weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n");
    for (name, ty, _, _) in edge_props(&Edge::default()) {
        let _ = writeln!(
            o,
            "  <key id=\"e_{name}\" for=\"edge\" attr.name=\"{name}\" attr.type=\"{}\"/>",
            gml_ty(ty)
        );
    }
    o.push_str("  <graph id=\"linesift\" edgedefault=\"directed\">\n");
    for n in g.ordered_nodes() {
        let _ = writeln!(o, "    <node id=\"{}\">", xml_escape(&n.id));
        let _ = writeln!(
            o,
            "      <data key=\"n_label\">{}</data>",
            xml_escape(&n.label)
        );
        for (name, _, _, v) in node_props(n) {
            if let Some(t) = v.text() {
                let _ = writeln!(o, "      <data key=\"n_{name}\">{}</data>", xml_escape(&t));
            }
        }
        o.push_str("    </node>\n");
    }
    for (i, e) in g.edges.iter().enumerate() {
        let _ = writeln!(
            o,
            "    <edge id=\"e{i}\" source=\"{}\" target=\"{}\">",
            xml_escape(&e.source),
            xml_escape(&e.target)
        );
        let _ = writeln!(
            o,
            "      <data key=\"e_label\">{}</data>\n      <data key=\"e_weight\">{}</data>",
            xml_escape(&edge_label(e)),
            fmt_f(e.weight)
        );
        for (name, _, _, v) in edge_props(e) {
            if let Some(t) = v.text() {
                let _ = writeln!(o, "      <data key=\"e_{name}\">{}</data>", xml_escape(&t));
            }
        }
        o.push_str("    </edge>\n");
    }
    o.push_str("  </graph>\n</graphml>\n");
    o
}

/// A Neo4j import CSV field: empty means "no property"; newlines become spaces so the files
/// import without `--multiline-fields`.
fn neo_field(s: &str) -> String {
    let s = s.replace(['\r', '\n'], " ");
    if s.contains([',', '"']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn neo_header(name: &str, neo_ty: &str) -> String {
    if neo_ty.is_empty() {
        name.to_string()
    } else {
        format!("{name}:{neo_ty}")
    }
}

/// `neo4j/nodes.csv` and `neo4j/relationships.csv`.
pub fn neo4j(g: &Graph) -> (String, String) {
    let mut nodes = String::new();
    let dummy = dummy_node();
    let mut h = vec!["id:ID".to_string(), ":LABEL".into(), "name".into()];
    h.extend(
        node_props(&dummy)
            .iter()
            .map(|(n, _, t, _)| neo_header(n, t)),
    );
    nodes.push_str(&h.join(","));
    nodes.push('\n');
    for n in g.ordered_nodes() {
        let mut row = vec![
            neo_field(&n.id),
            n.ty.neo4j_label().to_string(),
            neo_field(&n.label),
        ];
        row.extend(
            node_props(n)
                .iter()
                .map(|(_, _, _, v)| v.text().map(|t| neo_field(&t)).unwrap_or_default()),
        );
        nodes.push_str(&row.join(","));
        nodes.push('\n');
    }
    let mut rels = String::new();
    let mut h = vec![
        ":START_ID".to_string(),
        ":END_ID".into(),
        ":TYPE".into(),
        "weight:float".into(),
    ];
    h.extend(
        edge_props(&Edge::default())
            .iter()
            .filter(|(n, _, _, _)| *n != "type")
            .map(|(n, _, t, _)| neo_header(n, t)),
    );
    rels.push_str(&h.join(","));
    rels.push('\n');
    for e in &g.edges {
        let mut row = vec![
            neo_field(&e.source),
            neo_field(&e.target),
            e.ty.to_string(),
            fmt_f(e.weight),
        ];
        row.extend(
            edge_props(e)
                .iter()
                .filter(|(n, _, _, _)| *n != "type")
                .map(|(_, _, _, v)| v.text().map(|t| neo_field(&t)).unwrap_or_default()),
        );
        rels.push_str(&row.join(","));
        rels.push('\n');
    }
    (nodes, rels)
}

/// `i2/entities.csv` and `i2/links.csv` (formula-safe, RFC 4180, CRLF).
pub fn i2(g: &Graph) -> (String, String) {
    use super::csv::field;
    let line = |cells: Vec<String>| {
        let mut s = cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(",");
        s.push_str("\r\n");
        s
    };
    let mut ents = line(
        [
            "entity_id",
            "entity_type",
            "label",
            "kind",
            "saved_names",
            "exhibit_count",
            "exhibits",
            "owner_of",
            "lines",
            "campaigns",
            "sha256",
            "os",
            "first_utc",
            "last_utc",
        ]
        .map(String::from)
        .to_vec(),
    );
    for n in g.ordered_nodes() {
        let mut c = vec![n.id.clone(), n.ty.as_str().into(), n.label.clone()];
        c.extend(
            node_props(n)
                .into_iter()
                .skip(1)
                .map(|(_, _, _, v)| v.text().unwrap_or_default()),
        );
        ents.push_str(&line(c));
    }
    let mut links = line(
        [
            "link_type",
            "from_id",
            "from_type",
            "from_label",
            "to_id",
            "to_type",
            "to_label",
            "weight",
            "messages",
            "calls",
            "names",
            "link_kind",
            "strength",
            "evidence",
            "explanation",
            "first_utc",
            "last_utc",
        ]
        .map(String::from)
        .to_vec(),
    );
    for e in &g.edges {
        let end = |id: &str| {
            g.nodes
                .get(id)
                .map(|n| (n.ty.as_str().to_string(), n.label.clone()))
                .unwrap_or_default()
        };
        let (ft, fl) = end(&e.source);
        let (tt, tl) = end(&e.target);
        let mut c = vec![
            e.ty.to_string(),
            e.source.clone(),
            ft,
            fl,
            e.target.clone(),
            tt,
            tl,
            fmt_f(e.weight),
        ];
        c.extend(
            edge_props(e)
                .into_iter()
                .skip(1)
                .map(|(_, _, _, v)| v.text().unwrap_or_default()),
        );
        links.push_str(&line(c));
    }
    (ents, links)
}

/// Write every graph file; returns the output-relative paths.
pub fn write(tables: &[Table], out: &Path) -> Result<Vec<String>> {
    let g = Graph::build(tables);
    let (nodes, rels) = neo4j(&g);
    let (ents, links) = i2(&g);
    let files = [
        ("graph/numbers.gexf", gexf(&g)),
        ("graph/numbers.graphml", graphml(&g)),
        ("graph/neo4j/nodes.csv", nodes),
        ("graph/neo4j/relationships.csv", rels),
        ("graph/i2/entities.csv", ents),
        ("graph/i2/links.csv", links),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        crate::evidence::write_atomic(&out.join(rel), text.as_bytes())?;
        written.push(rel.to_string());
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escaping() {
        assert_eq!(
            xml_escape("<a href=\"x\">&'\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;\u{FFFD}"
        );
    }

    #[test]
    fn neo4j_fields() {
        assert_eq!(neo_field("a,b"), "\"a,b\"");
        assert_eq!(neo_field("two\nlines"), "two lines");
        assert_eq!(neo_field("say \"x\""), "\"say \"\"x\"\"\"");
    }
}
