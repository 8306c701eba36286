"""The knowledge graph as a :class:`networkx.MultiDiGraph`, read from the store by SPARQL.

Which edges count
=================
An edge is a triple ``?s ?p ?o`` whose predicate is a sub-property (at any depth)
of ``nk:relation`` in the ontology: participants and places of events, issues and
actors that propositions concern, recommendations' backgrounds and implications,
offices and incumbencies, memberships, parties to agreements, ``skos:broader``
between issues, and so on.  ``rdf:type``, labels, dates, ``nk:evidence``,
``nk:statedIn`` and the document structure (sections, ``dcterms:isPartOf``) are
*not* edges: they are attributes of nodes, or not in the network at all.  The
ontology's definition of ``nk:relation`` says the same, and the catalogue's
``neighbourhood`` and ``path-between`` queries use the same rule.

The nodes are exactly the subjects and objects of those edges ("all entities with
relations").  Each node carries its IRI, its most specific ``nk:`` class (the one
no other class of the node is a subclass of), its Japanese and English labels,
event dates, and the evidence quotes behind it with the section each lies in.
Every (subject, predicate, object) triple is one edge, keyed by the predicate's
IRI, so two entities linked by two properties have two parallel edges.

Everything comes from ONE SPARQL query (a UNION whose rows say what they carry),
so the module works on any store behind :class:`nikkan.store.Store`.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
import pyoxigraph as ox

from ..settings import ONTOLOGY_NS
from ..store import Store

NK = ONTOLOGY_NS
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
EVIDENCE = NK + "evidence"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"

#: Labels for relations whose vocabulary the store may not label (external vocabularies).
FALLBACK_PROPERTY_LABELS = {
    SKOS + "broader": ("上位の争点", "broader"),
    ORG + "memberOf": ("所属", "member of"),
    ORG + "subOrganizationOf": ("上位組織", "sub-organisation of"),
    NK + "evidence": ("根拠", "evidence"),
}

NETWORK_QUERY = """
PREFIX nk:   <https://w3id.org/nikkan/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX oa:   <http://www.w3.org/ns/oa#>
SELECT ?row ?s ?p ?o ?lang ?text ?start ?earliest ?latest ?section WHERE {
  {
    # the edges: every triple whose predicate is below nk:relation
    SELECT DISTINCT ("edge" AS ?row) ?s ?p ?o WHERE {
      ?p rdfs:subPropertyOf+ nk:relation .
      ?s ?p ?o .
      FILTER(!isLiteral(?o))
    }
  } UNION {
    # the relations' labels
    SELECT DISTINCT ("property" AS ?row) ?p ?lang ?text WHERE {
      { ?p rdfs:subPropertyOf+ nk:relation } UNION { VALUES ?p { nk:evidence } }
      ?p rdfs:label ?label .
      BIND(LANG(?label) AS ?lang) BIND(STR(?label) AS ?text)
      FILTER(?lang IN ("ja", "en"))
    }
  } UNION {
    # the nk: class hierarchy, with labels (for legends, filters and the actor/issue test)
    SELECT DISTINCT ("class" AS ?row) ?s ?o WHERE {
      ?s a ?type ; rdfs:subClassOf* ?o .
      FILTER(?type IN (<http://www.w3.org/2002/07/owl#Class>, rdfs:Class))
      FILTER(STRSTARTS(STR(?s), STR(nk:)) && STRSTARTS(STR(?o), STR(nk:)))
    }
  } UNION {
    SELECT DISTINCT ("classLabel" AS ?row) ?s ?lang ?text WHERE {
      ?s a ?type ; rdfs:label ?label .
      FILTER(?type IN (<http://www.w3.org/2002/07/owl#Class>, rdfs:Class))
      FILTER(STRSTARTS(STR(?s), STR(nk:)))
      BIND(LANG(?label) AS ?lang) BIND(STR(?label) AS ?text)
      FILTER(?lang IN ("ja", "en"))
    }
  } UNION {
    # the nodes: their classes, labels, dates and evidence
    {
      SELECT DISTINCT ?s WHERE {
        ?p rdfs:subPropertyOf+ nk:relation .
        { ?s ?p ?x } UNION { ?x ?p ?s FILTER(!isLiteral(?s)) }
      }
    }
    {
      ?s a ?o . BIND("type" AS ?row)
      FILTER(STRSTARTS(STR(?o), STR(nk:)))
    } UNION {
      ?s rdfs:label ?label . BIND("label" AS ?row)
      BIND(LANG(?label) AS ?lang) BIND(STR(?label) AS ?text)
      FILTER(?lang IN ("ja", "en"))
    } UNION {
      ?s nk:date ?date . BIND("date" AS ?row) BIND(STR(?date) AS ?text)
      OPTIONAL { ?s nk:dateEarliest ?earliest }
      OPTIONAL { ?s nk:dateLatest ?latest }
    } UNION {
      ?s nk:evidence ?o . BIND("evidence" AS ?row)
      ?o oa:hasSelector ?quoteSelector . ?quoteSelector oa:exact ?quote .
      OPTIONAL { ?o oa:hasSelector ?positionSelector . ?positionSelector oa:start ?start }
      BIND(STR(?quote) AS ?text)
      OPTIONAL { ?o nk:inSection/rdfs:label ?sectionLabel . BIND(LANG(?sectionLabel) AS ?lang) }
      FILTER(!BOUND(?lang) || ?lang IN ("ja", "en"))
      BIND(STR(?sectionLabel) AS ?section)
    }
  }
}
"""


def local_name(iri: str) -> str:
    """The end of an IRI, after its last ``#`` or ``/``."""
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[1] or iri
    return iri


def network_graph(store: Store) -> nx.MultiDiGraph:
    """All relations (sub-properties of ``nk:relation``) as a MultiDiGraph.

    Node attributes: ``iri``, ``class`` (most specific nk: class IRI), ``classes``
    (all its nk: classes), ``label_ja``, ``label_en``, ``evidence`` (list of
    ``{"iri", "quote", "section_ja", "section_en", "start"}`` in document order) and, for
    dated things, ``date``, ``date_earliest``, ``date_latest``.  Edge attributes:
    ``predicate`` (IRI, also the edge key), ``label_ja``, ``label_en``.
    Graph attributes: ``classes`` (class IRI → ``{"label_ja", "label_en",
    "superclasses"}``) and ``properties`` (predicate IRI → ``{"label_ja", "label_en"}``,
    the relations and ``nk:evidence``).
    """
    edges: set[tuple[str, str, str]] = set()
    prop_labels: dict[str, dict[str, str]] = defaultdict(dict)
    superclasses: dict[str, set[str]] = defaultdict(set)
    class_labels: dict[str, dict[str, str]] = defaultdict(dict)
    types: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    dates: dict[str, tuple[str, str | None, str | None]] = {}
    evidence: dict[str, dict[str, dict]] = defaultdict(dict)

    for row in store.query(NETWORK_QUERY):
        kind = row["row"].value
        s = _value(row["s"])
        if kind == "edge":
            edges.add((s, row["p"].value, _value(row["o"])))
        elif kind == "property":
            _keep_least(prop_labels[row["p"].value], row["lang"].value, row["text"].value)
        elif kind == "class":
            superclasses[s].add(row["o"].value)
        elif kind == "classLabel":
            _keep_least(class_labels[s], row["lang"].value, row["text"].value)
        elif kind == "type":
            types[s].add(row["o"].value)
        elif kind == "label":
            labels[s][row["lang"].value].append(row["text"].value)
        elif kind == "date":
            dates[s] = (row["text"].value, _value(row["earliest"]), _value(row["latest"]))
        elif kind == "evidence":
            item = evidence[s].setdefault(
                _value(row["o"]),
                {"iri": _value(row["o"]), "quote": row["text"].value, "section_ja": None, "section_en": None,
                 "start": int(row["start"].value) if row["start"] is not None else None},
            )
            if row["lang"] is not None:
                key, text = f"section_{row['lang'].value}", row["section"].value
                if item[key] is None or text < item[key]:
                    item[key] = text

    graph = nx.MultiDiGraph()
    graph.graph["classes"] = {
        cls: {
            "label_ja": class_labels.get(cls, {}).get("ja", local_name(cls)),
            "label_en": class_labels.get(cls, {}).get("en", local_name(cls)),
            "superclasses": frozenset(supers | {cls}),
        }
        for cls, supers in sorted(superclasses.items())
    }
    properties = {}
    for p in sorted({p for _, p, _ in edges} | set(prop_labels) | {EVIDENCE}):
        fallback = FALLBACK_PROPERTY_LABELS.get(p, (local_name(p), local_name(p)))
        properties[p] = {
            "label_ja": prop_labels.get(p, {}).get("ja", fallback[0]),
            "label_en": prop_labels.get(p, {}).get("en", fallback[1]),
        }
    graph.graph["properties"] = properties

    nodes = sorted({s for s, _, _ in edges} | {o for _, _, o in edges})
    for node in nodes:
        node_labels = labels.get(node, {})
        attrs = {
            "iri": node,
            "class": most_specific(types.get(node, set()), graph.graph["classes"]),
            "classes": sorted(types.get(node, set())),
            "label_ja": min(node_labels["ja"]) if node_labels.get("ja") else None,
            "label_en": min(node_labels["en"]) if node_labels.get("en") else None,
            "evidence": sorted(
                evidence.get(node, {}).values(),
                key=lambda e: (e["start"] is None, e["start"] or 0, e["quote"]),
            ),
        }
        if not attrs["label_ja"] and not attrs["label_en"]:
            attrs["label_en"] = local_name(node)
        if node in dates:
            attrs["date"], attrs["date_earliest"], attrs["date_latest"] = dates[node]
        graph.add_node(node, **attrs)
    for s, p, o in sorted(edges):
        graph.add_edge(s, o, key=p, predicate=p, **properties[p])
    return graph


def most_specific(types: set[str], classes: dict[str, dict]) -> str | None:
    """The class of ``types`` that no other of them is a subclass of (ties: first by IRI)."""
    candidates = [
        t for t in sorted(types)
        if not any(other != t and t in classes.get(other, {}).get("superclasses", ()) for other in types)
    ]
    return candidates[0] if candidates else (min(types) if types else None)


def is_a(graph: nx.MultiDiGraph, node: str, cls: str) -> bool:
    """Whether the node's class is ``cls`` or a subclass of it (by the store's hierarchy)."""
    own = graph.nodes[node].get("class")
    if own is None:
        return False
    return cls in graph.graph["classes"].get(own, {}).get("superclasses", {own})


def label(graph: nx.MultiDiGraph, node: str, lang: str = "en") -> str:
    """A node's label in ``ja``, ``en`` or ``both`` (``ja / en``), falling back to the other."""
    data = graph.nodes[node]
    ja, en = data.get("label_ja"), data.get("label_en")
    if lang == "both":
        return f"{ja} / {en}" if ja and en and ja != en else (ja or en or local_name(node))
    first, second = (ja, en) if lang == "ja" else (en, ja)
    return first or second or local_name(node)


def _keep_least(labels: dict[str, str], lang: str, text: str) -> None:
    """Keep one label per language, the same whatever order the store returns them in."""
    if lang not in labels or text < labels[lang]:
        labels[lang] = text


def _value(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value
