"""Fill the embedded persistent Oxigraph store from the built dataset, all or nothing.

``store_path`` is a symbolic link to one complete store folder in
``<store_path>.versions/``.  A load builds a new folder with Oxigraph's bulk loader
(fast, but not transactional), copies the imported graphs over from the current
store, and only then swings the link with one atomic rename.  A load that is killed
leaves the link on the previous, complete store; readers never see a half-loaded one.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pyoxigraph as ox

from ..settings import Settings
from .base import StoreError

KEEP_VERSIONS = 2  # the current store and the one before it (a running server may still read it)


def import_prefix(settings: Settings) -> str:
    return f"{settings.base_iri}graph/import/"


def load_persistent(settings: Settings) -> Path:
    """Load ``settings.dataset_file`` into a new store version and make it current."""
    link = Path(settings.store_path)
    if link.exists() and not link.is_symlink():
        raise StoreError(f"{link} is a folder, not the link this project manages; move it away first")
    if not settings.dataset_file.exists():
        raise StoreError(f"{settings.dataset_file} does not exist: run `python build_graph.py` first")
    versions = link.parent / f"{link.name}.versions"
    versions.mkdir(parents=True, exist_ok=True)
    target = versions / f"{time.time_ns()}-{os.getpid()}"
    store = ox.Store(str(target))
    try:
        store.bulk_load(path=str(settings.dataset_file), format=ox.RdfFormat.N_QUADS)
        if link.exists():
            _copy_imports(ox.Store.read_only(str(link.resolve())), store, import_prefix(settings))
        store.flush()
        store.optimize()
    except (OSError, SyntaxError, ValueError) as error:
        store = None
        shutil.rmtree(target, ignore_errors=True)
        raise StoreError(f"cannot load {settings.dataset_file}: {error}") from error
    store = None  # close the database before others open it
    temporary = link.parent / f".{link.name}.{os.getpid()}.link"
    temporary.unlink(missing_ok=True)
    os.symlink(target.relative_to(link.parent), temporary)
    os.replace(temporary, link)  # the one atomic step
    _prune(versions, keep=target)
    return target


def _copy_imports(old: ox.Store, new: ox.Store, prefix: str) -> None:
    """Imported graphs (and their provenance) survive a reload of the curated dataset."""
    for graph in old.named_graphs():
        if isinstance(graph, ox.NamedNode) and graph.value.startswith(prefix):
            new.bulk_extend(old.quads_for_pattern(None, None, None, graph))


def _prune(versions: Path, keep: Path) -> None:
    """Remove versions older than the last KEEP_VERSIONS, and abandoned partial loads."""
    folders = sorted((p for p in versions.iterdir() if p.is_dir()), key=lambda p: int(p.name.split("-")[0]))
    for folder in folders[: max(0, len(folders) - KEEP_VERSIONS)]:
        if folder != keep:
            shutil.rmtree(folder, ignore_errors=True)
