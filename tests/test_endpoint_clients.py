"""The endpoint seen by real clients: SPARQLWrapper in every format, httpx for the rest.

One server for the module (timeout 1 s, max-rows 100, 2 workers) over a small
dataset: three people in one graph, a role in another, 3,000 generated
triples in a third (for the runaway query and the row cap).
"""

from __future__ import annotations

import csv
import html
import http.server
import io
import re
import threading
import time
import urllib.error
from concurrent.futures import ThreadPoolExecutor

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import FOAF, RDF
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from nikkan.endpoint.app import render_home
from nikkan.query.catalogue import Catalogue
from nikkan.settings import Settings

from endpoint_fixtures import EX, running_server, wait_for, write_dataset

PEOPLE = EX + "graph/people"
EXTRA = EX + "graph/extra"
BULK = EX + "graph/bulk"
BULK_SIZE = 3000
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_INTEGER = XSD + "integer"
TIMEOUT = 1.0
MAX_ROWS = 100

PEOPLE_NT = f"""\
<{EX}alice> <{RDF}type> <{FOAF}Person> .
<{EX}alice> <{FOAF}name> "Alice" .
<{EX}alice> <{EX}age> "34"^^<{XSD}integer> .
<{EX}alice> <{FOAF}knows> <{EX}bob> .
<{EX}bob> <{RDF}type> <{FOAF}Person> .
<{EX}bob> <{FOAF}name> "Bob" .
<{EX}bob> <{EX}age> "27"^^<{XSD}integer> .
<{EX}chiyo> <{RDF}type> <{FOAF}Person> .
<{EX}chiyo> <{FOAF}name> "千代"@ja .
<{EX}chiyo> <{EX}age> "51"^^<{XSD}integer> .
<{EX}chiyo> <{FOAF}knows> <{EX}alice> .
"""
EXTRA_NT = f'<{EX}alice> <{EX}role> "editor" .\n'
BULK_NT = "".join(f'<{EX}item/{i}> <{EX}value> "{i}"^^<{XSD}integer> .\n' for i in range(BULK_SIZE))

PREFIXES = f"PREFIX foaf: <{FOAF}>\nPREFIX ex: <{EX}>\n"
SELECT_PEOPLE = PREFIXES + "SELECT ?name ?age WHERE { ?p foaf:name ?name ; ex:age ?age } ORDER BY ?age"
ASK_KNOWS = PREFIXES + "ASK { ex:alice foaf:knows ex:bob }"
CONSTRUCT_NAMES = PREFIXES + "CONSTRUCT { ?p foaf:name ?name } WHERE { ?p foaf:name ?name }"
DESCRIBE_BOB = PREFIXES + "DESCRIBE ex:bob"
RUNAWAY = PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?a ex:value ?x . ?b ex:value ?y . ?c ex:value ?z }"

NAMES = {
    (URIRef(EX + "alice"), FOAF.name, Literal("Alice")),
    (URIRef(EX + "bob"), FOAF.name, Literal("Bob")),
    (URIRef(EX + "chiyo"), FOAF.name, Literal("千代", lang="ja")),
}
BOB = {
    (URIRef(EX + "bob"), RDF.type, FOAF.Person),
    (URIRef(EX + "bob"), FOAF.name, Literal("Bob")),
    (URIRef(EX + "bob"), URIRef(EX + "age"), Literal(27)),
}


