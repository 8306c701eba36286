"""Prefixes of the vocabularies the graph uses, and the path segments of instance IRIs.

Plain strings, so that consumers (queries, endpoint) need not import rdflib.
"""

from __future__ import annotations

from .settings import ONTOLOGY_NS

PREFIXES = {
    "nk": ONTOLOGY_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
    "oa": "http://www.w3.org/ns/oa#",
}

#: Path segment of each global kind's IRIs: {base}{segment}/{id}
KIND_SEGMENTS = {
    "actor": "actor",
    "place": "place",
    "post": "post",
    "incumbency": "incumbency",
    "issue": "issue",
    "event": "event",
    "agreement": "agreement",
    "statement": "statement",
}
