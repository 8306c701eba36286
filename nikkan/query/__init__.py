"""Consumers that ask the store questions: the query catalogue and its CLI."""

from __future__ import annotations

from ..settings import Settings
from ..store import QueryResult, Store
from .catalogue import Catalogue
from .params import bind


def run_catalogue_query(settings: Settings, store: Store, name: str, **values: str) -> QueryResult:
    """Run catalogue query ``name`` with parameter values given as strings (as on the CLI)."""
    entry = Catalogue.load(settings.queries_dir).get(name)
    return store.query(entry.sparql, bind(entry, values, settings.base_iri))
