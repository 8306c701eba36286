"""The embedded persistent store: survives restarts, and a killed load leaves the previous state."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pyoxigraph as ox
import pytest

from nikkan.settings import PROJECT_ROOT, Settings
from nikkan.store import open_store
from nikkan.store.persistent import load_persistent

COUNT = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


def graph_counts(settings):
    with open_store(settings, read_only=True) as store:
        return {row["g"].value: int(row["n"].value) for row in store.query(COUNT)}


@pytest.fixture
def persistent(built, tmp_path):
    out = tmp_path / "graph"
    out.mkdir()
    shutil.copy(built.dataset_file, out / "dataset.nq")
    return Settings(out_dir=out, store="oxigraph", store_path=out / "oxigraph")


def nikkan(settings, *args):
    return [sys.executable, "-m", "nikkan.cli", "--out-dir", str(settings.out_dir), "--store", "oxigraph",
            "--store-path", str(settings.store_path), *args]


def test_data_survives_a_process_restart(persistent, built):
    loaded = subprocess.run(nikkan(persistent, "store", "load"), capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert loaded.returncode == 0, loaded.stderr
    expected = {q.graph_name.value for q in ox.parse(path=str(built.dataset_file), format=ox.RdfFormat.N_QUADS)}
    # a new process reads what the other one wrote
    result = subprocess.run(nikkan(persistent, "query", "timeline", "-f", "csv"), capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip().splitlines()) == 1 + 12
    assert set(graph_counts(persistent)) == expected


def test_a_killed_load_leaves_the_previous_state(persistent, tmp_path):
    load_persistent(persistent)
    before = graph_counts(persistent)
    # A dataset big enough that loading it takes a while: 600k statements in a new graph.
    big = persistent.dataset_file
    graph = ox.NamedNode("https://w3id.org/nikkan/id/graph/document/synthetic")
    p = ox.NamedNode("https://w3id.org/nikkan/ontology#order")
    quads = [ox.Quad(ox.NamedNode(f"https://w3id.org/nikkan/id/x/{i}"), p, ox.Literal(str(i)), graph) for i in range(600_000)]
    with open(big, "ab") as handle:
        handle.write(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    versions = persistent.store_path.parent / "oxigraph.versions"
    known = set(os.listdir(versions))
    process = subprocess.Popen(nikkan(persistent, "store", "load"), cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and set(os.listdir(versions)) == known:
        time.sleep(0.02)
    time.sleep(0.3)  # well inside the bulk load
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert set(os.listdir(versions)) != known, "the load never started"
    assert graph_counts(persistent) == before  # the link still points at the complete previous store
    # and a load that runs to the end gives the complete new state
    load_persistent(persistent)
    after = graph_counts(persistent)
    assert after["https://w3id.org/nikkan/id/graph/document/synthetic"] == 600_000
    assert {g: n for g, n in after.items() if g in before} == before
