"""Answers of one query from different stores, made comparable.

SPARQL leaves two things open that stores do differently: the order of the
values GROUP_CONCAT joins, and (SPARQL 1.1 as now read, w3c/rdf-tests#280)
whether a language tag all of them share is kept (pyoxigraph keeps it, Virtuoso
and rdflib do not).  So a GROUP_CONCAT column is compared as the multiset of its
parts, and rows only as far as the query's ORDER BY fixes their order.  Used to
hold the catalogue to the same answers on every backend (tests, benchmark).
"""

from __future__ import annotations

import re

import pyoxigraph as ox

_STRING = r"""(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')"""
_NESTED = r"(?:[^()]|\((?:[^()]|\([^()]*\))*\))*"
_GROUP_CONCAT = re.compile(rf"GROUP_CONCAT\s*\((?P<body>{_NESTED})\)\s*AS\s*[?$](?P<var>\w+)", re.I)
_SEPARATOR = re.compile(rf"separator\s*=\s*{_STRING}", re.I)
#: REPLACE(GROUP_CONCAT(...), "placeholder", "separator") AS ?var: a GROUP_CONCAT whose (ASCII)
#: separator is swapped for another afterwards -- Virtuoso 7.2.5 garbles non-ASCII separators.
_REPLACED_GROUP_CONCAT = re.compile(
    rf"REPLACE\s*\(\s*GROUP_CONCAT\s*\({_NESTED}\)\s*,\s*{_STRING}\s*,\s*{_STRING}\s*\)\s*AS\s*[?$](?P<var>\w+)", re.I
)
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")


def _unescape(text: str) -> str:
    """A SPARQL string literal's value (``\\u001F``, ``\\n`` ... decoded)."""
    return _ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)) if (m[1] or m[2]) else _ESCAPES.get(m[3], m[3]), text)


def group_concat_separators(sparql: str) -> dict[str, str]:
    """Variable → separator (as it appears in the results) of the query's GROUP_CONCAT projections."""
    found = {}
    for match in _GROUP_CONCAT.finditer(sparql):
        separator = _SEPARATOR.search(match["body"])
        found[match["var"]] = _unescape(separator.group(1) or separator.group(2) or "") if separator else " "
    for match in _REPLACED_GROUP_CONCAT.finditer(sparql):
        found[match["var"]] = _unescape(match.group(3) or match.group(4) or "")
    return found


def order_keys(sparql: str) -> list[str] | None:
    """The variables of a top-level ORDER BY made only of (ASC/DESC) variables, else None."""
    match = re.search(r"\bORDER\s+BY\s+(.*?)(?:\bLIMIT\b|\bOFFSET\b|\bVALUES\b|$)", sparql, re.I | re.S)
    if not match:
        return None
    clause = re.sub(r"#[^\n]*", " ", match.group(1)).strip()
    keys = []
    for token in re.findall(r"(?:ASC|DESC)\s*\(\s*[?$]\w+\s*\)|[?$]\w+|\S+", clause, re.I):
        variable = re.search(r"[?$](\w+)", token)
        if not variable or not re.fullmatch(r"(?:(?:ASC|DESC)\s*\(\s*)?[?$]\w+\s*\)?", token, re.I):
            return None
        keys.append(variable.group(1))
    return keys


def normalised(term, separator: str | None):
    """A term as comparable text; a GROUP_CONCAT value as the sorted tuple of its parts."""
    if term is None:
        return None
    if separator is not None and isinstance(term, ox.Literal):
        return ("GROUP_CONCAT", tuple(sorted(term.value.split(separator))) if term.value else ())
    return str(term)


def comparable_answers(store, sparql: str, bindings=None) -> tuple[list[str], list[tuple]]:
    """The variables and rows (in the store's order) of a query on a :class:`~nikkan.store.Store`."""
    result = store.query(sparql, bindings)
    if isinstance(result, ox.QueryBoolean):
        return ["ASK"], [(bool(result),)]
    separators = group_concat_separators(sparql)
    variables = [v.value for v in result.variables]
    rows = [tuple(normalised(s[v], separators.get(v)) for v in variables) for s in result]
    return variables, rows


def answer_difference(sparql: str, got: tuple[list[str], list[tuple]], expected: tuple[list[str], list[tuple]]) -> str | None:
    """None when two answers are the same, as far as SPARQL defines them; else what differs."""
    (variables, rows), (expected_variables, expected_rows) = got, expected
    if variables != expected_variables:
        return f"variables {variables} against {expected_variables}"
    if sorted(rows, key=repr) != sorted(expected_rows, key=repr):
        extra = [r for r in rows if r not in expected_rows][:3]
        missing = [r for r in expected_rows if r not in rows][:3]
        return f"{len(rows)} rows against {len(expected_rows)}; extra {extra}; missing {missing}"
    keys = order_keys(sparql)
    if keys and all(k in variables for k in keys):
        # Rows may swap only where every ORDER BY key ties.
        index = [variables.index(k) for k in keys]
        if [tuple(r[i] for i in index) for r in rows] != [tuple(r[i] for i in index) for r in expected_rows]:
            return f"rows in another order than ORDER BY {' '.join('?' + k for k in keys)} gives"
    return None
