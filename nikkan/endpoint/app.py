"""The read-only SPARQL 1.1 Protocol endpoint as a Starlette application.

``/sparql`` answers queries (GET, POST form, POST direct) and, without a query,
returns the SPARQL 1.1 Service Description; ``/`` is the query editor
(Yasgui, vendored, no request to any other host) prefilled with the query
catalogue; ``/static/`` serves the page's files.

Decisions an operator should know (also in the service description):

* the default graph is the union of all named graphs unless the request
  (``default-graph-uri`` / ``named-graph-uri``) or the query (``FROM`` /
  ``FROM NAMED``) names graphs; those select among the graphs the store holds,
  and nothing is ever fetched from the web -- ``SERVICE`` is refused (400);
* relative IRIs in queries resolve against the dataset's base IRI
  (``settings.base_iri``);
* SPARQL Update is refused with 403;
* a query running longer than ``timeout`` seconds is stopped: 503 with an
  explanation (``Retry-After`` only when all workers were busy instead);
* SELECT solutions and CONSTRUCT/DESCRIBE triples beyond ``max_rows`` are cut
  off; the response then carries ``X-Nikkan-Truncated: true``,
  ``X-Nikkan-Max-Rows`` and a ``Warning`` header (``false`` when complete).
"""

from __future__ import annotations

import html
import json
import re
import string
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any, Callable

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route, request_response
from starlette.staticfiles import StaticFiles

from ..query.catalogue import Catalogue, CatalogueError
from ..settings import Settings
from ..sparqltext import analyse
from ..store import open_store
from . import protocol
from .protocol import GRAPH_FORMATS, FORMATS_BY_KIND, NotAcceptable, ProtocolError
from .limits import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, default_workers
from .worker import GraphsJob, Outcome, QueryJob, WorkerPool

STATIC_DIR = Path(__file__).resolve().parent / "static"
#: Largest request body read (a query, form-encoded or direct).
MAX_BODY = 1 << 20
ALLOW = "GET, HEAD, POST, OPTIONS"
TRUNCATED_HEADERS = ("X-Nikkan-Truncated", "X-Nikkan-Max-Rows", "X-Nikkan-Count", "Warning")

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS_NS = "http://www.w3.org/ns/formats/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
DCT_TITLE = "http://purl.org/dc/terms/title"
FORMAT_IRIS = {
    "application/sparql-results+json": "SPARQL_Results_JSON",
    "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV",
    "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/ld+json": "JSON-LD",
    "application/rdf+xml": "RDF_XML",
}
SD_PREFIXES = {"sd": SD, "formats": FORMATS_NS, "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
               "dcterms": "http://purl.org/dc/terms/"}

DEFAULT_QUERY = """\
# The named graphs of the dataset and their sizes.
SELECT ?graph (COUNT(*) AS ?triples)
WHERE { GRAPH ?graph { ?s ?p ?o } }
GROUP BY ?graph
ORDER BY ?graph
"""


class _AnyMethod:
    """An ASGI wrapper so the route lets every method through (405 is ours to explain)."""

    def __init__(self, handler):
        self.app = request_response(handler)

    async def __call__(self, scope, receive, send):
        await self.app(scope, receive, send)


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message.rstrip() + "\n", status_code=status, headers=headers)


async def _read_body(request: Request, limit: int) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ProtocolError(413, f"the request body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


_PREFIX_DECL = re.compile(r"\bPREFIX\s+((?:[A-Za-z][\w.-]*)?):\s*<([^<>\s]*)>", re.IGNORECASE)


def _prefixes(sparql: str) -> dict[str, str]:
    """The query's ``PREFIX`` declarations with absolute IRIs, to make Turtle output readable."""
    found = {}
    for name, iri in _PREFIX_DECL.findall(sparql):
        if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri) and name not in found:
            try:
                ox.NamedNode(iri)
            except ValueError:
                continue
            found[name] = iri
    return found


