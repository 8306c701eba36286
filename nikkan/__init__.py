"""nikkan: a knowledge graph of Japanese policy research on Japan–South Korea relations.

Data flows one way: sources (``data/``) → build (``nikkan.build``) → dataset in a
store (``nikkan.store``) → consumers (``nikkan.query``, ``nikkan.endpoint``,
``nikkan.network``).  A :class:`nikkan.settings.Settings` object is passed down.
"""

__version__ = "0.1.0"
