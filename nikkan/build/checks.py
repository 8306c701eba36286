"""Validation of the emitted RDF: SHACL shapes, then one SPARQL query per quality rule."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF

from .vocab import SH


@dataclass(frozen=True)
class Violation:
    rule: str
    focus: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.focus}: {self.detail}"


def shacl_violations(data: Graph, shapes: Graph) -> list[Violation]:
    """Validate ``data`` (which must include the ontology, for subclass reasoning)."""
    from pyshacl import validate  # heavy import: only when validating

    conforms, results, _ = validate(data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=False)
    if conforms:
        return []
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        shape = results.value(result, SH.sourceShape)
        value = results.value(result, SH.value)
        detail = f"{path.n3(data.namespace_manager) if path is not None else ''} {message or ''}".strip()
        if value is not None:
            detail += f" (value {value.n3(data.namespace_manager)})"
        if isinstance(shape, BNode):  # a property shape: name the node shape that holds it
            shape = shapes.value(None, SH.property, shape) or shape
        rule = shape.n3(shapes.namespace_manager) if isinstance(shape, URIRef) else "shape"
        found.append(Violation(f"shacl {rule}", str(focus), detail))
    return sorted(found, key=lambda v: (v.focus, v.detail))


def quality_violations(dataset: ox.Store, checks_dir: Path, base_iri: str) -> list[Violation]:
    """Run every ``*.rq`` rule of ``checks_dir``; each row is a violation."""
    found = []
    for rule in sorted(checks_dir.glob("*.rq")):
        sparql = rule.read_text(encoding="utf-8")
        bindings = {ox.Variable("base"): ox.NamedNode(base_iri)} if "?base" in sparql else None
        rows = dataset.query(sparql, use_default_graph_as_union=True, substitutions=bindings)
        for row in rows:
            found.append(Violation(rule.stem, row["term"].value, row["problem"].value))
    return found
