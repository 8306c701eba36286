"""The endpoint's default limits, importable without the web stack (for ``nikkan --help``)."""

from __future__ import annotations

import os

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 10_000


def default_workers() -> int:
    """Worker processes when the operator does not say: the cores, between 2 and 4."""
    return max(2, min(4, os.cpu_count() or 2))
