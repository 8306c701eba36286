"""benchmarks/run.py runs end to end (``--quick``: smallest size, one repetition, short load test).

No assertion on any time: this proves the benchmark works, not how fast anything is."""

from __future__ import annotations

import json
import subprocess
import sys

from nikkan.query.catalogue import Catalogue
from nikkan.settings import PROJECT_ROOT

CATALOGUE = Catalogue.load(PROJECT_ROOT / "queries")
BACKENDS = ("pyoxigraph", "pyoxigraph-disk", "nikkan-memory", "nikkan-disk", "oxrdflib", "rdflib")
OXIGRAPH_BACKENDS = ("pyoxigraph", "pyoxigraph-disk", "nikkan-memory", "nikkan-disk", "oxrdflib")


def test_quick_run_end_to_end(tmp_path):
    (tmp_path / "scratch").mkdir()
    done = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--quick", "--data-dir", str(tmp_path / "data"),
         "--out", str(tmp_path / "results"), "--scratch", str(tmp_path / "scratch")],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    results = json.loads((tmp_path / "results" / "latest.json").read_text(encoding="utf-8"))
    report = (tmp_path / "results" / "latest.md").read_text(encoding="utf-8")
    size = results["sizes"]["10k"]
    assert 9_000 <= size["dataset"]["statements"] <= 11_000
    for backend in BACKENDS:
        summary = size["backends"][backend]
        assert summary["load"]["statements"] == size["dataset"]["statements"], backend
        assert summary["load"]["rss_peak_mb"] > 0, backend
        assert set(summary["queries"]) >= {entry.name for entry in CATALOGUE}, backend
    reference = size["backends"]["pyoxigraph"]["queries"]
    for backend in OXIGRAPH_BACKENDS:
        for name, query in size["backends"][backend]["queries"].items():
            assert "p50" in query, (backend, name, query)
            assert query["digest"] == reference[name]["digest"], (backend, name)
    assert size["backends"]["nikkan-memory"]["serialise"]["turtle"] is not None
    network = size["network"]
    assert network["nodes"] > 100 and "centrality_s" in network
    assert any("seconds" in page and page["nodes"] == min(500, network["nodes"]) for page in size["pages"])
    assert results["build"]["in_process"] and results["build"]["in_process"][0]["triples"] > 6_000
    ours = results["endpoint"]["10k"]["nikkan"]
    assert ours["ok"] > 0 and ours["errors"] == 0
    assert "rdflib-endpoint" in results["endpoint"]["10k"]
    assert results["targets"]
    for heading in ("## Targets", "## Load", "## Catalogue queries, 10k", "## Serialisation", "## Endpoint under load", "## Answers"):
        assert heading in report
    # The same-process comparison runs on the corpus the quick run generated, every query once.
    corpus = next((tmp_path / "data").glob("10k-seed1-*"))
    compared = subprocess.run([sys.executable, "benchmarks/same_process.py", str(corpus), "--reps", "1"],
                              cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert compared.returncode == 0, compared.stderr[-4000:]
    rows = {line.split()[0]: line.split()[-1] for line in compared.stdout.splitlines()[1:]}
    assert set(rows) == {entry.name for entry in CATALOGUE} and all(r.endswith("×") for r in rows.values())
