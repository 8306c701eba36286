"""Shared by the network tests: Debian's Chromium through Playwright, and expected counts by SPARQL.

The expected node and edge counts of every view are computed here straight from
the store with SPARQL written for the tests, never with ``nikkan.network``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


PROJECT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/nikkan/id/"
NK = "https://w3id.org/nikkan/ontology#"

PREFIXES = """
PREFIX nk: <https://w3id.org/nikkan/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""


@dataclass
class Visit:
    """One page opened from disk with the network blocked, and what it tried to do."""

    page: object
    context: object
    problems: list[str] = field(default_factory=list)  # console errors, page errors
    external: list[str] = field(default_factory=list)  # requests other than file:/about:/data:
    dialogs: list[str] = field(default_factory=list)

    def close(self) -> None:
        self.context.close()


def open_page(browser, path: Path, *, viewport=(1600, 1000), timeout_ms: int = 60000) -> Visit:
    """Open ``path`` from a file:// URL, every other request aborted, and wait until the layout settled."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="en-GB",
                                  service_workers="block")
    page = context.new_page()
    visit = Visit(page, context)

    def route(route):
        url = route.request.url
        if url.startswith(("file:", "about:", "data:")):
            route.continue_()
        else:
            visit.external.append(url)
            route.abort()

    context.route("**/*", route)
    page.on("console", lambda message: message.type in ("error", "warning")
            and visit.problems.append(f"console {message.type}: {message.text[:500]}"))
    page.on("pageerror", lambda error: visit.problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: not request.url.startswith(("file:", "about:", "data:"))
            or visit.problems.append(f"request failed: {request.url}"))

    def dialog(d):
        visit.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.on("dialog", dialog)
    page.goto(path.resolve().as_uri())
    # the page's Content-Security-Policy forbids eval, so wait on a DOM attribute, not a JS predicate
    page.wait_for_selector("body[data-settled=true]", state="attached", timeout=timeout_ms)
    return visit


def dataset_counts(page) -> dict:
    """Sizes of the vis-network DataSets (all nodes/edges) and DataViews (shown ones) in the page."""
    return page.evaluate("""() => ({
        nodes: window.nikkanNetwork.nodes.length, edges: window.nikkanNetwork.edges.length,
        shownNodes: window.nikkanNetwork.nodeView.length, shownEdges: window.nikkanNetwork.edgeView.length,
        drawnNodes: Object.keys(window.nikkanNetwork.network.body.nodeIndices).length,
        drawnEdges: window.nikkanNetwork.network.body.edgeIndices.length,
    })""")


def hover_tooltip(page, node_id: str) -> str:
    """Centre the node, move the mouse onto it and return the text of vis-network's tooltip."""
    point = page.evaluate("""(id) => {
        const net = window.nikkanNetwork.network;
        net.focus(id, {scale: 1.6, animation: false});
        const p = net.canvasToDOM(net.getPosition(id));
        const box = document.getElementById('network').getBoundingClientRect();
        return {x: box.left + p.x, y: box.top + p.y};
    }""", node_id)
    page.mouse.move(point["x"] - 40, point["y"] - 40)
    page.mouse.move(point["x"], point["y"], steps=4)
    tooltip = page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    return tooltip.inner_text()


# ---------------------------------------------------------------------- expected counts, by SPARQL


def scalar(store, sparql: str, **bindings) -> int:
    result = list(store.query(PREFIXES + sparql, bindings or None))
    return int(result[0][0].value)


def iris(store, sparql: str, **bindings) -> set[str]:
    return {row[0].value for row in store.query(PREFIXES + sparql, bindings or None)}


def values(nodes) -> str:
    return " ".join(f"<{n}>" for n in sorted(nodes))


ALL_NODES = """
SELECT DISTINCT ?n WHERE {
  ?p rdfs:subPropertyOf+ nk:relation .
  { ?n ?p ?x } UNION { ?x ?p ?n }
  FILTER(!isLiteral(?n) && !isLiteral(?x))
}"""

ALL_EDGES = """
SELECT (COUNT(*) AS ?c) WHERE {
  SELECT DISTINCT ?s ?p ?o WHERE { ?p rdfs:subPropertyOf+ nk:relation . ?s ?p ?o FILTER(!isLiteral(?o)) }
}"""


def edges_among(store, nodes: set[str]) -> int:
    """Relation triples with both ends in ``nodes``."""
    if not nodes:
        return 0
    return scalar(store, f"""
SELECT (COUNT(*) AS ?c) WHERE {{
  SELECT DISTINCT ?s ?p ?o WHERE {{
    VALUES ?s {{ {values(nodes)} }} VALUES ?o {{ {values(nodes)} }}
    ?p rdfs:subPropertyOf+ nk:relation . ?s ?p ?o .
  }}
}}""")


def expected_whole(store) -> tuple[int, int]:
    return len(iris(store, ALL_NODES)), scalar(store, ALL_EDGES)


