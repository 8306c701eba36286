"""Options of ``nikkan network`` and ``nikkan analyse``: light, so that the CLI starts fast.

The work itself is in :mod:`.cli`, imported only when one of the two commands runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

VIEWS = ("graph", "neighbourhood", "recommendation", "timeline", "issues")
DEFAULT_MAX_NODES = 300
DEFAULT_SEED = 42


def add_network_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("view", choices=VIEWS,
                        help="graph (all entities with relations), neighbourhood (--entity, --depth), "
                             "recommendation (--recommendation), timeline (events by date), issues (SKOS tree)")
    parser.add_argument("--entity", help="neighbourhood: the entity, by label (ja/en/ko) or IRI")
    parser.add_argument("--depth", type=int, default=1, help="neighbourhood: how many relations away (default 1)")
    parser.add_argument("--recommendation", help="recommendation: its label, IRI or id")
    parser.add_argument("--classes", nargs="+", metavar="CLASS",
                        help="keep only nodes of these classes or below (e.g. Actor Issue Event; commas work too)")
    parser.add_argument("--from", dest="date_from", metavar="DATE", help="keep events on or after DATE (YYYY-MM-DD)")
    parser.add_argument("--to", dest="date_to", metavar="DATE", help="keep events on or before DATE (YYYY-MM-DD)")
    parser.add_argument("--lang", choices=("ja", "en", "both"), default="both", help="initial labels (default both)")
    parser.add_argument("--size", choices=("pagerank", "degree"), default="pagerank",
                        help="node size from PageRank or degree (default pagerank)")
    parser.add_argument("--colour", "--color", dest="colour", choices=("class", "community"), default="class",
                        help="colour nodes by class or by Louvain community (default class)")
    parser.add_argument("--max-nodes", type=int, default=DEFAULT_MAX_NODES,
                        help=f"above this, collapse evidence and propositions by class (default {DEFAULT_MAX_NODES})")
    parser.add_argument("--no-aggregate", action="store_true",
                        help="refuse instead of collapsing when a view has more than --max-nodes nodes")
    parser.add_argument("--out", type=Path, help="the HTML file to write (default graph/network/VIEW.html)")


def add_analyse_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--top", type=int, default=10, help="rows per centrality table (default 10)")
    parser.add_argument("--path", nargs=2, metavar=("FROM", "TO"),
                        help="explain the shortest path between two entities (labels or IRIs)")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output (default table)")
    parser.add_argument("--lang", choices=("ja", "en", "both"), default="both", help="labels in output (default both)")
    parser.add_argument("--classes", nargs="+", metavar="CLASS", default=["Actor", "Issue"],
                        help="report these classes and their subclasses (default Actor Issue); "
                             "centralities are computed on the whole graph")
    parser.add_argument("--communities", choices=("louvain", "greedy"), default="louvain",
                        help="community detection (default louvain, seeded)")
    parser.add_argument("--betweenness-k", type=int, metavar="K",
                        help="sample K pivots for betweenness (seeded; default exact)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of Louvain and sampling")
