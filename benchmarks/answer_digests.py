"""Answers of different engines (pyoxigraph, rdflib) made comparable: normalised rows and their digest."""

from __future__ import annotations

import hashlib

XSD = "http://www.w3.org/2001/XMLSchema#"
#: Types derived from xsd:integer: Oxigraph stores them as xsd:integer (it canonicalises derived
#: datatypes), rdflib keeps them; the value is the same.
INTEGER_TYPES = {XSD + t for t in ("nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger", "long",
                                   "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}


def term_key(term) -> str | None:
    """One RDF term (pyoxigraph or rdflib) as comparable text."""
    key = _term_key(term)
    if key is not None and key.endswith(">") and "^^<" in key:
        body, _, datatype = key.rpartition("^^<")
        if datatype[:-1] in INTEGER_TYPES:
            return f"{body}^^<{XSD}integer>"
    return key


def _term_key(term) -> str | None:
    if term is None:
        return None
    module = type(term).__module__
    if module.startswith("pyoxigraph") or module == "builtins":
        name = type(term).__name__
        if name == "NamedNode":
            return f"<{term.value}>"
        if name == "BlankNode":
            return "_:"
        language = getattr(term, "language", None)
        if language:
            return f'"{term.value}"@{language.lower()}'
        return f'"{term.value}"^^<{term.datatype.value}>'
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return "_:"
    if isinstance(term, Literal):
        if term.language:
            return f'"{term}"@{term.language.lower()}'
        datatype = str(term.datatype) if term.datatype else XSD + "string"
        return f'"{term}"^^<{datatype}>'
    return str(term)


def normalise_rows(variables: list[str], rows: list[tuple], sparql: str) -> set[tuple]:
    """Rows as a set of tuples of text, variables sorted by name, GROUP_CONCAT values sorted."""
    from nikkan.query.answers import group_concat_separators

    concat = group_concat_separators(sparql)
    order = sorted(range(len(variables)), key=lambda i: variables[i])
    out = set()
    for row in rows:
        values = []
        for i in order:
            key = term_key(row[i])
            separator = concat.get(variables[i])
            if key is not None and separator and key.startswith('"'):
                # The order of concatenated values is not defined, nor (in SPARQL 1.1) whether a
                # language shared by all of them is kept (Oxigraph keeps it, rdflib does not).
                body = key[1:].rpartition('"')[0]
                key = '"' + separator.join(sorted(body.split(separator))) + '"'
            values.append((variables[i], key))
        out.add(tuple(values))
    return out


def digest(rows: set[tuple]) -> str:
    return hashlib.sha256(repr(sorted(rows, key=repr)).encode("utf-8")).hexdigest()[:16]
