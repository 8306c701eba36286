"""Load every curated YAML file, validate it and anchor its evidence: the build's input model.

Checks, each failing with the file and line or the id at fault: the JSON Schema,
NFC text, dates that exist, unknown and duplicate ids, and quotes that are missing
from or ambiguous in their section.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema

from .anchoring import Anchor, SourceText
from .yamlfile import Located, SourceError, load_yaml, locate

SCHEMA_FILE = Path("schema") / "curated.schema.json"

#: YAML list key → item kind.  Global kinds are shared across documents.
GLOBAL_KINDS = {
    "actors": "actor",
    "places": "place",
    "posts": "post",
    "incumbencies": "incumbency",
    "issues": "issue",
    "events": "event",
    "agreements": "agreement",
    "statements": "statement",
}
DOCUMENT_KINDS = {"recommendations": "recommendation", "claims": "claim", "implications": "implication"}
DATE_FIELDS = ("date", "start", "end", "finalised")


@dataclass
class Item:
    """One curated entity or proposition, with its anchored evidence."""

    kind: str
    id: str
    spec: Located
    document: str | None  # the document whose file declares it
    parent: "Item | None" = None  # a provision's agreement
    evidence: list[tuple[str, Anchor]] = field(default_factory=list)  # (document id, anchor)


@dataclass
class Document:
    id: str
    spec: Located
    file: Path
    source: SourceText
    evidence: list[Anchor] = field(default_factory=list)
    items: dict[str, Item] = field(default_factory=dict)  # document-scoped: sections are in source.sections


@dataclass
class Corpus:
    documents: dict[str, Document]
    entities: dict[str, Item]  # global ids

    def resolve(self, ref: str, document: str | None) -> Item | str:
        """An id seen from a document: its own propositions first, then global entities.

        Section ids resolve to the string ``"section"``.
        """
        if document is not None:
            doc = self.documents[document]
            if ref in doc.items:
                return doc.items[ref]
            if ref in doc.source.sections:
                return "section"
        return self.entities[ref]

    def items(self):
        yield from self.entities.values()
        for doc in self.documents.values():
            yield from doc.items.values()


def _reference_fields(schema: dict) -> dict[str, dict[str, bool]]:
    """From the schema: for each definition, which fields hold ids (field → is a list)."""
    defs = schema["$defs"]
    result: dict[str, dict[str, bool]] = {}
    for name, definition in defs.items():
        props = dict(definition.get("properties", {}))
        for part in definition.get("allOf", []):
            props.update(defs[part["$ref"].rsplit("/", 1)[1]].get("properties", {}))
        refs = {
            key: value["$ref"].endswith("/ids")
            for key, value in props.items()
            if key != "id" and isinstance(value, dict) and value.get("$ref", "").endswith(("/id", "/ids"))
        }
        if refs:
            result[name] = refs
    return result


def _check_date(value: str, where: str, key: str) -> None:
    parts = value.split("-")
    try:
        if len(parts) == 3:
            dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
        elif len(parts) == 2 and not 1 <= int(parts[1]) <= 12:
            raise ValueError("month out of range")
    except ValueError as error:
        raise SourceError(f"{where}: {key} {value!r} is not a real date ({error})") from None


def load_corpus(data_dir: Path) -> Corpus:
    """Read ``data_dir/**/*.yaml`` into a validated, anchored :class:`Corpus`."""
    schema = json.loads((data_dir / SCHEMA_FILE).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    references = _reference_fields(schema)
    files = sorted(p for p in data_dir.rglob("*.yaml") if "schema" not in p.relative_to(data_dir).parts)
    if not files:
        raise SourceError(f"{data_dir}: no curated *.yaml files")

    documents: dict[str, Document] = {}
    entities: dict[str, Item] = {}
    pending: list[tuple[Item, Located, str | None]] = []  # items whose references/evidence to check

    def declare(item: Item) -> None:
        other = entities.get(item.id) if item.kind in GLOBAL_KINDS.values() or item.kind == "provision" else None
        if other is not None:
            raise SourceError(f"{item.spec.where('id')}: duplicate id {item.id!r}, first declared at {other.spec.where('id')}")
        entities[item.id] = item

    for path in files:
        data = load_yaml(path)
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
        if errors:
            error = errors[0]
            field_path = "/".join(map(str, error.absolute_path)) or "(top level)"
            raise SourceError(f"{locate(data, list(error.absolute_path))}: {field_path}: {error.message}")
        doc_id = None
        if "document" in data:
            spec = data["document"]
            doc_id = spec["id"]
            if doc_id in documents:
                raise SourceError(f"{spec.where()}: duplicate document id {doc_id!r}")
            _check_date(spec["finalised"], spec.where("finalised"), "finalised")
            source = SourceText(data_dir / spec["source"], spec["sha256"], spec["sections"], spec.where())
            documents[doc_id] = Document(doc_id, spec, path, source)
        for key, kind in (*GLOBAL_KINDS.items(), *DOCUMENT_KINDS.items()):
            for spec in data.get(key, []):
                for date_key in DATE_FIELDS:
                    if date_key in spec:
                        _check_date(spec[date_key], spec.where(date_key), date_key)
                if kind in DOCUMENT_KINDS.values():
                    if doc_id is None:
                        raise SourceError(f"{spec.where()}: {key} need a document block in the same file")
                    doc = documents[doc_id]
                    if spec["id"] in doc.items or spec["id"] in doc.source.sections:
                        raise SourceError(f"{spec.where()}: duplicate id {spec['id']!r} in document {doc_id!r}")
                    item = Item(kind, spec["id"], spec, doc_id)
                    doc.items[item.id] = item
                else:
                    item = Item(kind, spec["id"], spec, doc_id)
                    declare(item)
                    for provision in spec.get("provisions", []):
                        child = Item("provision", provision["id"], provision, doc_id, parent=item)
                        declare(child)
                        pending.append((child, provision, doc_id))
                pending.append((item, spec, doc_id))
        for mention in data.get("mentions", []):
            pending.append((None, mention, doc_id))
        if doc_id is not None:
            pending.append((None, data["document"], doc_id))

    corpus = Corpus(documents, entities)
    for doc in documents.values():
        clash = set(doc.items) & set(entities)
        if clash:
            item = doc.items[sorted(clash)[0]]
            raise SourceError(f"{item.spec.where()}: id {item.id!r} is both a {item.kind} of {doc.id!r} and a global {entities[item.id].kind}")

    for item, spec, doc_id in pending:
        kind = item.kind if item else ("mention" if "entity" in spec else "document")
        for key, many in references.get(kind, {}).items():
            for ref in (spec.get(key, []) if many else [spec[key]] if key in spec else []):
                try:
                    target = corpus.resolve(ref, doc_id)
                except KeyError:
                    raise SourceError(f"{spec.where(key)}: {key}: unknown id {ref!r}") from None
                if (target == "section") != (key == "section"):
                    raise SourceError(f"{spec.where(key)}: {key}: {ref!r} is {'a section' if target == 'section' else 'not a section'}")
        evidence = spec.get("evidence", [])
        if evidence and doc_id is None:
            raise SourceError(f"{spec.where()}: evidence needs a document block in the same file")
        anchors = []
        for entry in evidence:
            section = entry.get("section", spec.get("section"))
            if section is None:
                raise SourceError(f"{entry.where()}: evidence needs a section")
            anchors.append(documents[doc_id].source.anchor(section, entry["quote"], entry.where("quote")))
        if item is not None:
            item.evidence.extend((doc_id, a) for a in anchors)
        elif kind == "mention":
            corpus.resolve(spec["entity"], doc_id).evidence.extend((doc_id, a) for a in anchors)
        else:
            documents[doc_id].evidence.extend(anchors)
    return corpus
