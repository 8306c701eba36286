"""Find an entity by label (ja, en, ko) or IRI, and ask what the graph says of it."""

from __future__ import annotations

import pyoxigraph as ox

from ..store import Store
from .params import to_iri

FIND_BY_LABEL = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?entity ?needle WHERE {
  ?entity rdfs:label|skos:altLabel|skos:prefLabel ?label .
  FILTER(LCASE(STR(?label)) = LCASE(STR(?needle)))
}
ORDER BY ?entity
"""

EXISTS = "SELECT ?entity WHERE { { ?entity ?p ?o } UNION { ?s ?p ?entity } } LIMIT 1"

DESCRIBE = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX nk: <https://w3id.org/nikkan/ontology#>
SELECT ?direction ?property ?value ?valueLabel ?entity WHERE {
  { ?entity ?property ?value . BIND("→" AS ?direction) FILTER(?property != nk:evidence) }
  UNION
  { ?value ?property ?entity . BIND("←" AS ?direction) }
  OPTIONAL { ?value rdfs:label ?ja FILTER(LANG(?ja) = "ja") }
  OPTIONAL { ?value rdfs:label ?en FILTER(LANG(?en) = "en") }
  BIND(IF(BOUND(?en) && BOUND(?ja), CONCAT(?ja, " / ", ?en), COALESCE(?ja, ?en, "")) AS ?valueLabel)
}
ORDER BY ?direction ?property STR(?value)
"""

EVIDENCE = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX nk: <https://w3id.org/nikkan/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?document ?section ?start ?end ?quote ?entity WHERE {
  ?entity nk:evidence ?evidence .
  ?evidence oa:hasSource ?doc ; nk:inSection ?sec ;
            oa:hasSelector [ oa:exact ?quote ] , [ oa:start ?start ; oa:end ?end ] .
  ?doc rdfs:label ?docLabel FILTER(LANG(?docLabel) = "ja")
  ?sec rdfs:label ?secLabel FILTER(LANG(?secLabel) = "ja")
  BIND(STR(?docLabel) AS ?document)
  BIND(STR(?secLabel) AS ?section)
}
ORDER BY ?document ?start
"""


class LookupError_(Exception):
    """No entity, or more than one, matches what was asked."""


def find_entity(store: Store, needle: str, base_iri: str) -> ox.NamedNode:
    """An entity by exact label (any language, case-insensitive) or by IRI."""
    rows = list(store.query(FIND_BY_LABEL, {"needle": ox.Literal(needle)}))
    if len(rows) == 1:
        return rows[0]["entity"]
    if len(rows) > 1:
        options = "\n  ".join(r["entity"].value for r in rows)
        raise LookupError_(f"{len(rows)} entities are labelled {needle!r}; give an IRI:\n  {options}")
    try:
        iri = to_iri(needle, base_iri)
    except Exception:
        iri = None
    if iri is not None and list(store.query(EXISTS, {"entity": iri})):
        return iri
    raise LookupError_(f"no entity is labelled {needle!r} or has that IRI")


def describe(store: Store, entity: ox.NamedNode):
    return store.query(DESCRIBE, {"entity": entity})


def evidence(store: Store, entity: ox.NamedNode):
    return store.query(EVIDENCE, {"entity": entity})
