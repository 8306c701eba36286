"""``nikkan``: one command line for the build and every consumer."""

from __future__ import annotations

import argparse
import os
import sys
from importlib import import_module
from pathlib import Path

from .settings import STORE_KINDS, Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nikkan", description="Japan–Korea policy knowledge graph.")
    parser.add_argument("--base-iri", help="instance base IRI (env NIKKAN_BASE_IRI)")
    parser.add_argument("--out-dir", type=Path, help="built graph folder (default graph/; env NIKKAN_OUT_DIR)")
    parser.add_argument("--queries-dir", type=Path, help="query catalogue folder (default queries/)")
    parser.add_argument("--store", choices=STORE_KINDS, help="memory (default), oxigraph or remote (env NIKKAN_STORE)")
    parser.add_argument("--store-path", type=Path, help="folder of the persistent Oxigraph store")
    parser.add_argument("--store-url", help="SPARQL query endpoint of a remote store")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    from .build import cli as build_cli
    from .endpoint import server as endpoint_server
    from .network import options as network_options
    from .query import cli as query_cli
    from .store import cli as store_cli
    from . import synthetic

    describe = lambda args, settings: query_cli.run_entity(args, settings, "describe")  # noqa: E731
    evidence = lambda args, settings: query_cli.run_entity(args, settings, "evidence")  # noqa: E731
    network = lambda args, settings: import_module("nikkan.network.cli").run_network(args, settings)  # noqa: E731
    analyse = lambda args, settings: import_module("nikkan.network.cli").run_analyse(args, settings)  # noqa: E731
    for name, help_text, add_arguments, run in (
        ("build", "check the sources and build graph/", build_cli.add_arguments, build_cli.run),
        ("query", "run a catalogue query or a .rq file", query_cli.add_query_arguments, query_cli.run_query),
        ("describe", "what the graph says of one entity", query_cli.add_entity_arguments, describe),
        ("evidence", "the source quotes behind one entity", query_cli.add_entity_arguments, evidence),
        ("serve", "serve the dataset as a read-only SPARQL 1.1 endpoint with a query editor",
         endpoint_server.add_arguments, endpoint_server.run),
        ("network", "write a self-contained network page (pyvis/vis-network)",
         network_options.add_network_arguments, network),
        ("analyse", "degree, betweenness, PageRank, communities, explained paths",
         network_options.add_analyse_arguments, analyse),
        ("store", "load the dataset into a store, import other RDF, export", store_cli.add_arguments, store_cli.run),
        ("synthetic", "generate a synthetic corpus of any size through the build (for benchmarks)",
         synthetic.add_arguments, synthetic.run),
    ):
        command = commands.add_parser(name, help=help_text)
        add_arguments(command)
        command.set_defaults(run=run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings.from_env(
        base_iri=args.base_iri,
        out_dir=args.out_dir,
        queries_dir=args.queries_dir,
        store=args.store,
        store_path=args.store_path,
        store_url=args.store_url,
    )
    try:
        return args.run(args, settings)
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
