"""The build's outputs: parseable by an independent parser, complete, byte-identical on rebuild."""

from __future__ import annotations

import json
import os

import pyoxigraph as ox
import pytest
import rdflib

from nikkan.build.forked import Forked, ForkedError
from nikkan.build.pipeline import build
from nikkan.settings import Settings

OUTPUTS = [
    "nikkan.ttl",
    "nikkan.nt",
    "nikkan.jsonld",
    "context.jsonld",
    "dataset.trig",
    "dataset.nq",
    "docs/ontology.html",
    "summary.json",
    "void.ttl",
]


def test_every_output_is_written(built):
    for name in OUTPUTS:
        assert (built.out_dir / name).stat().st_size > 0, name
    assert not list(built.out_dir.glob(".staging-*")), "staging folder left behind"


def test_turtle_parses_with_pyoxigraph_to_the_same_triples(built):
    ttl = built.out_dir / "nikkan.ttl"
    by_oxigraph = {str(t) for t in ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE)}
    by_rdflib = rdflib.Graph().parse(ttl, format="turtle")
    summary = json.loads((built.out_dir / "summary.json").read_text())
    assert len(by_oxigraph) == len(by_rdflib) == summary["triples"]
    nt_lines = (built.out_dir / "nikkan.nt").read_text(encoding="utf-8").splitlines()
    assert len(nt_lines) == summary["triples"]
    by_nt = {str(t) for t in ox.parse(path=str(built.out_dir / "nikkan.nt"), format=ox.RdfFormat.N_TRIPLES)}
    assert by_nt == by_oxigraph


def test_jsonld_and_trig_hold_the_same_data(built):
    summary = json.loads((built.out_dir / "summary.json").read_text())
    jsonld = list(ox.parse(path=str(built.out_dir / "nikkan.jsonld"), format=ox.RdfFormat.JSON_LD))
    assert len(set(map(str, jsonld))) == summary["triples"]
    quads = list(ox.parse(path=str(built.out_dir / "dataset.trig"), format=ox.RdfFormat.TRIG))
    assert len(quads) == sum(summary["graphs"].values())
    graphs = {q.graph_name.value for q in quads}
    assert graphs == {f"https://w3id.org/nikkan/id/graph/{name}" for name in summary["graphs"]}


def test_rebuild_is_byte_identical(built, tmp_path):
    again = Settings(out_dir=tmp_path / "again")
    build(again)
    for name in OUTPUTS:
        assert (built.out_dir / name).read_bytes() == (again.out_dir / name).read_bytes(), name


def test_base_iri_is_configurable(tmp_path):
    settings = Settings(out_dir=tmp_path / "g", base_iri="http://example.org/kg/")
    build(settings, docs=False)
    subjects = {t.subject.value for t in ox.parse(path=str(settings.out_dir / "nikkan.nt"), format=ox.RdfFormat.N_TRIPLES)}
    assert "http://example.org/kg/actor/lee-jae-myung" in subjects
    assert not any(s.startswith("https://w3id.org/nikkan/id/") for s in subjects)


def test_ontology_documentation_lists_classes_in_both_languages(built):
    html = (built.out_dir / "docs/ontology.html").read_text(encoding="utf-8")
    for text in ("Recommendation", "提言", "Incumbency", "在任", "evidence span"):
        assert text in html


def test_forked_steps_return_raise_or_report_their_death():
    """The build's forked steps (SHACL, the ontology page) hand back a value, their error, or their death."""
    big = list(range(200_000))  # inherited by the child, not pickled; the answer is larger than a pipe's buffer
    assert Forked(lambda values: [v * 2 for v in values], big).result() == [v * 2 for v in big]
    with pytest.raises(ValueError, match="bad shapes"):
        Forked(lambda: (_ for _ in ()).throw(ValueError("bad shapes"))).result()
    with pytest.raises(ForkedError, match="exit code 3"):
        Forked(os._exit, 3).result()