def service_description(endpoint: str, graphs: list[str], timeout: float | None, max_rows: int) -> list[ox.Triple]:
    """The SPARQL 1.1 Service Description of this endpoint, as triples."""
    sd = lambda name: ox.NamedNode(SD + name)  # noqa: E731
    a = ox.NamedNode(RDF_TYPE)
    service, dataset, default_graph = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode("default")
    limits = [
        "Read-only: SPARQL Update is refused.",
        "The default graph is the union of all named graphs unless the request or the query names graphs.",
        "Graphs named in a request or query are looked up among those held here; nothing is fetched (SERVICE is refused).",
    ]
    if timeout:
        limits.append(f"Queries running longer than {timeout:g} s are stopped (HTTP 503).")
    if max_rows:
        limits.append(f"Results are cut off after {max_rows} rows or triples (header X-Nikkan-Truncated: true).")
    triples = [
        ox.Triple(service, a, sd("Service")),
        ox.Triple(service, ox.NamedNode(DCT_TITLE), ox.Literal("nikkan SPARQL endpoint")),
        ox.Triple(service, sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, sd("defaultEntailmentRegime"), ox.NamedNode("http://www.w3.org/ns/entailment/Simple")),
        ox.Triple(service, ox.NamedNode(RDFS_COMMENT), ox.Literal(" ".join(limits), language="en")),
    ]
    for name in FORMAT_IRIS.values():
        triples.append(ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMATS_NS + name)))
    triples += [
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, a, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, a, sd("Graph")),
    ]
    for index, graph in enumerate(graphs):
        node = ox.BlankNode(f"graph{index}")
        triples += [
            ox.Triple(dataset, sd("namedGraph"), node),
            ox.Triple(node, a, sd("NamedGraph")),
            ox.Triple(node, sd("name"), ox.NamedNode(graph)),
        ]
    return triples


# --------------------------------------------------------------------------
# The home page


def _json_for_html(value: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``."""
    text = json.dumps(value, ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def render_home(settings: Settings, endpoint_path: str, timeout: float | None, max_rows: int) -> str:
    """The editor page, with the catalogue's questions listed (everything escaped)."""
    esc = partial(html.escape, quote=True)
    problem = ""
    try:
        entries = list(Catalogue.load(settings.queries_dir)) if settings.queries_dir.is_dir() else []
    except (CatalogueError, OSError, UnicodeDecodeError) as error:
        entries, problem = [], f"The query catalogue could not be read: {error}"
    items = []
    for entry in entries:
        params = ""
        if entry.parameters:
            params = '<p class="params">' + "; ".join(
                f"<code>?{esc(p.name)}</code> ({esc(p.kind)}) {esc(p.description)}" for p in entry.parameters
            ) + "</p>"
        items.append(
            f'<li class="entry"><button type="button" class="load" data-query="{esc(entry.name)}">'
            f"{esc(entry.name)}</button>"
            f'<p class="q-en" lang="en">{esc(entry.question_en)}</p>'
            f'<p class="q-ja" lang="ja">{esc(entry.question_ja)}</p>{params}</li>'
        )
    catalogue = [
        {
            "name": e.name,
            "question_en": e.question_en,
            "question_ja": e.question_ja,
            "sparql": e.sparql,
            "parameters": [{"name": p.name, "kind": p.kind, "description": p.description} for p in e.parameters],
        }
        for e in entries
    ]
    limits = []
    if timeout:
        limits.append(f"queries stop after {timeout:g} s")
    if max_rows:
        limits.append(f"results are cut off after {max_rows:,} rows")
    template = string.Template((STATIC_DIR / "index.html").read_text(encoding="utf-8"))
    return template.substitute(
        endpoint=esc(endpoint_path),
        count=len(entries),
        entries="\n".join(items) if items else '<li class="empty">No queries in the catalogue yet.</li>',
        problem=f'<p class="problem">{esc(problem)}</p>' if problem else "",
        limits=esc("; ".join(limits) or "no limits set"),
        catalogue_json=_json_for_html({"entries": catalogue, "default": DEFAULT_QUERY}),
    )


#: The editor page may load and contact nothing but this server.
HOME_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'"
)


# --------------------------------------------------------------------------
# The application


