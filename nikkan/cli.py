"""``nikkan``: one command line for the build and every consumer."""

from __future__ import annotations

import argparse
import sys
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
    from .query import cli as query_cli

    build = commands.add_parser("build", help="check the sources and build graph/")
    build_cli.add_arguments(build)
    build.set_defaults(run=build_cli.run)

    query = commands.add_parser("query", help="run a catalogue query or a .rq file")
    query_cli.add_query_arguments(query)
    query.set_defaults(run=query_cli.run_query)

    from .endpoint import server as endpoint_server

    serve = commands.add_parser("serve", help="serve the dataset as a read-only SPARQL 1.1 endpoint with a query editor")
    endpoint_server.add_arguments(serve)
    serve.set_defaults(run=endpoint_server.run)

    from .network import cli as network_cli

    network = commands.add_parser("network", help="write a self-contained network page (pyvis/vis-network)")
    network_cli.add_network_arguments(network)
    network.set_defaults(run=network_cli.run_network)
    analyse = commands.add_parser("analyse", help="degree, betweenness, PageRank, communities, explained paths")
    network_cli.add_analyse_arguments(analyse)
    analyse.set_defaults(run=network_cli.run_analyse)

    from .store import cli as store_cli

    store = commands.add_parser("store", help="load the dataset into a store, import other RDF, export")
    store_cli.add_arguments(store)
    store.set_defaults(run=store_cli.run)

    for what, help_text in (("describe", "what the graph says of one entity"), ("evidence", "the source quotes behind one entity")):
        sub = commands.add_parser(what, help=help_text)
        query_cli.add_entity_arguments(sub)
        sub.set_defaults(run=lambda args, settings, what=what: query_cli.run_entity(args, settings, what))
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
    return args.run(args, settings)


if __name__ == "__main__":
    sys.exit(main())
