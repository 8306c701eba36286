"""Bad input fails with a message naming the file, line or id, and writes nothing."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys

import pytest

from nikkan.settings import PROJECT_ROOT

DOC_FILE = "documents/kp-fy2025-korea-politics-diplomacy.yaml"


def snapshot(folder):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


def run_build(data, out):
    return subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "build_graph.py"), "--data-dir", str(data), "--out-dir", str(out), "--no-docs"],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
    )


@pytest.fixture
def good_output(built, tmp_path):
    out = tmp_path / "graph"
    out.mkdir()
    for name in ("nikkan.ttl", "nikkan.nt", "dataset.nq", "summary.json"):
        (out / name).write_bytes((built.out_dir / name).read_bytes())
    return out


def replace_once(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    prefix = text[: text.index(old)]
    return prefix.count("\n") + 1  # the line changed


def assert_refused(data_copy, good_output, *patterns):
    before = snapshot(good_output)
    result = run_build(data_copy, good_output)
    assert result.returncode == 1, result.stdout + result.stderr
    for pattern in patterns:
        assert re.search(pattern, result.stderr), (pattern, result.stderr)
    assert "nothing was written" in result.stderr
    assert snapshot(good_output) == before
    assert "Traceback" not in result.stderr


def test_quote_not_in_source(data_copy, good_output):
    line = replace_once(data_copy / DOC_FILE, "quote: 進歩派の李在明政権", "quote: 保守派の李在明政権")
    assert_refused(data_copy, good_output, rf"{DOC_FILE}:{line}", "not found in section", "保守派の李在明政権")


def test_ambiguous_quote(data_copy, good_output):
    line = replace_once(data_copy / DOC_FILE, "quote: 進歩派の李在明政権", "quote: 日韓")
    assert_refused(data_copy, good_output, rf"{DOC_FILE}:{line}", r"quote '日韓' occurs \d+ times in section 'overview'", "lengthen it")


def test_unknown_entity_id(data_copy, good_output):
    line = replace_once(data_copy / DOC_FILE, "holder: takaichi-sanae", "holder: takaichi-sanea")
    assert_refused(data_copy, good_output, rf"{DOC_FILE}:{line}", "holder: unknown id 'takaichi-sanea'")


def test_duplicate_id(data_copy, good_output):
    text = (data_copy / DOC_FILE).read_text(encoding="utf-8")
    extra = "\n".join(
        ["  - id: nara", "    type: City", "    label: {ja: 奈良, en: Nara}", "    evidence: [{section: overview, quote: 奈良}]", ""]
    )
    (data_copy / DOC_FILE).write_text(text.replace("places:\n", "places:\n" + extra, 1), encoding="utf-8")
    assert_refused(data_copy, good_output, "duplicate id 'nara'")


def test_malformed_date(data_copy, good_output):
    line = replace_once(data_copy / DOC_FILE, "date: 2025-09", "date: 2025-13")
    assert_refused(data_copy, good_output, rf"{DOC_FILE}:{line}", "2025-13", "not a real date")


def test_date_in_wrong_format(data_copy, good_output):
    replace_once(data_copy / DOC_FILE, "date: 2025-09", "date: Sept 2025")
    assert_refused(data_copy, good_output, rf"{DOC_FILE}:\d+", "does not match")


def test_missing_japanese_label(data_copy, good_output):
    line = replace_once(data_copy / DOC_FILE, "ja: 高市早苗", "fr: 高市早苗")
    assert_refused(data_copy, good_output, rf"{DOC_FILE}:{line}", "'ja' is a required property|Additional properties")


def test_broken_yaml(data_copy, good_output):
    text = (data_copy / DOC_FILE).read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(i for i, l in enumerate(lines) if l.startswith("actors:"))
    lines.insert(at + 1, "  - id: [unclosed")
    (data_copy / DOC_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_refused(data_copy, good_output, rf"{DOC_FILE}:\d+:\d+: invalid YAML")


def test_source_text_changed(data_copy, good_output):
    source = next((data_copy / "sources").glob("*.txt"))
    source.write_text(source.read_text(encoding="utf-8").replace("竹島", "独島", 1), encoding="utf-8")
    assert_refused(data_copy, good_output, "sha256 of .* is [0-9a-f]{64}, the document block says")


def test_shape_violation_is_reported_readably(data_copy, good_output, tmp_path):
    """A recommendation without implications passes the schema but not the shapes."""
    ontology = tmp_path / "ontology"
    import shutil

    shutil.copytree(PROJECT_ROOT / "ontology", ontology)
    shapes = ontology / "shapes.ttl"
    shapes.write_text(
        shapes.read_text(encoding="utf-8").replace(
            "nks:Labelled a sh:NodeShape ;", "nks:Labelled a sh:NodeShape ;\n    sh:property [ sh:path nk:neverThere ; sh:minCount 1 ; sh:message \"test rule\" ] ;"
        ),
        encoding="utf-8",
    )
    before = snapshot(good_output)
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "build_graph.py"), "--ontology-dir", str(ontology), "--out-dir", str(good_output), "--no-docs"],
        capture_output=True, text=True, cwd=PROJECT_ROOT,
    )
    assert result.returncode == 1
    assert re.search(r"\[shacl nks:Labelled\] https://w3id.org/nikkan/id/actor/lee-jae-myung: nk:neverThere test rule", result.stderr), result.stderr
    assert snapshot(good_output) == before
