"""Serialise the dataset deterministically and write all outputs atomically."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..namespaces import PREFIXES


def jsonld_context(base_iri: str) -> dict:
    """The JSON-LD context: our prefixes plus ``id:`` for instances."""
    context = dict(PREFIXES)
    context["id"] = base_iri
    return {"@context": dict(sorted(context.items()))}


def _normalise_json(value):
    """Sort JSON-LD objects and value arrays: RDF has no order, the output should."""
    if isinstance(value, dict):
        return {key: _normalise_json(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        items = [_normalise_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return value


def serialise_graph(triples: list[ox.Triple], graph: Graph, base_iri: str) -> dict[str, bytes]:
    """Turtle, N-Triples (pyoxigraph, from sorted triples) and JSON-LD with its context (rdflib)."""
    context = jsonld_context(base_iri)
    compacted = json.loads(graph.serialize(format="json-ld", context=context["@context"], auto_compact=True))
    jsonld = json.dumps(_normalise_json(compacted), ensure_ascii=False, indent=1) + "\n"
    # Turtle keeps instance IRIs whole: their paths contain '/', which prefixed names must escape.
    prefixes = dict(PREFIXES)
    return {
        "ttl": ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes),
        "nt": ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES),
        "jsonld": jsonld.encode("utf-8"),
    }


def serialise_dataset(quads: list[ox.Quad]) -> dict[str, bytes]:
    """TriG and N-Quads with every named graph."""
    prefixes = dict(PREFIXES)
    return {
        "trig": ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes),
        "nq": ox.serialize(quads, format=ox.RdfFormat.N_QUADS),
    }


def write_atomically(out_dir: Path, files: dict[str, bytes]) -> None:
    """Write every file to a staging folder first, then move each into place.

    Nothing is replaced until everything has been produced; each file is replaced
    by a single rename, so a reader never sees a half-written file.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir))
    try:
        for name, content in files.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        for name in files:
            target = out_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
