"""SPARQL query text, read and rewritten without a parser.

A tokenizer that knows strings, IRIs and comments finds a query's form, keywords
and outermost ``WHERE`` group.  That is enough to screen what the endpoint is
sent (:func:`analyse`), to bind parameters as a ``VALUES`` block (:func:`with_values`:
every store gets its parameters this way, so the engine's planner sees them) and to
page a ``SELECT`` (:func:`paged`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

import pyoxigraph as ox

Term = ox.NamedNode | ox.BlankNode | ox.Literal
KIND_OF_FORM = {"SELECT": "solutions", "ASK": "boolean", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


class QueryTextError(ValueError):
    """Parameters cannot be bound in this query, or are not terms a query can hold."""


TOKENS = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
                | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                | '(?:[^'\\\n\r]|\\.)*'
                | "(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]*)
    | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<word>[^\W\d][\w\-.:]*|:[\w\-.:]*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")


@dataclass(frozen=True)
class QueryShape:
    """What the endpoint needs to know about a query before running it."""

    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE, or None if unknown
    uses_service: bool
    has_dataset_clause: bool  # FROM or FROM NAMED
    looks_like_update: bool
    keywords: tuple[str, ...] = field(default=(), repr=False)

    @property
    def kind(self) -> str | None:
        return KIND_OF_FORM.get(self.form or "")


def keywords(sparql: str) -> list[str]:
    """The bare words of a query, upper-cased, outside strings, IRIs and comments.

    Prefixed names (``ex:service``) and variables (``?from``) are not keywords.
    """
    words = []
    for match in TOKENS.finditer(sparql):
        if match.lastgroup == "word" and ":" not in match.group():
            words.append(match.group().upper())
    return words


def analyse(sparql: str) -> QueryShape:
    words = keywords(sparql)
    first = next((w for w in words if w not in ("BASE", "PREFIX", "VERSION")), None)
    form = next((w for w in words if w in _FORMS), None)
    return QueryShape(
        form=form,
        uses_service="SERVICE" in words,
        has_dataset_clause="FROM" in words,
        looks_like_update=first in _UPDATE_KEYWORDS,
        keywords=tuple(words),
    )


@dataclass(frozen=True)
class _Layout:
    """Positions in a query's text, found with the endpoint's tokenizer."""

    form: str | None
    form_start: int  # where the query form keyword starts (after the prologue)
    where_group: int | None  # just after the '{' opening the outermost WHERE group
    short_construct: bool  # CONSTRUCT WHERE { ... }


def _layout(sparql: str) -> _Layout:
    form = None
    form_start = 0
    where_group = None
    short_construct = False
    after_where = False
    braces = parens = 0
    for match in TOKENS.finditer(sparql):
        kind, text = match.lastgroup, match.group()
        if kind == "word" and ":" not in text:
            word = text.upper()
            if form is None and word in _FORMS:
                form, form_start = word, match.start()
            elif form and braces == 0 and parens == 0 and word == "WHERE" and where_group is None:
                after_where = True
        elif kind == "other" and form:
            if text == "(":
                parens += 1
            elif text == ")":
                parens -= 1
            elif text == "{":
                if braces == 0 and parens == 0 and where_group is None:
                    if form != "CONSTRUCT" or after_where:
                        where_group = match.end()
                        short_construct = form == "CONSTRUCT" and not _has_template(sparql, form_start, match.start())
                braces += 1
            elif text == "}":
                braces -= 1
    return _Layout(form, form_start, where_group, short_construct)


def _has_template(sparql: str, start: int, end: int) -> bool:
    """Whether the CONSTRUCT between ``start`` and ``end`` had a ``{ template }`` before WHERE."""
    return any(m.lastgroup == "other" and m.group() == "{" for m in TOKENS.finditer(sparql[start:end]))


def sparql_term(term: Term) -> str:
    """An IRI or literal in SPARQL syntax, from its N-Triples form.

    pyoxigraph escapes quotes, backslashes and line breaks.  SPARQL also decodes
    ``\\uXXXX`` sequences, possibly before anything else; so a ``u`` or ``U`` right
    after an escaped backslash is itself written as a ``\\u`` escape, and the value
    reads back the same whichever way the server decodes.
    """
    if isinstance(term, ox.NamedNode):
        return str(term)
    if isinstance(term, ox.Literal):
        text = str(term)
        return re.sub(r"(?<!\\)((?:\\\\)+)([uU])", lambda m: m.group(1) + ("\\u0075" if m.group(2) == "u" else "\\u0055"), text)
    raise QueryTextError(f"cannot bind {term!r} as a parameter value: only IRIs and literals can be")


def with_values(sparql: str, bindings: Mapping[str, Term]) -> str:
    """The query with ``VALUES (?a ?b) { (term term) }`` opening its outermost WHERE group."""
    layout = _layout(sparql)
    if layout.where_group is None:
        raise QueryTextError("cannot bind parameters: the query has no WHERE group to put them in")
    if layout.short_construct:
        raise QueryTextError("cannot bind parameters in CONSTRUCT WHERE { … }: write CONSTRUCT { … } WHERE { … }")
    names = list(bindings)
    for name in names:
        if not re.fullmatch(r"[\w\u00B7\u0300-\u036F\u203F-\u2040]+", name):
            raise QueryTextError(f"{name!r} is not a SPARQL variable name")
    row = " ".join(sparql_term(bindings[name]) for name in names)
    # On the line of the '{', so that the engine's error positions keep their line numbers.
    values = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }} "
    return sparql[: layout.where_group] + values + sparql[layout.where_group :]


def paged(sparql: str, size: int, offset: int) -> str:
    """One page of a SELECT: the query as a subquery, cut with LIMIT and OFFSET.

    A subquery keeps the inner ORDER BY (and avoids Virtuoso's limit on sorting
    past ``LIMIT + OFFSET`` rows, SR353).
    """
    layout = _layout(sparql)
    prologue, body = sparql[: layout.form_start], sparql[layout.form_start :]
    return f"{prologue}SELECT * WHERE {{\n{{\n{body}\n}}\n}}\nLIMIT {size} OFFSET {offset}"