def neighbours(store, nodes: set[str]) -> set[str]:
    return iris(store, f"""
SELECT DISTINCT ?n WHERE {{
  VALUES ?x {{ {values(nodes)} }}
  ?p rdfs:subPropertyOf+ nk:relation .
  {{ ?x ?p ?n }} UNION {{ ?n ?p ?x }}
  FILTER(!isLiteral(?n))
}}""")


def expected_neighbourhood(store, centre: str, depth: int) -> tuple[int, int]:
    reached = {centre}
    for _ in range(depth):
        reached |= neighbours(store, reached)
    return len(reached), edges_among(store, reached)


def expected_recommendation(store, rec: str) -> tuple[int, int]:
    """The recommendation, its neighbours, what its claims/implications point to, and their evidence."""
    near = neighbours(store, {rec})
    props = iris(store, f"""
SELECT DISTINCT ?n WHERE {{
  VALUES ?n {{ {values(near)} }}
  ?n a/rdfs:subClassOf* ?c . VALUES ?c {{ nk:Claim nk:Implication }}
}}""")
    further = iris(store, f"""
SELECT DISTINCT ?o WHERE {{
  VALUES ?s {{ {values(props)} }}
  ?p rdfs:subPropertyOf+ nk:relation . ?s ?p ?o . FILTER(!isLiteral(?o))
}}""") if props else set()
    entities = {rec} | near | further
    owners = {rec} | props
    evidence_nodes = iris(store, f"SELECT DISTINCT ?e WHERE {{ VALUES ?x {{ {values(owners)} }} ?x nk:evidence ?e }}")
    evidence_edges = scalar(store, f"""
SELECT (COUNT(*) AS ?c) WHERE {{ SELECT DISTINCT ?x ?e WHERE {{ VALUES ?x {{ {values(owners)} }} ?x nk:evidence ?e }} }}""")
    return len(entities | evidence_nodes), edges_among(store, entities) + evidence_edges


def dated_events(store, date_from: str | None = None, date_to: str | None = None) -> set[str]:
    """Dated events with relations whose date span overlaps [date_from, date_to]."""
    import datetime as dt

    filters = ""
    if date_from:
        filters += f'FILTER(COALESCE(?latest, ?earliest) >= "{dt.date.fromisoformat(date_from)}"^^xsd:date)\n'
    if date_to:
        filters += f'FILTER(?earliest <= "{dt.date.fromisoformat(date_to)}"^^xsd:date)\n'
    return iris(store, f"""
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT DISTINCT ?e WHERE {{
  ?e a/rdfs:subClassOf* nk:Event ; nk:dateEarliest ?earliest .
  OPTIONAL {{ ?e nk:dateLatest ?latest }}
  FILTER EXISTS {{ ?p rdfs:subPropertyOf+ nk:relation . {{ ?e ?p ?x }} UNION {{ ?x ?p ?e }} }}
  {filters}
}}""")


def expected_timeline(store, date_from: str | None = None, date_to: str | None = None) -> tuple[int, int]:
    events = dated_events(store, date_from, date_to)
    return len(events), edges_among(store, events)


def expected_issues(store) -> tuple[int, int]:
    issues = iris(store, """
SELECT DISTINCT ?i WHERE {
  ?i a/rdfs:subClassOf* nk:Issue .
  FILTER EXISTS { ?p rdfs:subPropertyOf+ nk:relation . { ?i ?p ?x } UNION { ?x ?p ?i } }
}""")
    props = iris(store, f"""
SELECT DISTINCT ?r WHERE {{
  VALUES ?i {{ {values(issues)} }}
  ?r nk:concernsIssue ?i ; a/rdfs:subClassOf* ?c . VALUES ?c {{ nk:Recommendation nk:Implication }}
}}""")
    broader = scalar(store, f"""
SELECT (COUNT(*) AS ?c) WHERE {{ SELECT DISTINCT ?a ?b WHERE {{
  VALUES ?a {{ {values(issues)} }} VALUES ?b {{ {values(issues)} }} ?a skos:broader ?b }} }}""")
    concerns = scalar(store, f"""
SELECT (COUNT(*) AS ?c) WHERE {{ SELECT DISTINCT ?r ?i WHERE {{
  VALUES ?r {{ {values(props)} }} VALUES ?i {{ {values(issues)} }} ?r nk:concernsIssue ?i }} }}""")
    return len(issues) + len(props), broader + concerns


def class_members(store, root: str, among: set[str]) -> set[str]:
    """Those of ``among`` typed with ``root`` or a subclass of it."""
    return iris(store, f"""
SELECT DISTINCT ?n WHERE {{ VALUES ?n {{ {values(among)} }} ?n a/rdfs:subClassOf* <{root}> }}""")


def recommendations(store) -> list[str]:
    return sorted(iris(store, "SELECT DISTINCT ?r WHERE { ?r a nk:Recommendation }"))
