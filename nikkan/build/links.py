"""Links to other datasets (Wikidata), from the checked linking table, in their own graph.

``data/links/wikidata.tsv`` is the linking table as received (entity, qid, status,
evidence); ``data/links/wikidata-map.tsv`` says which of our ids each table row is.
Only VERIFIED rows become links, and only for entities the graph holds.  Each link
is also recorded as an ``rdf:Statement`` carrying its verification evidence.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from .vocab import NK, VOID, Iris
from ..sources.yamlfile import SourceError

WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"


@dataclass(frozen=True)
class LinkRow:
    entity: str
    qid: str
    status: str
    evidence: str
    line: int


def read_table(path: Path) -> list[LinkRow]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        expected = ["entity", "qid", "status", "evidence"]
        if reader.fieldnames != expected:
            raise SourceError(f"{path}:1: expected columns {expected}, found {reader.fieldnames}")
        table = []
        for line, row in enumerate(reader, start=2):
            if row["status"] not in ("VERIFIED", "UNKNOWN"):
                raise SourceError(f"{path}:{line}: status must be VERIFIED or UNKNOWN, not {row['status']!r}")
            if row["status"] == "VERIFIED" and not row["qid"].startswith("Q"):
                raise SourceError(f"{path}:{line}: a VERIFIED row needs a Wikidata id (Q…), not {row['qid']!r}")
            table.append(LinkRow(row["entity"], row["qid"], row["status"], row["evidence"], line))
    return table


def read_map(path: Path) -> dict[str, tuple[str, int]]:
    """Linking-table entity name → (our id, line)."""
    result: dict[str, tuple[str, int]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle, delimiter="\t"), start=2):
            result[row["entity"]] = (row["id"], line)
    return result


def wikidata_links(links_dir: Path, held: dict[str, tuple[URIRef, bool]], iris: Iris) -> tuple[Graph, dict]:
    """The links graph and a report; ``held`` maps our ids to (IRI, is a SKOS concept)."""
    table_path, map_path = links_dir / "wikidata.tsv", links_dir / "wikidata-map.tsv"
    table, mapping = read_table(table_path), read_map(map_path)
    names = {row.entity for row in table}
    for name, (our_id, line) in mapping.items():
        if name not in names:
            raise SourceError(f"{map_path}:{line}: {name!r} is not an entity of {table_path.name}")
        if our_id not in held:
            raise SourceError(f"{map_path}:{line}: unknown id {our_id!r}")
    graph = Graph()
    linkset = iris.ns["linkset/wikidata"]
    graph.add((linkset, RDF.type, VOID.Linkset))
    graph.add((linkset, RDFS.label, Literal("Wikidataへのリンク", lang="ja")))
    graph.add((linkset, RDFS.label, Literal("Links to Wikidata", lang="en")))
    graph.add((linkset, VOID.objectsTarget, URIRef("https://www.wikidata.org/")))
    graph.add((linkset, DCTERMS.source, Literal(f"data/links/{table_path.name}")))
    graph.add((linkset, DCTERMS.description, Literal(
        "Only identifiers the linking table marks VERIFIED, each with the public source it was checked against; never guessed.", lang="en")))
    report = {"linked": [], "unknown": [], "not_held": []}
    for row in table:
        if row.status != "VERIFIED":
            report["unknown"].append(row.entity)
            continue
        if row.entity not in mapping:
            report["not_held"].append(row.entity)
            continue
        our_id = mapping[row.entity][0]
        subject, is_concept = held[our_id]
        predicate = SKOS.exactMatch if is_concept else OWL.sameAs
        target = URIRef(WIKIDATA_ENTITY + row.qid)
        graph.add((subject, predicate, target))
        graph.add((linkset, VOID.linkPredicate, predicate))
        record = iris.ns[f"link/wikidata/{our_id}"]
        graph.add((record, RDF.type, RDF.Statement))
        graph.add((record, RDF.subject, subject))
        graph.add((record, RDF.predicate, predicate))
        graph.add((record, RDF.object, target))
        graph.add((record, DCTERMS.isPartOf, linkset))
        graph.add((record, NK.verificationStatus, Literal(row.status)))
        graph.add((record, NK.verificationEvidence, Literal(row.evidence)))
        graph.add((record, PROV.wasDerivedFrom, linkset))
        report["linked"].append(our_id)
    return graph, report
