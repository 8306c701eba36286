"""Render query results: an aligned table for people, standard formats for tools."""

from __future__ import annotations

import unicodedata

import pyoxigraph as ox

#: --format name → SPARQL results format (SELECT/ASK) or RDF format (CONSTRUCT/DESCRIBE)
RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}
FORMATS = ("table", *RESULT_FORMATS, *GRAPH_FORMATS)


def width(text: str) -> int:
    """Display width in a terminal: East Asian wide characters take two cells."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def show_term(term, prefixes: dict[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in prefixes.items():
            if term.value.startswith(ns) and len(term.value) > len(ns):
                return f"{prefix}:{term.value[len(ns):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def table(variables: list[str], rows: list[list[str]]) -> str:
    widths = [max([width(v)] + [width(r[i]) for r in rows]) for i, v in enumerate(variables)]
    pad = lambda text, w: text + " " * (w - width(text))  # noqa: E731
    lines = ["  ".join(pad(v, w) for v, w in zip(variables, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(pad(c, w) for c, w in zip(row, widths)).rstrip() for row in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def render(result, fmt: str, prefixes: dict[str, str], hide: tuple[str, ...] = ()) -> str:
    """Text of a pyoxigraph result in the chosen format; ``hide`` drops columns from tables."""
    if isinstance(result, ox.QueryTriples):
        if fmt == "table":
            fmt = "turtle"
        if fmt not in GRAPH_FORMATS:
            raise ValueError(f"a CONSTRUCT or DESCRIBE result can be shown as {', '.join(GRAPH_FORMATS)}, not {fmt}")
        return ox.serialize(result, format=GRAPH_FORMATS[fmt], prefixes=prefixes).decode("utf-8")
    if fmt in GRAPH_FORMATS:
        raise ValueError(f"a SELECT or ASK result can be shown as {', '.join(('table', *RESULT_FORMATS))}, not {fmt}")
    if fmt != "table":
        return result.serialize(format=RESULT_FORMATS[fmt]).decode("utf-8")
    if isinstance(result, ox.QueryBoolean):
        return "yes" if bool(result) else "no"
    variables = [v.value for v in result.variables if v.value not in hide]
    rows = [[show_term(solution[v], prefixes) for v in variables] for solution in result]
    return table(variables, rows)
