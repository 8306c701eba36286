"""Stores behind one interface; :func:`open_store` picks one from the settings."""

from __future__ import annotations

import pyoxigraph as ox

from ..settings import Settings
from .base import QueryResult, Store, StoreError, Term

__all__ = ["QueryResult", "Store", "StoreError", "Term", "open_store"]


def open_store(settings: Settings, *, read_only: bool = False) -> Store:
    """The store the settings name, holding the built dataset.

    ``memory`` loads ``graph/dataset.nq`` into in-memory Oxigraph; ``oxigraph``
    opens the persistent store (filled by ``nikkan store load``); ``remote``
    talks to a SPARQL 1.1 server.
    """
    if settings.store == "memory":
        from .oxigraph import OxigraphStore

        if not settings.dataset_file.exists():
            raise StoreError(
                f"{settings.dataset_file} does not exist: run `python build_graph.py` first"
            )
        store = OxigraphStore()
        store.load(settings.dataset_file, ox.RdfFormat.N_QUADS)
        return store
    if settings.store == "oxigraph":
        from .oxigraph import OxigraphStore

        return OxigraphStore(settings.store_path, read_only=read_only)
    from .remote import RemoteStore  # noqa: PLC0415 - only needed for remote stores

    return RemoteStore.from_settings(settings)
