"""Centralities, communities and the explained path, checked against an independent computation.

The independent side reads the built ``nikkan.nt`` with rdflib, takes the
sub-properties of ``nk:relation`` by rdflib's own transitive closure and calls
networkx directly; degrees are also counted by SPARQL.  The path between
Takaichi Sanae and CPTPP is checked against the catalogue's path-between query
and against the triples themselves.
"""

from __future__ import annotations

import argparse
import csv
import io
import json

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from nikkan.network import analysis
from nikkan.network.cli import add_analyse_arguments, add_network_arguments, run_analyse, run_network
from nikkan.network.graph import network_graph

from network_helpers import BASE, NK, PROJECT, scalar

TAKAICHI = BASE + "actor/takaichi-sanae"
CPTPP = BASE + "issue/cptpp"


@pytest.fixture(scope="module")
def rdf(built):
    graph = Graph()
    graph.parse(built.out_dir / "nikkan.nt", format="nt")
    return graph


@pytest.fixture(scope="module")
def independent(rdf):
    """The relations as networkx sees them, built without nikkan.network."""
    relation = URIRef(NK + "relation")
    props = set(rdf.transitive_subjects(RDFS.subPropertyOf, relation)) - {relation}
    assert URIRef(NK + "participant") in props and URIRef("http://www.w3.org/2004/02/skos/core#broader") in props
    assert URIRef(NK + "evidence") not in props and RDF.type not in props
    multi = nx.MultiDiGraph()
    for s, p, o in rdf:
        if p in props and not isinstance(o, Literal):
            multi.add_edge(str(s), str(o), key=str(p))
    return multi


@pytest.fixture(scope="module")
def ours(store):
    return network_graph(store)


@pytest.fixture(scope="module")
def scores(ours):
    return analysis.centrality(ours)


def test_same_graph(ours, independent):
    assert set(ours.nodes) == set(independent.nodes)
    assert set(ours.edges(keys=True)) == set(independent.edges(keys=True))
    assert ours.number_of_edges() == independent.number_of_edges()


def test_degree_matches_networkx_and_sparql(scores, independent, store):
    assert scores.degree == dict(independent.degree())
    n = independent.number_of_nodes()
    for node, value in scores.degree_centrality.items():
        assert value == pytest.approx(independent.degree(node) / (n - 1))
    for node in (BASE + "actor/japan", TAKAICHI, CPTPP):
        assert scores.degree[node] == _sparql_degree(store, node)


def _sparql_degree(store, node: str) -> int:
    return scalar(store, f"""
SELECT (COUNT(*) AS ?c) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{
  ?p rdfs:subPropertyOf+ nk:relation .
  {{ BIND(<{node}> AS ?s) ?s ?p ?o }} UNION {{ BIND(<{node}> AS ?o) ?s ?p ?o }}
  FILTER(!isLiteral(?o)) }} }}""")


def test_betweenness_and_pagerank_match_networkx(scores, independent):
    simple = nx.Graph(independent)
    expected = nx.betweenness_centrality(simple, normalized=True)
    assert scores.betweenness.keys() == expected.keys()
    for node, value in expected.items():
        assert scores.betweenness[node] == pytest.approx(value, abs=1e-12)
    pagerank = nx.pagerank(independent, alpha=0.85)
    for node, value in pagerank.items():
        assert scores.pagerank[node] == pytest.approx(value, rel=1e-6, abs=1e-9)
    # sampled betweenness is seeded: the same pivots every time
    sampled = analysis.centrality(nx.MultiDiGraph(independent), k=40, seed=7)
    again = analysis.centrality(nx.MultiDiGraph(independent), k=40, seed=7)
    assert sampled.betweenness == again.betweenness and sampled.betweenness_k == 40


def test_reports_only_actors_and_issues(ours, scores, rdf):
    actor_or_issue = set()
    for root in (URIRef(NK + "Actor"), URIRef(NK + "Issue")):
        for cls in rdf.transitive_subjects(RDFS.subClassOf, root):
            actor_or_issue |= {str(s) for s in rdf.subjects(RDF.type, cls)}
    expected = set(ours.nodes) & actor_or_issue
    assert set(analysis.reported(ours)) == expected
    ranked = analysis.top(ours, scores.pagerank, None)
    assert {node for node, _ in ranked} == expected
    assert [v for _, v in ranked] == sorted((v for _, v in ranked), reverse=True)
    # propositions take part in the computation but not in the report
    assert not any(node.startswith(BASE + "document/") for node, _ in ranked)


def test_communities_partition_the_graph(ours):
    groups = analysis.communities(ours)
    assert groups == analysis.communities(ours)  # seeded
    members = [n for g in groups for n in g]
    assert sorted(members) == sorted(ours.nodes)
    assert len(members) == len(set(members))
    assert analysis.modularity(ours, groups) > 0.3
    greedy = analysis.communities(ours, method="greedy")
    assert sorted(n for g in greedy for n in g) == sorted(ours.nodes)


