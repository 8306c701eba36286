"""SPARQL 1.1 Protocol requests, read-only: parsing, checks and content negotiation.

Pure functions, no I/O: :func:`parse_operation` turns an HTTP request (method,
raw query string, ``Content-Type``, body) into an :class:`Operation` or raises
:class:`ProtocolError` with the HTTP status to answer, and :func:`negotiate`
picks a result format from ``Accept`` and the ``format=`` parameter.  (What the
query text is -- form, ``SERVICE``, ``FROM`` -- :mod:`nikkan.sparqltext` tells.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence
from urllib.parse import parse_qsl

import pyoxigraph as ox

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"

#: Most fields a form-encoded request may carry (query, dataset, format...).
MAX_FIELDS = 1000


class ProtocolError(Exception):
    """A request the endpoint refuses; ``status`` is the HTTP status to answer."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


# --------------------------------------------------------------------------
# Result formats


@dataclass(frozen=True)
class ResultFormat:
    """One serialisation the endpoint can answer with.

    ``names`` are the values ``format=`` accepts for it, ``aliases`` other media
    types an ``Accept`` header may use for it, ``ox`` the name of the
    pyoxigraph ``QueryResultsFormat`` / ``RdfFormat`` member.
    """

    media_type: str
    names: tuple[str, ...]
    aliases: tuple[str, ...]
    ox: str

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


#: For SELECT and ASK, in the server's order of preference (JSON is the default).
RESULTS_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("application/sparql-results+json", ("json", "srj"), ("application/json",), "JSON"),
    ResultFormat("application/sparql-results+xml", ("xml", "srx"), ("application/xml", "text/xml"), "XML"),
    ResultFormat("text/csv", ("csv",), (), "CSV"),
    ResultFormat("text/tab-separated-values", ("tsv",), (), "TSV"),
)
#: For CONSTRUCT and DESCRIBE (and the service description); Turtle is the default.
GRAPH_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("text/turtle", ("ttl", "turtle"), ("application/turtle", "application/x-turtle"), "TURTLE"),
    ResultFormat("application/n-triples", ("nt", "ntriples", "n-triples"), (), "N_TRIPLES"),
    ResultFormat(
        "application/ld+json",
        ("jsonld", "json-ld", "json"),
        ("application/json", "application/x-json+ld"),
        "JSON_LD",
    ),
    ResultFormat(
        "application/rdf+xml", ("rdf", "rdfxml", "rdf+xml", "xml"), ("application/xml", "text/xml"), "RDF_XML"
    ),
)
#: Which formats apply to which result kind (what pyoxigraph returns).
FORMATS_BY_KIND: dict[str, tuple[ResultFormat, ...]] = {
    "solutions": RESULTS_FORMATS,
    "boolean": RESULTS_FORMATS,
    "graph": GRAPH_FORMATS,
}


def format_by_media_type(media_type: str) -> ResultFormat:
    for fmt in RESULTS_FORMATS + GRAPH_FORMATS:
        if fmt.media_type == media_type:
            return fmt
    raise KeyError(media_type)


def ox_results_format(media_type: str) -> ox.QueryResultsFormat:
    return getattr(ox.QueryResultsFormat, format_by_media_type(media_type).ox)


def ox_rdf_format(media_type: str) -> ox.RdfFormat:
    return getattr(ox.RdfFormat, format_by_media_type(media_type).ox)


