"""The W3C SPARQL 1.1 Protocol tests (tests/data/sparql11-protocol/), replayed over HTTP.

Each manifest entry is one test: its ``ht:Request`` s are sent in order to a
real server (path ``/sparql/`` replaced by the endpoint's ``/sparql``) and the
response checked against ``mf:expectedStatus``, ``mf:expectedFormat`` and
``mf:expectedBoolean``.  The ``ut:graphData`` files are loaded as named graphs
named by their ``rdfs:label`` (all dataset tests use the same three).

The endpoint is read-only, so for ``update_*`` tests the update request must
get a 4xx instead of the 2xx the manifest expects for a writable store, and
the queries that follow it (which check the update's effect) must answer
``false``: the update changed nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from endpoint_fixtures import running_server, write_dataset

SUITE = Path(__file__).parent / "data" / "sparql11-protocol"
MANIFEST = SUITE / "manifest.ttl"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"

BOOLEAN_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
TABULAR_TYPES = BOOLEAN_TYPES | {"text/csv", "text/tab-separated-values"}
RDF_TYPES = {"text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"}


@dataclass
class Expected:
    status_classes: set[int]
    format: str | None
    boolean: bool | None


@dataclass
class HttpRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    expected: Expected


@dataclass
class ProtocolTest:
    name: str
    title: str
    graphs: dict[str, Path]
    requests: list[HttpRequest]


def load_manifest() -> list[ProtocolTest]:
    graph = rdflib.Graph().parse(MANIFEST, format="turtle", publicID=MANIFEST.as_uri())
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(graph, graph.value(manifest, MF.entries)):
        graphs = {}
        for data in graph.objects(entry, UT.graphData):
            graphs[str(graph.value(data, RDFS.label))] = SUITE / Path(str(graph.value(data, UT.graph))).name
        action = graph.value(entry, MF.action)
        requests = []
        for request in Collection(graph, graph.value(action, HT.requests)):
            headers = {}
            header_list = graph.value(request, HT.headers)
            if header_list is not None:
                for header in Collection(graph, header_list):
                    headers[str(graph.value(header, HT.fieldName))] = str(graph.value(header, HT.fieldValue))
            body = None
            body_node = graph.value(request, HT.body)
            if body_node is not None:
                encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(graph.value(body_node, CNT.chars)).encode(encoding)
            response = graph.value(request, HT.resp)
            statuses = {int(str(s)[len(HTS):][0]) for s in graph.objects(response, MF.expectedStatus)}
            fmt = graph.value(response, MF.expectedFormat)
            boolean = graph.value(response, MF.expectedBoolean)
            requests.append(
                HttpRequest(
                    method=str(graph.value(request, HT.methodName)),
                    path=str(graph.value(request, HT.absolutePath)),
                    headers=headers,
                    body=body,
                    expected=Expected(statuses, str(fmt) if fmt else None,
                                      boolean.toPython() if boolean is not None else None),
                )
            )
        name = str(entry).rsplit("#", 1)[-1]
        tests.append(ProtocolTest(name, str(graph.value(entry, MF.name)), graphs, requests))
    return tests


TESTS = load_manifest()
ALL_GRAPHS = {label: path for test in TESTS for label, path in test.graphs.items()}


def test_manifest_read_whole():
    """The runner sees every entry of the manifest (34 in this version of the suite)."""
    assert len(TESTS) == 34
    assert len({t.name for t in TESTS}) == len(TESTS)
    assert set(ALL_GRAPHS) == {f"http://kasei.us/2009/09/sparql/data/data{i}.rdf" for i in (1, 2, 3)}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    settings = write_dataset(tmp_path_factory.mktemp("w3c"), ALL_GRAPHS)
    with running_server(settings, timeout=20, max_rows=1000, workers=2) as live:
        yield live


def _media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def _check_format(response: httpx.Response, expected: Expected, boolean: bool | None) -> None:
    media_type = _media_type(response)
    if expected.format == "boolean":
        assert media_type in BOOLEAN_TYPES, media_type
        result = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.from_media_type(media_type))
        assert isinstance(result, ox.QueryBoolean)
        if boolean is not None:
            assert bool(result) is boolean
    elif expected.format == "tabular":
        assert media_type in TABULAR_TYPES, media_type
        if media_type != "text/csv":  # pyoxigraph reads SPARQL JSON, XML and TSV back
            result = ox.parse_query_results(
                response.content, format=ox.QueryResultsFormat.from_media_type(media_type)
            )
            assert isinstance(result, ox.QuerySolutions)
            list(result)
    elif expected.format == "RDF":
        assert media_type in RDF_TYPES, media_type
        list(ox.parse(response.content, format=ox.RdfFormat.from_media_type(media_type)))


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_protocol(server, test: ProtocolTest):
    read_only_update = test.name.startswith("update_")
    with httpx.Client(base_url=server.url, timeout=30, follow_redirects=False) as client:
        for index, request in enumerate(test.requests):
            assert request.path.startswith("/sparql/")
            path = "/sparql" + request.path[len("/sparql/"):]
            response = client.request(request.method, path, headers=request.headers, content=request.body)
            expected, boolean = request.expected, request.expected.boolean
            if read_only_update and index == 0:
                expected, boolean = Expected({4}, None, None), None
            elif read_only_update and boolean is not None:
                boolean = False  # the refused update left no trace
            assert response.status_code // 100 in expected.status_classes, (
                f"{test.name} request {index}: {response.status_code} {response.text[:300]}"
            )
            if response.status_code // 100 == 2:
                _check_format(response, expected, boolean)


def test_updates_left_the_data_alone(server):
    """After CLEAR ALL / DROP ALL were sent (and refused) the three graphs are intact."""
    query = "ASK { " + " ".join(
        f"GRAPH <{g}> {{ <{g}> a <http://xmlns.com/foaf/0.1/Document> }}" for g in sorted(ALL_GRAPHS)
    ) + " }"
    response = httpx.get(server.endpoint, params={"query": query}, timeout=30)
    assert response.status_code == 200
    assert response.json() == {"head": {}, "boolean": True}
