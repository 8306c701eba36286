"""Network views and analysis of the knowledge graph.

:mod:`.graph` reads the relations (sub-properties of ``nk:relation``) from the
store into networkx; :mod:`.analysis` ranks and clusters them; :mod:`.pages`
draws self-contained vis-network pages with pyvis; :mod:`.notebook` shows a page
inline in Jupyter; :mod:`.cli` is the ``nikkan network`` / ``nikkan analyse`` front.
"""

from importlib import import_module

__all__ = ["Explorer", "ViewOptions", "analysis", "build_pages", "network_graph", "write_page"]
_HOMES = {"network_graph": ".graph", "Explorer": ".pages", "ViewOptions": ".pages", "build_pages": ".pages", "write_page": ".pages"}


def __getattr__(name: str):
    """Import networkx, pyvis and friends only when a view or an analysis is asked for."""
    if name == "analysis":
        return import_module(".analysis", __name__)
    if name in _HOMES:
        return getattr(import_module(_HOMES[name], __name__), name)
    raise AttributeError(name)
