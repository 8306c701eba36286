"""The remote store against REAL servers: Oxigraph's server and Virtuoso.

Each server starts once per module on free loopback ports (see
``store_fixtures.py``); the built dataset is loaded into it through
:func:`nikkan.store.loading.load_dataset`, then every catalogue query runs on it
with the parameters of ``test_catalogue.py`` and each entry's example, and its
answers must equal the in-memory store's: the same rows of the same terms, in
the same order as far as ORDER BY fixes it.  Loading, replacing, malformed
uploads, errors and hostile parameter values are tested on both servers.

Two differences are allowed, both in GROUP_CONCAT columns (a column may also
be a GROUP_CONCAT whose separator REPLACE swaps for another), whose order the
SPARQL specification leaves open: the parts are compared as a multiset, and
their shared language tag is ignored (pyoxigraph 0.5.13 keeps it; Virtuoso and
the current reading of the specification -- w3c/rdf-tests#280 -- drop it).
Every catalogue query must answer so on Virtuoso 7.2.5 (Debian's) too: the
catalogue is written around its defects (see the comments in queries/*.rq).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox
import pytest

from conftest import BASE, DOC
from nikkan.query.answers import answer_difference, comparable_answers, group_concat_separators
from nikkan.query.catalogue import Catalogue, QueryEntry
from nikkan.query.params import bind
from nikkan.settings import PROJECT_ROOT
from nikkan.store import StoreError
from nikkan.store.loading import load_dataset
from nikkan.sparqltext import QueryTextError, paged, with_values
from nikkan.store.remote import QueryRejected, RemoteStore
from store_fixtures import SERVERS, ServerUnavailable, free_port

CATALOGUE = Catalogue.load(PROJECT_ROOT / "queries")
SCRATCH = "urn:x-nikkan-test:scratch/"
XSD = "http://www.w3.org/2001/XMLSchema#"


# --------------------------------------------------------------------------
# The queries and their parameters


@dataclass(frozen=True)
class Case:
    name: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def id(self) -> str:
        return self.name + "".join(f"[{k}={v.rsplit('/', 1)[-1]}]" for k, v in self.params)


def _example_params(entry: QueryEntry) -> tuple[tuple[str, str], ...]:
    pairs = [arg.split("=", 1) for arg in entry.examples[0].split("--param ")[1:]] if entry.examples else []
    return tuple((key, value.strip()) for key, value in pairs)


#: The parameters tests/test_catalogue.py runs the queries with, beside each example.
CATALOGUE_PARAMS = [
    Case("implications-of-recommendation", (("recommendation", f"document/{DOC}/recommendation/rec-loose-policy-coalition"),)),
    *(
        Case("office-holder-on-date", (("post", f"post/{post}"), ("date", date)))
        for post, date in (
            ("prime-minister-of-japan", "2025-12-01"),
            ("prime-minister-of-japan", "2025-10-15"),
            ("prime-minister-of-japan", "2025-09-01"),
            ("president-of-korea", "2025-07-01"),
            ("president-of-korea", "2025-06-15"),
        )
    ),
    Case("evidence", (("entity", "actor/takaichi-sanae"),)),
    Case("neighbourhood", (("entity", "actor/takaichi-sanae"), ("steps", "1"))),
    Case("neighbourhood", (("entity", "actor/takaichi-sanae"), ("steps", "2"))),
    Case("propositions-on-issue", (("issue", "issue/territorial-issues"),)),
    Case("path-between", (("from", "actor/takaichi-sanae"), ("to", "issue/cptpp"))),
    Case("events-in-window", (("from", "2026-01-01"), ("to", "2026-01-31"))),
    Case("events-in-window", (("from", "2025-11-10"), ("to", "2025-11-12"))),
]
CASES = list(
    dict.fromkeys([Case(entry.name, _example_params(entry)) for entry in CATALOGUE] + CATALOGUE_PARAMS)
)


# --------------------------------------------------------------------------
# Comparing answers


def assert_same_answers(remote, memory, sparql: str, bindings) -> None:
    difference = answer_difference(sparql, comparable_answers(remote, sparql, bindings),
                                   comparable_answers(memory, sparql, bindings))
    assert difference is None, difference


# --------------------------------------------------------------------------
# Servers


@pytest.fixture(scope="module", params=sorted(SERVERS))
def server(request, tmp_path_factory):
    try:
        with SERVERS[request.param](tmp_path_factory.mktemp(request.param)) as running:
            yield running
    except ServerUnavailable as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="module")
def remote(server, built):
    """A RemoteStore on the server, holding the built dataset."""
    with RemoteStore(server.url, dialect=server.name) as opened:
        loaded = load_dataset(opened, built.dataset_file)
        assert sum(loaded.values()) > 6000
        yield opened


def scratch_graphs(store) -> list[str]:
    return [g for g in store.named_graphs() if g.startswith(SCRATCH)]


@pytest.fixture
def scratch(remote):
    """Graphs named under SCRATCH for one test, dropped afterwards."""
    yield SCRATCH
    for graph in scratch_graphs(remote):
        remote.delete_graph(graph)


def triples_text(*rows: tuple[str, str, str]) -> bytes:
    return "".join(f"<{s}> <{p}> {o} .\n" for s, p, o in rows).encode()


def graph_size(store, graph: str) -> int:
    result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(next(iter(result))["n"].value)


# --------------------------------------------------------------------------
# Every catalogue query, on every server


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_catalogue_query_answers_as_in_memory(remote, store, case):
    entry = CATALOGUE.get(case.name)
    bindings = bind(entry, dict(case.params), BASE) if case.params else None
    assert_same_answers(remote, store, entry.sparql, bindings)


def test_every_catalogue_query_is_covered():
    assert {case.name for case in CASES} == {entry.name for entry in CATALOGUE}


# --------------------------------------------------------------------------
# The dataset: graphs, union default graph, dump, reload


def test_named_graphs_and_dump_are_the_datasets(remote, store):
    assert remote.named_graphs() == store.named_graphs()
    dumped = set(ox.parse(remote.dump(ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS))
    assert dumped == set(ox.parse(store.dump(ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS))
    ontology = f"{BASE}graph/ontology"
    one = set(ox.parse(remote.dump(ox.RdfFormat.N_TRIPLES, ontology), format=ox.RdfFormat.N_TRIPLES))
    assert one == set(ox.parse(store.dump(ox.RdfFormat.N_TRIPLES, ontology), format=ox.RdfFormat.N_TRIPLES))


def test_default_graph_options_answer_as_in_memory(remote, store):
    """Union default graph (the server's own graphs left out), an empty default graph, explicit datasets."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    graphs = store.named_graphs()
    for options in (
        {},
        {"union_default_graph": False},
        {"default_graph": graphs[:1]},
        {"default_graph": graphs[1:], "named_graphs": graphs[:1]},
    ):
        for sparql in (count, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
            mine = sorted(str(r[0]) for r in remote.query(sparql, **options))
            theirs = sorted(str(r[0]) for r in store.query(sparql, **options))
            assert mine == theirs, (sparql, options)
    ask = remote.query("ASK { ?s a <https://w3id.org/nikkan/ontology#Recommendation> }")
    assert isinstance(ask, ox.QueryBoolean) and bool(ask)


def test_construct_gives_pyoxigraph_triples(remote, store):
    sparql = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{BASE}graph/links/wikidata> {{ ?s ?p ?o }} }}"
    result = remote.query(sparql)
    assert isinstance(result, ox.QueryTriples)
    assert set(result) == set(store.query(sparql))
    described = remote.query("DESCRIBE ?x WHERE { VALUES ?x { <https://w3id.org/nikkan/id/actor/japan> } }")
    assert isinstance(described, ox.QueryTriples) and len(list(described)) > 5