def test_path_takaichi_to_cptpp(ours, independent, rdf, store):
    path = analysis.explained_path(ours, TAKAICHI, CPTPP)
    simple = nx.Graph(independent)
    assert path.length == nx.shortest_path_length(simple, TAKAICHI, CPTPP)
    assert path.nodes in [list(p) for p in nx.all_shortest_paths(simple, TAKAICHI, CPTPP)]
    assert path.alternatives == len(list(nx.all_shortest_paths(simple, TAKAICHI, CPTPP)))
    # the catalogue's SPARQL path query finds nothing shorter
    sparql = (PROJECT / "queries" / "path-between.rq").read_text(encoding="utf-8")
    lengths = [int(row["length"].value) for row in store.query(
        sparql, {"from": ox.NamedNode(TAKAICHI), "to": ox.NamedNode(CPTPP)})]
    assert lengths and min(lengths) == path.length
    # every hop is a triple of the data, in the direction shown
    for hop in path.hops:
        s, o = (hop.source, hop.target) if hop.forward else (hop.target, hop.source)
        assert (URIRef(s), URIRef(hop.predicate), URIRef(o)) in rdf
        label_en = next(str(x) for x in rdf.objects(URIRef(hop.predicate), RDFS.label) if x.language == "en")
        arrow = f"—{label_en}→" if hop.forward else f"←{label_en}—"
        assert arrow in hop.text(ours, "en")
    assert path.nodes[0] == TAKAICHI and path.nodes[-1] == CPTPP
    lines = path.text(ours, "en")
    assert lines[0].startswith("Takaichi Sanae ")
    assert lines[-1].endswith(" CPTPP")


def test_unconnected_or_unknown():
    g = nx.MultiDiGraph()
    g.graph.update(classes={}, properties={})
    g.add_node("a", label_en="A", label_ja=None, **{"class": None})
    g.add_node("b", label_en="B", label_ja=None, **{"class": None})
    with pytest.raises(nx.NetworkXNoPath):
        analysis.explained_path(g, "a", "b")


def _parse(add, argv):
    parser = argparse.ArgumentParser()
    add(parser)
    return parser.parse_args(argv)


def test_analyse_command(built, capsys, ours, scores):
    assert run_analyse(_parse(add_analyse_arguments, ["--top", "5", "--path", "高市早苗", CPTPP]), built) == 0
    text = capsys.readouterr().out
    for heading in ("Degree", "Betweenness", "PageRank", "Communities", "Shortest path"):
        assert heading in text
    assert "高市早苗 / Takaichi Sanae —" in text

    assert run_analyse(_parse(add_analyse_arguments, ["--top", "3", "--format", "json", "--lang", "en",
                                                      "--path", TAKAICHI, CPTPP]), built) == 0
    result = json.loads(capsys.readouterr().out)
    best = analysis.top(ours, scores.pagerank, 3)
    assert [r["iri"] for r in result["pagerank"]] == [n for n, _ in best]
    assert result["path"]["length"] == analysis.explained_path(ours, TAKAICHI, CPTPP).length
    assert result["graph"] == {"nodes": len(ours), "edges": ours.number_of_edges(),
                               "reported": len(analysis.reported(ours)), "classes": ["Actor", "Issue"],
                               "betweenness_k": None}

    assert run_analyse(_parse(add_analyse_arguments, ["--top", "2", "--format", "csv"]), built) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {row["section"] for row in table} == {"degree", "betweenness", "pagerank", "community"}

    assert run_analyse(_parse(add_analyse_arguments, ["--path", "no such entity", CPTPP]), built) == 2
    assert "no entity" in capsys.readouterr().err


def test_network_command(built, tmp_path, capsys):
    out = tmp_path / "n.html"
    args = _parse(add_network_arguments, ["neighbourhood", "--entity", "高市早苗", "--depth", "1",
                                          "--classes", "Actor,Event", "--lang", "en", "--out", str(out)])
    assert run_network(args, built) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "wrote" in capsys.readouterr().out
    args = _parse(add_network_arguments, ["graph", "--max-nodes", "10", "--no-aggregate", "--out", str(out)])
    assert run_network(args, built) == 2
    assert "max_nodes=10" in capsys.readouterr().err
    args = _parse(add_network_arguments, ["timeline", "--from", "2025-13-01", "--out", str(out)])
    assert run_network(args, built) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_start_layout_is_seeded_and_cheap_above_the_spring_limit():
    """Large views start from a seeded random layout (a spring layout of 2,000 nodes takes ~10 s)."""
    from nikkan.network.pages import SPRING_LAYOUT_MAX_NODES, initial_positions

    big = nx.relabel_nodes(nx.MultiDiGraph(nx.path_graph(SPRING_LAYOUT_MAX_NODES + 1)), str)
    first, again, other = (initial_positions(big, seed) for seed in (1, 1, 2))
    assert first == again and first != other and set(first) == set(big)
    scale = 70.0 * (len(big) ** 0.5)
    assert max(max(abs(x), abs(y)) for x, y in first.values()) == pytest.approx(scale, abs=0.1)
    small = nx.relabel_nodes(nx.MultiDiGraph(nx.path_graph(10)), str)
    spring = nx.spring_layout(nx.Graph(small.to_undirected()), seed=1, scale=250.0, iterations=60)
    assert initial_positions(small, 1) == {n: (round(float(x), 1), round(float(y), 1)) for n, (x, y) in spring.items()}
