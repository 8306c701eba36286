"""rdflib namespaces and the IRI scheme of instances, for the build."""

from __future__ import annotations

from rdflib import Namespace

from ..namespaces import KIND_SEGMENTS, PREFIXES

NK = Namespace(PREFIXES["nk"])
OA = Namespace(PREFIXES["oa"])
SCHEMA = Namespace(PREFIXES["schema"])
SH = Namespace("http://www.w3.org/ns/shacl#")
VOID = Namespace("http://rdfs.org/ns/void#")

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
