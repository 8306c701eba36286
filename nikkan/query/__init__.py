"""Consumers that ask the store questions: the query catalogue and its CLI."""

from __future__ import annotations

import re

from ..settings import Settings
from ..store import QueryResult, Store
from .catalogue import Catalogue, parse_entry
from .params import bind


def run_catalogue_query(settings: Settings, store: Store, name: str, **values: str) -> QueryResult:
    """Run catalogue query ``name`` with parameter values given as strings (as on the CLI)."""
    path = settings.queries_dir / f"{name}.rq"
    # Only that query's file is read (a loop of calls should not re-read the catalogue).
    found = re.fullmatch(r"[\w-]+", name) and path.is_file()
    entry = parse_entry(path) if found else Catalogue.load(settings.queries_dir).get(name)  # the latter names what is missing
    return store.query(entry.sparql, bind(entry, values, settings.base_iri))
