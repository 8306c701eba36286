"""Network views (child ``run.py --child-network SPEC``): networkx conversion, centrality, communities, pyvis pages."""

from __future__ import annotations

import time
from pathlib import Path

from children import emit
from measure import Timeout, call_with_timeout

#: Nodes of the pages generated (a connected sample of the graph each).
PAGE_SIZES = (500, 2000, 10000)


def network_spec(dataset_dir: Path, quick: bool) -> dict:
    return {"dataset": str(dataset_dir), "exact_betweenness_up_to": 2000, "betweenness_k": 100,
            "timeout": 300 if not quick else 60, "page_sizes": [500] if quick else list(PAGE_SIZES),
            "at_least_one_page": quick, "page_timeout": 60}


def child_network(spec: dict) -> None:
    """Time the network views of a dataset: one ``network`` record, then one ``page`` record a page size."""
    from nikkan.network import analysis
    from nikkan.network.graph import network_graph
    from nikkan.settings import Settings
    from nikkan.store import open_store

    settings = Settings(out_dir=Path(spec["dataset"]))
    store = open_store(settings)
    started = time.perf_counter()
    graph = network_graph(store)
    convert = time.perf_counter() - started
    nodes, edges = graph.number_of_nodes(), graph.number_of_edges()
    k = None if nodes <= spec["exact_betweenness_up_to"] else spec["betweenness_k"]
    record = {"kind": "network", "nodes": nodes, "edges": edges, "convert_s": convert, "betweenness_k": k}
    for name, analyse in (("centrality", lambda: analysis.centrality(graph, k=k)), ("communities", lambda: analysis.communities(graph))):
        try:
            started = time.perf_counter()
            call_with_timeout(analyse, spec["timeout"])
            record[f"{name}_s"] = time.perf_counter() - started
        except Timeout:
            record[f"{name}_error"] = f"timeout after {spec['timeout']} s"
    emit(record)
    pages = [n for n in spec["page_sizes"] if n <= nodes] or ([nodes] if spec.get("at_least_one_page") else [])
    if not pages:
        return
    from nikkan.network.pages import Explorer, ViewOptions

    order = _bfs_order(graph)
    for size in pages:
        sub = graph.subgraph(order[:size]).copy()
        record = {"kind": "page", "nodes": size, "edges": sub.number_of_edges()}
        try:
            started = time.perf_counter()
            explorer = Explorer(store, settings.base_iri, graph=sub)
            html = call_with_timeout(lambda: explorer.render(explorer.whole_view(), ViewOptions(max_nodes=size)),
                                     spec["page_timeout"])
            record.update(seconds=time.perf_counter() - started, html_mb=len(html.encode("utf-8")) / 2**20)
        except Timeout:
            record["error"] = f"timeout after {spec['page_timeout']} s"
        except Exception as error:  # noqa: BLE001
            record["error"] = f"{type(error).__name__}: {error}"[:300]
        emit(record)


def _bfs_order(graph) -> list[str]:
    """Nodes breadth first from the best-connected one (ties by IRI): connected samples of any size."""
    import networkx as nx

    simple = nx.Graph(graph.to_undirected(as_view=True))
    start = max(simple.nodes, key=lambda n: (simple.degree(n), n))
    seen = {start}
    order, frontier = [start], [start]
    while frontier:
        following = []
        for node in frontier:
            for neighbour in sorted(simple.neighbors(node)):
                if neighbour not in seen:
                    seen.add(neighbour)
                    order.append(neighbour)
                    following.append(neighbour)
        frontier = following
    order += sorted(n for n in simple.nodes if n not in seen)
    return order
