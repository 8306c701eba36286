"""The query catalogue: competency questions as annotated ``.rq`` files in ``queries/``.

Each file starts with a comment header::

    # Question: Which recommendations address which issues?
    # 質問: どの提言がどの争点を扱っているか。
    # Parameter: actor iri  The actor to start from (example: actor/lee-jae-myung)
    # Example: nikkan query neighbourhood --param actor=actor/lee-jae-myung
    # Requires: (optional) what the store must hold beyond the built dataset

``Parameter`` lines name a variable of the query, its kind (``iri``, ``string``,
``langstring``, ``date``, ``integer``) and a description; values are bound by
the engine as RDF terms (see :mod:`nikkan.query.params`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

PARAM_KINDS = ("iri", "string", "langstring", "date", "integer")
_HEADER = re.compile(r"^#\s*(?P<key>[^:]+?)\s*:\s*(?P<value>.*)$")


class CatalogueError(Exception):
    """A catalogue file is malformed or a query name is unknown."""


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str
    description: str


@dataclass(frozen=True)
class QueryEntry:
    name: str
    path: Path
    question_en: str
    question_ja: str
    sparql: str
    parameters: tuple[Parameter, ...] = field(default=())
    examples: tuple[str, ...] = field(default=())
    requires: str = ""  # what must be in the store beyond the built dataset, if anything

    @property
    def parameter_names(self) -> list[str]:
        return [p.name for p in self.parameters]


def parse_entry(path: Path, text: str | None = None) -> QueryEntry:
    text = path.read_text(encoding="utf-8") if text is None else text
    fields: dict[str, list[str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match:
            fields.setdefault(match["key"].strip().lower(), []).append(match["value"].strip())
    for key in ("question", "質問"):
        if key not in fields:
            raise CatalogueError(f"{path}: header lacks a '# {key.capitalize()}:' line")
    parameters = []
    for spec in fields.get("parameter", []):
        parts = spec.split(None, 2)
        if len(parts) < 2 or parts[1] not in PARAM_KINDS:
            raise CatalogueError(
                f"{path}: bad parameter line {spec!r}; expected 'name kind description' "
                f"with kind one of {', '.join(PARAM_KINDS)}"
            )
        parameters.append(Parameter(parts[0].lstrip("?$"), parts[1], parts[2] if len(parts) > 2 else ""))
    return QueryEntry(
        name=path.stem,
        path=path,
        question_en=fields["question"][0],
        question_ja=fields["質問"][0],
        sparql=text,
        parameters=tuple(parameters),
        examples=tuple(fields.get("example", [])),
        requires=" ".join(fields.get("requires", [])),
    )


class Catalogue:
    """All ``.rq`` files of a folder, by name."""

    def __init__(self, entries: list[QueryEntry]):
        self.entries = {e.name: e for e in sorted(entries, key=lambda e: e.name)}

    @classmethod
    def load(cls, folder: Path) -> "Catalogue":
        return cls([parse_entry(p) for p in sorted(Path(folder).glob("*.rq"))])

    def __iter__(self):
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, name: str) -> QueryEntry:
        try:
            return self.entries[name]
        except KeyError:
            raise CatalogueError(
                f"no query named {name!r} in the catalogue; `nikkan query --list` lists them"
            ) from None
