"""Oxigraph, embedded: in memory (the default) or persistent on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

import pyoxigraph as ox

from .base import QueryResult, Store, StoreError, Term


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
        if bindings:
            options["substitutions"] = {ox.Variable(name): term for name, term in bindings.items()}
        if default_graph is not None:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        elif union_default_graph:
            options["use_default_graph_as_union"] = True
        if named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        return self._store.query(sparql, **options)

    def load(self, source: Path | bytes, format: ox.RdfFormat, graph: str | None = None) -> None:
        target = ox.NamedNode(graph) if graph else None
        try:
            if isinstance(source, (bytes, bytearray)):
                self._store.bulk_load(source, format=format, to_graph=target)
            else:
                self._store.bulk_load(path=str(source), format=format, to_graph=target)
        except (SyntaxError, ValueError, OSError) as error:
            raise StoreError(f"cannot load {_describe(source)}: {error}") from error

    def replace_graph(self, graph: str, source: Path | bytes, format: ox.RdfFormat) -> None:
        """Parse everything first, stage it in a scratch graph, then swap it in with one update.

        A bad file raises before anything changes; a crash while staging leaves the
        graph as it was (one SPARQL update is one transaction).
        """
        try:
            if isinstance(source, (bytes, bytearray)):
                parsed = list(ox.parse(source, format=format))
            else:
                parsed = list(ox.parse(path=str(source), format=format))
        except (SyntaxError, ValueError, OSError) as error:
            raise StoreError(f"cannot load {_describe(source)}: {error}") from error
        target = ox.NamedNode(graph)  # validates the IRI; str() writes it escaped
        staging = ox.NamedNode(f"{graph}#staging")
        self._store.update(f"DROP SILENT GRAPH {staging}")
        # Triples or quads alike: every statement goes into the one graph.
        self._store.extend(ox.Quad(q.subject, q.predicate, q.object, staging) for q in parsed)
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


def _describe(source: Path | bytes) -> str:
    return f"{len(source)} bytes of input" if isinstance(source, (bytes, bytearray)) else str(source)
