"""Command line of the build: ``python build_graph.py`` or ``nikkan build``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true", help="validate only; write nothing")
    parser.add_argument("--no-docs", action="store_true", help="skip the ontology HTML documentation")
    parser.add_argument("--no-pages", action="store_true", help="skip the network pages (graph/network/)")
    parser.add_argument("--data-dir", type=Path, help="curated data (default: data/)")
    parser.add_argument("--ontology-dir", type=Path, help="ontology, shapes and checks (default: ontology/)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    settings = settings.with_(
        **{k: v for k, v in (("data_dir", args.data_dir), ("ontology_dir", args.ontology_dir)) if v is not None}
    )
    from .pipeline import BuildError, build  # rdflib and pySHACL: loaded only to build

    started = time.perf_counter()
    try:
        result = build(settings, write=not args.check, docs=not args.no_docs)
    except BuildError as error:
        print(f"build failed: {error}", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        print("nothing was written; earlier outputs are untouched", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    print(f"{result.triples} triples in {len(result.graphs)} named graphs ({elapsed:.2f} s)")
    for name, count in result.graphs.items():
        print(f"  graph {name}: {count}")
    print("instances by class:")
    for cls, count in result.classes.items():
        if cls.startswith("nk:"):
            print(f"  {cls:28} {count}")
    print("checks passed: " + ", ".join(result.checks))
    if result.files:
        print(f"wrote to {settings.out_dir}: " + ", ".join(result.files))
    if not args.check and not args.no_pages:
        return _network_pages(settings)
    return 0


def _network_pages(settings: Settings) -> int:
    """The first consumer of the new dataset: the standard network pages."""
    from ..network import build_pages

    pages = build_pages(settings)
    print(f"network pages in {settings.out_dir / 'network'}: {len(pages.files)} ({pages.seconds:.2f} s)")
    for problem in pages.problems:
        print(f"  could not draw: {problem}", file=sys.stderr)
    return 1 if pages.problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build_graph.py", description="Build the nikkan knowledge graph.")
    parser.add_argument("--base-iri", help="base IRI of instances (default: https://w3id.org/nikkan/id/)")
    parser.add_argument("--out-dir", type=Path, help="where outputs go (default: graph/)")
    add_arguments(parser)
    args = parser.parse_args(argv)
    settings = Settings.from_env(base_iri=args.base_iri, out_dir=args.out_dir)
    return run(args, settings)
