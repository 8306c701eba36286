"""examples/explore.ipynb runs headless, top to bottom, in a fresh kernel (nbclient).

The built graph of the test session is handed over in ``NIKKAN_OUT_DIR``, the
variable the notebook reads (it falls back to graph/); the notebook finds the
project root itself from its working directory (examples/).
"""

from __future__ import annotations

import os

import nbformat
import pytest
from nbclient import NotebookClient

from network_helpers import BASE, PROJECT

NOTEBOOK = PROJECT / "examples" / "explore.ipynb"


def _text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            parts.append(output.get("text", ""))
        elif "data" in output:
            parts.append(output["data"].get("text/html", "") or output["data"].get("text/plain", ""))
    return "".join(parts)


def test_notebook_runs_from_a_clean_kernel(built, monkeypatch):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert not any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), \
        "the notebook is stored without outputs"
    for cell in notebook.cells:
        assert "/work/" not in cell.source and "/home/" not in cell.source, "no absolute paths in the notebook"
    monkeypatch.setenv("NIKKAN_OUT_DIR", str(built.out_dir))
    monkeypatch.delenv("NIKKAN_STORE", raising=False)
    client = NotebookClient(notebook, timeout=120, kernel_name="python3", allow_errors=False,
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for cell in code:
        assert not [o for o in cell.outputs if o.get("output_type") == "error"]
    text = "\n".join(_text(cell) for cell in code)
    assert "graph folder: NIKKAN_OUT_DIR" in text
    assert "entities with relations" in text
    # the view is inline, offline: an iframe whose srcdoc holds the whole escaped page
    html = next(_text(cell) for cell in code if "<iframe" in _text(cell))
    assert html.startswith('<div class="nikkan-network"><iframe srcdoc="&lt;!DOCTYPE html&gt;')
    assert 'sandbox="allow-scripts"' in html and html.endswith("</iframe></div>")
    assert "<script" not in html and "https://" not in html.split("srcdoc=")[0]
    stderr = [o for cell in code for o in cell.outputs if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    assert stderr == []
    assert "PageRank" in text and "1. " in text
    assert "Takaichi Sanae —" in text and text.rstrip().endswith("CPTPP")
    assert os.environ["NIKKAN_OUT_DIR"] == str(built.out_dir)
    assert BASE  # the notebook names entities by label or by id under the base


@pytest.mark.parametrize("needle", ["Takaichi Sanae", "issue/cptpp"])
def test_notebook_names_exist(needle, store, built):
    from nikkan.network.pages import Explorer

    assert Explorer(store, built.base_iri).find(needle).startswith(BASE)
