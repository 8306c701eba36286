"""Links to Wikidata: exactly the VERIFIED rows whose entity the graph holds, with provenance."""

from __future__ import annotations

import csv
import subprocess
import sys

import pyoxigraph as ox
import rdflib

from conftest import rows
from nikkan.settings import PROJECT_ROOT

LINKS = PROJECT_ROOT / "data" / "links"


def table():
    with (LINKS / "wikidata.tsv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def mapping():
    with (LINKS / "wikidata-map.tsv").open(encoding="utf-8") as handle:
        return {r["entity"]: r["id"] for r in csv.DictReader(handle, delimiter="\t")}


def test_links_are_exactly_the_verified_rows_the_graph_holds(store):
    held = {r[0].rsplit("/", 1)[-1] for r in rows(store, "SELECT DISTINCT ?e WHERE { ?e a ?t FILTER(STRSTARTS(STR(?e), 'https://w3id.org/nikkan/id/')) }")}
    expected = {
        (mapping()[r["entity"]], f"http://www.wikidata.org/entity/{r['qid']}")
        for r in table()
        if r["status"] == "VERIFIED" and mapping().get(r["entity"]) in held
    }
    found = rows(store, "SELECT ?e ?t WHERE { ?e owl:sameAs|skos:exactMatch ?t }")
    assert {(e.rsplit("/", 1)[-1], t) for e, t in found} == expected
    assert len(found) == len(expected) == 13


def test_unknown_rows_give_no_link(store):
    unknown = [r for r in table() if r["status"] == "UNKNOWN"]
    assert len(unknown) == 12
    assert not any(r["entity"] in mapping() for r in unknown)
    targets = {t for (t,) in rows(store, "SELECT ?t WHERE { ?e owl:sameAs|skos:exactMatch ?t }")}
    assert all(t.startswith("http://www.wikidata.org/entity/Q") for t in targets)


def test_each_link_carries_its_evidence_in_its_own_graph(store):
    found = rows(
        store,
        """SELECT ?g ?status ?evidence WHERE { GRAPH ?g {
             ?record rdf:subject <https://w3id.org/nikkan/id/actor/takaichi-sanae> ; rdf:predicate owl:sameAs ;
                 rdf:object <http://www.wikidata.org/entity/Q1705028> ;
                 nk:verificationStatus ?status ; nk:verificationEvidence ?evidence } }""",
    )
    assert len(found) == 1
    graph, status, evidence = found[0]
    assert graph == "graph/links/wikidata" and status == "VERIFIED"
    assert "everypolitician" in evidence and "Q1705028" in evidence
    in_documents = rows(store, "SELECT ?s WHERE { GRAPH ?g { ?s owl:sameAs ?o } FILTER(?g != <https://w3id.org/nikkan/id/graph/links/wikidata>) }")
    assert in_documents == []


def test_states_carry_iso_codes(store):
    found = rows(store, "SELECT ?s ?code WHERE { ?s a nk:State ; nk:isoCode ?code } ORDER BY ?code")
    assert found == [("actor/china", "CN"), ("actor/japan", "JP"), ("actor/north-korea", "KP"), ("actor/south-korea", "KR"), ("actor/united-states", "US")]


def test_a_map_row_naming_an_unknown_id_fails_the_build(data_copy, tmp_path):
    with (data_copy / "links" / "wikidata-map.tsv").open("a", encoding="utf-8") as handle:
        handle.write("Nara (city)\tnara-city\n")
    result = subprocess.run(
        [sys.executable, "build_graph.py", "--data-dir", str(data_copy), "--out-dir", str(tmp_path / "out"), "--no-docs"],
        capture_output=True, text=True, cwd=PROJECT_ROOT,
    )
    assert result.returncode == 1
    assert "wikidata-map.tsv:15: unknown id 'nara-city'" in result.stderr


def test_void_description(built):
    void = rdflib.Graph().parse(built.out_dir / "void.ttl")
    dataset = rdflib.URIRef("https://w3id.org/nikkan/id/dataset")
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    nt_triples = len(list(ox.parse(path=str(built.out_dir / "nikkan.nt"), format=ox.RdfFormat.N_TRIPLES)))
    assert int(void.value(dataset, VOID.triples)) == nt_triples
    subsets = {str(s) for s in void.objects(dataset, VOID.subset)}
    assert "https://w3id.org/nikkan/id/linkset/wikidata" in subsets
    assert "https://w3id.org/nikkan/id/graph/document/kp-fy2025-korea-politics-diplomacy" in subsets
    vocabularies = {str(v) for v in void.objects(dataset, VOID.vocabulary)}
    assert {"https://w3id.org/nikkan/ontology#", "http://www.w3.org/ns/oa#", "http://www.w3.org/2004/02/skos/core#"} <= vocabularies
    recommendation = rdflib.URIRef("https://w3id.org/nikkan/id/dataset/class/Recommendation")
    assert int(void.value(recommendation, VOID.entities)) == 4
    assert "Licence to be filled in by the maintainers" in str(void.value(dataset, rdflib.RDFS.comment))
