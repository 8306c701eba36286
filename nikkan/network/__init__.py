"""Network views and analysis of the knowledge graph.

:mod:`.graph` reads the relations (sub-properties of ``nk:relation``) from the
store into networkx; :mod:`.analysis` ranks and clusters them; :mod:`.pages`
draws self-contained vis-network pages with pyvis; :mod:`.notebook` shows a page
inline in Jupyter; :mod:`.cli` is the ``nikkan network`` / ``nikkan analyse`` front.
"""

from .graph import network_graph
from .pages import Explorer, ViewOptions, build_pages, write_page

__all__ = ["Explorer", "ViewOptions", "build_pages", "network_graph", "write_page"]