def test_reloading_is_idempotent_and_keeps_other_graphs(remote, built, scratch):
    other = scratch + "import"
    remote.replace_graph(other, triples_text(("urn:x:a", "urn:x:p", '"kept"')), ox.RdfFormat.N_TRIPLES)
    before = {g: graph_size(remote, g) for g in remote.named_graphs()}
    load_dataset(remote, built.dataset_file)
    assert {g: graph_size(remote, g) for g in remote.named_graphs()} == before
    assert before[other] == 1


# --------------------------------------------------------------------------
# Writing: replace one graph, refuse malformed input


def test_replace_graph_replaces_only_that_graph(remote, scratch):
    first, second = scratch + "first", scratch + "second"
    curated = {g: graph_size(remote, g) for g in remote.named_graphs()}
    remote.replace_graph(first, triples_text(("urn:x:a", "urn:x:p", '"one"'), ("urn:x:a", "urn:x:p", '"two"')), ox.RdfFormat.N_TRIPLES)
    remote.replace_graph(second, '<urn:x:b> <urn:x:p> "日本語"@ja .\n'.encode(), ox.RdfFormat.TURTLE)
    remote.replace_graph(first, triples_text(("urn:x:c", "urn:x:p", '"three"')), ox.RdfFormat.N_TRIPLES)
    assert [str(t) for t in remote.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{first}> {{ ?s ?p ?o }} }}")] == [
        '<urn:x:c> <urn:x:p> "three"'
    ]
    assert ox.parse(remote.dump(ox.RdfFormat.N_TRIPLES, second), format=ox.RdfFormat.N_TRIPLES).__next__().object == ox.Literal(
        "日本語", language="ja"
    )
    assert {g: graph_size(remote, g) for g in remote.named_graphs() if g in curated} == curated
    # A quad format's graph names give way to the graph being replaced.
    remote.replace_graph(first, b'<urn:x:d> <urn:x:p> "four" <urn:x:elsewhere> .\n', ox.RdfFormat.N_QUADS)
    assert graph_size(remote, first) == 1 and "urn:x:elsewhere" not in remote.named_graphs()


