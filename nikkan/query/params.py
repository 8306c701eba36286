"""Turn command-line parameter values into RDF terms, and explain query errors.

Values become terms (``NamedNode``, ``Literal``); the store writes them into the
query as one ``VALUES`` row in N-Triples syntax (pyoxigraph escapes them), so a
value can never end the literal or IRI it stands in, nor change the query.
"""

from __future__ import annotations

import datetime as dt
import re

import pyoxigraph as ox

from ..namespaces import PREFIXES
from .catalogue import QueryEntry

_IRI_FORBIDDEN = re.compile(r'[\s<>"{}|^`\\]')
_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.S)


class ParameterError(Exception):
    """A parameter is unknown, missing or has a value of the wrong kind."""


def to_iri(value: str, base_iri: str) -> ox.NamedNode:
    """A full IRI, ``<IRI>``, ``prefix:local`` (nk:, skos: …) or a path under the base."""
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    elif re.match(r"^[A-Za-z][\w.+-]*://", value) is None:
        prefix, _, local = value.partition(":")
        if local and prefix in PREFIXES:
            value = PREFIXES[prefix] + local
        else:
            value = base_iri + value.lstrip("/")
    if _IRI_FORBIDDEN.search(value):
        raise ParameterError(f"{value!r} is not a valid IRI (it contains a space or one of <>\"{{}}|^`\\)")
    return ox.NamedNode(value)


def to_term(kind: str, value: str, base_iri: str) -> ox.NamedNode | ox.Literal:
    if kind == "iri":
        return to_iri(value, base_iri)
    if kind == "string":
        return ox.Literal(value)
    if kind == "langstring":
        text, at, lang = value.rpartition("@")
        if not at or not re.fullmatch(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*", lang):
            raise ParameterError(f"{value!r}: expected text@lang, e.g. 竹島@ja")
        return ox.Literal(text, language=lang.lower())
    if kind == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ParameterError(f"{value!r}: expected a date YYYY-MM-DD") from None
        return ox.Literal(value, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise ParameterError(f"{value!r}: expected an integer")
        return ox.Literal(value, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    raise ParameterError(f"unknown parameter kind {kind!r}")


def bind(entry: QueryEntry, values: dict[str, str], base_iri: str) -> dict[str, ox.NamedNode | ox.Literal]:
    """Check the values against the entry's declared parameters and make terms."""
    declared = {p.name: p for p in entry.parameters}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        known = ", ".join(declared) or "none"
        raise ParameterError(f"query {entry.name!r} has no parameter {', '.join(unknown)} (its parameters: {known})")
    missing = sorted(set(declared) - set(values))
    if missing:
        hints = "; ".join(f"{name}: {declared[name].description}" for name in missing)
        raise ParameterError(f"query {entry.name!r} needs --param {' --param '.join(m + '=…' for m in missing)} ({hints})")
    terms = {}
    for name, value in values.items():
        try:
            terms[name] = to_term(declared[name].kind, value, base_iri)
        except ParameterError as error:
            raise ParameterError(f"parameter {name}: {error}") from None
    return terms


def explain_syntax_error(error: Exception, sparql: str, source: str = "query") -> str:
    """'file:line:column: message' with the offending line and a caret."""
    message = str(error)
    match = _POSITION.match(message)
    if not match:
        return f"{source}: {message}"
    line, column, detail = int(match[1]), int(match[2]), match[3]
    lines = sparql.splitlines() or [""]
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    if "Prefix not found" in detail:
        word = re.match(r"[\w.-]*:", text[max(0, column - 1) :]) or re.search(r"([\w.-]*):[\w.-]*$", text[: column - 1])
        name = word.group(0) if word else "?"
        detail = f"unknown prefix {name.rstrip(':')}: (declare it with PREFIX)"
    else:
        detail = " ".join(detail.split())
    return f"{source}:{line}:{column}: syntax error: {detail}\n  {text}\n  {' ' * (column - 1)}^"
