"""Show a network page inline in Jupyter, offline.

The page is self-contained (vis-network inlined, nothing loaded from any host), so
it is put in an ``<iframe srcdoc>`` with the whole page HTML-escaped as the
attribute value, sandboxed to scripts only: it runs the same in JupyterLab,
classic Notebook, VS Code or an exported HTML notebook, without a server.
"""

from __future__ import annotations

import html


def iframe(page: str, height: int = 720, title: str = "nikkan network") -> str:
    """HTML of an iframe whose ``srcdoc`` is the page, escaped for a double-quoted attribute."""
    return (
        f'<iframe srcdoc="{html.escape(page, quote=True)}" title="{html.escape(title, quote=True)}" '
        f'sandbox="allow-scripts" referrerpolicy="no-referrer" loading="eager" '
        f'style="width:100%;height:{int(height)}px;border:1px solid #ddd;border-radius:4px"></iframe>'
    )


def show(page: str, height: int = 720, title: str = "nikkan network"):
    """An IPython ``HTML`` object displaying the page inline (return it as a cell's last value)."""
    from IPython.display import HTML

    # wrapped in a div: IPython warns about HTML that starts with <iframe
    return HTML(f'<div class="nikkan-network">{iframe(page, height, title)}</div>')