@pytest.mark.parametrize(
    "data, rdf_format",
    [
        (b'<urn:x:a> <urn:x:p> "unterminated .\n', ox.RdfFormat.N_TRIPLES),
        (b"@prefix x: <urn:x:> .\nx:a x:p x:b ;\n", ox.RdfFormat.TURTLE),
        (b'<urn:x:a> <urn:x:p> "fine" .\n<urn:x:a> <urn:x:p> not-a-term .\n', ox.RdfFormat.N_TRIPLES),
    ],
    ids=["unterminated-string", "truncated-turtle", "bad-second-line"],
)
def test_malformed_upload_is_refused_and_changes_nothing(remote, scratch, data, rdf_format):
    graph = scratch + "kept"
    remote.replace_graph(graph, triples_text(("urn:x:a", "urn:x:p", '"before"')), ox.RdfFormat.N_TRIPLES)
    everything = remote.dump(ox.RdfFormat.N_QUADS)
    with pytest.raises(StoreError, match="cannot load"):
        remote.replace_graph(graph, data, rdf_format)
    with pytest.raises(StoreError, match="cannot load"):
        remote.load(data, rdf_format, graph)
    assert remote.dump(ox.RdfFormat.N_QUADS) == everything


def test_results_past_the_servers_cap_are_all_read(remote, scratch):
    """Virtuoso cuts SELECT, CONSTRUCT and graph store reads at 10,000 rows; the store pages."""
    graph = scratch + "big"
    size = 10_500
    rows = [(f"urn:x:s{i:05d}", "urn:x:p", f'"{i}"^^<{XSD}integer>') for i in range(size)]
    remote.replace_graph(graph, triples_text(*rows), ox.RdfFormat.N_TRIPLES)
    found = remote.query(f"SELECT ?s ?o WHERE {{ GRAPH <{graph}> {{ ?s <urn:x:p> ?o }} }} ORDER BY DESC(?o)")
    values = [int(r["o"].value) for r in found]
    assert values == list(range(size - 1, -1, -1))
    dumped = list(ox.parse(remote.dump(ox.RdfFormat.N_TRIPLES, graph), format=ox.RdfFormat.N_TRIPLES))
    assert len(dumped) == size and len(set(dumped)) == size
    if remote.dialect.max_rows:
        with pytest.raises(StoreError, match="result cap"):
            remote.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")


# --------------------------------------------------------------------------
# Errors


def test_query_errors_name_the_server_and_its_message(remote):
    with pytest.raises(QueryRejected) as error:
        remote.query("SELECT ?x WHERE { ?x ?p }")
    message = str(error.value)
    assert remote.endpoints.query in message and "400" in message
    assert isinstance(error.value, SyntaxError) and isinstance(error.value, StoreError)
    with pytest.raises(QueryRejected, match="not a SPARQL query"):
        remote.query("DROP ALL")


def test_unreachable_server_is_a_clear_error():
    url = f"http://127.0.0.1:{free_port()}"
    with RemoteStore(url, dialect="oxigraph") as nowhere:
        with pytest.raises(StoreError, match=rf"cannot reach the SPARQL server at {re.escape(url)}/query"):
            nowhere.query("ASK {}")
        with pytest.raises(StoreError, match=rf"cannot reach the SPARQL server at {re.escape(url)}/store"):
            nowhere.replace_graph(SCRATCH + "x", b"", ox.RdfFormat.N_TRIPLES)


def test_refused_writes_are_clear_errors(remote, server):
    graph = SCRATCH + "refused"
    if server.name == "virtuoso":
        with RemoteStore(server.url, dialect="virtuoso", auth=("dba", "wrong")) as intruder:
            with pytest.raises(StoreError, match=r"HTTP 401.*user and password"):
                intruder.replace_graph(graph, triples_text(("urn:x:a", "urn:x:p", '"x"')), ox.RdfFormat.N_TRIPLES)
    with RemoteStore(server.url, dialect=server.name, gsp_url=server.url + "/no-such-service") as lost:
        with pytest.raises(StoreError, match=r"/no-such-service answered HTTP [45]\d\d"):
            lost.replace_graph(graph, triples_text(("urn:x:a", "urn:x:p", '"x"')), ox.RdfFormat.N_TRIPLES)
    assert graph not in remote.named_graphs()


# --------------------------------------------------------------------------
# Parameter values are values, whatever they hold


