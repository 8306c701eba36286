"""``nikkan network VIEW`` (write a page) and ``nikkan analyse`` (print centralities, communities, a path)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import time
from pathlib import Path

import networkx as nx

from ..query.results import table, width
from ..settings import Settings
from ..store import StoreError, open_store
from . import analysis
from .graph import label, local_name, network_graph
from .options import add_analyse_arguments, add_network_arguments
from .pages import Explorer, ViewError, ViewOptions, build_pages, write_page

__all__ = ["add_network_arguments", "run_network", "add_analyse_arguments", "run_analyse", "build_pages"]


# ---------------------------------------------------------------------- nikkan network


def view_options(args: argparse.Namespace) -> ViewOptions:
    classes = tuple(c for item in (args.classes or ()) for c in item.split(",") if c.strip())
    return ViewOptions(lang=args.lang, size=args.size, colour=args.colour, classes=tuple(c.strip() for c in classes),
                       date_from=args.date_from, date_to=args.date_to, max_nodes=args.max_nodes,
                       aggregate=not args.no_aggregate)


def default_page_name(args: argparse.Namespace) -> str:
    if args.view == "neighbourhood" and args.entity:
        return f"neighbourhood-{_slug(args.entity)}-{args.depth}.html"
    if args.view == "recommendation" and args.recommendation:
        return f"recommendation-{_slug(args.recommendation)}.html"
    return f"{args.view}.html"


def run_network(args: argparse.Namespace, settings: Settings) -> int:
    started = time.perf_counter()
    try:
        options = view_options(args)
        with open_store(settings, read_only=True) as store:
            explorer = Explorer(store, settings.base_iri)
            recommendation = args.recommendation
            if recommendation and not _looks_like_iri(recommendation):
                recommendation = _recommendation_by_id(explorer, recommendation)
            page = explorer.view(args.view, options, entity=args.entity, depth=args.depth,
                                 recommendation=recommendation)
    except (ViewError, StoreError) as error:
        print(f"nikkan network: {error}", file=sys.stderr)
        return 2
    out = args.out or Path(settings.out_dir) / "network" / default_page_name(args)
    write_page(out, page)
    drawn = explorer.last_view
    print(f"wrote {out}: {_count(drawn.graph.number_of_nodes(), 'node')}, "
          f"{_count(drawn.graph.number_of_edges(), 'edge')} "
          f"({len(page) / 1e6:.1f} MB, {time.perf_counter() - started:.2f} s)")
    for note in drawn.notes:
        print(f"  note: {note}")
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _looks_like_iri(text: str) -> bool:
    return "://" in text or text.startswith("<")


def _recommendation_by_id(explorer: Explorer, needle: str) -> str:
    """Accept a recommendation's id (end of its IRI) besides its label or IRI."""
    matches = [iri for iri in explorer.recommendations_list() if local_name(iri) == needle]
    return matches[0] if len(matches) == 1 else needle


def _slug(text: str) -> str:
    slug = re.sub(r"[^\w-]+", "-", local_name(text) if _looks_like_iri(text) else text).strip("-").lower()
    return slug[:60] or "entity"


# ---------------------------------------------------------------------- nikkan analyse


def analyse(store, settings: Settings, *, top: int = 10, path: tuple[str, str] | None = None,
            classes: tuple[str, ...] = ("Actor", "Issue"), communities: str = "louvain",
            betweenness_k: int | None = None, seed: int = analysis.DEFAULT_SEED, lang: str = "both") -> dict:
    """Everything ``nikkan analyse`` prints, as plain data."""
    graph = network_graph(store)
    explorer = Explorer(store, settings.base_iri, graph=graph)
    wanted = tuple(explorer.resolve_classes(tuple(c for item in classes for c in item.split(",") if c)))
    scores = analysis.centrality(graph, k=betweenness_k, seed=seed)
    result: dict = {
        "graph": {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
                  "reported": len(analysis.reported(graph, wanted)),
                  "classes": [local_name(c) for c in wanted], "betweenness_k": scores.betweenness_k},
    }

    def entry(rank: int, node: str, value: float) -> dict:
        data = graph.nodes[node]
        return {"rank": rank, "iri": node, "label": label(graph, node, lang), "class": local_name(data["class"] or ""),
                "value": value, "degree": scores.degree[node]}

    for name, values in (("degree", scores.degree), ("betweenness", scores.betweenness), ("pagerank", scores.pagerank)):
        result[name] = [entry(i, n, v) for i, (n, v) in enumerate(analysis.top(graph, values, top, wanted), start=1)]
    for row in result["degree"]:
        row["degree_centrality"] = scores.degree_centrality[row["iri"]]
    groups = analysis.communities(graph, method=communities, seed=seed)
    result["modularity"] = analysis.modularity(graph, groups)
    shown = set(analysis.reported(graph, wanted))
    result["communities"] = [
        {"community": i, "size": len(group), "reported": len(group & shown),
         # the members of the reported classes that rank highest by PageRank
         "members": [label(graph, n, lang) for n in
                     sorted(group & shown, key=lambda n: (-scores.pagerank[n], n))[:4]]}
        for i, group in enumerate(groups, start=1)
    ]
    if path:
        source, target = (explorer.find(p) for p in path)
        found = analysis.explained_path(graph, source, target)
        result["path"] = {
            "from": source, "to": target, "length": found.length, "shortest_paths": found.alternatives,
            "hops": [{"hop": i, "from": h.source, "predicate": h.predicate, "to": h.target,
                      "direction": "→" if h.forward else "←", "text": h.text(graph, lang)}
                     for i, h in enumerate(found.hops, start=1)],
        }
    return result


