"""Network analysis of the relations graph, with networkx's own algorithms.

Everything is computed on the WHOLE graph of :func:`nikkan.network.graph.network_graph`
and only the reports are restricted (by default to actors and issues, i.e. nodes
whose class is a subclass of ``nk:Actor`` or ``nk:Issue`` in the store's ontology).

* **degree**: number of relation triples a node takes part in, in either
  direction (parallel edges count; ``MultiDiGraph.degree``); degree centrality
  is ``nx.degree_centrality`` (degree / (n - 1)).
* **betweenness**: ``nx.betweenness_centrality`` on the undirected simple view
  (a relation links its two ends whichever way the ontology writes it), normalised;
  ``k`` samples k pivots, seeded, for big graphs.
* **PageRank**: ``nx.pagerank`` (alpha 0.85) on the directed multigraph, so a
  node ranks high when many relations point at it (issues concerned, actors
  addressed, participants); parallel edges add weight.
* **communities**: ``nx.community.louvain_communities`` (seeded) on the
  undirected simple view, or ``greedy_modularity_communities``.
* **explained path**: ``nx.shortest_path`` on the undirected view; every hop is
  shown with the relation and its direction, ``A —participant→ B`` or
  ``A ←participant— B``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from .graph import NK, is_a, label
from .options import DEFAULT_SEED

#: Classes whose members the centrality reports show by default.
REPORT_CLASSES = (NK + "Actor", NK + "Issue")


def undirected(graph: nx.MultiDiGraph) -> nx.Graph:
    """The simple undirected view: one edge per linked pair, whatever the relations."""
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes)
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    return simple


@dataclass
class Centrality:
    """Centrality of every node of the graph (not only the reported ones)."""

    degree: dict[str, int]
    degree_centrality: dict[str, float]
    betweenness: dict[str, float]
    pagerank: dict[str, float]
    betweenness_k: int | None = None


def centrality(graph: nx.MultiDiGraph, *, k: int | None = None, seed: int = DEFAULT_SEED,
               alpha: float = 0.85) -> Centrality:
    """Degree, degree centrality, betweenness and PageRank of all nodes.

    ``k`` (betweenness): sample that many source nodes (seeded by ``seed``) instead
    of all; useful above a few thousand nodes.  ``None`` or ``k >= n`` is exact.
    """
    simple = undirected(graph)
    n = simple.number_of_nodes()
    sample = k if k is not None and k < n else None
    return Centrality(
        degree=dict(graph.degree()),
        degree_centrality=nx.degree_centrality(graph) if n > 1 else {node: 0.0 for node in graph},
        betweenness=nx.betweenness_centrality(simple, k=sample, seed=seed if sample else None, normalized=True),
        pagerank=nx.pagerank(graph, alpha=alpha) if n else {},
        betweenness_k=sample,
    )


def reported(graph: nx.MultiDiGraph, classes: tuple[str, ...] = REPORT_CLASSES) -> list[str]:
    """Nodes whose class is one of ``classes`` or below it."""
    return [node for node in graph if any(is_a(graph, node, cls) for cls in classes)]


def top(graph: nx.MultiDiGraph, scores: dict[str, float], n: int | None = 10,
        classes: tuple[str, ...] = REPORT_CLASSES) -> list[tuple[str, float]]:
    """The ``n`` best-scoring reported nodes, ties broken by English label then IRI."""
    ranked = sorted(
        ((node, scores[node]) for node in reported(graph, classes)),
        key=lambda item: (-item[1], label(graph, item[0], "en"), item[0]),
    )
    return ranked if n is None else ranked[:n]


def communities(graph: nx.MultiDiGraph, *, method: str = "louvain", seed: int = DEFAULT_SEED,
                resolution: float = 1.0) -> list[set[str]]:
    """Communities of the undirected view, largest first (then by smallest IRI)."""
    simple = undirected(graph)
    if simple.number_of_edges() == 0:
        found = [{node} for node in simple]
    elif method == "louvain":
        found = nx.community.louvain_communities(simple, seed=seed, resolution=resolution)
    elif method == "greedy":
        found = nx.community.greedy_modularity_communities(simple, resolution=resolution)
    else:
        raise ValueError(f"unknown community method {method!r}: louvain or greedy")
    return sorted((set(c) for c in found), key=lambda c: (-len(c), min(c)))


def community_of(groups: list[set[str]]) -> dict[str, int]:
    """Node → index (from 0) of its community in ``groups``."""
    return {node: index for index, group in enumerate(groups) for node in group}


def modularity(graph: nx.MultiDiGraph, groups: list[set[str]]) -> float:
    return nx.community.modularity(undirected(graph), groups) if graph.number_of_edges() else 0.0


@dataclass
class Hop:
    """One step of a path: ``source`` to ``target`` along ``predicate``."""

    source: str
    target: str
    predicate: str
    forward: bool  # True: the triple is (source, predicate, target); False: (target, predicate, source)
    label_ja: str
    label_en: str

    def text(self, graph: nx.MultiDiGraph, lang: str = "en") -> str:
        prop = self.label_ja if lang == "ja" else self.label_en
        a, b = label(graph, self.source, lang), label(graph, self.target, lang)
        return f"{a} —{prop}→ {b}" if self.forward else f"{a} ←{prop}— {b}"


@dataclass
class ExplainedPath:
    nodes: list[str]
    hops: list[Hop]
    alternatives: int = 1  # how many shortest paths there are in all
    other_relations: list[list[Hop]] = field(default_factory=list)  # per hop: the other relations linking the pair

    @property
    def length(self) -> int:
        return len(self.hops)

    def text(self, graph: nx.MultiDiGraph, lang: str = "en") -> list[str]:
        return [hop.text(graph, lang) for hop in self.hops]


def relations_between(graph: nx.MultiDiGraph, a: str, b: str) -> list[Hop]:
    """Every relation linking ``a`` and ``b``, as hops from ``a`` to ``b``, forward ones first."""
    hops = []
    for forward, (s, o) in ((True, (a, b)), (False, (b, a))):
        for key, data in sorted((graph.get_edge_data(s, o) or {}).items()):
            hops.append(Hop(a, b, key, forward, data["label_ja"], data["label_en"]))
    return hops


def explained_path(graph: nx.MultiDiGraph, source: str, target: str, *, count_limit: int = 10000) -> ExplainedPath:
    """A shortest path on the undirected view, each hop with its relation and direction.

    Raises ``nx.NetworkXNoPath`` when the two are not connected and ``nx.NodeNotFound``
    when one of them has no relation at all.
    """
    simple = undirected(graph)
    nodes = nx.shortest_path(simple, source, target)
    hops, others = [], []
    for a, b in zip(nodes, nodes[1:], strict=False):
        between = relations_between(graph, a, b)
        hops.append(between[0])
        others.append(between[1:])
    alternatives = 0
    for alternatives, _ in enumerate(nx.all_shortest_paths(simple, source, target), start=1):
        if alternatives >= count_limit:
            break
    return ExplainedPath(nodes, hops, alternatives, others)