class _Recorder(http.server.BaseHTTPRequestHandler):
    """A loopback web server that records every request: the endpoint must never call it."""

    hits: list[str] = []

    def _answer(self):
        type(self).hits.append(f"{self.command} {self.path}")
        self.send_response(200)
        self.send_header("Content-Type", "application/n-triples")
        self.end_headers()
        self.wfile.write(b'<http://example.org/fetched> <http://example.org/p> "fetched" .\n')

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def bait():
    """URL of a server a careless endpoint would fetch from (FROM, SERVICE...)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Recorder.hits = []
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clients")
    settings = write_dataset(folder, {PEOPLE: PEOPLE_NT, EXTRA: EXTRA_NT, BULK: BULK_NT})
    (settings.queries_dir / "people.rq").write_text(
        "# Question: Who is in the <test> dataset & how old?\n# 質問: データセットの人物と年齢は。\n"
        + SELECT_PEOPLE + "\n", encoding="utf-8")
    (settings.queries_dir / "evil.rq").write_text(
        '# Question: </script><script>alert("x")</script>\n# 質問: <img src=x onerror=alert(1)>\n'
        "ASK {}\n", encoding="utf-8")
    with running_server(settings, timeout=TIMEOUT, max_rows=MAX_ROWS, workers=2) as live:
        yield live


def client(server, query: str, fmt=JSON, method="GET", request_method=None) -> SPARQLWrapper:
    sparql = SPARQLWrapper(server.endpoint)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setTimeout(30)
    if method == "POST":
        sparql.setMethod(POST)
        if request_method:
            sparql.setRequestMethod(request_method)
    return sparql


def _content_type(result) -> str:
    return result.info()["content-type"].split(";")[0]


# --------------------------------------------------------------------------
# SELECT


@pytest.mark.parametrize("method,request_method", [("GET", None), ("POST", None), ("POST", POSTDIRECTLY)],
                         ids=["get", "post-form", "post-direct"])
def test_select_json(server, method, request_method):
    result = client(server, SELECT_PEOPLE, JSON, method, request_method).query()
    assert _content_type(result) == "application/sparql-results+json"
    assert result.convert() == {
        "head": {"vars": ["name", "age"]},
        "results": {"bindings": [
            {"name": {"type": "literal", "value": "Bob"},
             "age": {"type": "literal", "value": "27", "datatype": XSD_INTEGER}},
            {"name": {"type": "literal", "value": "Alice"},
             "age": {"type": "literal", "value": "34", "datatype": XSD_INTEGER}},
            {"name": {"type": "literal", "value": "千代", "xml:lang": "ja"},
             "age": {"type": "literal", "value": "51", "datatype": XSD_INTEGER}},
        ]},
    }
    assert result.info()["x-nikkan-truncated"] == "false"


def test_select_xml(server):
    result = client(server, SELECT_PEOPLE, XML).query()
    assert _content_type(result) == "application/sparql-results+xml"
    document = result.convert()
    rows = []
    for node in document.getElementsByTagName("result"):
        row = {}
        for binding in node.getElementsByTagName("binding"):
            literal = binding.getElementsByTagName("literal")[0]
            row[binding.getAttribute("name")] = (
                literal.firstChild.data, literal.getAttribute("datatype") or None, literal.getAttribute("xml:lang") or None
            )
        rows.append(row)
    assert rows == [
        {"name": ("Bob", None, None), "age": ("27", XSD_INTEGER, None)},
        {"name": ("Alice", None, None), "age": ("34", XSD_INTEGER, None)},
        {"name": ("千代", None, "ja"), "age": ("51", XSD_INTEGER, None)},
    ]


def test_select_csv(server):
    result = client(server, SELECT_PEOPLE, CSV).query()
    assert _content_type(result) == "text/csv"
    text = result.convert().decode("utf-8")
    assert list(csv.reader(io.StringIO(text))) == [["name", "age"], ["Bob", "27"], ["Alice", "34"], ["千代", "51"]]


def test_select_tsv(server):
    result = client(server, SELECT_PEOPLE, TSV).query()
    assert _content_type(result) == "text/tab-separated-values"
    assert result.convert().decode("utf-8").splitlines() == [
        "?name\t?age", '"Bob"\t27', '"Alice"\t34', '"千代"@ja\t51',
    ]


# --------------------------------------------------------------------------
# ASK


@pytest.mark.parametrize("fmt,content_type", [
    (JSON, "application/sparql-results+json"), (XML, "application/sparql-results+xml"),
    (CSV, "text/csv"), (TSV, "text/tab-separated-values"),
])
def test_ask(server, fmt, content_type):
    result = client(server, ASK_KNOWS, fmt).query()
    assert _content_type(result) == content_type
    converted = result.convert()
    if fmt == JSON:
        assert converted == {"head": {}, "boolean": True}
    elif fmt == XML:
        assert converted.getElementsByTagName("boolean")[0].firstChild.data == "true"
    else:
        assert converted.strip() == b"true"
    assert client(server, PREFIXES + "ASK { ex:bob foaf:knows ex:alice }", JSON).queryAndConvert()["boolean"] is False


# --------------------------------------------------------------------------
# CONSTRUCT and DESCRIBE


def _graph(result, fmt) -> set:
    converted = result.convert()
    if isinstance(converted, rdflib.Graph):
        return set(converted)
    syntax = {"text/turtle": "turtle", "application/n-triples": "nt"}[_content_type(result)]
    return set(rdflib.Graph().parse(data=converted, format=syntax))


GRAPH_FORMATS = [
    (TURTLE, "text/turtle", None), (N3, "text/turtle", None), (XML, "application/rdf+xml", None),
    (RDFXML, "application/rdf+xml", None), (JSONLD, "application/ld+json", None),
    (N3, "application/n-triples", "application/n-triples"),
]


@pytest.mark.parametrize("fmt,content_type,accept", GRAPH_FORMATS,
                         ids=["turtle", "n3", "xml", "rdfxml", "jsonld", "ntriples"])
@pytest.mark.parametrize("query,expected", [(CONSTRUCT_NAMES, NAMES), (DESCRIBE_BOB, BOB)],
                         ids=["construct", "describe"])
def test_graph_results(server, query, expected, fmt, content_type, accept):
    sparql = client(server, query, fmt)
    if accept:
        sparql.addCustomHttpHeader("Accept", accept)
    result = sparql.query()
    assert _content_type(result) == content_type
    assert _graph(result, fmt) == expected


# --------------------------------------------------------------------------
# Datasets: protocol parameters and FROM select among local graphs only


def test_default_graph_is_the_union(server):
    rows = client(server, PREFIXES + "SELECT ?role { ex:alice ex:role ?role }").queryAndConvert()
    assert [b["role"]["value"] for b in rows["results"]["bindings"]] == ["editor"]


def test_protocol_dataset(server):
    query = PREFIXES + "SELECT ?name ?role { ?p foaf:name ?name OPTIONAL { ?p ex:role ?role } } ORDER BY ?name"
    sparql = client(server, query)
    sparql.addDefaultGraph(PEOPLE)
    rows = sparql.queryAndConvert()["results"]["bindings"]
    assert [(r["name"]["value"], "role" in r) for r in rows] == [("Alice", False), ("Bob", False), ("千代", False)]

    sparql = client(server, PREFIXES + "SELECT ?g ?role { GRAPH ?g { ?p ex:role ?role } }")
    sparql.addNamedGraph(PEOPLE)
    assert sparql.queryAndConvert()["results"]["bindings"] == []
    sparql = client(server, PREFIXES + "SELECT ?g ?role { GRAPH ?g { ?p ex:role ?role } }")
    sparql.addNamedGraph(EXTRA)
    assert sparql.queryAndConvert()["results"]["bindings"] == [
        {"g": {"type": "uri", "value": EXTRA}, "role": {"type": "literal", "value": "editor"}}
    ]


def test_from_selects_a_local_graph(server):
    query = PREFIXES + f"SELECT (COUNT(*) AS ?n) FROM <{EXTRA}> {{ ?s ?p ?o }}"
    assert client(server, query).queryAndConvert()["results"]["bindings"][0]["n"]["value"] == "1"


def test_never_fetches_named_urls(server, bait):
    """FROM / FROM NAMED / default-graph-uri naming a live URL: answered locally, URL never called."""
    url = bait + "/data.nt"
    assert httpx.get(server.endpoint, params={"query": f"SELECT * FROM <{url}> {{ ?s ?p ?o }}"}).json()[
        "results"]["bindings"] == []
    query = f"SELECT * FROM NAMED <{url}> {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert httpx.get(server.endpoint, params={"query": query}).json()["results"]["bindings"] == []
    response = httpx.get(server.endpoint, params={"query": "SELECT * { ?s ?p ?o }", "default-graph-uri": url,
                                                 "named-graph-uri": url})
    assert response.json()["results"]["bindings"] == []
    for query in (f"SELECT * {{ SERVICE <{bait}/sparql> {{ ?s ?p ?o }} }}",
                  f"SELECT * {{ SERVICE SILENT <{bait}/sparql> {{ ?s ?p ?o }} }}",
                  f"select * {{ BIND(<{bait}/sparql> AS ?e) service ?e {{ ?s ?p ?o }} }}"):
        response = httpx.get(server.endpoint, params={"query": query})
        assert response.status_code == 400 and "SERVICE" in response.text
    assert _Recorder.hits == []


def test_service_refused_through_sparqlwrapper(server, bait):
    with pytest.raises(QueryBadFormed, match="SERVICE .federated query. is not supported"):
        client(server, f"SELECT * {{ SERVICE <{bait}/sparql> {{ ?s ?p ?o }} }}").query()
    assert _Recorder.hits == []


# --------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize("update", [
    PREFIXES + "INSERT DATA { ex:mallory foaf:name \"Mallory\" }",
    "CLEAR ALL",
])
@pytest.mark.parametrize("request_method", [None, POSTDIRECTLY], ids=["form", "direct"])
def test_update_refused(server, update, request_method):
    sparql = client(server, update, JSON, "POST", request_method)
    with pytest.raises(urllib.error.HTTPError) as refused:
        sparql.query()
    assert refused.value.code == 403
    assert "read-only" in refused.value.read().decode()
    assert client(server, ASK_KNOWS).queryAndConvert()["boolean"] is True
    assert client(server, PREFIXES + "ASK { ex:mallory ?p ?o }").queryAndConvert()["boolean"] is False


@pytest.mark.parametrize("query", [
    "SELECT ?x WHERE { ?x ?y }",
    "PREFIX ex: <http://example.org/>\nSELECT *\nWHERE {\n  ?s ex:p ?o .\n  FILTER(?o > )\n}",
    "ASK {",
])
def test_syntax_error(server, query):
    with pytest.raises(SyntaxError) as engine:
        ox.Store().query(query, base_iri="http://example.org/")
    position = re.search(r"error at \d+:\d+", str(engine.value)).group()
    with pytest.raises(QueryBadFormed) as refused:
        client(server, query).query()
    assert position in str(refused.value)
    response = httpx.post(server.endpoint, content=query, headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400
    assert response.text.startswith(f"SPARQL syntax error: {position}")


def test_bad_requests(server):
    e = server.endpoint
    assert httpx.get(e, params=[("query", "ASK {}"), ("query", "ASK {}")]).status_code == 400
    assert httpx.post(e, data={"query": "ASK {}", "update": "CLEAR ALL"}).status_code == 400
    assert httpx.post(e, content=b"ASK {}", headers={"Content-Type": "text/plain"}).status_code == 400
    assert httpx.post(e, data={"format": "json"}).status_code == 400
    assert httpx.get(e, params={"query": "  "}).status_code == 400
    assert httpx.get(e, params={"query": "ASK {}", "default-graph-uri": "not an iri"}).status_code == 400
    for method in ("PUT", "DELETE", "PATCH"):
        response = httpx.request(method, e, params={"query": "ASK {}"})
        assert response.status_code == 405 and response.headers["allow"] == "GET, HEAD, POST, OPTIONS"
    assert httpx.get(e, params={"update": "CLEAR ALL"}).status_code == 403
    assert httpx.get(e, params={"query": "CLEAR ALL"}).status_code == 403  # an update sent as a query
    too_big = "ASK {} #" + "x" * (1 << 20)
    assert httpx.post(e, content=too_big, headers={"Content-Type": "application/sparql-query"}).status_code == 413


# --------------------------------------------------------------------------
# Content negotiation


@pytest.mark.parametrize("accept,params,expected", [
    (None, {}, "application/sparql-results+json"),
    ("*/*", {}, "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml", {}, "application/sparql-results+xml"),
    ("application/sparql-results+json;q=0.2, text/tab-separated-values;q=0.9", {}, "text/tab-separated-values"),
    ("*/*;q=0.1, text/*", {}, "text/csv"),
    ("application/json", {}, "application/sparql-results+json"),
    ("application/sparql-results+json", {"format": "tsv"}, "text/tab-separated-values"),
    ("text/html", {"format": "xml"}, "application/sparql-results+xml"),
    ("text/html", {"format": "text/csv"}, "text/csv"),
])
def test_negotiation_select(server, accept, params, expected):
    headers = {"Accept": accept} if accept else {}
    response = httpx.get(server.endpoint, params={"query": SELECT_PEOPLE, **params}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == expected


@pytest.mark.parametrize("accept,params,expected", [
    (None, {}, "text/turtle"),
    ("application/n-triples;q=0.9, text/turtle;q=0.8", {}, "application/n-triples"),
    ("application/ld+json", {}, "application/ld+json"),
    ("application/rdf+xml", {}, "application/rdf+xml"),
    ("text/html", {"format": "nt"}, "application/n-triples"),
    (None, {"format": "jsonld"}, "application/ld+json"),
    (None, {"format": "ttl"}, "text/turtle"),
    (None, {"format": "xml"}, "application/rdf+xml"),
])
def test_negotiation_graph(server, accept, params, expected):
    headers = {"Accept": accept} if accept else {}
    response = httpx.get(server.endpoint, params={"query": CONSTRUCT_NAMES, **params}, headers=headers)
    assert response.status_code == 200
    media_type = response.headers["content-type"].split(";")[0]
    assert media_type == expected
    parsed = ox.parse(response.content, format=ox.RdfFormat.from_media_type(media_type))
    assert len(list(parsed)) == 3


def test_not_acceptable(server):
    e = server.endpoint
    response = httpx.get(e, params={"query": SELECT_PEOPLE}, headers={"Accept": "image/png"})
    assert response.status_code == 406 and "application/sparql-results+json" in response.text
    assert httpx.get(e, params={"query": CONSTRUCT_NAMES}, headers={"Accept": "text/csv"}).status_code == 406
    assert httpx.get(e, params={"query": CONSTRUCT_NAMES, "format": "csv"}).status_code == 406
    assert httpx.get(e, params={"query": ASK_KNOWS, "format": "ttl"}).status_code == 406
    # q=0 refuses a type: with nothing else acceptable, 406
    assert httpx.get(e, params={"query": SELECT_PEOPLE},
                     headers={"Accept": "application/sparql-results+json;q=0, text/html"}).status_code == 406
    response = httpx.get(e, params={"query": SELECT_PEOPLE},
                         headers={"Accept": "application/sparql-results+json;q=0, */*;q=0.5"})
    assert response.headers["content-type"] == "application/sparql-results+xml"


# --------------------------------------------------------------------------
# Limits: timeout and row cap


def test_runaway_query_is_stopped(server):
    pool = server.app.state.pool
    restarts = pool.restarts
    started = time.monotonic()
    with pytest.raises(urllib.error.HTTPError) as stopped:
        client(server, RUNAWAY).query()
    elapsed = time.monotonic() - started
    assert stopped.value.code == 503
    assert "query timeout" in stopped.value.read().decode()
    assert TIMEOUT <= elapsed < TIMEOUT + 5
    # the other worker answers at once, and the killed one is replaced
    assert client(server, ASK_KNOWS).queryAndConvert()["boolean"] is True
    assert wait_for(lambda: pool.restarts > restarts)
    assert client(server, SELECT_PEOPLE).queryAndConvert()["results"]["bindings"][0]["name"]["value"] == "Bob"


def test_runaway_does_not_block_others(server):
    """While one worker is stuck on a runaway query, the other keeps answering."""
    pool = server.app.state.pool
    assert wait_for(lambda: pool.idle == pool.size)  # both workers up (one may be restarting)
    with ThreadPoolExecutor(1) as executor:
        runaway = executor.submit(lambda: httpx.get(server.endpoint, params={"query": RUNAWAY}, timeout=30))
        assert wait_for(lambda: pool.idle == pool.size - 1 or runaway.done())
        started = time.monotonic()
        quick = [httpx.get(server.endpoint, params={"query": ASK_KNOWS}, timeout=30) for _ in range(5)]
        assert time.monotonic() - started < TIMEOUT  # answered while the runaway query was still running
        assert not runaway.done()
        assert [r.json()["boolean"] for r in quick] == [True] * 5
        assert runaway.result().status_code == 503


def test_rows_capped(server):
    query = PREFIXES + "SELECT ?item WHERE { ?item ex:value ?v }"
    result = client(server, query).query()
    assert len(result.convert()["results"]["bindings"]) == MAX_ROWS
    headers = result.info()
    assert headers["x-nikkan-truncated"] == "true"
    assert headers["x-nikkan-max-rows"] == str(MAX_ROWS)
    assert "truncated" in headers["warning"]
    for limit, truncated in ((MAX_ROWS, "false"), (MAX_ROWS + 1, "true"), (7, "false")):
        result = client(server, query + f" LIMIT {limit}").query()
        assert len(result.convert()["results"]["bindings"]) == min(limit, MAX_ROWS)
        assert result.info()["x-nikkan-truncated"] == truncated
    response = httpx.get(server.endpoint, params={"query": query, "format": "csv"})
    assert len(response.text.strip().splitlines()) == MAX_ROWS + 1  # header + rows
    response = httpx.get(server.endpoint, params={"query": PREFIXES + "CONSTRUCT WHERE { ?s ex:value ?v }",
                                                  "format": "nt"})
    assert len(response.text.strip().splitlines()) == MAX_ROWS
    assert response.headers["x-nikkan-truncated"] == "true"


def test_sixteen_concurrent_clients(server):
    def one(i: int):
        fmt = (JSON, XML, CSV, TSV)[i % 4]
        results = []
        for _ in range(3):
            result = client(server, SELECT_PEOPLE, fmt).query()
            results.append((_content_type(result), result.convert()))
        return results

    with ThreadPoolExecutor(16) as executor:
        outcomes = list(executor.map(one, range(16)))
    for i, results in enumerate(outcomes):
        for content_type, converted in results:
            if i % 4 == 0:
                assert [b["name"]["value"] for b in converted["results"]["bindings"]] == ["Bob", "Alice", "千代"]
            elif i % 4 == 2:
                assert converted.decode().splitlines()[1:] == ["Bob,27", "Alice,34", "千代,51"]
            else:
                assert content_type in ("application/sparql-results+xml", "text/tab-separated-values")


# --------------------------------------------------------------------------
# CORS, service description, home page


def test_cors(server):
    response = httpx.get(server.endpoint, params={"query": ASK_KNOWS}, headers={"Origin": "https://yasgui.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "X-Nikkan-Truncated" in response.headers["access-control-expose-headers"]
    preflight = httpx.options(server.endpoint, headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()
    plain = httpx.options(server.endpoint)
    assert plain.status_code == 204 and "POST" in plain.headers["allow"]


SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


@pytest.mark.parametrize("accept,params,media_type", [
    (None, {}, "text/turtle"), ("application/ld+json", {}, "application/ld+json"),
    ("application/rdf+xml", {}, "application/rdf+xml"), (None, {"format": "nt"}, "application/n-triples"),
])
def test_service_description(server, accept, params, media_type):
    response = httpx.get(server.endpoint, params=params, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    graph = rdflib.Graph().parse(data=response.content, format={
        "text/turtle": "turtle", "application/ld+json": "json-ld", "application/rdf+xml": "xml",
        "application/n-triples": "nt"}[media_type])
    service = graph.value(predicate=RDF.type, object=SD.Service)
    assert graph.value(service, SD.endpoint) == URIRef(server.endpoint)
    assert set(graph.objects(service, SD.supportedLanguage)) == {SD.SPARQL11Query}
    formats = {str(f).rsplit("/", 1)[1] for f in graph.objects(service, SD.resultFormat)}
    assert formats == {"SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                       "Turtle", "N-Triples", "JSON-LD", "RDF_XML"}
    assert SD.UnionDefaultGraph in set(graph.objects(service, SD.feature))
    dataset = graph.value(service, SD.defaultDataset)
    assert graph.value(dataset, SD.defaultGraph) is not None
    names = {graph.value(g, SD.name) for g in graph.objects(dataset, SD.namedGraph)}
    assert names == {URIRef(PEOPLE), URIRef(EXTRA), URIRef(BULK)}


def test_browser_asking_for_the_endpoint_gets_the_editor(server):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = httpx.get(server.endpoint, headers={"Accept": accept})
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_home_page_lists_the_catalogue_escaped(server):
    response = httpx.get(server.url + "/")
    assert response.status_code == 200
    assert "connect-src 'self'" in response.headers["content-security-policy"]
    page = response.text
    assert page.count('<li class="entry">') == 2
    assert "Who is in the &lt;test&gt; dataset &amp; how old?" in page
    assert "データセットの人物と年齢は。" in page
    assert "&lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    # raw markup from the catalogue appears nowhere, not even inside the JSON data block
    assert "<img" not in page and 'alert("x")' not in page and "<test>" not in page
    assert page.count("</script>") == 3  # the data block, yasgui.min.js, endpoint.js
    for asset in ("/static/vendor/yasgui/yasgui.min.js", "/static/vendor/yasgui/yasgui.min.css",
                  "/static/endpoint.js", "/static/endpoint.css"):
        assert httpx.get(server.url + asset).status_code == 200


def test_home_page_render_with_two_queries(tmp_path):
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "a-first.rq").write_text("# Question: First?\n# 質問: 一つ目？\n# Parameter: actor iri The actor\n"
                                        "SELECT * { ?actor ?p ?o }\n", encoding="utf-8")
    (queries / "b&second.rq").write_text("# Question: Second & last?\n# 質問: 二つ目？\nASK {}\n", encoding="utf-8")
    page = render_home(Settings(root=tmp_path, queries_dir=queries), "/sparql", 30, 10_000)
    assert page.count('<li class="entry">') == 2
    assert 'data-query="a-first"' in page and 'data-query="b&amp;second"' in page
    assert "Second &amp; last?" in page and "二つ目？" in page
    assert "<code>?actor</code> (iri) The actor" in page
    assert "(2)" in page

    empty = render_home(Settings(root=tmp_path, queries_dir=tmp_path / "none"), "/sparql", 30, 10_000)
    assert "No queries in the catalogue yet." in empty


def test_home_page_lists_the_project_catalogue():
    """Whatever queries/ holds is listed, each entry with both questions (escaped)."""
    settings = Settings()
    entries = list(Catalogue.load(settings.queries_dir)) if settings.queries_dir.is_dir() else []
    page = render_home(settings, "/sparql", 30, 10_000)
    assert page.count('<li class="entry">') == len(entries)
    for entry in entries:
        assert f'data-query="{html.escape(entry.name)}"' in page
        assert html.escape(entry.question_en) in page and html.escape(entry.question_ja) in page


@pytest.mark.parametrize("query,form,service,dataset,update", [
    ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", "SELECT", True, False, False),
    ("select * {service<http://x/>{}}", "SELECT", True, False, False),
    ("SELECT * { BIND(<http://x/> AS ?e) SeRvIcE ?e {} }", "SELECT", True, False, False),
    ("SELECT * { FILTER(?a<?b) SERVICE ?x {} }", "SELECT", True, False, False),
    # words that are not the keyword: prefixed names, variables, strings, IRIs, comments, language tags
    ('SELECT * { ?s ex:service "SERVICE" ; :from ?from . ?service <http://x/#SERVICE> ?o } # SERVICE FROM',
     "SELECT", False, False, False),
    ("SELECT * { ?s ?p '''a''b SERVICE''' , \"x\"@from }", "SELECT", False, False, False),
    ("ASK FROM <http://x/> {}", "ASK", False, True, False),
    ("PREFIX ex: <http://x/>\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", False, False, False),
    ("BASE <http://x/> DESCRIBE <a>", "DESCRIBE", False, False, False),
    ("PREFIX from: <http://x/> INSERT DATA { <a> <b> <c> }", None, False, False, True),
    ("# comment\nCLEAR ALL", None, False, False, True),
])
def test_query_analysis(query, form, service, dataset, update):
    from nikkan.sparqltext import analyse

    shape = analyse(query)
    assert (shape.form, shape.uses_service, shape.has_dataset_clause, shape.looks_like_update) == (
        form, service, dataset, update)
