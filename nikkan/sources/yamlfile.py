"""Read YAML keeping line numbers, so that every error can name its file and line."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import yaml


class SourceError(Exception):
    """Bad curated input; the message names the file and line, or the id, at fault."""


class Located(dict):
    """A YAML mapping that remembers where it starts."""

    path: Path
    line: int
    key_lines: dict

    def where(self, key: str | None = None) -> str:
        """'file:line' of the mapping, or of one of its keys."""
        return f"{self.path}:{self.key_lines.get(key, self.line)}"


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when available: 5× faster
    """SafeLoader that keeps dates as strings (we validate them) and records lines."""


# Drop the timestamp resolver: "2025-06" and "2026-03-16" stay strings for our own checks.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Located:
    keys = [loader.construct_object(k, deep=True) for k, _ in node.value]
    duplicates = {k for k in keys if keys.count(k) > 1}
    if duplicates:
        raise SourceError(
            f"{loader.name}:{node.start_mark.line + 1}: duplicate key(s) {', '.join(sorted(map(str, duplicates)))}"
        )
    mapping = Located(loader.construct_mapping(node, deep=True))
    mapping.path = Path(loader.name)
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {key: k.start_mark.line + 1 for key, (k, _) in zip(keys, node.value)}
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: Path) -> Located:
    """Parse one curated file; text must be UTF-8 and NFC-normalised."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise SourceError(f"{path}: not UTF-8 ({error})") from None
    for number, line in enumerate(text.splitlines(), start=1):
        if unicodedata.normalize("NFC", line) != line:
            raise SourceError(f"{path}:{number}: text is not NFC-normalised")
    loader = _Loader(text)
    loader.name = str(path)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise SourceError(f"{path}{line}: invalid YAML: {error.problem or error}") from None
    finally:
        loader.dispose()
    if not isinstance(data, Located):
        raise SourceError(f"{path}:1: expected a mapping at the top level")
    return data


def locate(data: object, path: list) -> str:
    """The deepest known 'file:line' along a path of keys and indexes."""
    where = data.where() if isinstance(data, Located) else "?"
    node = data
    for key in path:
        parent = node
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, Located):
            where = node.where()
        elif isinstance(parent, Located):
            where = parent.where(key)
    return where
