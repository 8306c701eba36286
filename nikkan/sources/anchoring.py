"""Anchor curated quotes in the source text: sections by heading line, quotes by exact match.

Offsets count Unicode code points of the exact source text (Python ``str`` indexes),
as the Web Annotation ``TextPositionSelector`` does.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .yamlfile import Located, SourceError

CONTEXT = 32  # characters of prefix/suffix kept with each quote (TextQuoteSelector)


@dataclass(frozen=True)
class SectionSpan:
    id: str
    kind: str
    start: int  # the heading line's first character (0 for front matter)
    end: int  # where the next heading of the same or a higher level begins
    heading_end: int | None  # end of the heading text, None without a heading
    parent: str | None
    depth: int
    order: int  # position among siblings, from 1
    spec: Located


@dataclass(frozen=True)
class Anchor:
    section: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


class SourceText:
    """One document's text with its sections located."""

    def __init__(self, path: Path, expected_sha256: str, sections: list[Located], where: str):
        raw = path.read_bytes() if path.exists() else None
        if raw is None:
            raise SourceError(f"{where}: source file {path} does not exist")
        digest = hashlib.sha256(raw).hexdigest()
        if digest != expected_sha256:
            raise SourceError(f"{where}: sha256 of {path} is {digest}, the document block says {expected_sha256}")
        self.path = path
        self.text = raw.decode("utf-8")
        self.sections = self._locate_sections(sections)

    def _locate_sections(self, specs: list[Located]) -> dict[str, SectionSpan]:
        lines, starts, pos = self.text.split("\n"), [], 0
        for line in lines:
            starts.append(pos)
            pos += len(line) + 1
        flat: list[tuple[Located, int, str | None, int]] = []

        def walk(items: list[Located], depth: int, parent: str | None) -> None:
            for order, spec in enumerate(items, start=1):
                flat.append((spec, depth, parent, order))
                walk(spec.get("sections", []), depth + 1, spec["id"])

        walk(specs, 0, None)
        # Find each heading as a whole line, in document order.
        positions: list[int | None] = []
        next_line = 0
        for spec, *_ in flat:
            heading = spec.get("heading")
            if heading is None:
                if spec["kind"] != "front-matter" or positions:
                    raise SourceError(f"{spec.where()}: section {spec['id']!r} has no heading; only the first section, front matter, may lack one")
                positions.append(None)
                continue
            for number in range(next_line, len(lines)):
                if lines[number] == heading:
                    positions.append(number)
                    next_line = number + 1
                    break
            else:
                raise SourceError(
                    f"{spec.where()}: heading {heading!r} of section {spec['id']!r} is not a line of "
                    f"{self.path.name} after the previous heading"
                )
        spans: dict[str, SectionSpan] = {}
        for index, (spec, depth, parent, order) in enumerate(flat):
            line = positions[index]
            start = 0 if line is None else starts[line]
            end = len(self.text)
            for later in range(index + 1, len(flat)):
                if flat[later][1] <= depth and positions[later] is not None:
                    end = starts[positions[later]]
                    break
            heading_end = None if line is None else start + len(lines[line])
            if spec["id"] in spans:
                raise SourceError(f"{spec.where()}: duplicate section id {spec['id']!r}")
            spans[spec["id"]] = SectionSpan(spec["id"], spec["kind"], start, end, heading_end, parent, depth, order, spec)
        # Front matter ends where the first heading begins.
        first = next((i for i, p in enumerate(positions) if p is not None), None)
        for index, (spec, depth, parent, order) in enumerate(flat):
            if positions[index] is None and first is not None:
                span = spans[spec["id"]]
                spans[spec["id"]] = SectionSpan(span.id, span.kind, 0, starts[positions[first]], None, parent, depth, order, spec)
        return spans

    def innermost(self, start: int, end: int) -> str:
        """The deepest section containing the span (for reporting)."""
        best = None
        for span in self.sections.values():
            if span.start <= start and end <= span.end and (best is None or span.depth > best.depth):
                best = span
        return best.id if best else "?"

    def anchor(self, section: str, quote: str, where: str) -> Anchor:
        """Find ``quote`` exactly once inside ``section``; otherwise say why not."""
        span = self.sections.get(section)
        if span is None:
            raise SourceError(f"{where}: unknown section {section!r}; known: {', '.join(self.sections)}")
        body_start = span.heading_end if span.heading_end is not None else span.start
        body = self.text[span.start : span.end]
        hits, at = [], body.find(quote)
        while at != -1:
            hits.append(span.start + at)
            at = body.find(quote, at + 1)
        hits = [h for h in hits if h >= body_start] or hits  # prefer the body over the heading
        if not hits:
            elsewhere = self.text.find(quote)
            hint = (
                f"; it occurs in section {self.innermost(elsewhere, elsewhere + len(quote))!r}"
                if elsewhere != -1
                else "; it is not anywhere in the source (check characters such as （ ） vs ( ), ~ vs 〜)"
            )
            raise SourceError(f"{where}: quote {quote!r} not found in section {section!r}{hint}")
        if len(hits) > 1:
            raise SourceError(
                f"{where}: quote {quote!r} occurs {len(hits)} times in section {section!r} "
                f"(offsets {', '.join(map(str, hits))}); lengthen it until it is unique"
            )
        start = hits[0]
        end = start + len(quote)
        return Anchor(
            section=section,
            start=start,
            end=end,
            exact=quote,
            prefix=self.text[max(0, start - CONTEXT) : start],
            suffix=self.text[end : end + CONTEXT],
        )
