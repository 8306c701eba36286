"""Namespaces and the IRI scheme of instances, derived from the settings' base IRI."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

from .settings import ONTOLOGY_NS

NK = Namespace(ONTOLOGY_NS)
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
VOID = Namespace("http://rdfs.org/ns/void#")

PREFIXES = {
    "nk": NK,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "org": ORG,
    "foaf": FOAF,
    "schema": SCHEMA,
    "oa": OA,
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


class Iris:
    """Readable, deterministic IRIs under one base."""

    def __init__(self, base: str):
        self.base = base
        self.ns = Namespace(base)

    def entity(self, kind: str, id: str):
        return self.ns[f"{KIND_SEGMENTS[kind]}/{id}"]

    def provision(self, agreement: str, id: str):
        return self.ns[f"agreement/{agreement}/provision/{id}"]

    def document(self, doc: str):
        return self.ns[f"document/{doc}"]

    def in_document(self, doc: str, kind: str, id: str):
        return self.ns[f"document/{doc}/{kind}/{id}"]

    def evidence(self, doc: str, start: int, end: int):
        return self.ns[f"document/{doc}/evidence/{start}-{end}"]

    def issue_scheme(self):
        return self.ns["issue-scheme"]

    def graph(self, name: str):
        """Named graphs: ontology, document/<id>, links/<name>, import/<name>."""
        return self.ns[f"graph/{name}"]
