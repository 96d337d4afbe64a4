//! graph/: GEXF and GraphML load in a real XML parser with the expected nodes, edges and
//! attributes; the Neo4j import CSVs follow neo4j-admin's header rules and every relationship
//! ends on a node; the i2 CSVs are formula-safe and complete.
mod outputs_fixture;

use std::collections::{BTreeMap, BTreeSet};

use linesift::export::graph::{self, Graph};
use outputs_fixture::*;

fn gexf_doc() -> String {
    graph::gexf(&Graph::build(&tables()))
}

/// (source, target, kind) -> attvalues (for -> value), for static attvalues.
type Edges = BTreeMap<(String, String, String), BTreeMap<String, String>>;

#[test]
fn gexf_parses_with_expected_nodes_edges_and_attributes() {
    let text = gexf_doc();
    let doc = roxmltree::Document::parse(&text).expect("GEXF is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "gexf");
    assert_eq!(root.tag_name().namespace(), Some("http://gexf.net/1.3"));
    assert_eq!(root.attribute("version"), Some("1.3"));
    let g = root
        .children()
        .find(|n| n.has_tag_name("graph"))
        .expect("graph element");
    assert_eq!(g.attribute("mode"), Some("dynamic"));
    assert_eq!(g.attribute("timeformat"), Some("dateTime"));
    assert_eq!(g.attribute("defaultedgetype"), Some("directed"));

    // Declared attribute ids, by class.
    let mut declared: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for a in g.children().filter(|n| n.has_tag_name("attributes")) {
        let class = a.attribute("class").unwrap().to_string();
        for at in a.children().filter(|n| n.has_tag_name("attribute")) {
            declared
                .entry(class.clone())
                .or_default()
                .insert(at.attribute("id").unwrap().to_string());
        }
    }
    assert!(declared["node"].contains("saved_names"));
    assert!(declared["edge"].contains("messages") && declared["edge"].contains("activity"));

    let nodes: BTreeMap<String, roxmltree::Node> = g
        .descendants()
        .filter(|n| n.has_tag_name("node"))
        .map(|n| (n.attribute("id").unwrap().to_string(), n))
        .collect();
    let ids: BTreeSet<&str> = nodes.keys().map(|s| s.as_str()).collect();
    let expected: BTreeSet<String> = ["x:X1".to_string(), "x:X2".into(), "l:L1".into()]
        .into_iter()
        .chain(
            [A, B1, B2, C, D, E, "+447700900777"]
                .iter()
                .map(|n| format!("n:{n}")),
        )
        .collect();
    assert_eq!(
        ids,
        expected.iter().map(|s| s.as_str()).collect::<BTreeSet<_>>()
    );
    assert_eq!(nodes["x:X2"].attribute("label"), Some("Handset B <2>"));

    let attv = |n: &roxmltree::Node| -> BTreeMap<String, String> {
        n.descendants()
            .filter(|a| a.has_tag_name("attvalue") && a.attribute("start").is_none())
            .map(|a| {
                (
                    a.attribute("for").unwrap().to_string(),
                    a.attribute("value").unwrap().to_string(),
                )
            })
            .collect()
    };
    // Every attvalue refers to a declared attribute of its class.
    for n in g.descendants().filter(|n| n.has_tag_name("node")) {
        for k in attv(&n).keys() {
            assert!(
                declared["node"].contains(k),
                "undeclared node attribute {k}"
            );
        }
    }
    let c = attv(&nodes[&format!("n:{C}")]);
    assert_eq!(c["saved_names"], format!("J | J work | {HOSTILE_NAME}"));
    assert_eq!(c["exhibit_count"], "2");
    assert_eq!(attv(&nodes[&format!("n:{A}")])["lines"], "Sam's line");
    assert_eq!(attv(&nodes[&format!("n:{A}")])["campaigns"], "marketing x1");

    let mut edges: Edges = BTreeMap::new();
    let mut activity: BTreeMap<(String, String), Vec<(String, String)>> = BTreeMap::new();
    for e in g.descendants().filter(|n| n.has_tag_name("edge")) {
        let (s, t) = (
            e.attribute("source").unwrap(),
            e.attribute("target").unwrap(),
        );
        assert!(
            ids.contains(s) && ids.contains(t),
            "edge {s}->{t} ends off the graph"
        );
        let kind = e.attribute("kind").unwrap().to_string();
        let mut a = attv(&e);
        for k in a.keys() {
            assert!(
                declared["edge"].contains(k),
                "undeclared edge attribute {k}"
            );
        }
        a.insert("weight".into(), e.attribute("weight").unwrap().into());
        if let Some(st) = e.attribute("start") {
            a.insert("start".into(), st.into());
            a.insert("end".into(), e.attribute("end").unwrap().into());
        }
        for d in e
            .descendants()
            .filter(|n| n.has_tag_name("attvalue") && n.attribute("start").is_some())
        {
            assert_eq!(d.attribute("for"), Some("activity"));
            activity.entry((s.into(), t.into())).or_default().push((
                d.attribute("start").unwrap().into(),
                d.attribute("value").unwrap().into(),
            ));
        }
        // Parallel line links are told apart by their kind.
        let key = match a.get("link_kind") {
            Some(k) => format!("{kind}/{k}"),
            None => kind.clone(),
        };
        assert!(
            edges.insert((s.into(), t.into(), key), a).is_none(),
            "duplicate edge"
        );
    }
    let kinds: BTreeMap<&str, usize> =
        g.descendants()
            .filter(|n| n.has_tag_name("edge"))
            .fold(BTreeMap::new(), |mut m, e| {
                *m.entry(e.attribute("kind").unwrap()).or_insert(0) += 1;
                m
            });
    assert_eq!(
        kinds,
        BTreeMap::from([
            ("COMMUNICATED", 5),
            ("LINE_LINK", 2),
            ("OWNS", 3),
            ("SAVED_AS", 2),
            ("USES", 2)
        ])
    );
    let n = |x: &str| format!("n:{x}");
    let ac = &edges[&(n(A), n(C), "COMMUNICATED".into())];
    assert_eq!(ac["messages"], "2");
    assert_eq!(ac["calls"], "1");
    assert_eq!(ac["weight"], "3.0");
    assert_eq!(ac["start"], "2024-03-01T10:00:00.000Z");
    assert_eq!(ac["end"], "2024-03-02T11:00:00.000Z");
    assert_eq!(
        activity[&(n(A), n(C))],
        vec![
            ("2024-03-01T00:00:00Z".to_string(), "2".to_string()),
            ("2024-03-02T00:00:00Z".to_string(), "1".to_string())
        ]
    );
    // Outgoing message without a sender: from the handset's one owner number.
    assert_eq!(edges[&(n(A), n(D), "COMMUNICATED".into())]["messages"], "1");
    // Incoming on a dual-SIM handset without recipients: to the exhibit node.
    assert_eq!(
        edges[&(n(C), "x:X2".into(), "COMMUNICATED".into())]["messages"],
        "1"
    );
    let da = &edges[&(n(D), n(A), "COMMUNICATED".into())];
    assert_eq!((da["messages"].as_str(), da["calls"].as_str()), ("1", "1"));
    assert_eq!(
        edges[&("x:X2".into(), n(C), "SAVED_AS".into())]["names"],
        "J | J work"
    );
    assert_eq!(
        edges[&("x:X1".into(), n(C), "SAVED_AS".into())]["names"],
        HOSTILE_NAME
    );
    assert!(edges.contains_key(&("l:L1".into(), n(E), "USES".into())));
    let ll = &edges[&(n(A), n(E), "LINE_LINK/announced_change".into())];
    assert!(
        ll["explanation"].contains("\"new number\"") && ll["explanation"].contains("& more <b>")
    );
    assert_eq!(ll["strength"], "0.9");
    assert!(edges.contains_key(&(n(A), n(E), "LINE_LINK/customer_overlap".into())));
}

#[test]
fn graphml_parses_with_same_graph() {
    let g = Graph::build(&tables());
    let text = graph::graphml(&g);
    let doc = roxmltree::Document::parse(&text).expect("GraphML is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "graphml");
    let keys: BTreeMap<&str, (&str, &str)> = root
        .children()
        .filter(|n| n.has_tag_name("key"))
        .map(|k| {
            (
                k.attribute("id").unwrap(),
                (
                    k.attribute("for").unwrap(),
                    k.attribute("attr.name").unwrap(),
                ),
            )
        })
        .collect();
    let graph = root.children().find(|n| n.has_tag_name("graph")).unwrap();
    assert_eq!(graph.attribute("edgedefault"), Some("directed"));
    let nodes: BTreeSet<&str> = graph
        .children()
        .filter(|n| n.has_tag_name("node"))
        .map(|n| n.attribute("id").unwrap())
        .collect();
    assert_eq!(nodes.len(), 10);
    let mut edges = 0;
    for el in graph.children().filter(|n| n.is_element()) {
        for d in el.children().filter(|n| n.has_tag_name("data")) {
            let k = d.attribute("key").unwrap();
            let (for_, _) = keys.get(k).unwrap_or_else(|| panic!("undeclared key {k}"));
            assert_eq!(*for_, el.tag_name().name());
        }
        if el.has_tag_name("edge") {
            edges += 1;
            assert!(nodes.contains(el.attribute("source").unwrap()));
            assert!(nodes.contains(el.attribute("target").unwrap()));
        }
    }
    assert_eq!(edges, 14);
    let c = graph
        .children()
        .find(|n| n.attribute("id") == Some(&format!("n:{C}")))
        .unwrap();
    let saved = c
        .children()
        .find(|d| d.attribute("key") == Some("n_saved_names"))
        .unwrap();
    assert_eq!(
        saved.text(),
        Some(format!("J | J work | {HOSTILE_NAME}").as_str())
    );
}

#[test]
fn neo4j_csvs_follow_the_import_header_rules() {
    let g = Graph::build(&tables());
    let (nodes, rels) = graph::neo4j(&g);
    let nodes = parse_csv(&nodes);
    let rels = parse_csv(&rels);
    let typed = regex::Regex::new(
        r"^[A-Za-z_][A-Za-z0-9_]*(:(int|long|float|double|boolean|string|datetime|date))?$",
    )
    .unwrap();
    let nh = &nodes[0];
    assert_eq!(nh.iter().filter(|h| h.ends_with(":ID")).count(), 1);
    assert_eq!(nh.iter().filter(|h| *h == ":LABEL").count(), 1);
    for h in nh.iter().filter(|h| !h.ends_with(":ID") && *h != ":LABEL") {
        assert!(typed.is_match(h), "bad node header {h}");
    }
    let rh = &rels[0];
    for special in [":START_ID", ":END_ID", ":TYPE"] {
        assert_eq!(rh.iter().filter(|h| *h == special).count(), 1, "{special}");
    }
    for h in rh.iter().filter(|h| !h.starts_with(':')) {
        assert!(typed.is_match(h), "bad relationship header {h}");
    }
    let idc = nh.iter().position(|h| h.ends_with(":ID")).unwrap();
    let ids: BTreeSet<&str> = nodes[1..].iter().map(|r| r[idc].as_str()).collect();
    assert_eq!(ids.len(), nodes.len() - 1, "node ids are unique");
    assert_eq!(ids.len(), 10);
    let dt = regex::Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$").unwrap();
    let check_typed = |header: &[String], rows: &[Vec<String>]| {
        for r in rows {
            assert_eq!(r.len(), header.len());
            for (h, v) in header.iter().zip(r) {
                if v.is_empty() {
                    continue;
                }
                if h.ends_with(":int") {
                    v.parse::<i64>().unwrap_or_else(|_| panic!("{h}={v}"));
                } else if h.ends_with(":float") {
                    v.parse::<f64>().unwrap_or_else(|_| panic!("{h}={v}"));
                } else if h.ends_with(":datetime") {
                    assert!(dt.is_match(v), "{h}={v}");
                }
            }
        }
    };
    check_typed(nh, &nodes[1..]);
    check_typed(rh, &rels[1..]);
    let (s, e, ty) = (
        rh.iter().position(|h| h == ":START_ID").unwrap(),
        rh.iter().position(|h| h == ":END_ID").unwrap(),
        rh.iter().position(|h| h == ":TYPE").unwrap(),
    );
    let upper = regex::Regex::new("^[A-Z_]+$").unwrap();
    assert_eq!(rels.len() - 1, 14);
    for r in &rels[1..] {
        assert!(
            ids.contains(r[s].as_str()),
            "START_ID {} is not a node",
            r[s]
        );
        assert!(ids.contains(r[e].as_str()), "END_ID {} is not a node", r[e]);
        assert!(upper.is_match(&r[ty]));
    }
    let lab = nh.iter().position(|h| h == ":LABEL").unwrap();
    let labels: BTreeSet<&str> = nodes[1..].iter().map(|r| r[lab].as_str()).collect();
    assert_eq!(labels, BTreeSet::from(["Exhibit", "Line", "Number"]));
    // Multi-line text is flattened so no --multiline-fields is needed.
    let raw = graph::neo4j(&g).1;
    assert_eq!(raw.lines().count(), 15);
}

#[test]
fn i2_csvs_are_complete_and_formula_safe() {
    let mut tabs = tables();
    // A contact name that would run as a spreadsheet formula.
    let contacts = tabs.iter_mut().find(|t| t.name == "contacts").unwrap();
    contacts.rows[1][3] = t("=HYPERLINK(\"http://x\")");
    let g = Graph::build(&tabs);
    let (ents, links) = graph::i2(&g);
    let ents = parse_csv(&ents);
    let links = parse_csv(&links);
    assert_eq!(ents.len() - 1, 10);
    assert_eq!(links.len() - 1, 14);
    for row in ents.iter().chain(&links) {
        for v in row {
            let number = v.chars().skip(1).all(|c| c.is_ascii_digit() || c == '.');
            let unsafe_start = v.starts_with(['=', '@']) || (v.starts_with(['+', '-']) && !number);
            assert!(!unsafe_start, "unsafe cell {v}");
        }
    }
    // E.164 numbers stay exactly as they are (i2 merges entities on them).
    assert!(ents.iter().any(|r| r[2] == A));
    let from_label = links[0].iter().position(|h| h == "from_label").unwrap();
    assert!(links.iter().any(|r| r[from_label] == "Handset B <2>"));
}

#[test]
fn graph_files_are_deterministic_and_written_under_graph() {
    let dir = tempfile::tempdir().unwrap();
    let written = graph::write(&tables(), dir.path()).unwrap();
    assert_eq!(
        written,
        vec![
            "graph/numbers.gexf",
            "graph/numbers.graphml",
            "graph/neo4j/nodes.csv",
            "graph/neo4j/relationships.csv",
            "graph/i2/entities.csv",
            "graph/i2/links.csv"
        ]
    );
    for w in &written {
        assert!(dir.path().join(w).is_file());
    }
    // Same tables in, same bytes out (the row order of input tables is the only order used).
    assert_eq!(gexf_doc(), gexf_doc());
    let mut shuffled = tables();
    for t in &mut shuffled {
        if t.name == "contacts" || t.name == "line_links" {
            continue; // row order is meaningful for line-link sequence numbers only
        }
        t.rows.reverse();
    }
    assert_eq!(
        graph::graphml(&Graph::build(&shuffled)),
        graph::graphml(&Graph::build(&tables()))
    );
}
