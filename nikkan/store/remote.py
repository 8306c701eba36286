"""A SPARQL 1.1 server as a :class:`Store`: Oxigraph's server, Virtuoso, Fuseki, GraphDB...

Queries go over the SPARQL 1.1 Protocol; data goes in and out over the SPARQL 1.1
Graph Store HTTP Protocol (``PUT`` replaces a named graph in one request, ``POST``
adds to it, ``DELETE`` drops it, ``GET`` reads it), or over SPARQL Update when the
server has no graph store endpoint.  Results come back as pyoxigraph's own objects
(``QuerySolutions``, ``QueryBoolean``, ``QueryTriples``), like the embedded store's.

Everything that differs from one server to another lives in one :class:`Dialect`
(see :data:`DIALECTS`): where the endpoints are, how the default graph becomes the
union of the named graphs, which graphs are the server's own, how it authenticates,
whether it caps results, and how its answers are normalised.  Nothing else in this
module knows which server it talks to.

Parameter values (``bindings``) go into the query as a ``VALUES`` block, as on every
store (:func:`nikkan.store.base.bound_query`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Mapping
from urllib.parse import urlsplit

import httpx
import pyoxigraph as ox

from ..sparqltext import analyse, paged
from .base import QueryResult, Store, StoreError, Term, bound_query, load_error

if TYPE_CHECKING:
    from ..settings import Settings

XSD = "http://www.w3.org/2001/XMLSchema#"
#: A graph that never holds triples: naming it as the only default graph makes the default graph empty.
NO_GRAPH = "urn:x-nikkan:no-graph"
#: Triples per SPARQL Update request when a server has no graph store endpoint.
UPDATE_CHUNK = 5000
JSON_RESULTS = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"


class QueryRejected(StoreError, SyntaxError):
    """The server refused the query as malformed (HTTP 400).

    Also a :class:`SyntaxError`, as pyoxigraph's own parse errors are, so callers
    that report bad queries to their users (the CLI, the endpoint) treat both alike.
    """


# --------------------------------------------------------------------------
# Dialects: every difference between servers


def _identity(term):
    return term


_PROBE = ox.NamedNode("urn:x-nikkan:probe")


@lru_cache(maxsize=65536)
def _stored_form(value: str, datatype: str) -> ox.Literal:
    scratch = ox.Store()
    scratch.add(ox.Quad(_PROBE, _PROBE, ox.Literal(value, datatype=ox.NamedNode(datatype))))
    return next(iter(scratch)).object


def oxigraph_term(term):
    """A term as the embedded Oxigraph store gives it back, whatever server answered it.

    Oxigraph keeps values: ``"0042"^^xsd:nonNegativeInteger`` comes back as
    ``"42"^^xsd:integer``, ``"1.0"^^xsd:double`` as ``"1"``, ``"1"^^xsd:boolean``
    as ``"true"``.  Servers that keep the datatype and text they were given
    (Virtuoso, Fuseki, GraphDB) or write numbers their own way (Virtuoso's
    ``"1.0"`` for a double) get the same terms as the default store this way: the
    literal goes through a scratch in-memory Oxigraph store.  (Language tags are
    lower-cased by pyoxigraph itself.)
    """
    if isinstance(term, ox.Literal) and not term.language and term.datatype.value != XSD + "string":
        return _stored_form(term.value, term.datatype.value)
    return term


@dataclass(frozen=True)
class Dialect:
    """How one kind of server is spoken to.

    ``union`` says how ``union_default_graph=True`` is obtained, in one place
    (:meth:`RemoteStore._dataset`):

    * ``"parameter"``: a query parameter asks for it (``union_parameter``; Oxigraph);
    * ``"implicit"``: the server's default graph already is the union of all graphs
      (GraphDB / RDF4J);
    * ``"list"``: every named graph is listed as a ``default-graph-uri`` (and as a
      ``named-graph-uri``, so ``GRAPH`` still sees them all).  This works on any
      SPARQL 1.1 server; it costs one small query for the list of graphs.

    ``system_graphs`` are regular expressions for graphs the server keeps for itself;
    they are left out of :meth:`RemoteStore.named_graphs` and so of the union.
    ``max_rows`` is the server's silent cap on results (``None``: no cap);
    ``normalise_term`` rewrites each term of its answers.
    """

    name: str
    #: Path of each service below the server's base URL (``None``: the server has none).
    query_path: str = ""
    update_path: str | None = None
    gsp_path: str | None = None
    #: Endings of a store URL that name the query service itself rather than the base.
    query_suffixes: tuple[str, ...] = ()
    union: str = "list"
    union_parameter: str | None = None
    auth_scheme: str = "basic"  # or "digest"
    default_auth: tuple[str, str] | None = field(default=None, repr=False)
    system_graphs: tuple[str, ...] = ()
    #: Whether the server has a default graph of its own, apart from the named graphs.
    separate_default_graph: bool = True
    #: The query that lists the named graphs (``?g``).
    graphs_query: str = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    max_rows: int | None = None
    #: Response header telling that a SELECT result was cut at that many rows.
    max_rows_header: str | None = None
    normalise_term: Callable[[object], object] = oxigraph_term

    def is_system_graph(self, iri: str) -> bool:
        return any(re.fullmatch(pattern, iri) for pattern in self.system_graphs)


DIALECTS: dict[str, Dialect] = {
    # Any SPARQL 1.1 server: the store URL is the query endpoint; the update and graph
    # store endpoints must be given (NIKKAN_STORE_UPDATE_URL, NIKKAN_STORE_GSP_URL).
    "generic": Dialect("generic"),
    # `oxigraph serve`: /query, /update, /store; union-default-graph is a query parameter.
    "oxigraph": Dialect(
        "oxigraph",
        query_path="/query",
        update_path="/update",
        gsp_path="/store",
        query_suffixes=("/query",),
        union="parameter",
        union_parameter="union-default-graph",
        graphs_query="SELECT ?g WHERE { GRAPH ?g { } }",  # named graphs, empty ones too, as embedded
        normalise_term=_identity,  # the same engine as the embedded store
    ),
    # Virtuoso 7: /sparql for queries (anonymous, read-only), /sparql-auth for updates
    # and /sparql-graph-crud-auth for the graph store, both with HTTP digest
    # authentication (dba/dba out of the box).  Its default graph is the union of ALL
    # graphs, its own included (virtrdf#, the OWL and LDP vocabularies, the WebDAV
    # and service description graphs), so the union is made of the listed graphs.
    # ResultSetMaxRows (10,000) silently cuts SELECT, CONSTRUCT and graph store
    # reads; SELECT says so in X-SPARQL-MaxRows.
    "virtuoso": Dialect(
        "virtuoso",
        query_path="/sparql",
        update_path="/sparql-auth",
        gsp_path="/sparql-graph-crud-auth",
        query_suffixes=("/sparql",),
        union="list",
        auth_scheme="digest",
        default_auth=("dba", "dba"),
        system_graphs=(
            r"http://www\.openlinksw\.com/.*",
            r"http://www\.w3\.org/2002/07/owl#",
            r"http://www\.w3\.org/ns/ldp#",
            r"https?://[^/]+/DAV/",
            r"https?://[^/]+/sparql",
        ),
        separate_default_graph=False,
        max_rows=10000,
        max_rows_header="X-SPARQL-MaxRows",
    ),
    # Apache Jena Fuseki: <base>/<dataset> with /query (or /sparql), /update, /data.
    "fuseki": Dialect(
        "fuseki",
        query_path="/query",
        update_path="/update",
        gsp_path="/data",
        query_suffixes=("/query", "/sparql"),
        union="list",
    ),
    # GraphDB (RDF4J): the store URL is the repository, .../repositories/<id>.
    "graphdb": Dialect(
        "graphdb",
        query_path="",
        update_path="/statements",
        gsp_path="/rdf-graphs/service",
        union="implicit",
        separate_default_graph=False,
    ),
}


@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str | None
    gsp: str | None


def endpoints(dialect: Dialect, store_url: str, update_url: str | None = None, gsp_url: str | None = None) -> Endpoints:
    """The query, update and graph store URLs, from the store URL and the dialect's paths.

    ``store_url`` may be the server's base URL (``http://host:7878``) or its query
    endpoint (``http://host:7878/query``); explicit update / graph store URLs win.
    """
    if not store_url or not urlsplit(store_url).scheme.startswith("http") or not urlsplit(store_url).netloc:
        raise StoreError(f"the remote store needs an http(s) URL (--store-url / NIKKAN_STORE_URL), not {store_url!r}")
    url = store_url.rstrip("/")
    base, query = url, url + dialect.query_path
    for suffix in dialect.query_suffixes:
        if url.endswith(suffix):
            base, query = url[: -len(suffix)], url
            break
    return Endpoints(
        query=query,
        update=update_url or (base + dialect.update_path if dialect.update_path is not None else None),
        gsp=gsp_url or (base + dialect.gsp_path if dialect.gsp_path is not None else None),
    )


# --------------------------------------------------------------------------
# Query text: where the WHERE group starts, VALUES for bindings, paging


# --------------------------------------------------------------------------
# Terms to and from SPARQL JSON results


def _json_term(data: dict):
    kind = data.get("type")
    if kind == "uri":
        return ox.NamedNode(data["value"])
    if kind == "bnode":
        return ox.BlankNode(data["value"])
    if kind in ("literal", "typed-literal"):
        if data.get("xml:lang"):
            return ox.Literal(data["value"], language=data["xml:lang"])
        if data.get("datatype"):
            return ox.Literal(data["value"], datatype=ox.NamedNode(data["datatype"]))
        return ox.Literal(data["value"])
    return None  # triple terms and the unknown: left as they are


def _term_json(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if term.language:
        return {"type": "literal", "value": term.value, "xml:lang": term.language}
    if term.datatype.value == XSD + "string":
        return {"type": "literal", "value": term.value}
    return {"type": "literal", "value": term.value, "datatype": term.datatype.value}


def _normalise_triple(triple: ox.Triple, normalise) -> ox.Triple:
    return ox.Triple(normalise(triple.subject), normalise(triple.predicate), normalise(triple.object))


def _as_query_triples(triples: Iterable[ox.Triple]) -> ox.QueryTriples:
    """Triples as pyoxigraph's own CONSTRUCT result object (what the embedded store returns)."""
    scratch = ox.Store()
    scratch.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    return scratch.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")


# --------------------------------------------------------------------------
# The store


class RemoteStore(Store):
    """A SPARQL 1.1 server behind the :class:`Store` interface."""

    def __init__(
        self,
        url: str,
        *,
        dialect: str | Dialect = "generic",
        update_url: str | None = None,
        gsp_url: str | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float = 60.0,
    ):
        if isinstance(dialect, str):
            if dialect not in DIALECTS:
                raise StoreError(f"unknown store dialect {dialect!r}; choose one of {', '.join(DIALECTS)}")
            dialect = DIALECTS[dialect]
        self.dialect = dialect
        self.endpoints = endpoints(dialect, url, update_url, gsp_url)
        credentials = auth or dialect.default_auth
        client_auth = None
        if credentials:
            user, password = credentials
            client_auth = httpx.DigestAuth(user, password) if dialect.auth_scheme == "digest" else httpx.BasicAuth(user, password)
        # trust_env=False: no proxy from the environment stands between us and the store.
        self._client = httpx.Client(auth=client_auth, timeout=timeout, trust_env=False)

    @classmethod
    def from_settings(cls, settings: "Settings") -> "RemoteStore":
        if not settings.store_url:
            raise StoreError("the remote store needs a URL: --store-url or NIKKAN_STORE_URL")
        return cls(
            settings.store_url,
            dialect=settings.store_dialect or "generic",
            update_url=settings.store_update_url,
            gsp_url=settings.store_gsp_url,
            auth=settings.store_auth,
        )

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoints.query!r}, dialect={self.dialect.name!r})"

    def close(self) -> None:
        self._client.close()

    # -- HTTP ---------------------------------------------------------------

    def _send(self, method: str, url: str, what: str, *, missing_ok: bool = False, **options) -> httpx.Response | None:
        try:
            response = self._client.request(method, url, **options)
        except httpx.TimeoutException as error:
            raise StoreError(f"{what}: the SPARQL server at {url} did not answer in time ({error})") from None
        except httpx.HTTPError as error:
            raise StoreError(f"{what}: cannot reach the SPARQL server at {url}: {error}") from None
        if response.status_code == 404 and missing_ok:
            return None
        if response.status_code >= 400:
            detail = _excerpt(response.text, html="html" in response.headers.get("content-type", ""))
            message = f"{what}: {method} {url} answered HTTP {response.status_code} {response.reason_phrase}"
            if response.status_code in (401, 403):
                message += " (check the store's user and password)"
            message += f": {detail}" if detail else ""
            if response.status_code == 400 and what == "query":
                raise QueryRejected(message)
            raise StoreError(message)
        return response

    def _post_query(self, sparql: str, accept: str, params: list[tuple[str, str]]) -> httpx.Response:
        return self._send(
            "POST",
            self.endpoints.query,
            "query",
            data=_form([("query", sparql), *params]),
            headers={"Accept": accept},
        )

    def _update(self, sparql: str, what: str) -> None:
        if not self.endpoints.update:
            raise StoreError(
                f"{what}: {self.endpoints.query} has no SPARQL Update endpoint configured "
                "(NIKKAN_STORE_UPDATE_URL or NIKKAN_STORE_GSP_URL)"
            )
        self._send(
            "POST",
            self.endpoints.update,
            what,
            content=sparql.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        )

    # -- queries ------------------------------------------------------------

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
        union_default_graph: bool = True,
    ) -> QueryResult:
        shape = analyse(sparql)
        if shape.looks_like_update or shape.form is None:
            raise QueryRejected(f"query: not a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE): {_excerpt(sparql)}")
        sparql = bound_query(sparql, bindings)
        params = self._dataset(default_graph, named_graphs, union_default_graph, shape.has_dataset_clause)
        if shape.form in ("SELECT", "ASK"):
            return self._solutions(sparql, params, shape.form)
        return _as_query_triples(self._triples(sparql, params))

    def _dataset(
        self,
        default_graph: list[str] | None,
        named_graphs: list[str] | None,
        union: bool,
        query_names_dataset: bool = False,
    ) -> list[tuple[str, str]]:
        """The protocol's dataset parameters: the one place where the union default graph is made.

        As in the embedded store, explicit ``default_graph`` / ``named_graphs`` win, and
        one given without the other leaves every named graph available.  Without
        either, the default graph is the union of the named graphs (``union``, in the
        dialect's way) or the server's own default graph (an empty one on servers
        whose default graph is everything).  A query with FROM / FROM NAMED of its
        own keeps its dataset.
        """
        if default_graph is None and named_graphs is None:
            if query_names_dataset:
                return []
            if not union:
                if self.dialect.separate_default_graph:
                    return []
                default_graph = [NO_GRAPH]
            elif self.dialect.union == "parameter":
                return [(self.dialect.union_parameter, "true")]
            elif self.dialect.union == "implicit":
                return []
        listed: list[str] = []
        if default_graph is None or named_graphs is None:
            listed = self.named_graphs()
        if default_graph is None:
            default_graph = listed if union else [NO_GRAPH]
        if named_graphs is None:
            named_graphs = listed
        return _graph_params(default_graph or [NO_GRAPH], named_graphs or [NO_GRAPH])

    def _solutions(self, sparql: str, params: list[tuple[str, str]], form: str) -> ox.QuerySolutions | ox.QueryBoolean:
        response = self._post_query(sparql, JSON_RESULTS, params)
        dialect = self.dialect
        if form == "ASK":
            return _parse_results(response.content)
        cap = dialect.max_rows_header and response.headers.get(dialect.max_rows_header)
        if not cap and dialect.normalise_term is _identity:
            return _parse_results(response.content)
        document = _json(response)
        if cap:
            document = self._all_pages(sparql, params, document, int(cap))
        if dialect.normalise_term is not _identity:
            for row in document.get("results", {}).get("bindings", []):
                for name, value in row.items():
                    term = _json_term(value)
                    if term is not None:
                        row[name] = _term_json(dialect.normalise_term(term))
        return _parse_results(json.dumps(document, ensure_ascii=False).encode("utf-8"))

    def _all_pages(self, sparql: str, params: list[tuple[str, str]], first: dict, size: int) -> dict:
        """A SELECT the server cut at ``size`` rows, read again page by page."""
        if analyse(sparql).has_dataset_clause:
            raise StoreError(
                f"query: {self.endpoints.query} cut the answer at {size} rows (its result cap), and a query "
                "with FROM / FROM NAMED cannot be read page by page: raise the cap or narrow the query"
            )
        rows: list[dict] = []
        variables = first.get("head", {}).get("vars", [])
        offset = 0
        while True:
            page = _json(self._post_query(paged(sparql, size, offset), JSON_RESULTS, params))
            found = page.get("results", {}).get("bindings", [])
            rows += found
            if len(found) < size:
                break
            offset += size
        return {"head": {"vars": variables}, "results": {"bindings": rows}}

    def _triples(self, sparql: str, params: list[tuple[str, str]]) -> list[ox.Triple]:
        response = self._post_query(sparql, N_TRIPLES, params)
        triples = _parse_triples(response.content, f"the CONSTRUCT / DESCRIBE answer of {self.endpoints.query}")
        if self.dialect.max_rows and len(triples) >= self.dialect.max_rows:
            raise StoreError(
                f"query: {self.endpoints.query} returned {len(triples)} triples, its result cap "
                f"(ResultSetMaxRows = {self.dialect.max_rows}): the answer may be cut; "
                "raise the cap on the server or narrow the query"
            )
        normalise = self.dialect.normalise_term
        return [_normalise_triple(t, normalise) for t in triples] if normalise is not _identity else triples

    def _count(self, pattern: str) -> int:
        result = self._solutions(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}", [], "SELECT")
        return int(next(iter(result))["n"].value)

    # -- graphs -------------------------------------------------------------

    def named_graphs(self) -> list[str]:
        response = self._post_query(self.dialect.graphs_query, JSON_RESULTS, [])
        graphs = []
        for row in _json(response).get("results", {}).get("bindings", []):
            value = row.get("g", {})
            if value.get("type") == "uri" and not self.dialect.is_system_graph(value["value"]):
                graphs.append(value["value"])
        return sorted(set(graphs))

    def load(self, source: Path | bytes, format: ox.RdfFormat, graph: str | None = None) -> None:
        """Add RDF: a triple format into ``graph`` (or the default graph), a quad format into its own graphs.

        The whole input is parsed first: malformed input changes nothing.
        """
        by_graph = _parse_source(source, format, graph)
        for name, triples in by_graph.items():
            if name is None and not self.dialect.separate_default_graph:
                raise StoreError(
                    f"{self.endpoints.query} ({self.dialect.name}) has no default graph of its own: "
                    "load triples into a named graph"
                )
            self._write_graph("POST", name, triples, "load")

    def replace_graph(self, graph: str, source: Path | bytes, format: ox.RdfFormat, base_iri: str | None = None) -> None:
        """Replace one named graph in one request: Graph Store ``PUT``, atomic on the server.

        Without a graph store endpoint: ``DROP`` and ``INSERT DATA`` in one SPARQL
        Update request, atomic too up to UPDATE_CHUNK triples (larger graphs take
        several requests).  The input is parsed first: malformed input changes nothing.
        """
        _check_iri(graph)
        by_graph = _parse_source(source, format, graph, base_iri)
        triples = [t for group in by_graph.values() for t in group]
        self._write_graph("PUT", graph, triples, "replace graph")

    def delete_graph(self, graph: str) -> None:
        """Drop one named graph (nothing happens if it does not exist)."""
        _check_iri(graph)
        if self.endpoints.gsp:
            self._send("DELETE", self.endpoints.gsp, "delete graph", params={"graph": graph}, missing_ok=True)
            return
        self._update(f"DROP SILENT GRAPH <{graph}>", "delete graph")

    def _write_graph(self, method: str, graph: str | None, triples: list[ox.Triple], what: str) -> None:
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        if self.endpoints.gsp:
            params = {"graph": graph} if graph is not None else {"default": ""}
            self._send(
                method,
                self.endpoints.gsp,
                what,
                params=params,
                content=body,
                headers={"Content-Type": "application/n-triples; charset=utf-8"},
            )
            return
        target = f"GRAPH <{graph}>" if graph is not None else ""
        lines = body.decode("utf-8").splitlines()
        chunks = [lines[i : i + UPDATE_CHUNK] for i in range(0, len(lines), UPDATE_CHUNK)] or [[]]
        for number, chunk in enumerate(chunks):
            operations = []
            if method == "PUT" and number == 0:
                operations.append(f"DROP SILENT GRAPH <{graph}>" if graph is not None else "DROP SILENT DEFAULT")
            if chunk:
                operations.append(f"INSERT DATA {{ {target} {{\n" + "\n".join(chunk) + "\n} }")
            if operations:
                self._update(" ;\n".join(operations), what)

    def dump(self, format: ox.RdfFormat, graph: str | None = None) -> bytes:
        """One graph (a triple format), or every named graph and the default graph (a quad format)."""
        if graph is not None:
            _check_iri(graph)
            return ox.serialize(self._read_graph(graph), format=format)
        if not format.supports_datasets:
            raise StoreError(f"{format.name} holds one graph: name the graph to dump, or use N-Quads or TriG")
        quads: list[ox.Quad] = []
        graphs: list[str | None] = list(self.named_graphs())
        if self.dialect.separate_default_graph:
            graphs.insert(0, None)
        for name in graphs:
            target = ox.NamedNode(name) if name is not None else ox.DefaultGraph()
            quads += [ox.Quad(t.subject, t.predicate, t.object, target) for t in self._read_graph(name)]
        return ox.serialize(quads, format=format)

    def _read_graph(self, graph: str | None) -> list[ox.Triple]:
        """The triples of one graph (``None``: the default graph).

        Graph Store ``GET`` when there is one; a paged SELECT otherwise, or when a
        server that caps results (Virtuoso cuts graph store reads too, without
        saying so) sent fewer triples than the graph holds.
        """
        normalise = self.dialect.normalise_term
        pattern = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph is not None else "?s ?p ?o"
        if self.endpoints.gsp:
            response = self._send(
                "GET",
                self.endpoints.gsp,
                "read graph",
                params={"graph": graph} if graph is not None else {"default": ""},
                headers={"Accept": N_TRIPLES},
                missing_ok=True,
            )
            if response is None:
                return []
            triples = _parse_triples(response.content, f"graph <{graph}> from {self.endpoints.gsp}")
            if not self.dialect.max_rows or len(triples) == self._count(pattern):
                return [_normalise_triple(t, normalise) for t in triples] if normalise is not _identity else triples
        result = self._solutions(f"SELECT ?s ?p ?o WHERE {{ {pattern} }} ORDER BY ?s ?p ?o", [], "SELECT")
        return [ox.Triple(row["s"], row["p"], row["o"]) for row in result]


