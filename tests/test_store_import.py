"""Importing other datasets into their own graphs, joining through the links, and federation."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pyoxigraph as ox
import pytest

from endpoint_fixtures import running_server, write_dataset
from nikkan.query import run_catalogue_query
from nikkan.settings import PROJECT_ROOT, Settings
from nikkan.store import StoreError, open_store
from nikkan.store.imports import import_file
from nikkan.store.persistent import load_persistent

SAMPLE = PROJECT_ROOT / "tests" / "data" / "external-sample.ttl"
FX = "https://example.org/nikkan-test-fixture/"
CURATED = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(!CONTAINS(STR(?g), '/graph/import/')) }"


@pytest.fixture
def persistent(built, tmp_path):
    out = tmp_path / "graph"
    out.mkdir()
    shutil.copy(built.dataset_file, out / "dataset.nq")
    settings = Settings(out_dir=out, store="oxigraph", store_path=out / "oxigraph")
    load_persistent(settings)
    return settings


def sample_in(fmt: ox.RdfFormat, folder) -> object:
    statements = list(ox.parse(path=str(SAMPLE), format=ox.RdfFormat.TURTLE))
    if fmt.supports_datasets:
        statements = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(FX + "g")) for t in statements]
    path = folder / f"sample.{fmt.file_extension}"
    path.write_bytes(ox.serialize(statements, format=fmt))
    return path


@pytest.mark.parametrize(
    "fmt",
    [ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG, ox.RdfFormat.JSON_LD, ox.RdfFormat.RDF_XML],
    ids=lambda f: f.name,
)
def test_import_each_format_into_its_own_graph(persistent, tmp_path, fmt):
    path = sample_in(fmt, tmp_path)
    with open_store(persistent) as store:
        curated = int(next(iter(store.query(CURATED)))["n"].value)
        result = import_file(persistent, store, path, "sample")
        assert result.statements == 13
        graph = ox.NamedNode(result.graph)
        found = {str(t) for t in store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")}
        assert len(found) == 13
        prov = {row["p"].value: row["o"] for row in store.query(f"SELECT ?p ?o WHERE {{ GRAPH <{result.graph}/provenance> {{ {graph} ?p ?o }} }}")}
        assert prov["http://purl.org/dc/terms/source"].value == path.resolve().as_uri()
        assert prov["http://purl.org/dc/terms/format"].value == fmt.media_type
        assert prov["http://rdfs.org/ns/void#triples"].value == "13"
        assert "http://www.w3.org/ns/prov#generatedAtTime" in prov
        assert int(next(iter(store.query(CURATED)))["n"].value) == curated


def test_a_dataset_import_lands_in_one_graph_and_keeps_its_blank_nodes_apart(persistent, tmp_path):
    """Every statement of a quad file goes into the import graph; two imports never share a blank node."""
    first, second = tmp_path / "first.nq", tmp_path / "second.trig"
    first.write_text(f'_:x <{FX}p> "default" .\n_:x <{FX}p> "in g1" <{FX}g1> .\n<{FX}a> <{FX}p> "in g2" <{FX}g2> .\n', encoding="utf-8")
    second.write_text(f'<{FX}g3> {{ _:x <{FX}p> "other file" }}\n', encoding="utf-8")
    with open_store(persistent) as store:
        assert import_file(persistent, store, first, "first").statements == 3
        assert import_file(persistent, store, second, "second").statements == 1
        graphs = [g for g in store.named_graphs() if FX in g or "#staging" in g]
        assert graphs == []
        subjects = {(row["g"].value.rsplit("/", 1)[1], row["o"].value, row["s"].__class__.__name__) for row in store.query(
            f"SELECT ?g ?s ?o WHERE {{ GRAPH ?g {{ ?s <{FX}p> ?o }} }}")}
        assert subjects == {("first", "default", "BlankNode"), ("first", "in g1", "BlankNode"), ("first", "in g2", "NamedNode"),
                            ("second", "other file", "BlankNode")}
        shared = store.query(f"SELECT ?s WHERE {{ GRAPH ?a {{ ?s <{FX}p> ?x }} GRAPH ?b {{ ?s <{FX}p> ?y }} FILTER(?a != ?b) }}")
        assert list(shared) == []
        within = store.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s <{FX}p> ?o }} FILTER(ISBLANK(?s) && STRENDS(STR(?g), '/first')) }}")
        assert next(iter(within))["n"].value == "1"  # one file's _:x is one node, wherever it stood


def test_conflicting_import_never_touches_the_curated_graph(persistent):
    with open_store(persistent) as store:
        import_file(persistent, store, SAMPLE, "sample")
        labels = {(row["g"].value.rsplit("/graph/", 1)[1], row["l"].value) for row in store.query(
            "SELECT ?g ?l WHERE { GRAPH ?g { <https://w3id.org/nikkan/id/actor/japan> <http://www.w3.org/2000/01/rdf-schema#label> ?l } FILTER(LANG(?l) = 'en') }")}
    assert labels == {("document/kp-fy2025-korea-politics-diplomacy", "Japan"), ("import/sample", "Not Japan (fixture)")}


def test_malformed_file_is_refused_and_changes_nothing(persistent, tmp_path):
    with open_store(persistent) as store:
        import_file(persistent, store, SAMPLE, "sample")
        before = store.dump(ox.RdfFormat.N_QUADS)
        bad = tmp_path / "bad.ttl"
        bad.write_text(SAMPLE.read_text(encoding="utf-8") + "\nwd:Q30 fx:tag \"unterminated .\n", encoding="utf-8")
        with pytest.raises(StoreError, match=r"bad.ttl: not valid Turtle: .*line 1[0-9]"):
            import_file(persistent, store, bad, "sample")
        assert store.dump(ox.RdfFormat.N_QUADS) == before
    result = subprocess.run(
        [sys.executable, "-m", "nikkan.cli", "--out-dir", str(persistent.out_dir), "--store", "oxigraph",
         "--store-path", str(persistent.store_path), "store", "import", str(bad), "--name", "sample"],
        capture_output=True, text=True, cwd=PROJECT_ROOT,
    )
    assert result.returncode == 2 and "not valid Turtle" in result.stderr and "Traceback" not in result.stderr


def test_imports_survive_reloading_the_curated_dataset(persistent):
    with open_store(persistent) as store:
        import_file(persistent, store, SAMPLE, "sample")
    load_persistent(persistent)
    with open_store(persistent, read_only=True) as store:
        assert f"{persistent.base_iri}graph/import/sample" in store.named_graphs()


def test_join_through_links_with_an_imported_dataset(persistent):
    with open_store(persistent) as store:
        import_file(persistent, store, SAMPLE, "sample")
        rows = run_catalogue_query(persistent, store, "recommendations-by-external-record", property=FX + "tag")
        found = {(r["label_en"].value[:30], r["actor_en"].value, r["value"].value) for r in rows}
    # Japan (Q17) is tagged alpha; the ROK (Q884) alpha and beta; Takaichi (Q1705028) beta but no
    # recommendation concerns her; China (Q148) has no recommendation either.
    assert {actor for _, actor, _ in found} == {"Japan", "Republic of Korea"}
    assert {(a, v) for _, a, v in found} == {("Japan", "alpha"), ("Republic of Korea", "alpha"), ("Republic of Korea", "beta")}
    assert len({r for r, _, _ in found}) == 4  # every recommendation is addressed to Japan


def test_federated_query_joins_with_another_endpoint(built, tmp_path):
    """SERVICE, run by the client-side engine against a second local endpoint serving the sample."""
    other = write_dataset(tmp_path / "other", {FX + "graph": ox.serialize(ox.parse(path=str(SAMPLE), format=ox.RdfFormat.TURTLE), format=ox.RdfFormat.N_TRIPLES)})
    with running_server(other, timeout=10) as server, open_store(built) as store:
        rows = store.query(f"""
            PREFIX nk: <https://w3id.org/nikkan/ontology#>
            PREFIX owl: <http://www.w3.org/2002/07/owl#>
            PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            SELECT ?actor_en ?tag WHERE {{
              ?actor a nk:Person ; owl:sameAs ?wd ; rdfs:label ?actor_en FILTER(LANG(?actor_en) = "en")
              SERVICE <{server.endpoint}> {{ ?wd <{FX}tag> ?tag }}
            }}""")
        assert [(r["actor_en"].value, r["tag"].value) for r in rows] == [("Takaichi Sanae", "beta")]