def run_analyse(args: argparse.Namespace, settings: Settings) -> int:
    try:
        with open_store(settings, read_only=True) as store:
            result = analyse(store, settings, top=args.top, path=tuple(args.path) if args.path else None,
                             classes=tuple(args.classes), communities=args.communities,
                             betweenness_k=args.betweenness_k, seed=args.seed, lang=args.lang)
    except (ViewError, StoreError) as error:
        print(f"nikkan analyse: {error}", file=sys.stderr)
        return 2
    except nx.NetworkXNoPath:
        print(f"nikkan analyse: no path between {args.path[0]!r} and {args.path[1]!r}", file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        sys.stdout.write(as_csv(result))
    else:
        print(as_tables(result))
    return 0


def as_tables(result: dict) -> str:
    g = result["graph"]
    out = [f"{g['nodes']} nodes, {g['edges']} relations; reporting {g['reported']} "
           f"{' and '.join(g['classes'])} nodes (centralities computed on the whole graph)"]
    titles = {
        "degree": "Degree (relations in either direction; centrality = degree / (n - 1))",
        "betweenness": "Betweenness (undirected, normalised"
                       + (f", {g['betweenness_k']} sampled pivots)" if g["betweenness_k"] else ")"),
        "pagerank": "PageRank (directed, alpha 0.85)",
    }
    for name, title in titles.items():
        if name == "degree":
            rows = [[str(r["rank"]), _clip(r["label"], 48), r["class"], str(r["value"]), f"{r['degree_centrality']:.4f}"]
                    for r in result[name]]
            head = ["rank", "entity", "class", "degree", "centrality"]
        else:
            rows = [[str(r["rank"]), _clip(r["label"], 48), r["class"], f"{r['value']:.4f}", str(r["degree"])]
                    for r in result[name]]
            head = ["rank", "entity", "class", name, "degree"]
        out += ["", title, table(head, rows)]
    out += ["", f"Communities (on the undirected graph; modularity {result['modularity']:.3f})",
            table(["#", "size", f"top {' and '.join(g['classes'])} by PageRank"],
                  [[str(c["community"]), str(c["size"]), ", ".join(_clip(m, 34) for m in c["members"])]
                   for c in result["communities"]])]
    if "path" in result:
        p = result["path"]
        out += ["", f"Shortest path: {p['length']} relation(s); {p['shortest_paths']} shortest path(s) in all",
                *(f"  {h['hop']}. {h['text']}" for h in p["hops"])]
    return "\n".join(out)


def _clip(text: str, cells: int) -> str:
    """At most ``cells`` terminal cells (East Asian wide characters count two), with an ellipsis."""
    if width(text) <= cells:
        return text
    out = ""
    for char in text:
        if width(out + char) > cells - 1:
            break
        out += char
    return out + "…"


def as_csv(result: dict) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    # one long table: centralities, then communities (value: size), then the path's hops
    writer.writerow(["section", "rank", "iri", "label", "class", "value", "predicate", "direction"])
    for name in ("degree", "betweenness", "pagerank"):
        for r in result[name]:
            writer.writerow([name, r["rank"], r["iri"], r["label"], r["class"], r["value"], "", ""])
    for c in result["communities"]:
        writer.writerow(["community", c["community"], "", " | ".join(c["members"]), "", c["size"], "", ""])
    if "path" in result:
        for h in result["path"]["hops"]:
            writer.writerow(["path", h["hop"], h["to"], h["text"], "", "", h["predicate"], h["direction"]])
    return buffer.getvalue()