HOSTILE = [
    ox.Literal('"} ; DROP ALL ; #'),
    ox.Literal("'} } ; CLEAR ALL ; SELECT * { #"),
    ox.Literal('a\\u0022b \\U00000022 \\\\u0022'),
    ox.Literal('line\nbreak\r"""\'\'\'\t\\'),
    ox.Literal('"@en } #', language="en"),
    ox.Literal('1" } ; DROP ALL ; #', datatype=ox.NamedNode(XSD + "token")),
    ox.NamedNode("urn:x:a#%7D%20DROP"),
]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_bindings_with_injection_attempts_are_plain_values(remote, store, value):
    graphs = remote.named_graphs()
    result = remote.query("SELECT ?value ?text WHERE { BIND(STR(?value) AS ?text) }", {"value": value})
    rows = [(r["value"], r["text"]) for r in result]
    text = value.value
    assert rows == [(value, ox.Literal(text))]
    # Used in a pattern, it matches nothing (no label is like that) and changes nothing.
    sparql = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    assert list(remote.query(sparql, {"label": value})) == list(store.query(sparql, {"label": value})) == []
    assert remote.named_graphs() == graphs


# --------------------------------------------------------------------------
# Query text (no server)


def test_values_open_the_outermost_where_group():
    iri = ox.NamedNode("urn:x:a")
    sparql = "PREFIX x: <urn:x:>\nSELECT ?a (EXISTS { ?a ?p ?o } AS ?e) WHERE { { SELECT ?a WHERE { ?a ?p ?o } } }"
    assert with_values(sparql, {"a": iri}).startswith(
        "PREFIX x: <urn:x:>\nSELECT ?a (EXISTS { ?a ?p ?o } AS ?e) WHERE { VALUES (?a) { (<urn:x:a>) }  {"
    )
    construct = "CONSTRUCT { ?a ?p ?o } WHERE { ?a ?p ?o }"
    assert with_values(construct, {"a": iri}) == "CONSTRUCT { ?a ?p ?o } WHERE { VALUES (?a) { (<urn:x:a>) }  ?a ?p ?o }"
    assert "VALUES (?a) { (<urn:x:a>) }" in with_values("ASK { ?a ?p ?o }", {"a": iri})
    with pytest.raises(QueryTextError, match="CONSTRUCT WHERE"):
        with_values("CONSTRUCT WHERE { ?a ?p ?o }", {"a": iri})
    with pytest.raises(QueryTextError, match="only IRIs and literals"):
        with_values("ASK { ?a ?p ?o }", {"a": ox.BlankNode()})
    with pytest.raises(QueryTextError, match="variable name"):
        with_values("ASK { ?a ?p ?o }", {"a) {} } DROP ALL #": iri})
    # Words in strings, IRIs and comments are not keywords.
    tricky = 'SELECT ?a WHERE # { not here\n { ?a <urn:x:WHERE{> "WHERE {" }'
    assert with_values(tricky, {"a": iri}).endswith('{ VALUES (?a) { (<urn:x:a>) }  ?a <urn:x:WHERE{> "WHERE {" }')


def test_pages_keep_the_prologue_outside():
    query = "PREFIX x: <urn:x:>\nSELECT ?a WHERE { ?a x:p ?b } ORDER BY ?b # last"
    assert paged(query, 10, 20) == (
        "PREFIX x: <urn:x:>\nSELECT * WHERE {\n{\nSELECT ?a WHERE { ?a x:p ?b } ORDER BY ?b # last\n}\n}\nLIMIT 10 OFFSET 20"
    )


def test_group_concat_columns_are_found_replaced_or_not():
    sparql = """SELECT ?a (GROUP_CONCAT(DISTINCT ?b; separator=" | ") AS ?bs) (GROUP_CONCAT(?c) AS ?cs)
      (REPLACE(GROUP_CONCAT(DISTINCT STR(?d); separator="\\u001F"), "\\u001F", " … ") AS ?ds) WHERE { }"""
    assert group_concat_separators(sparql) == {"bs": " | ", "cs": " ", "ds": " … "}
    assert group_concat_separators("SELECT (GROUP_CONCAT(?x; SEPARATOR='\\n') AS ?xs) {}") == {"xs": "\n"}


def test_answers_differ_only_where_sparql_fixes_them():
    sparql = "SELECT ?k ?v WHERE { } ORDER BY ?k"
    expected = (["k", "v"], [("1", "a"), ("1", "b"), ("2", "c")])
    assert answer_difference(sparql, (["k", "v"], [("1", "b"), ("1", "a"), ("2", "c")]), expected) is None
    assert "order" in answer_difference(sparql, (["k", "v"], [("2", "c"), ("1", "a"), ("1", "b")]), expected)
    assert "missing [('2', 'c')]" in answer_difference(sparql, (["k", "v"], [("1", "a"), ("1", "b"), ("2", "d")]), expected)
    assert "variables" in answer_difference(sparql, (["v", "k"], expected[1]), expected)