# --------------------------------------------------------------------------
# Helpers


def _form(fields: list[tuple[str, str]]) -> dict[str, str | list[str]]:
    """Form fields for httpx: a repeated name (``default-graph-uri``) maps to a list."""
    form: dict[str, list[str]] = {}
    for name, value in fields:
        form.setdefault(name, []).append(value)
    return {name: values[0] if len(values) == 1 else values for name, values in form.items()}


def _graph_params(default: list[str], named: list[str]) -> list[tuple[str, str]]:
    return [("default-graph-uri", g) for g in default] + [("named-graph-uri", g) for g in named]


def _check_iri(iri: str) -> None:
    try:
        ox.NamedNode(iri)
    except ValueError as error:
        raise StoreError(f"{iri!r} is not a valid graph IRI: {error}") from None


def _parse_source(
    source: Path | bytes, format: ox.RdfFormat, graph: str | None, base_iri: str | None = None
) -> dict[str | None, list[ox.Triple]]:
    """RDF parsed completely, grouped by target graph (``graph`` for triple formats, or a quad's own)."""
    if graph is not None:
        _check_iri(graph)
    try:
        if isinstance(source, (bytes, bytearray)):
            items = list(ox.parse(bytes(source), format=format, base_iri=base_iri))
        else:
            items = list(ox.parse(path=str(source), format=format, base_iri=base_iri))
    except (SyntaxError, ValueError, OSError) as error:
        raise load_error(source, format, error) from error
    groups: dict[str | None, list[ox.Triple]] = {}
    for item in items:
        if isinstance(item, ox.Quad) and graph is None:
            name = item.graph_name.value if isinstance(item.graph_name, ox.NamedNode) else None
            if isinstance(item.graph_name, ox.BlankNode):
                raise StoreError("cannot load a graph named by a blank node into a SPARQL server")
        else:
            name = graph
        groups.setdefault(name, []).append(ox.Triple(item.subject, item.predicate, item.object))
    return groups


def _parse_results(data: bytes) -> ox.QuerySolutions | ox.QueryBoolean:
    try:
        return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as error:
        raise StoreError(f"the SPARQL server answered results that cannot be read: {error}") from None


def _parse_triples(data: bytes, what: str) -> list[ox.Triple]:
    try:
        return list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    except (SyntaxError, ValueError) as error:
        raise StoreError(f"cannot read {what} as N-Triples: {error}") from None


def _json(response: httpx.Response) -> dict:
    try:
        return json.loads(response.content)
    except ValueError as error:
        raise StoreError(f"{response.request.url} answered something that is not SPARQL JSON results: {error}") from None


def _excerpt(text: str, limit: int = 600, html: bool = False) -> str:
    """A server's error message as one readable line: spaces squeezed, cut (HTML tags dropped)."""
    if html:
        text = re.sub(r"<[^>]+>", " ", text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
