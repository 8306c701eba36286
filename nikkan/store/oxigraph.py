"""Oxigraph, embedded: in memory (the default) or persistent on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

import pyoxigraph as ox

from .base import QueryResult, Store, StoreError, Term, bound_query, load_error


class OxigraphStore(Store):
    """pyoxigraph's Store; ``path=None`` keeps everything in memory."""

    def __init__(self, path: Path | None = None, read_only: bool = False):
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(path))
            else:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as error:
            raise StoreError(f"cannot open Oxigraph store at {path}: {error}") from error
        self.path = path

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
        union_default_graph: bool = True,
    ) -> QueryResult:
        options: dict = {}
        if default_graph is not None:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        elif union_default_graph:
            options["use_default_graph_as_union"] = True
        if named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        return self._store.query(bound_query(sparql, bindings), **options)

    def load(self, source: Path | bytes, format: ox.RdfFormat, graph: str | None = None) -> None:
        target = ox.NamedNode(graph) if graph else None
        try:
            _bulk_load(self._store, source, format, to_graph=target)
        except (SyntaxError, ValueError, OSError) as error:
            raise load_error(source, format, error) from error

    def replace_graph(self, graph: str, source: Path | bytes, format: ox.RdfFormat, base_iri: str | None = None) -> None:
        """Bulk-load into a scratch graph, then swap it in with one update.

        The target graph changes only in that last update (one transaction): a bad
        file, or a crash while loading, leaves it as it was.  Oxigraph's bulk loader
        parses in Rust and gives blank nodes fresh ids, so an import cannot merge its
        blank nodes with another graph's.
        """
        target = ox.NamedNode(graph)  # validates the IRI; str() writes it escaped
        staging = ox.NamedNode(f"{graph}#staging")
        self._store.update(f"DROP SILENT GRAPH {staging}")
        try:
            triples, triples_format = source, format
            if format.supports_datasets:
                # Every statement goes into the one graph: read the dataset into a scratch
                # store and take the union of its graphs as triples.
                scratch = ox.Store()
                _bulk_load(scratch, source, format, base_iri=base_iri)
                union = scratch.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
                triples, triples_format = union.serialize(format=ox.RdfFormat.N_TRIPLES), ox.RdfFormat.N_TRIPLES
            _bulk_load(self._store, triples, triples_format, base_iri=base_iri, to_graph=staging)
        except (SyntaxError, ValueError, OSError) as error:
            self._store.update(f"DROP SILENT GRAPH {staging}")
            raise load_error(source, format, error) from error
        self._store.update(f"DROP SILENT GRAPH {target} ; MOVE SILENT GRAPH {staging} TO GRAPH {target}")

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def dump(self, format: ox.RdfFormat, graph: str | None = None) -> bytes:
        if graph is not None:
            return self._store.dump(format=format, from_graph=ox.NamedNode(graph))
        return self._store.dump(format=format)

    def close(self) -> None:
        """Drop our handle: pyoxigraph closes the database (and its lock) when it is freed."""
        self._store = None

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()


def _bulk_load(store: ox.Store, source: Path | bytes, format: ox.RdfFormat, **options) -> None:
    if isinstance(source, (bytes, bytearray)):
        store.bulk_load(bytes(source), format=format, **options)
    else:
        store.bulk_load(path=str(source), format=format, **options)
