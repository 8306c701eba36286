"""Load the built dataset (``graph/dataset.nq``) into any store, one named graph at a time."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .base import Store, StoreError


def load_dataset(store: Store, dataset_file: Path) -> dict[str, int]:
    """Replace each named graph of ``dataset_file`` (N-Quads) in ``store``; returns triples per graph.

    The file is parsed completely before the store is touched, so a malformed file
    changes nothing.  Each of its graphs then replaces the graph of that name
    (``replace_graph``: one Graph Store ``PUT`` on a server); graphs the file does not
    name (imports, other datasets) are left alone, and loading the same file again
    gives the same store.  The built dataset keeps everything in named graphs: a
    triple in the default graph is refused, as it could not be replaced.
    """
    dataset_file = Path(dataset_file)
    if not dataset_file.exists():
        raise StoreError(f"{dataset_file} does not exist: run `python build_graph.py` first")
    graphs: dict[str, list[ox.Triple]] = {}
    try:
        for quad in ox.parse(path=str(dataset_file), format=ox.RdfFormat.N_QUADS):
            if not isinstance(quad.graph_name, ox.NamedNode):
                raise StoreError(
                    f"{dataset_file}: {quad} is not in a named graph; the dataset keeps every triple in one"
                )
            graphs.setdefault(quad.graph_name.value, []).append(ox.Triple(quad.subject, quad.predicate, quad.object))
    except (SyntaxError, ValueError, OSError) as error:
        raise StoreError(f"cannot read {dataset_file}: {error}") from error
    for graph, triples in graphs.items():
        store.replace_graph(graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), ox.RdfFormat.N_TRIPLES)
    return {graph: len(triples) for graph, triples in graphs.items()}