class NotAcceptable(Exception):
    """No format the client accepts fits this result kind (HTTP 406)."""


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """``Accept`` as ``(media range, q)`` pairs; malformed ranges are skipped."""
    ranges = []
    for part in (header or "").split(","):
        items = [p.strip() for p in part.split(";")]
        media = items[0].lower()
        if not re.fullmatch(r"[\w.+*-]+/[\w.+*-]+", media):
            continue
        q = 1.0
        for param in items[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = -1.0
        if 0.0 <= q <= 1.0:
            ranges.append((media, q))
    return ranges


def _quality(fmt: ResultFormat, ranges: list[tuple[str, float]]) -> float:
    """The q that the most specific range matching ``fmt`` gives it (0 if none matches).

    Aliases count only when named exactly: ``text/*`` does not select
    ``application/sparql-results+xml`` through its alias ``text/xml``.
    """
    kind = fmt.media_type.split("/")[0]
    specificity, best = -1, 0.0
    for media, q in ranges:
        if media in fmt.media_types:
            level = 2
        elif media == f"{kind}/*":
            level = 1
        elif media == "*/*":
            level = 0
        else:
            continue
        if level > specificity or (level == specificity and q > best):
            specificity, best = level, q
    return best


def negotiate(
    accept: str | None, formats: Sequence[ResultFormat], format_values: Sequence[str] = ()
) -> ResultFormat:
    """The format to answer with, from ``format=`` values first, then ``Accept``.

    A ``format=`` value may be a short name (``json``, ``ttl``...) or media
    type(s); values the endpoint does not know at all are ignored (clients such
    as SPARQLWrapper send ``format=n3`` or ``output=...`` for other servers), a
    known one that does not fit these results raises :class:`NotAcceptable`.
    Without ``Accept`` (or with ``*/*``) the first format is the default.
    """
    known_elsewhere = False
    for value in format_values:
        for token in value.split(","):
            token = token.split(";")[0].strip().lower()
            if not token:
                continue
            for fmt in formats:
                if token in fmt.names or token in fmt.media_types:
                    return fmt
            if any(token in f.names or token in f.media_types for f in RESULTS_FORMATS + GRAPH_FORMATS):
                known_elsewhere = True
    if known_elsewhere:
        raise NotAcceptable(
            f"format={', '.join(format_values)} does not apply to these results; "
            f"use one of {', '.join(f.names[0] for f in formats)}"
        )
    ranges = parse_accept(accept)
    if not ranges:
        return formats[0]
    scored = [(_quality(fmt, ranges), -index, fmt) for index, fmt in enumerate(formats)]
    q, _, fmt = max(scored, key=lambda item: (item[0], item[1]))
    if q <= 0.0:
        raise NotAcceptable(
            f"none of the media types in Accept: {accept} fits these results; "
            f"available: {', '.join(f.media_type for f in formats)}"
        )
    return fmt


def prefers_html(accept: str | None, formats: Sequence[ResultFormat]) -> bool:
    """Whether ``Accept`` asks for HTML at least as much as for any of ``formats`` (a browser)."""
    ranges = parse_accept(accept)
    html = [q for media, q in ranges if media in ("text/html", "application/xhtml+xml")]
    if not html or max(html) <= 0.0:
        return False
    return max(html) >= max(_quality(f, [r for r in ranges if r[0] != "*/*"]) for f in formats)


# --------------------------------------------------------------------------
# Requests


@dataclass(frozen=True)
class Operation:
    """A query request: the query text, the protocol dataset and ``format=`` values.

    ``query`` is ``None`` for a request asking for the service description
    (``GET`` with neither ``query`` nor ``update``).
    """

    query: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    format_values: tuple[str, ...] = ()

    @property
    def has_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


READ_ONLY_MESSAGE = (
    "this endpoint is read-only: SPARQL Update is not accepted here "
    "(the dataset is built from the curated sources; see the project README)"
)


def _media_type(content_type: str | None) -> tuple[str, dict[str, str]]:
    if not content_type:
        return "", {}
    main, *params = content_type.split(";")
    values = {}
    for param in params:
        name, _, value = param.partition("=")
        values[name.strip().lower()] = value.strip().strip('"')
    return main.strip().lower(), values


def _check_utf8(params: dict[str, str], media_type: str) -> None:
    charset = params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise ProtocolError(400, f"{media_type} must be sent in UTF-8, not charset={charset}")


def _decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(400, f"{what} is not valid UTF-8: {error}") from None


def _fields(text: str, what: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(
            text, keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=MAX_FIELDS
        )
    except UnicodeDecodeError as error:
        raise ProtocolError(400, f"{what} is not valid UTF-8 once percent-decoded: {error}") from None
    except ValueError as error:
        raise ProtocolError(400, f"cannot read {what}: {error}") from None


def parse_operation(method: str, query_string: str, content_type: str | None, body: bytes) -> Operation:
    """Read a SPARQL Protocol request (``GET``/``HEAD``/``POST``), or refuse it.

    400 for malformed requests (no, several or empty ``query``; ``query`` with
    ``update``; a body whose ``Content-Type`` is neither
    ``application/x-www-form-urlencoded`` nor ``application/sparql-query``; non
    UTF-8 text; a dataset IRI that is not an absolute IRI), 403 for any update
    (this endpoint is read-only), 405 for other methods.
    """
    method = method.upper()
    fields = _fields(query_string, "the URL query string")
    direct_query: str | None = None
    if method in ("GET", "HEAD"):
        pass
    elif method == "POST":
        media_type, params = _media_type(content_type)
        if media_type == SPARQL_UPDATE:
            raise ProtocolError(403, READ_ONLY_MESSAGE)
        if media_type == FORM:
            _check_utf8(params, media_type)
            fields += _fields(_decode(body, "the form body"), "the form body")
        elif media_type == SPARQL_QUERY:
            _check_utf8(params, media_type)
            direct_query = _decode(body, "the query")
        elif not media_type:
            raise ProtocolError(
                400,
                f"a POST needs a Content-Type: {FORM} (with query=...) or {SPARQL_QUERY} (the query as body)",
            )
        else:
            raise ProtocolError(
                400,
                f"unsupported Content-Type {media_type!r}: send {FORM} (with query=...) "
                f"or {SPARQL_QUERY} (the query as body)",
            )
    else:
        raise ProtocolError(405, f"method {method} is not allowed: use GET or POST")

    queries = [value for name, value in fields if name == "query"]
    updates = [value for name, value in fields if name == "update"]
    if direct_query is not None:
        queries.append(direct_query)
    if queries and updates:
        raise ProtocolError(400, "a request carries either a query or an update, not both")
    if updates:
        raise ProtocolError(403, READ_ONLY_MESSAGE)
    if len(queries) > 1:
        raise ProtocolError(400, f"a request carries exactly one query; this one has {len(queries)}")
    default_graphs = tuple(value for name, value in fields if name == "default-graph-uri")
    named_graphs = tuple(value for name, value in fields if name == "named-graph-uri")
    for iri in default_graphs + named_graphs:
        try:
            ox.NamedNode(iri)
        except ValueError as error:
            raise ProtocolError(400, f"graph IRI {iri!r} is not a valid absolute IRI: {error}") from None
    format_values = tuple(value for name, value in fields if name == "format")
    if not queries:
        if method == "POST":
            raise ProtocolError(400, "the request has no query: send query=... or a SPARQL query body")
        if default_graphs or named_graphs:
            raise ProtocolError(400, "default-graph-uri / named-graph-uri given without a query")
        return Operation(None, format_values=format_values)
    query = queries[0].lstrip("\ufeff")
    if not query.strip():
        raise ProtocolError(400, "the query is empty")
    return Operation(query, default_graphs, named_graphs, format_values)


# --------------------------------------------------------------------------
# A look at the query text


_POSITION = re.compile(r"\berror at (\d+):(\d+)")


def with_base(sparql: str, base_iri: str) -> str:
    """The query with ``BASE <base_iri>`` on a line of its own before it.

    pyoxigraph refuses relative IRIs without a base; a ``BASE`` of the query's
    own, coming later, still wins.  :func:`engine_message` takes the line back
    out of error positions.
    """
    return f"BASE <{base_iri}>\n{sparql}"


def engine_message(message: str, added_lines: int = 1) -> str:
    """pyoxigraph's syntax error, its ``line:column`` counted in the text the client sent."""

    def shift(match: re.Match) -> str:
        line = max(int(match.group(1)) - added_lines, 1)
        return f"error at {line}:{match.group(2)}"

    return _POSITION.sub(shift, message)
