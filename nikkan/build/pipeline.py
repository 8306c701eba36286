"""The build: load and check the sources, emit RDF, validate it, write every output.

Nothing is written unless every check passes; then all outputs are replaced
atomically (see :func:`nikkan.build.outputs.write_atomically`).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from ..namespaces import PREFIXES
from .vocab import Iris
from ..settings import Settings
from ..sources.curated import load_corpus
from ..sources.yamlfile import SourceError
from .checks import Violation, quality_violations, shacl_violations
from .docs import ontology_html
from .emit import Emitter
from .forked import Forked
from .links import wikidata_links
from .void import void_description
from .outputs import jsonld_context, serialise_dataset, serialise_graph, write_atomically

ONTOLOGY_FILE = "nikkan.ttl"
SHAPES_FILE = "shapes.ttl"


class BuildError(Exception):
    """The build refused its input; ``problems`` lists every violation found."""

    def __init__(self, message: str, problems: list[Violation] | None = None):
        super().__init__(message)
        self.problems = problems or []


@dataclass
class BuildResult:
    triples: int
    graphs: dict[str, int]
    classes: dict[str, int]
    checks: list[str]
    files: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        return {
            "triples": self.triples,
            "graphs": self.graphs,
            "instances_by_class": self.classes,
            "checks_passed": self.checks,
            "files": self.files,
        }


def assemble(settings: Settings) -> tuple[Dataset, dict[str, URIRef]]:
    """Sources → an rdflib Dataset of named graphs (ontology, one per document)."""
    iris = Iris(settings.base_iri)
    try:
        corpus = load_corpus(settings.data_dir)
    except SourceError as error:
        raise BuildError(str(error)) from None
    dataset = Dataset()
    for prefix, ns in PREFIXES.items():
        dataset.bind(prefix, ns)
    dataset.bind("id", iris.ns)
    names = {"ontology": iris.graph("ontology")}
    dataset.graph(names["ontology"]).parse(settings.ontology_dir / ONTOLOGY_FILE, format="turtle")
    emitter = Emitter(corpus, iris)
    graphs = {f"document/{doc_id}": graph for doc_id, graph in emitter.document_graphs().items()}
    links_dir = settings.data_dir / "links"
    if (links_dir / "wikidata.tsv").exists():
        held = {item.id: (emitter.iri(item), item.kind == "issue") for item in corpus.entities.values()}
        try:
            graphs["links/wikidata"], _ = wikidata_links(links_dir, held, iris)
        except SourceError as error:
            raise BuildError(str(error)) from None
    for name, graph in graphs.items():
        names[name] = iris.graph(name)
        named = dataset.graph(names[name])
        named += graph
    return dataset, names


def union_graph(dataset: Dataset) -> Graph:
    union = Graph()
    for prefix, ns in dataset.namespaces():
        union.bind(prefix, ns)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


class Validation:
    """SHACL (in a forked child) and the quality rules, started together; :meth:`finish` waits."""

    def __init__(self, settings: Settings, quads: list[ox.Quad], union: Graph):
        shapes = Graph().parse(settings.ontology_dir / SHAPES_FILE, format="turtle")
        self._shacl = Forked(shacl_violations, union, shapes)
        store = ox.Store()
        store.extend(quads)
        self._checks_dir = settings.ontology_dir / "checks"
        self._quality = quality_violations(store, self._checks_dir, settings.base_iri)

    def finish(self) -> list[str]:
        """The checks passed; raises :class:`BuildError` listing every violation."""
        problems = self._shacl.result() + self._quality
        if problems:
            raise BuildError(f"{len(problems)} violation(s) of the shapes or quality rules", problems)
        return ["data schema", "NFC text", "dates", "ids and references", "evidence anchoring", "SHACL shapes"] + [
            f"quality: {p.stem}" for p in sorted(self._checks_dir.glob("*.rq"))
        ]


def validate(settings: Settings, quads: list[ox.Quad], union: Graph) -> list[str]:
    """SHACL and quality rules; raises :class:`BuildError` listing every violation."""
    return Validation(settings, quads, union).finish()


def build(settings: Settings, *, write: bool = True, docs: bool = True) -> BuildResult:
    """Run the whole build; with ``write=False`` only check."""
    # The documentation needs only the ontology: make it on the other core meanwhile.
    html = Forked(ontology_html, settings.ontology_dir / ONTOLOGY_FILE) if write and docs else None
    dataset, names = assemble(settings)
    union = union_graph(dataset)
    # Sorted pyoxigraph quads: the fast path for checks and serialisation, and a stable order.
    quads = sorted(ox.parse(dataset.serialize(format="nquads", encoding="utf-8"), format=ox.RdfFormat.N_QUADS), key=str)
    triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    validation = Validation(settings, quads, union)
    classes = Counter(
        union.namespace_manager.normalizeUri(o) for o in union.objects(None, RDF.type)
    )
    graphs = {name: len(dataset.graph(iri)) for name, iri in sorted(names.items())}
    if not write:
        return BuildResult(len(triples), graphs, dict(sorted(classes.items())), validation.finish())
    # Serialised while SHACL runs; written only once every check has passed.
    files: dict[str, bytes] = {}
    for extension, content in serialise_graph(triples, union, settings.base_iri).items():
        files[f"nikkan.{extension}"] = content
    for extension, content in serialise_dataset(quads).items():
        files[f"dataset.{extension}"] = content
    void = void_description(quads, Iris(settings.base_iri), settings.endpoint_url)
    files["void.ttl"] = void.serialize(format="turtle").encode("utf-8")
    files["context.jsonld"] = (json.dumps(jsonld_context(settings.base_iri), indent=1) + "\n").encode("utf-8")
    result = BuildResult(len(triples), graphs, dict(sorted(classes.items())), validation.finish())
    if html is not None:
        files["docs/ontology.html"] = html.result()
    result.files = sorted([*files, "summary.json"])
    files["summary.json"] = (json.dumps(result.summary(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    write_atomically(settings.out_dir, files)
    return result
