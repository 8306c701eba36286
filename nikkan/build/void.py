"""A VoID description of the dataset: what it holds, which vocabularies, which link sets."""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from ..namespaces import PREFIXES
from .vocab import VOID, Iris

#: The licence is the maintainers' call: the description says so rather than guess one.
LICENCE_NOTE = "Licence to be filled in by the maintainers (dcterms:license)."


def void_description(quads: list[ox.Quad], iris: Iris, endpoint: str | None) -> Graph:
    graph = Graph()
    graph.bind("void", VOID)
    graph.bind("dcterms", DCTERMS)
    dataset = iris.ns["dataset"]
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, DCTERMS.title, Literal("日韓関係政策研究ナレッジグラフ", lang="ja")))
    graph.add((dataset, DCTERMS.title, Literal("Japan–Korea policy research knowledge graph", lang="en")))
    graph.add((dataset, RDFS.comment, Literal(LICENCE_NOTE, lang="en")))
    graph.add((dataset, VOID.uriSpace, Literal(iris.base)))
    graph.add((dataset, VOID.dataDump, URIRef("dataset.trig")))
    graph.add((dataset, VOID.dataDump, URIRef("dataset.nq")))
    if endpoint:
        graph.add((dataset, VOID.sparqlEndpoint, URIRef(endpoint)))
    triples = {(q.subject, q.predicate, q.object) for q in quads}
    graph.add((dataset, VOID.triples, Literal(len(triples), datatype=XSD.integer)))
    graph.add((dataset, VOID.entities, Literal(len({t[0] for t in triples if isinstance(t[0], ox.NamedNode) and t[0].value.startswith(iris.base)}), datatype=XSD.integer)))
    graph.add((dataset, VOID.distinctSubjects, Literal(len({t[0] for t in triples}), datatype=XSD.integer)))
    graph.add((dataset, VOID.properties, Literal(len({t[1] for t in triples}), datatype=XSD.integer)))
    for ns in sorted(set(PREFIXES.values())):
        if any(t[1].value.startswith(ns) for t in triples):
            graph.add((dataset, VOID.vocabulary, URIRef(ns)))
    classes = Counter(t[2].value for t in triples if t[1].value == str(RDF.type))
    for cls, count in sorted(classes.items()):
        partition = URIRef(f"{dataset}/class/{cls.rsplit('#', 1)[-1].rsplit('/', 1)[-1]}")
        graph.add((dataset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], URIRef(cls)))
        graph.add((partition, VOID.entities, Literal(count, datatype=XSD.integer)))
    by_graph = Counter(q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode))
    for name, count in sorted(by_graph.items()):
        subset = URIRef(name)
        graph.add((dataset, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        graph.add((subset, VOID.triples, Literal(count, datatype=XSD.integer)))
    for quad in quads:  # link sets declared in the links graphs
        if quad.predicate.value == str(RDF.type) and quad.object.value == str(VOID.Linkset):
            linkset = URIRef(quad.subject.value)
            graph.add((dataset, VOID.subset, linkset))
            graph.add((linkset, VOID.subjectsTarget, dataset))
    return graph
