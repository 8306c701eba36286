"""The one settings object: base IRI, paths and store, passed down to every module."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

#: Vocabulary namespace: fixed, so that data built under any base IRI shares one ontology.
ONTOLOGY_NS = "https://w3id.org/nikkan/ontology#"
#: Default base for instance IRIs; deployments may choose their own.
DEFAULT_BASE_IRI = "https://w3id.org/nikkan/id/"

PROJECT_ROOT = Path(__file__).resolve().parent.parent

STORE_KINDS = ("memory", "oxigraph", "remote")


@dataclass(frozen=True)
class Settings:
    """Where things are and which store holds the dataset.

    ``store`` is ``memory`` (in-memory Oxigraph loaded from the built dataset),
    ``oxigraph`` (embedded persistent Oxigraph at ``store_path``) or ``remote``
    (a SPARQL 1.1 server at ``store_url``).
    """

    root: Path = PROJECT_ROOT
    base_iri: str = DEFAULT_BASE_IRI
    data_dir: Path | None = None
    ontology_dir: Path | None = None
    out_dir: Path | None = None
    queries_dir: Path | None = None
    store: str = "memory"
    store_path: Path | None = None
    store_url: str | None = None
    store_update_url: str | None = None
    store_gsp_url: str | None = None
    store_dialect: str = "generic"
    store_auth: tuple[str, str] | None = field(default=None, repr=False)
    #: Where the dataset's public SPARQL endpoint is, for the VoID description (none by default).
    endpoint_url: str | None = None

    def __post_init__(self) -> None:
        if not self.base_iri.endswith(("/", "#")):
            raise ValueError(f"base IRI must end with '/' or '#': {self.base_iri!r}")
        if self.store not in STORE_KINDS:
            raise ValueError(f"unknown store {self.store!r}; choose one of {', '.join(STORE_KINDS)}")
        root = Path(self.root)
        object.__setattr__(self, "root", root)
        for name, default in (
            ("data_dir", "data"),
            ("ontology_dir", "ontology"),
            ("out_dir", "graph"),
            ("queries_dir", "queries"),
        ):
            value = getattr(self, name)
            object.__setattr__(self, name, Path(value) if value is not None else root / default)
        if self.store_path is None:
            object.__setattr__(self, "store_path", self.out_dir / "oxigraph")

    @property
    def dataset_file(self) -> Path:
        """The built dataset with its named graphs (N-Quads): what stores load."""
        return self.out_dir / "dataset.nq"

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        """Settings from ``NIKKAN_*`` environment variables, then explicit overrides."""
        env = {
            "base_iri": os.environ.get("NIKKAN_BASE_IRI"),
            "out_dir": os.environ.get("NIKKAN_OUT_DIR"),
            "store": os.environ.get("NIKKAN_STORE"),
            "store_path": os.environ.get("NIKKAN_STORE_PATH"),
            "store_url": os.environ.get("NIKKAN_STORE_URL"),
            "store_update_url": os.environ.get("NIKKAN_STORE_UPDATE_URL"),
            "store_gsp_url": os.environ.get("NIKKAN_STORE_GSP_URL"),
            "store_dialect": os.environ.get("NIKKAN_STORE_DIALECT"),
            "endpoint_url": os.environ.get("NIKKAN_ENDPOINT_URL"),
        }
        values = {k: v for k, v in env.items() if v}
        if os.environ.get("NIKKAN_STORE_USER"):
            values["store_auth"] = (os.environ["NIKKAN_STORE_USER"], os.environ.get("NIKKAN_STORE_PASSWORD", ""))
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)
