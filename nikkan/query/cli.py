"""``nikkan query``, ``nikkan describe`` and ``nikkan evidence``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..namespaces import PREFIXES
from ..settings import Settings
from ..store import StoreError, open_store
from .catalogue import Catalogue, CatalogueError, parse_entry
from .lookup import LookupError_, describe, evidence, find_entity
from .params import ParameterError, bind, explain_syntax_error
from .results import FORMATS, render


def add_query_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", nargs="?", help="a catalogue query's name (see --list)")
    parser.add_argument("--list", action="store_true", help="list the catalogue's queries")
    parser.add_argument("--file", type=Path, help="run the query in this .rq file instead")
    parser.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE", help="bind a parameter (repeatable)")
    parser.add_argument("--format", "-f", choices=FORMATS, default="table", help="output format (default: table)")


def add_entity_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("entity", help="a label in ja, en or ko (e.g. 李在明, Takeshima) or an IRI")
    parser.add_argument("--format", "-f", choices=FORMATS, default="table")


def _prefixes(settings: Settings) -> dict[str, str]:
    return {"id": settings.base_iri, **PREFIXES}


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def run_query(args: argparse.Namespace, settings: Settings) -> int:
    try:
        catalogue = Catalogue.load(settings.queries_dir)
        if args.list:
            for entry in catalogue:
                params = " ".join(f"--param {p.name}=<{p.kind}>" for p in entry.parameters)
                print(f"{entry.name}\n    {entry.question_en}\n    {entry.question_ja}" + (f"\n    {params}" if params else ""))
            return 0
        if args.file:
            sparql, source = args.file.read_text(encoding="utf-8"), str(args.file)
            entry = parse_entry(args.file, sparql) if sparql.startswith("#") else None
        elif args.name:
            entry = catalogue.get(args.name)
            sparql, source = entry.sparql, str(entry.path)
        else:
            return _fail("name a catalogue query, or use --file or --list")
        values = {}
        for item in args.param:
            name, eq, value = item.partition("=")
            if not eq:
                return _fail(f"--param {item!r}: expected NAME=VALUE")
            values[name.lstrip("?$")] = value
        if entry is not None:
            bindings = bind(entry, values, settings.base_iri)
        elif values:
            return _fail(f"{source} declares no parameters (add '# Parameter: name kind description' lines)")
        else:
            bindings = {}
        with open_store(settings) as store:
            try:
                result = store.query(sparql, bindings)
                print(render(result, args.format, _prefixes(settings)))
            except SyntaxError as error:
                return _fail(explain_syntax_error(error, sparql, source))
            except RuntimeError as error:  # e.g. a parameter the query does not project
                return _fail(f"{source}: {error}")
    except (CatalogueError, ParameterError, StoreError, ValueError, OSError) as error:
        return _fail(str(error))
    return 0


def run_entity(args: argparse.Namespace, settings: Settings, what: str) -> int:
    try:
        with open_store(settings) as store:
            entity = find_entity(store, args.entity, settings.base_iri)
            print(f"# {entity.value}")
            result = describe(store, entity) if what == "describe" else evidence(store, entity)
            # The entity is projected only so that the engine can bind it; don't repeat it.
            print(render(result, args.format, _prefixes(settings), hide=("entity",)))
    except (LookupError_, StoreError, ValueError) as error:
        return _fail(str(error))
    return 0
