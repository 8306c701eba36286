"""The store interface every consumer uses: load named graphs, run SPARQL, dump.

Results are pyoxigraph's own result objects (``QuerySolutions``, ``QueryBoolean``,
``QueryTriples``) whatever the backend, so consumers serialise them with
``.serialize(format=...)`` and never care where the data lives.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import Mapping

import pyoxigraph as ox

from ..sparqltext import QueryTextError, Term, with_values

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class StoreError(Exception):
    """A store could not do what was asked (bad data, unreachable server...)."""


def bound_query(sparql: str, bindings: Mapping[str, Term] | None) -> str:
    """The query with its parameters as a ``VALUES`` block (see :func:`nikkan.sparqltext.with_values`)."""
    if not bindings:
        return sparql
    try:
        return with_values(sparql, bindings)
    except QueryTextError as error:
        raise StoreError(str(error)) from None


def load_error(source: Path | bytes, format: ox.RdfFormat, error: Exception) -> StoreError:
    """The error for RDF that could not be read: which input, and where it is malformed."""
    what = f"{len(source)} bytes of input" if isinstance(source, (bytes, bytearray)) else str(source)
    if isinstance(error, SyntaxError):
        return StoreError(f"cannot load {what}: not valid {format.name}: {error}")
    return StoreError(f"cannot load {what}: {error}")


class Store(ABC):
    """A dataset of named graphs behind SPARQL."""

    @abstractmethod
    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
        union_default_graph: bool = True,
    ) -> QueryResult:
        """Run a SPARQL query.

        ``bindings`` maps variable names to RDF terms; they open the query's outermost
        ``WHERE`` group as one ``VALUES`` row, each written in N-Triples syntax by
        pyoxigraph (so a value cannot end the literal or IRI it is written in), where the
        engine's planner sees them.  ``default_graph`` and
        ``named_graphs`` restrict the dataset as the SPARQL protocol's
        ``default-graph-uri`` / ``named-graph-uri`` do; without them the default
        graph is the union of all graphs.
        """

    @abstractmethod
    def load(self, source: Path | bytes, format: ox.RdfFormat, graph: str | None = None) -> None:
        """Add RDF to the dataset; ``graph`` puts triple formats into that named graph."""

    @abstractmethod
    def replace_graph(self, graph: str, source: Path | bytes, format: ox.RdfFormat, base_iri: str | None = None) -> None:
        """Replace one named graph's content atomically; every statement of a quad format goes into it.

        Malformed input raises :class:`StoreError` and changes nothing; ``base_iri``
        resolves relative IRIs.
        """

    @abstractmethod
    def named_graphs(self) -> list[str]:
        """IRIs of the named graphs, sorted."""

    @abstractmethod
    def dump(self, format: ox.RdfFormat, graph: str | None = None) -> bytes:
        """Serialise the dataset (a quad format) or one graph (a triple format)."""

    def close(self) -> None:
        """Release files or connections."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