def create_app(
    settings: Settings,
    store_factory: Callable[[], Any] | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    workers: int | None = None,
    endpoint_path: str = "/sparql",
    queue_timeout: float | None = None,
) -> Starlette:
    """The endpoint application.

    ``store_factory`` is called in each worker process to open the store (so it
    must pickle: a module-level function or a ``functools.partial``); by default
    ``open_store(settings, read_only=True)``.  ``timeout`` (seconds, ``None`` for
    none) stops a query; ``max_rows`` (0 for none) cuts results off; ``workers``
    is the number of worker processes (default: :func:`default_workers`).
    """
    if store_factory is None:
        store_factory = partial(open_store, settings, read_only=True)
    pool = WorkerPool(store_factory, size=workers or default_workers(), timeout=timeout,
                      queue_timeout=queue_timeout)
    base_iri = settings.base_iri

    def endpoint_url(request: Request) -> str:
        return str(request.base_url).rstrip("/") + endpoint_path

    async def home(request: Request) -> Response:
        page = render_home(settings, endpoint_path, timeout, max_rows)
        return HTMLResponse(page, headers={"Content-Security-Policy": HOME_CSP, "Cache-Control": "no-cache"})

    async def describe_service(request: Request, op: protocol.Operation) -> Response:
        accept = request.headers.get("accept")
        if not op.format_values and protocol.prefers_html(accept, GRAPH_FORMATS):
            return RedirectResponse("/", status_code=303)
        try:
            fmt = protocol.negotiate(accept, GRAPH_FORMATS, op.format_values)
        except NotAcceptable as error:
            return _error(406, str(error))
        outcome = await pool.run(GraphsJob())
        if outcome.status != "ok":
            return _outcome_error(outcome)
        triples = service_description(endpoint_url(request), outcome.value, timeout, max_rows)
        rdf_format = protocol.ox_rdf_format(fmt.media_type)
        prefixes = SD_PREFIXES if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
        body = ox.serialize(triples, format=rdf_format, prefixes=prefixes)
        return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})

    def _outcome_error(outcome: Outcome, refusals: dict[str, str] | None = None) -> Response:
        if outcome.status == "syntax":
            return _error(400, "SPARQL syntax error: " + protocol.engine_message(outcome.message))
        if outcome.status == "not_acceptable":
            return _error(406, (refusals or {}).get(outcome.kind or "", "no acceptable format for these results"))
        if outcome.status == "timeout":
            return _error(
                503,
                f"query timeout: the query ran longer than the {timeout:g} s this endpoint allows (--timeout) "
                "and was stopped. Narrow it down (more specific patterns, a LIMIT) and try again.",
            )
        if outcome.status == "upstream":
            return _error(502, f"the store behind this endpoint failed: {outcome.message}")
        if outcome.status == "busy":
            return _error(503, f"the endpoint is busy: {outcome.message}; try again shortly",
                          headers={"Retry-After": "5"})
        return _error(500, f"query evaluation failed: {outcome.message}")

    async def sparql(request: Request) -> Response:
        method = request.method.upper()
        if method == "OPTIONS":
            return Response(status_code=204, headers={"Allow": ALLOW})
        if method not in ("GET", "HEAD", "POST"):
            return _error(405, f"method {method} is not allowed here: use GET or POST (queries only)",
                          headers={"Allow": ALLOW})
        try:
            body = await _read_body(request, MAX_BODY) if method == "POST" else b""
            op = protocol.parse_operation(
                method, request.scope.get("query_string", b"").decode("latin-1"),
                request.headers.get("content-type"), body,
            )
        except ProtocolError as error:
            return _error(error.status, error.message)
        if op.query is None:
            return await describe_service(request, op)
        shape = analyse(op.query)
        if shape.looks_like_update:
            return _error(403, protocol.READ_ONLY_MESSAGE)
        if shape.uses_service:
            return _error(
                400,
                "SERVICE (federated query) is not supported: this endpoint never contacts other servers. "
                "Query the data held here, or run the federated query from your own client.",
            )
        accept = request.headers.get("accept")
        formats, refusals = {}, {}
        for kind, choices in FORMATS_BY_KIND.items():
            try:
                formats[kind] = protocol.negotiate(accept, choices, op.format_values).media_type
            except NotAcceptable as error:
                refusals[kind] = str(error)
        if shape.kind in refusals:
            return _error(406, refusals[shape.kind])
        if op.has_dataset:
            dataset = dict(default_graph=list(op.default_graphs), named_graphs=list(op.named_graphs),
                           union_default_graph=False)
        elif shape.has_dataset_clause:
            dataset = dict(default_graph=None, named_graphs=None, union_default_graph=False)
        else:
            dataset = dict(default_graph=None, named_graphs=None, union_default_graph=True)
        job = QueryJob(
            protocol.with_base(op.query, base_iri), formats=formats, max_rows=max_rows,
            prefixes=_prefixes(op.query), **dataset,
        )
        outcome = await pool.run(job)
        if outcome.status != "ok":
            return _outcome_error(outcome, refusals)
        headers = {"Vary": "Accept"}
        if outcome.kind in ("solutions", "graph"):
            headers["X-Nikkan-Truncated"] = "true" if outcome.truncated else "false"
            headers["X-Nikkan-Count"] = str(outcome.count)
            if outcome.truncated:
                what = "rows" if outcome.kind == "solutions" else "triples"
                headers["X-Nikkan-Max-Rows"] = str(max_rows)
                headers["Warning"] = f'199 nikkan "results truncated to the first {max_rows} {what} (--max-rows)"'
        return Response(outcome.body, media_type=outcome.media_type, headers=headers)

    @asynccontextmanager
    async def lifespan(app: Starlette):
        await pool.start()
        try:
            yield
        finally:
            await pool.close()

    routes = [
        Route("/", home, methods=["GET"], name="home"),
        Route(endpoint_path, _AnyMethod(sparql), name="sparql"),
        Route(endpoint_path.rstrip("/") + "/", _AnyMethod(sparql), name="sparql_slash"),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
            allow_headers=["*"],
            expose_headers=list(TRUNCATED_HEADERS),
            max_age=86400,
        )
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.pool = pool
    app.state.settings = settings
    return app
