"""The synthetic corpus generator: the real build path, valid data, the same bytes for a seed,
and the same answers to every catalogue query on every backend: in memory, the persistent
Oxigraph store, and the remote store on a real Oxigraph server and a real Virtuoso.

rdflib's own engine is not a backend of the project; the benchmark compares its answers
too (marking any that differ) but it takes minutes on some catalogue queries at 10k.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Graph

from nikkan import cli
from nikkan.build.checks import quality_violations, shacl_violations
from nikkan.build.pipeline import build
from nikkan.query.answers import answer_difference, comparable_answers
from nikkan.query.catalogue import Catalogue
from nikkan.query.params import bind
from nikkan.settings import DEFAULT_BASE_IRI, PROJECT_ROOT, Settings
from nikkan.store import open_store
from nikkan.store.loading import load_dataset
from nikkan.store.persistent import load_persistent
from nikkan.store.remote import RemoteStore
from nikkan.synthetic import SyntheticError, generate, load_description, parse_size
from store_fixtures import SERVERS, ServerUnavailable

CATALOGUE = Catalogue.load(PROJECT_ROOT / "queries")
NK = "https://w3id.org/nikkan/ontology#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """10k statements, seed 1, with the YAML files (validated with SHACL: below 1M)."""
    return generate(10_000, tmp_path_factory.mktemp("synthetic-10k"), seed=1, write_yaml=True)


@pytest.fixture(scope="module")
def quads(corpus):
    return list(ox.parse(path=str(corpus.dataset_file), format=ox.RdfFormat.N_QUADS))


def test_size_within_ten_percent_of_the_target(corpus, quads):
    assert 9_000 <= corpus.statements <= 11_000
    assert len(quads) == corpus.statements
    assert corpus.documents >= 3
    assert parse_size("10k") == 10_000 and parse_size("1m") == 1_000_000 and parse_size("250000") == 250_000
    with pytest.raises(SyntheticError):
        generate(500, corpus.out_dir / "too-small")


def test_it_passes_the_shapes_and_the_quality_rules(corpus, quads):
    assert "SHACL shapes" in corpus.checks and corpus.shacl == "validated"
    union = Graph().parse(data=ox.serialize({ox.Triple(q.subject, q.predicate, q.object) for q in quads},
                                            format=ox.RdfFormat.N_TRIPLES), format="nt")
    shapes = Graph().parse(PROJECT_ROOT / "ontology" / "shapes.ttl", format="turtle")
    assert shacl_violations(union, shapes) == []
    store = ox.Store()
    store.extend(quads)
    assert quality_violations(store, PROJECT_ROOT / "ontology" / "checks", DEFAULT_BASE_IRI) == []
    # The check is not vacuous: a recommendation without its summary is caught.
    recommendation = next(s for s, _, o in union.triples((None, rdflib.RDF.type, rdflib.URIRef(NK + "Recommendation"))))
    union.remove((recommendation, rdflib.URIRef(NK + "summary"), None))
    assert any(str(recommendation) == v.focus for v in shacl_violations(union, shapes))


def test_graphs_ids_and_contents_are_those_of_the_build(corpus, quads):
    graphs = sorted({q.graph_name.value for q in quads})
    assert graphs[-1] == f"{DEFAULT_BASE_IRI}graph/ontology"
    assert graphs[0] == f"{DEFAULT_BASE_IRI}graph/document/synthetic-doc-0001"
    assert len(graphs) == corpus.documents + 1
    typed = {(q.subject.value, q.object.value) for q in quads if q.predicate == RDF_TYPE}
    base = DEFAULT_BASE_IRI
    for iri, cls in [
        (f"{base}actor/synthetic-person-0001", "Person"), (f"{base}actor/synthetic-state-01", "State"),
        (f"{base}post/synthetic-post-01-president", "Post"), (f"{base}incumbency/synthetic-incumbency-0001", "Incumbency"),
        (f"{base}issue/synthetic-issue-0001", "Issue"), (f"{base}event/synthetic-event-0001", None),
        (f"{base}document/synthetic-doc-0001", "PolicyDocument"),
        (f"{base}document/synthetic-doc-0002/recommendation/rec-1-1", "Recommendation"),
    ]:
        classes = {c for s, c in typed if s == iri}
        assert classes, iri
        assert cls is None or NK + cls in classes, (iri, classes)
    kinds = {c.removeprefix(NK) for _, c in typed}
    assert {"Government", "PoliticalGroup", "Claim", "Implication", "Evidence", "Statement", "Provision",
            "TopicSection", "BackgroundSection", "ImplicationsSection", "FrontMatter", "OverviewSection"} <= kinds
    assert kinds & {"Summit", "MinisterialMeeting", "Visit", "PressConference"}
    predicates = {q.predicate.value for q in quads}
    assert {NK + "supports", NK + "precededBy", NK + "hasProvision", NK + "follows", NK + "partOfFramework",
            "http://www.w3.org/2004/02/skos/core#broader"} <= predicates
    datatypes = {q.object.datatype.value.rsplit("#", 1)[1] for q in quads
                 if q.predicate.value == NK + "date" and isinstance(q.object, ox.Literal)}
    assert datatypes == {"date", "gYearMonth", "gYear"}  # dates of mixed precision
    description = load_description(corpus.out_dir)
    assert description["statements"] == corpus.statements and description["seed"] == 1


def test_the_real_build_reading_the_yaml_makes_the_same_graphs(corpus, quads, tmp_path):
    """The generator's facts, written as data/documents/*.yaml, give the same dataset through build_graph's path."""
    settings = Settings(data_dir=corpus.out_dir / "data", out_dir=tmp_path / "graph")
    build(settings, docs=False)
    rebuilt = set(ox.parse(path=str(settings.dataset_file), format=ox.RdfFormat.N_QUADS))
    assert rebuilt == set(quads)


def test_same_seed_same_bytes_other_seed_other_bytes(corpus, tmp_path, capsys):
    assert cli.main(["synthetic", "--triples", "10k", "--seed", "1", "--out", str(tmp_path / "again")]) == 0
    assert f"{corpus.statements} statements in {corpus.documents} documents" in capsys.readouterr().out
    again = tmp_path / "again"
    for name in ("dataset.nq", "dataset.trig", "synthetic.json"):
        assert (again / name).read_bytes() == (corpus.out_dir / name).read_bytes(), name
    sources = sorted((corpus.out_dir / "data" / "sources").iterdir())
    assert [p.read_bytes() for p in sources] == [(again / "data" / "sources" / p.name).read_bytes() for p in sources]
    other = generate(10_000, tmp_path / "other", seed=2, validate=False)
    assert other.dataset_file.read_bytes() != corpus.dataset_file.read_bytes()


# ---------------------------------------------------------------------------- the same answers everywhere


@pytest.fixture(scope="module")
def memory(corpus):
    store = open_store(Settings(out_dir=corpus.out_dir))
    yield store
    store.close()


@pytest.fixture(scope="module")
def persistent(corpus, tmp_path_factory):
    settings = Settings(out_dir=corpus.out_dir, store="oxigraph", store_path=tmp_path_factory.mktemp("persistent") / "oxigraph")
    load_persistent(settings)
    store = open_store(settings, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="module", params=sorted(SERVERS))
def remote(request, corpus, tmp_path_factory):
    """The 10k corpus in a real Oxigraph server and a real Virtuoso, through the remote store."""
    try:
        with SERVERS[request.param](tmp_path_factory.mktemp(request.param)) as server:
            with RemoteStore(server.url, dialect=server.name) as store:
                assert sum(load_dataset(store, corpus.dataset_file).values()) == corpus.statements
                yield store
    except ServerUnavailable as error:
        pytest.fail(str(error), pytrace=False)


def _case(corpus, name):
    entry = CATALOGUE.get(name)
    parameters = load_description(corpus.out_dir)["parameters"].get(name, {})
    return entry, bind(entry, parameters, DEFAULT_BASE_IRI) or None


@pytest.mark.parametrize("name", [entry.name for entry in CATALOGUE])
def test_every_catalogue_query_answers_the_same_in_memory_and_on_disk(name, corpus, memory, persistent):
    entry, bindings = _case(corpus, name)
    expected = comparable_answers(memory, entry.sparql, bindings)
    if entry.parameters and not entry.requires:
        assert expected[1], f"{name}: the generator's parameters match nothing"
    assert answer_difference(entry.sparql, comparable_answers(persistent, entry.sparql, bindings), expected) is None


@pytest.mark.parametrize("name", [entry.name for entry in CATALOGUE])
def test_every_catalogue_query_answers_the_same_on_remote_stores(name, corpus, memory, remote):
    entry, bindings = _case(corpus, name)
    expected = comparable_answers(memory, entry.sparql, bindings)
    difference = answer_difference(entry.sparql, comparable_answers(remote, entry.sparql, bindings), expected)
    assert difference is None, difference
