"""Import any RDF file into its own named graph, with a record of where and when it came from.

An import lands in ``<base>graph/import/<name>``; its provenance (source, format, time,
size) in ``<base>graph/import/<name>/provenance``.  Curated graphs (ontology,
documents, links) live elsewhere, so an import can never overwrite them, whatever it
contains: duplicate or conflicting statements simply sit in their own graph.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..settings import Settings
from .base import Store, StoreError
from .persistent import import_prefix

FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "json": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML,
    "owl": ox.RdfFormat.RDF_XML,
}
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@dataclass(frozen=True)
class ImportResult:
    graph: str
    statements: int


def import_graph_iri(settings: Settings, name: str) -> str:
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name):
        raise StoreError(f"import name {name!r}: use a lower-case slug such as 'wikidata-extract'")
    return f"{import_prefix(settings)}{name}"


def import_file(settings: Settings, store: Store, path: Path, name: str, fmt: str | None = None) -> ImportResult:
    """Replace the import graph ``name`` with the file's statements (all of them, or nothing)."""
    extension = (fmt or path.suffix.lstrip(".")).lower()
    if extension not in FORMATS:
        raise StoreError(f"{path}: unknown RDF format {extension!r}; use --format with one of {', '.join(sorted(set(FORMATS)))}")
    rdf_format = FORMATS[extension]
    if not path.is_file():
        raise StoreError(f"{path}: no such file")
    graph = import_graph_iri(settings, name)
    # The store parses the file itself (Oxigraph: its bulk loader), relative IRIs against the file's own.
    store.replace_graph(graph, path, rdf_format, base_iri=path.resolve().as_uri())
    count = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}")
    statements = int(next(iter(count))["n"].value)
    subject = ox.NamedNode(graph)
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    provenance = [
        ox.Triple(subject, RDF_TYPE, ox.NamedNode(VOID + "Dataset")),
        ox.Triple(subject, RDF_TYPE, ox.NamedNode(PROV + "Entity")),
        ox.Triple(subject, ox.NamedNode(DCTERMS + "source"), ox.NamedNode(path.resolve().as_uri())),
        ox.Triple(subject, ox.NamedNode(DCTERMS + "format"), ox.Literal(rdf_format.media_type)),
        ox.Triple(subject, ox.NamedNode(PROV + "generatedAtTime"), ox.Literal(now, datatype=ox.NamedNode(XSD + "dateTime"))),
        ox.Triple(subject, ox.NamedNode(VOID + "triples"), ox.Literal(str(statements), datatype=ox.NamedNode(XSD + "integer"))),
    ]
    store.replace_graph(f"{graph}/provenance", ox.serialize(provenance, format=ox.RdfFormat.N_TRIPLES), ox.RdfFormat.N_TRIPLES)
    return ImportResult(graph, statements)
