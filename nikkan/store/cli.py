"""``nikkan store``: fill the persistent store, import other datasets, export the dataset."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyoxigraph as ox

from ..settings import Settings
from . import StoreError, open_store

EXPORT_FORMATS = {"trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("load", help="load the built dataset into the store (persistent Oxigraph: all or nothing)")
    imported = actions.add_parser("import", help="import an RDF file into its own named graph")
    imported.add_argument("file", type=Path, help="Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML")
    imported.add_argument("--name", required=True, help="slug naming the import graph: <base>graph/import/<name>")
    imported.add_argument("--format", help="override the format guessed from the file extension (ttl, nt, nq, trig, jsonld, rdf)")
    exported = actions.add_parser("export", help="write the whole dataset with its named graphs")
    exported.add_argument("--format", choices=EXPORT_FORMATS, default="trig")
    exported.add_argument("--output", "-o", type=Path, help="file to write (default: standard output)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        if args.action == "load":
            return _load(settings)
        if args.action == "import":
            return _import(args, settings)
        return _export(args, settings)
    except StoreError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _load(settings: Settings) -> int:
    if settings.store == "memory":
        print("the memory store loads graph/dataset.nq by itself; `store load` fills --store oxigraph or remote", file=sys.stderr)
        return 2
    if settings.store == "oxigraph":
        from .persistent import load_persistent

        folder = load_persistent(settings)
        print(f"loaded {settings.dataset_file} into {settings.store_path} (now {folder.name})")
        return 0
    from .loading import load_dataset

    with open_store(settings) as store:
        load_dataset(store, settings.dataset_file)
    print(f"loaded {settings.dataset_file} into {settings.store_url}")
    return 0


def _import(args: argparse.Namespace, settings: Settings) -> int:
    if settings.store == "memory":
        print("error: imports go into a store that keeps them: use --store oxigraph (after `nikkan --store oxigraph store load`) or --store remote", file=sys.stderr)
        return 2
    from .imports import import_file

    with open_store(settings) as store:
        result = import_file(settings, store, args.file, args.name, args.format)
    print(f"imported {result.statements} statements from {args.file} into <{result.graph}>")
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    with open_store(settings, read_only=True) as store:
        data = store.dump(EXPORT_FORMATS[args.format])
    if args.output:
        args.output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0
