#!/usr/bin/env python3
"""Performance at scale: stores, catalogue queries, serialisation, network views, the build, the endpoint.

    .venv/bin/python benchmarks/run.py [--sizes 10k,100k,1m] [--quick] [--remote-url URL]

For each size it generates a synthetic dataset with :mod:`nikkan.synthetic` (the
project's own build path; cached in ``--data-dir``, default ``~/.cache/nikkan-benchmarks``)
and measures, each backend in a fresh subprocess:

* load time, throughput and peak RSS (``VmHWM``, reset between phases) of
  ``pyoxigraph`` (raw bulk load in memory: the floor), ``pyoxigraph-disk`` (raw bulk
  load on disk), ``nikkan-memory`` and ``nikkan-disk`` (the project's stores:
  ``open_store`` and ``load_persistent``), ``oxrdflib`` (rdflib API over Oxigraph,
  ``ox-nquads`` parsing), ``rdflib`` (rdflib's default memory store and SPARQL engine)
  and ``remote`` (with ``--remote-url``: :class:`nikkan.store.remote.RemoteStore`,
  loaded with ``load_dataset``; this REPLACES the dataset's graphs on that server);
* p50/p95 latency of every catalogue query, with parameters bound to ids that exist
  (``synthetic.json``), results fully read; answers compared across backends;
* serialisation (N-Quads, TriG, and the union graph as Turtle and N-Triples) with
  Oxigraph and with rdflib;
* networkx conversion (``nikkan.network.graph.network_graph``), centrality and
  communities, and pyvis page generation for 500, 2,000 and 10,000 nodes;

then the seed document's full build (``python build_graph.py`` end to end, and
``build()`` in-process with its phases), and the endpoint under load: 16 concurrent
clients on loopback, a mixed set of selective catalogue queries, against
``nikkan.endpoint`` (uvicorn, in a subprocess) and rdflib-endpoint serving the same data.

Results go to ``benchmarks/results/latest.json`` and ``latest.md`` (written atomically).
``--quick`` is the smoke run: the smallest size, two repetitions, short load test, no
end-to-end build runs.  Not part of the test suite's timing; ``tests/test_benchmark_smoke.py``
runs ``--quick`` once without asserting on times.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULTS_DIR = ROOT / "benchmarks" / "results"
DEFAULT_DATA_DIR = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "nikkan-benchmarks"
DEFAULT_SIZES = "10k,100k,1m"
BACKENDS = ("pyoxigraph", "pyoxigraph-disk", "nikkan-memory", "nikkan-disk", "oxrdflib", "rdflib")
#: Backends whose answers must agree with raw pyoxigraph's (rdflib's engine is compared too, and reported).
PAGE_SIZES = (500, 2000, 10000)
LOAD_TEST_CLIENTS = 16
#: Queries of the endpoint load test: selective catalogue questions, plus a plain ASK.
LOAD_TEST_QUERIES = ("evidence", "office-holder-on-date", "implications-of-recommendation", "events-in-window",
                     "propositions-on-issue", "neighbourhood")
SELECTIVE_ROWS = 1000
TARGETS = {"ratio_vs_raw": 1.3, "speedup_vs_rdflib": 10.0, "load_1m_s": 8.0, "selective_p50_ms": 100.0,
           "build_s": 3.0, "endpoint_ratio": 5.0, "page_2000_s": 2.0}


# =============================================================================== shared helpers


def emit(record: dict) -> None:
    """A child's result line (the parent reads stdout line by line)."""
    sys.stdout.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def percentile(samples: list[float], q: float) -> float | None:
    if not samples:
        return None
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def vm_hwm_mb() -> float | None:
    """Peak resident set size of this process (VmHWM), in MiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def vm_rss_mb() -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def reset_hwm() -> bool:
    """Reset VmHWM to the current RSS (Linux: write 5 to clear_refs), so each phase has its own peak."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


_CONCAT = re.compile(r'GROUP_CONCAT\s*\((?:[^;]*?);\s*separator\s*=\s*"((?:[^"\\]|\\.)*)"\s*\)\s*AS\s+\?(\w+)', re.I | re.S)


def concat_columns(sparql: str) -> dict[str, str]:
    """Variables bound by GROUP_CONCAT, with their separators (their order is not defined)."""
    return {name: json.loads(f'"{sep}"') for sep, name in _CONCAT.findall(sparql)}


XSD = "http://www.w3.org/2001/XMLSchema#"
#: Types derived from xsd:integer: Oxigraph stores them as xsd:integer (it canonicalises derived
#: datatypes), rdflib keeps them; the value is the same.
INTEGER_TYPES = {XSD + t for t in ("nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger", "long",
                                   "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}


def term_key(term) -> str | None:
    """One RDF term (pyoxigraph or rdflib) as comparable text."""
    key = _term_key(term)
    if key is not None and key.endswith(">") and "^^<" in key:
        body, _, datatype = key.rpartition("^^<")
        if datatype[:-1] in INTEGER_TYPES:
            return f"{body}^^<{XSD}integer>"
    return key


def _term_key(term) -> str | None:
    if term is None:
        return None
    module = type(term).__module__
    if module.startswith("pyoxigraph") or module == "builtins":
        name = type(term).__name__
        if name == "NamedNode":
            return f"<{term.value}>"
        if name == "BlankNode":
            return "_:"
        language = getattr(term, "language", None)
        if language:
            return f'"{term.value}"@{language.lower()}'
        return f'"{term.value}"^^<{term.datatype.value}>'
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return "_:"
    if isinstance(term, Literal):
        if term.language:
            return f'"{term}"@{term.language.lower()}'
        datatype = str(term.datatype) if term.datatype else "http://www.w3.org/2001/XMLSchema#string"
        return f'"{term}"^^<{datatype}>'
    return str(term)


def normalise_rows(variables: list[str], rows: list[tuple], sparql: str) -> set[tuple]:
    """Rows as a set of tuples of text, variables sorted by name, GROUP_CONCAT values sorted."""
    concat = concat_columns(sparql)
    order = sorted(range(len(variables)), key=lambda i: variables[i])
    out = set()
    for row in rows:
        values = []
        for i in order:
            key = term_key(row[i])
            separator = concat.get(variables[i])
            if key is not None and separator and key.startswith('"'):
                # The order of concatenated values is not defined, nor (in SPARQL 1.1) whether a
                # language shared by all of them is kept (Oxigraph keeps it, rdflib does not).
                body = key[1:].rpartition('"')[0]
                key = '"' + separator.join(sorted(body.split(separator))) + '"'
            values.append((variables[i], key))
        out.add(tuple(values))
    return out


def digest(rows: set[tuple]) -> str:
    return hashlib.sha256(repr(sorted(rows, key=repr)).encode("utf-8")).hexdigest()[:16]


def inline_values(sparql: str, bindings: dict) -> str:
    """The query with its parameters as a VALUES block opening the outermost WHERE group.

    For HTTP endpoints, which have no pyoxigraph substitutions; values are written as
    N-Triples terms (``str`` of a pyoxigraph term).
    """
    if not bindings:
        return sparql
    match = re.search(r"\bWHERE\s*\{", sparql, re.I)
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(str(term) for term in bindings.values())
    return f"{sparql[:match.end()]}\n  VALUES ({names}) {{ ({values}) }}\n{sparql[match.end():]}"


PROPOSED_DIR = ROOT / "benchmarks" / "proposed-queries"


def catalogue_with_parameters(dataset_dir: Path, proposed: bool = True):
    """(entry, {name: value}) for every catalogue query, values from synthetic.json; then the
    proposed rewrites of ``benchmarks/proposed-queries/`` as ``proposed/<name>``."""
    from dataclasses import replace

    from nikkan.query.catalogue import Catalogue, parse_entry
    from nikkan.settings import Settings
    from nikkan.synthetic import load_description

    parameters = load_description(dataset_dir).get("parameters", {})
    catalogue = Catalogue.load(Settings().queries_dir)
    entries = [(entry, parameters.get(entry.name, {})) for entry in catalogue]
    if proposed and PROPOSED_DIR.is_dir():
        for path in sorted(PROPOSED_DIR.glob("*.rq")):
            entry = replace(parse_entry(path), name=f"proposed/{path.stem}")
            entries.append((entry, parameters.get(path.stem, {})))
    return entries


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout()


def call_with_timeout(function, seconds: float | None):
    """Run ``function()``; Python-level code (rdflib) is interrupted after ``seconds``."""
    if not seconds:
        return function()
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return function()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# =============================================================================== backends (children)


class Backend:
    name = ""
    in_memory = True

    statements = 0

    def __init__(self, dataset_dir: Path, scratch: Path):
        self.dataset_dir = dataset_dir
        self.dataset_file = dataset_dir / "dataset.nq"
        self.scratch = scratch

    def load(self) -> None:
        raise NotImplementedError

    def select(self, sparql: str, bindings: dict) -> tuple[list[str], list[tuple]]:
        raise NotImplementedError

    def serialise(self) -> dict[str, float]:
        return {}


class RawPyoxigraph(Backend):
    """pyoxigraph on its own: the floor."""

    name = "pyoxigraph"

    def load(self) -> None:
        import pyoxigraph as ox

        self.ox = ox
        self.store = ox.Store()
        self.store.bulk_load(path=str(self.dataset_file), format=ox.RdfFormat.N_QUADS)

    def select(self, sparql, bindings):
        result = self.store.query(sparql, use_default_graph_as_union=True,
                                  substitutions={self.ox.Variable(k): v for k, v in bindings.items()} or None)
        variables = [v.value for v in result.variables]
        return variables, [tuple(solution) for solution in result]


class RawPyoxigraphDisk(RawPyoxigraph):
    name = "pyoxigraph-disk"
    in_memory = False

    def load(self) -> None:
        import pyoxigraph as ox

        self.ox = ox
        path = self.scratch / "raw-oxigraph"
        shutil.rmtree(path, ignore_errors=True)
        self.store = ox.Store(str(path))
        self.store.bulk_load(path=str(self.dataset_file), format=ox.RdfFormat.N_QUADS)
        self.store.flush()


class NikkanMemory(Backend):
    """The project's default store: ``open_store`` with ``store=memory``."""

    name = "nikkan-memory"

    def settings(self):
        from nikkan.settings import Settings

        return Settings(out_dir=self.dataset_dir)

    def load(self) -> None:
        from nikkan.store import open_store

        self.store = open_store(self.settings())

    def select(self, sparql, bindings):
        result = self.store.query(sparql, bindings or None)
        variables = [v.value for v in result.variables]
        return variables, [tuple(solution) for solution in result]

    def serialise(self) -> dict[str, float]:
        import pyoxigraph as ox

        from nikkan.namespaces import PREFIXES

        prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        timings = {}
        for label, fmt in (("nquads", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG)):
            started = time.perf_counter()
            data = self.store.dump(fmt)
            timings[label] = time.perf_counter() - started
            timings[label + "_mb"] = len(data) / 2**20
        union = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
        for label, fmt, extra in (("turtle", ox.RdfFormat.TURTLE, {"prefixes": prefixes}),
                                  ("ntriples", ox.RdfFormat.N_TRIPLES, {})):
            started = time.perf_counter()
            data = ox.serialize(self.store.query(union), format=fmt, **extra)
            timings[label] = time.perf_counter() - started
            timings[label + "_mb"] = len(data) / 2**20
        return timings


class NikkanDisk(NikkanMemory):
    """The project's persistent store: ``load_persistent`` (bulk load, flush, optimise, swap), then ``open_store``."""

    name = "nikkan-disk"
    in_memory = False

    def settings(self):
        from nikkan.settings import Settings

        return Settings(out_dir=self.dataset_dir, store="oxigraph", store_path=self.scratch / "nikkan-oxigraph")

    def load(self) -> None:
        from nikkan.store import open_store
        from nikkan.store.persistent import load_persistent

        settings = self.settings()
        load_persistent(settings)
        self.store = open_store(settings)

    def serialise(self):
        return {}


def _to_rdflib(term):
    from rdflib import Literal, URIRef

    name = type(term).__name__
    if name == "NamedNode":
        return URIRef(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


class Rdflib(Backend):
    """rdflib's default memory store and its own SPARQL engine (union default graph)."""

    name = "rdflib"
    parse_format = "nquads"
    store_name = "default"

    def load(self) -> None:
        import rdflib

        self.dataset = rdflib.Dataset(store=self.store_name, default_union=True)
        self.dataset.parse(str(self.dataset_file), format=self.parse_format)

    def select(self, sparql, bindings):
        result = self.dataset.query(sparql, initBindings={k: _to_rdflib(v) for k, v in bindings.items()})
        variables = [str(v) for v in result.vars]
        return variables, [tuple(row) for row in result]

    def serialise(self) -> dict[str, float]:
        timings = {}
        big = self.statements >= 500_000
        for label, fmt in (("nquads", "nquads"), ("ntriples", "nt"), ("trig", "trig"), ("turtle", "turtle")):
            if (big and fmt in ("trig", "turtle")) or sum(v for k, v in timings.items() if v and not k.endswith("_mb")) > 45:
                # rdflib's pretty serialisers are superlinear (TriG of 1M statements: 194 s in a trial run)
                timings[label] = None
                continue
            started = time.perf_counter()
            data = self.dataset.serialize(format=fmt, encoding="utf-8")
            timings[label] = time.perf_counter() - started
            timings[label + "_mb"] = len(data) / 2**20
        return timings


class OxRdflib(Rdflib):
    """rdflib's API over Oxigraph (oxrdflib), parsing with pyoxigraph (``ox-nquads``)."""

    name = "oxrdflib"
    parse_format = "ox-nquads"
    store_name = "Oxigraph"

    def serialise(self):
        return {}


class Remote(NikkanMemory):
    """A SPARQL 1.1 server through :class:`nikkan.store.remote.RemoteStore` (the graphs of the dataset are replaced)."""

    name = "remote"
    in_memory = False
    url = None

    def load(self) -> None:
        from nikkan.settings import Settings
        from nikkan.store.loading import load_dataset
        from nikkan.store.remote import RemoteStore

        settings = Settings(out_dir=self.dataset_dir, store="remote", store_url=self.url)
        self.store = RemoteStore.from_settings(settings)
        load_dataset(self.store, self.dataset_file)

    def serialise(self):
        return {}


BACKEND_CLASSES = {cls.name: cls for cls in (RawPyoxigraph, RawPyoxigraphDisk, NikkanMemory, NikkanDisk, OxRdflib, Rdflib, Remote)}


def child_backend(spec: dict) -> None:
    """Load one backend, run every catalogue query, serialise; one JSON line per result."""
    from nikkan.query.params import bind

    dataset_dir = Path(spec["dataset"])
    scratch = Path(spec["scratch"])
    scratch.mkdir(parents=True, exist_ok=True)
    statements = spec["statements"]
    cls = BACKEND_CLASSES[spec["backend"]]
    if cls is Remote:
        Remote.url = spec["remote_url"]
    # Imports first, so the load measures loading (and its own peak memory).
    if cls in (Rdflib, OxRdflib):
        import rdflib  # noqa: F401
        if cls is OxRdflib:
            import oxrdflib  # noqa: F401
    import pyoxigraph  # noqa: F401
    import nikkan.store  # noqa: F401

    base_rss = vm_rss_mb()
    resettable = reset_hwm()
    backend = cls(dataset_dir, scratch)
    backend.statements = statements
    started = time.perf_counter()
    backend.load()
    seconds = time.perf_counter() - started
    emit({"kind": "load", "seconds": seconds, "statements": statements, "per_second": statements / seconds,
          "rss_base_mb": base_rss, "rss_peak_mb": vm_hwm_mb(), "rss_after_mb": vm_rss_mb(), "hwm_reset": resettable})

    reset_hwm()
    base = spec["base_iri"]
    budget, timeout, reps = spec["query_budget"], spec["query_timeout"], spec["reps"]
    skip = spec.get("skip", {})
    total_budget = spec.get("total_budget")
    phase_started = time.perf_counter()
    for entry, values in catalogue_with_parameters(dataset_dir):
        if entry.name in spec.get("done", []):
            continue
        record = {"kind": "query", "name": entry.name, "params": values}
        if entry.name in skip:
            emit({**record, "skipped": skip[entry.name]})
            continue
        if total_budget and time.perf_counter() - phase_started > total_budget:
            emit({**record, "skipped": f"the backend's query budget ({total_budget:g} s) was spent"})
            continue
        bindings = bind(entry, values, base)
        emit({"kind": "query-start", "name": entry.name})
        samples = []
        try:
            first_started = time.perf_counter()
            variables, rows = call_with_timeout(lambda: backend.select(entry.sparql, bindings), timeout)
            first = time.perf_counter() - first_started
            normalised = normalise_rows(variables, rows, entry.sparql)
            record.update(rows=len(rows), distinct_rows=len(normalised), digest=digest(normalised))
            if first >= budget or reps <= 1:
                samples = [first]  # slow, or one run asked for: the first run is the sample
            else:
                spent = first  # the first run warmed up; it is not a sample
                while len(samples) < reps and spent < budget:
                    t0 = time.perf_counter()
                    call_with_timeout(lambda: backend.select(entry.sparql, bindings), timeout)
                    samples.append(time.perf_counter() - t0)
                    spent += samples[-1]
                samples = samples or [first]
            record.update(first=first, samples=samples, p50=percentile(samples, 0.5), p95=percentile(samples, 0.95))
        except Timeout:
            record.update(error=f"timeout after {timeout:g} s")
        except Exception as error:  # noqa: BLE001 - reported, the run goes on
            record.update(error=f"{type(error).__name__}: {error}"[:300])
        emit(record)
    emit({"kind": "query-memory", "rss_peak_mb": vm_hwm_mb()})
    if spec.get("serialise"):
        try:
            timings = backend.serialise()
        except Exception as error:  # noqa: BLE001
            timings = {"error": f"{type(error).__name__}: {error}"[:300]}
        if timings:
            emit({"kind": "serialise", **timings})
    if cls is NikkanMemory and spec.get("catalogue_overhead"):
        # run_catalogue_query (the Python API) re-reads the catalogue on every call: measure that share.
        from nikkan.query import run_catalogue_query

        entry, values = next((e, v) for e, v in catalogue_with_parameters(dataset_dir) if e.name == "evidence")
        settings = backend.settings()
        api, direct = [], []
        for _ in range(20):
            t0 = time.perf_counter()
            list(run_catalogue_query(settings, backend.store, "evidence", **values))
            api.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            list(backend.store.query(entry.sparql, bind(entry, values, base)))
            direct.append(time.perf_counter() - t0)
        emit({"kind": "api-overhead", "query": "evidence", "run_catalogue_query_p50": percentile(api, 0.5),
              "store_query_p50": percentile(direct, 0.5)})
    emit({"kind": "done", "rss_peak_mb": vm_hwm_mb()})


# =============================================================================== network (child)


def child_network(spec: dict) -> None:
    dataset_dir = Path(spec["dataset"])
    try:
        from nikkan.network.graph import network_graph
        from nikkan.network import analysis
    except Exception as error:  # noqa: BLE001
        emit({"kind": "network", "skipped": f"nikkan.network is not usable: {type(error).__name__}: {error}"})
        return
    from nikkan.settings import Settings
    from nikkan.store import open_store

    settings = Settings(out_dir=dataset_dir)
    store = open_store(settings)
    started = time.perf_counter()
    graph = network_graph(store)
    convert = time.perf_counter() - started
    nodes, edges = graph.number_of_nodes(), graph.number_of_edges()
    k = None if nodes <= spec["exact_betweenness_up_to"] else spec["betweenness_k"]
    record = {"kind": "network", "nodes": nodes, "edges": edges, "convert_s": convert, "betweenness_k": k}
    try:
        started = time.perf_counter()
        call_with_timeout(lambda: analysis.centrality(graph, k=k), spec["timeout"])
        record["centrality_s"] = time.perf_counter() - started
    except Timeout:
        record["centrality_error"] = f"timeout after {spec['timeout']} s"
    try:
        started = time.perf_counter()
        call_with_timeout(lambda: analysis.communities(graph), spec["timeout"])
        record["communities_s"] = time.perf_counter() - started
    except Timeout:
        record["communities_error"] = f"timeout after {spec['timeout']} s"
    emit(record)
    pages = [n for n in spec["page_sizes"] if n <= nodes] or ([nodes] if spec.get("at_least_one_page") else [])
    if not pages:
        return
    try:
        from nikkan.network.pages import Explorer, ViewOptions
    except Exception as error:  # noqa: BLE001
        emit({"kind": "pages", "skipped": f"nikkan.network.pages is not usable: {type(error).__name__}: {error}"})
        return
    order = _bfs_order(graph)
    for size in pages:
        sub = graph.subgraph(order[:size]).copy()
        record = {"kind": "page", "nodes": size, "edges": sub.number_of_edges()}
        try:
            started = time.perf_counter()
            explorer = Explorer(store, settings.base_iri, graph=sub)
            html = call_with_timeout(lambda: explorer.render(explorer.whole_view(), ViewOptions(max_nodes=size)),
                                     spec["page_timeout"])
            record.update(seconds=time.perf_counter() - started, html_mb=len(html.encode("utf-8")) / 2**20)
        except Timeout:
            record["error"] = f"timeout after {spec['page_timeout']} s"
        except Exception as error:  # noqa: BLE001
            record["error"] = f"{type(error).__name__}: {error}"[:300]
        emit(record)


def _bfs_order(graph) -> list[str]:
    """Nodes breadth first from the best-connected one (ties by IRI): connected samples of any size."""
    import networkx as nx

    simple = nx.Graph(graph.to_undirected(as_view=True))
    start = max(simple.nodes, key=lambda n: (simple.degree(n), n))
    seen = {start}
    order, frontier = [start], [start]
    while frontier:
        following = []
        for node in frontier:
            for neighbour in sorted(simple.neighbors(node)):
                if neighbour not in seen:
                    seen.add(neighbour)
                    order.append(neighbour)
                    following.append(neighbour)
        frontier = following
    order += sorted(n for n in simple.nodes if n not in seen)
    return order


# =============================================================================== the build (child)


def child_build(spec: dict) -> None:
    """``build()`` in-process, cold then warm, with the time of each phase."""
    started = time.perf_counter()
    from nikkan.build import pipeline
    from nikkan.settings import Settings

    imported = time.perf_counter() - started
    phases: dict[str, float] = {}
    # Functions the build calls in this process (not those it hands to a helper process, which must pickle).
    wrapped = ["assemble", "union_graph", "validate", "shacl_violations", "quality_violations", "serialise_graph",
               "serialise_dataset", "void_description", "write_atomically"]

    def timed(name, function):
        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                phases[name] = phases.get(name, 0.0) + time.perf_counter() - t0
        return wrapper

    for name in wrapped:
        if hasattr(pipeline, name):
            setattr(pipeline, name, timed(name, getattr(pipeline, name)))
    for run in range(spec["runs"]):
        phases.clear()
        out = Path(spec["scratch"]) / f"build-{run}"
        settings = Settings(out_dir=out)
        t0 = time.perf_counter()
        result = pipeline.build(settings)
        total = time.perf_counter() - t0
        emit({"kind": "build", "run": run, "seconds": total, "import_s": imported if run == 0 else 0.0,
              "triples": result.triples, "phases": dict(phases)})


# =============================================================================== rdflib-endpoint server


def serve_rdflib_endpoint(dataset_dir: Path, port: int) -> None:
    import rdflib
    import uvicorn
    from rdflib_endpoint import SparqlEndpoint

    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(str(dataset_dir / "dataset.nq"), format="nquads")
    app = SparqlEndpoint(graph=dataset, path="/sparql", title="nikkan benchmark (rdflib-endpoint)", cors_enabled=False)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


# =============================================================================== the parent


class Run:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.results: dict = {"started": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                              "machine": machine(), "args": {k: (str(v) if isinstance(v, Path) else v)
                                                             for k, v in vars(args).items()},
                              "sizes": {}, "build": {}, "endpoint": {}, "notes": []}
        self.started = time.perf_counter()
        self.timed_out: dict[tuple[str, str], dict[str, str]] = {}  # (size, backend) → query → why

    def note(self, text: str) -> None:
        print(f"  note: {text}", file=sys.stderr)
        self.results["notes"].append(text)

    def log(self, text: str) -> None:
        print(f"[{time.perf_counter() - self.started:7.1f} s] {text}", file=sys.stderr, flush=True)

    # ------------------------------------------------------------------ datasets

    def dataset(self, label: str, target: int) -> Path:
        from nikkan.synthetic import GENERATOR_VERSION, load_description

        folder = Path(self.args.data_dir) / f"{label}-seed{self.args.seed}-v{GENERATOR_VERSION}"
        try:
            description = load_description(folder)
            if (description["target"], description["seed"], description["version"]) == (target, self.args.seed, GENERATOR_VERSION) \
                    and (folder / "dataset.nq").exists():
                self.log(f"{label}: dataset cached in {folder}")
                return folder
        except (OSError, ValueError, KeyError):
            pass
        self.log(f"{label}: generating {target} statements into {folder}")
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        command = [sys.executable, "-m", "nikkan.synthetic", "--triples", str(target), "--seed", str(self.args.seed),
                   "--out", str(folder)]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"generation failed:\n{done.stdout}\n{done.stderr}")
        seconds = time.perf_counter() - started
        (folder / "generation.json").write_text(json.dumps({"seconds": seconds, "output": done.stdout}))
        return folder

    # ------------------------------------------------------------------ children

    def child(self, mode: str, spec: dict, deadline: float) -> list[dict]:
        """Run a child mode; collect its JSON lines; kill it at the deadline (partial results kept)."""
        command = [sys.executable, str(Path(__file__).resolve()), f"--child-{mode}", json.dumps(spec)]
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        records: list[dict] = []
        errors: list[str] = []

        def read_out():
            for line in process.stdout:
                line = line.strip()
                if line.startswith("{"):
                    try:
                        records.append(json.loads(line))
                    except ValueError:
                        pass

        def read_err():
            for line in process.stderr:
                errors.append(line)

        readers = [threading.Thread(target=read_out, daemon=True), threading.Thread(target=read_err, daemon=True)]
        for reader in readers:
            reader.start()
        try:
            process.wait(timeout=deadline)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            records.append({"kind": "killed", "after_s": deadline})
        for reader in readers:
            reader.join(5)
        if process.returncode not in (0, -9) and not any(r.get("kind") == "killed" for r in records):
            tail = "".join(errors[-15:])
            records.append({"kind": "crashed", "returncode": process.returncode, "stderr": tail[-2000:]})
        return records

    def backends(self, label: str, target: int, folder: Path) -> None:
        from nikkan.settings import DEFAULT_BASE_IRI
        from nikkan.synthetic import load_description

        description = load_description(folder)
        statements = description["statements"]
        size = self.results["sizes"].setdefault(label, {})
        generation = {}
        if (folder / "generation.json").exists():
            generation = json.loads((folder / "generation.json").read_text())
        size["dataset"] = {"target": target, "statements": statements, "documents": description["documents"],
                           "file_mb": (folder / "dataset.nq").stat().st_size / 2**20, "shacl": description["shacl"],
                           "checks": len(description["checks"]), "generation_s": generation.get("seconds"),
                           "folder": str(folder)}
        backends = list(BACKENDS)
        if self.args.remote_url:
            try:
                import nikkan.store.remote  # noqa: F401

                backends.append("remote")
            except Exception as error:  # noqa: BLE001
                self.note(f"remote store skipped: nikkan.store.remote does not import ({error})")
        size["backends"] = {}
        for backend in backends:
            if backend in self.args.skip_backends:
                continue
            spec = self.backend_spec(backend, label, statements, folder)
            spec["base_iri"] = description.get("base_iri", DEFAULT_BASE_IRI)
            self.log(f"{label}: {backend}")
            spec["skip"] = self.skips(label, backend)
            with tempfile.TemporaryDirectory(prefix=f"bench-{backend}-", dir=self.args.scratch) as scratch:
                spec["scratch"] = scratch
                records = self.watched_backend(spec)
            size["backends"][backend] = summarise_backend(records)
            for name, query in size["backends"][backend]["queries"].items():
                if "timeout" in query.get("error", ""):
                    self.timed_out.setdefault((label, backend), {})[name] = query["error"]
            summary = size["backends"][backend]
            if summary.get("load"):
                self.log(f"    load {summary['load']['seconds']:.2f} s, peak {summary['load'].get('rss_peak_mb') or 0:.0f} MiB, "
                         f"queries {sum(1 for q in summary['queries'].values() if 'p50' in q)}/{len(summary['queries'])} measured")
            for problem in summary.get("problems", []):
                self.note(f"{label} {backend}: {problem}")

    def skips(self, label: str, backend: str) -> dict[str, str]:
        """Queries not worth running: those the engine's floor (raw pyoxigraph) could not finish at
        this size, for the other Oxigraph backends; for rdflib, those it could not finish at a smaller size."""
        skip = {}
        if backend not in ("pyoxigraph", "rdflib"):
            for name, why in self.timed_out.get((label, "pyoxigraph"), {}).items():
                skip[name] = f"raw pyoxigraph did not finish it ({why})"
        if backend == "rdflib":
            for (other, engine), names in self.timed_out.items():
                if engine == "rdflib" and other != label:
                    for name, why in names.items():
                        skip[name] = f"rdflib did not finish it at {other} ({why})"
        return skip

    def watched_backend(self, spec: dict) -> list[dict]:
        """Run a backend child; a query running past its timeout (pyoxigraph cannot be interrupted
        from Python) gets the child killed, the query recorded as timed out, and a new child
        goes on with the next queries (it loads the dataset again)."""
        command_spec = dict(spec)
        records: list[dict] = []
        done: list[str] = []
        hard = spec["query_timeout"] + (5 if spec["backend"] != "rdflib" else 30)
        started = time.perf_counter()
        while True:
            command_spec["done"] = done
            lines, reason = self.stream("backend", command_spec, hard, spec["deadline"] - (time.perf_counter() - started))
            current = None
            for record in lines:
                kind = record.get("kind")
                if kind == "load" and any(r.get("kind") == "load" for r in records):
                    record = {**record, "kind": "reload"}
                if kind == "query-start":
                    current = record["name"]
                    continue
                if kind == "query":
                    done.append(record["name"])
                    current = None
                records.append(record)
            if reason is None:
                return records
            if current is not None and reason == "query":
                done.append(current)
                records.append({"kind": "query", "name": current,
                                "error": f"timeout after {spec['query_timeout']:g} s (process killed)"})
                continue
            records.append({"kind": "killed", "reason": reason, "during": current})
            return records

    def stream(self, mode: str, spec: dict, inactivity: float, deadline: float) -> tuple[list[dict], str | None]:
        """Run a child; kill it when a query runs longer than ``inactivity`` or at ``deadline``.

        Returns its records and why it was killed (``query``, ``deadline``), or None if it ended.
        """
        import queue

        command = [sys.executable, str(Path(__file__).resolve()), f"--child-{mode}", json.dumps(spec)]
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines: queue.Queue = queue.Queue()
        errors: list[str] = []

        def read_out():
            for line in process.stdout:
                lines.put(line)
            lines.put(None)

        def read_err():
            for line in process.stderr:
                errors.append(line)

        threading.Thread(target=read_out, daemon=True).start()
        threading.Thread(target=read_err, daemon=True).start()
        records, in_query_since, reason = [], None, None
        started = time.perf_counter()
        while True:
            try:
                line = lines.get(timeout=1.0)
            except queue.Empty:
                line = ""
            if line is None:
                break
            if line.strip().startswith("{"):
                try:
                    record = json.loads(line)
                except ValueError:
                    record = None
                if record is not None:
                    records.append(record)
                    in_query_since = time.perf_counter() if record.get("kind") == "query-start" else None
            now = time.perf_counter()
            if in_query_since is not None and now - in_query_since > inactivity:
                reason = "query"
            elif now - started > deadline:
                reason = "deadline"
            if reason:
                process.kill()
                break
        process.wait()
        if reason is None and process.returncode != 0:
            records.append({"kind": "crashed", "returncode": process.returncode, "stderr": "".join(errors[-15:])[-2000:]})
        return records, reason

    def backend_spec(self, backend: str, label: str, statements: int, folder: Path) -> dict:
        # Defaults sized so that the default run (10k, 100k, 1m) takes about 25 minutes here.
        quick, big, medium = self.args.quick, statements >= 500_000, statements >= 50_000
        reps = self.args.reps or (1 if quick else (5 if big else 10))
        budget = 2.0  # seconds of repetitions per query after its warm-up run
        timeout = 20.0 if big else 30.0
        deadline = 1800.0
        total_budget = None
        if backend in ("pyoxigraph-disk", "nikkan-disk"):
            reps = self.args.reps or (1 if quick or big else 3)
            timeout = 10.0 if medium else 30.0
        elif backend == "oxrdflib":
            reps = self.args.reps or (1 if quick else (3 if big else 5))
        elif backend == "rdflib":
            reps = self.args.reps or (1 if quick or big else (3 if medium else 5))
            timeout = self.args.rdflib_timeout or (1.0 if quick else (15.0 if medium else 30.0))
            total_budget = None if quick else (120.0 if big else (150.0 if medium else 240.0))
        return {"backend": backend, "dataset": str(folder), "statements": statements, "reps": reps,
                "query_budget": budget, "query_timeout": timeout, "deadline": deadline, "total_budget": total_budget,
                "serialise": backend in ("nikkan-memory", "rdflib"), "catalogue_overhead": backend == "nikkan-memory",
                "remote_url": self.args.remote_url}

    def network(self, label: str, folder: Path) -> None:
        spec = {"dataset": str(folder), "exact_betweenness_up_to": 2000, "betweenness_k": 100,
                "timeout": 300 if not self.args.quick else 60,
                "page_sizes": [500] if self.args.quick else list(PAGE_SIZES), "at_least_one_page": self.args.quick,
                "page_timeout": 60}
        self.log(f"{label}: network")
        records = self.child("network", spec, deadline=1200)
        size = self.results["sizes"][label]
        size["network"] = next((r for r in records if r.get("kind") == "network"), None)
        size["pages"] = [r for r in records if r.get("kind") in ("page", "pages")]
        for record in records:
            if record.get("kind") in ("killed", "crashed"):
                self.note(f"{label} network: {record}")

    # ------------------------------------------------------------------ the build

    def build(self) -> None:
        self.log("build of the seed document")
        with tempfile.TemporaryDirectory(prefix="bench-build-", dir=self.args.scratch) as scratch:
            records = self.child("build", {"scratch": scratch, "runs": 1 if self.args.quick else 3}, deadline=600)
            builds = [r for r in records if r.get("kind") == "build"]
            self.results["build"]["in_process"] = builds
            end_to_end = {}
            if not self.args.quick:
                for label, extra in (("build_graph.py", []), ("build_graph.py --no-docs", ["--no-docs"])):
                    times = []
                    for run in range(3):
                        out = Path(scratch) / f"e2e-{len(extra)}-{run}"
                        t0 = time.perf_counter()
                        done = subprocess.run([sys.executable, "build_graph.py", "--out-dir", str(out), *extra], cwd=ROOT,
                                              capture_output=True, text=True)
                        times.append(time.perf_counter() - t0)
                        if done.returncode != 0:
                            self.note(f"{label} failed: {done.stderr[-500:]}")
                            break
                    end_to_end[label] = {"runs": times, "median": statistics.median(times)}
                t0 = time.perf_counter()
                subprocess.run([sys.executable, "-c", "import nikkan.build.cli"], cwd=ROOT, check=True)
                end_to_end["python -c 'import nikkan.build.cli'"] = {"runs": [time.perf_counter() - t0],
                                                                     "median": time.perf_counter() - t0}
            self.results["build"]["end_to_end"] = end_to_end
            for record in records:
                if record.get("kind") in ("killed", "crashed"):
                    self.note(f"build: {record}")

    # ------------------------------------------------------------------ the endpoint under load

    def endpoint(self, label: str, folder: Path) -> None:
        from nikkan.query.params import bind
        from nikkan.settings import DEFAULT_BASE_IRI

        queries, rewritten = [], {}
        for entry, values in catalogue_with_parameters(folder):
            text = inline_values(entry.sparql, bind(entry, values, DEFAULT_BASE_IRI))
            if entry.name in LOAD_TEST_QUERIES:
                queries.append((entry.name, text))
            elif entry.name.startswith("proposed/"):
                rewritten[entry.name.split("/", 1)[1]] = text
        queries.append(("ask-summit", "ASK { ?e a <https://w3id.org/nikkan/ontology#Summit> }"))
        proposed_mix = [(f"proposed/{name}" if name in rewritten else name, rewritten.get(name, text)) for name, text in queries]
        duration = self.args.load_duration or (2.0 if self.args.quick else 12.0)
        max_requests = 64 if self.args.quick else 20000
        results = self.results["endpoint"].setdefault(label, {})
        servers = [("nikkan", self.start_nikkan_endpoint, queries)]
        if proposed_mix != queries and not self.args.quick:
            servers.append(("nikkan, proposed rewrites", self.start_nikkan_endpoint, proposed_mix))
        if not self.args.skip_rdflib_endpoint:
            servers.append(("rdflib-endpoint", self.start_rdflib_endpoint, queries))
        for name, start, mix in servers:
            self.log(f"{label}: endpoint load test against {name} ({duration:g} s, {LOAD_TEST_CLIENTS} clients)")
            try:
                process, url, startup = start(folder)
            except Exception as error:  # noqa: BLE001
                results[name] = {"error": f"did not start: {error}"}
                self.note(f"{label} {name}: did not start: {error}")
                continue
            try:
                outcome = load_test(url, mix, LOAD_TEST_CLIENTS, duration, max_requests,
                                    client_timeout=60.0 if not self.args.quick else 5.0)
                outcome["startup_s"] = startup
                results[name] = outcome
                self.log(f"    {outcome['ok']} ok, {outcome['errors']} errors, {outcome['requests_per_s']:.1f} req/s")
            finally:
                # rdflib-endpoint would finish its queued queries first: no point waiting for them.
                stop(process, grace=2.0 if name == "rdflib-endpoint" else 15.0)

    def start_nikkan_endpoint(self, folder: Path):
        port = free_port()
        command = [sys.executable, "-m", "nikkan.endpoint", "--out-dir", str(folder), "--host", "127.0.0.1",
                   "--port", str(port), "--timeout", "30", "--max-rows", "10000", "--log-level", "warning"]
        if self.args.endpoint_workers:
            command += ["--workers", str(self.args.endpoint_workers)]
        return start_server(command, port)

    def start_rdflib_endpoint(self, folder: Path):
        try:
            import rdflib_endpoint  # noqa: F401
        except ImportError as error:
            raise RuntimeError(f"rdflib-endpoint is not installed ({error}); pip install rdflib-endpoint==0.6.3") from None
        port = free_port()
        command = [sys.executable, str(Path(__file__).resolve()), "--serve-rdflib-endpoint", str(folder), "--port", str(port)]
        return start_server(command, port)

    # ------------------------------------------------------------------ report

    def finish(self) -> tuple[Path, Path]:
        self.results["seconds"] = time.perf_counter() - self.started
        self.results["targets"] = evaluate_targets(self.results)
        out = Path(self.args.out)
        out.mkdir(parents=True, exist_ok=True)
        json_path, md_path = out / "latest.json", out / "latest.md"
        write_atomically(json_path, json.dumps(self.results, ensure_ascii=False, indent=1, default=str) + "\n")
        write_atomically(md_path, markdown(self.results))
        return json_path, md_path


def summarise_backend(records: list[dict]) -> dict:
    summary: dict = {"queries": {}, "problems": []}
    for record in records:
        kind = record.get("kind")
        if kind == "load":
            summary["load"] = record
        elif kind == "reload":
            summary["reloads"] = summary.get("reloads", 0) + 1
        elif kind == "query":
            summary["queries"][record["name"]] = {k: v for k, v in record.items() if k not in ("kind", "name")}
            if "error" in record:
                summary["problems"].append(f"{record['name']}: {record['error']}")
        elif kind in ("serialise", "api-overhead"):
            summary[kind] = {k: v for k, v in record.items() if k != "kind"}
        elif kind == "query-memory":
            summary["query_rss_peak_mb"] = record.get("rss_peak_mb")
        elif kind == "done":
            summary["rss_peak_mb"] = record.get("rss_peak_mb")
        elif kind in ("killed", "crashed"):
            summary["problems"].append(f"{kind}: {json.dumps(record)[:600]}")
    if "load" not in summary:
        summary["problems"].append("did not load")
    return summary


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(command: list[str], port: int, deadline: float = 900.0):
    import httpx

    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/sparql"
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}: {process.stderr.read()[-1000:]}")
        try:
            response = httpx.get(url, params={"query": "ASK { ?s ?p ?o }"},
                                 headers={"Accept": "application/sparql-results+json"}, timeout=5)
            if response.status_code == 200:
                return process, url, time.perf_counter() - started
        except httpx.HTTPError:
            pass
        if time.perf_counter() - started > deadline:
            stop(process)
            raise RuntimeError(f"not ready after {deadline} s")
        time.sleep(0.1)


def stop(process: subprocess.Popen, grace: float = 15.0) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def load_test(url: str, queries: list[tuple[str, str]], clients: int, duration: float, max_requests: int,
              client_timeout: float) -> dict:
    """``clients`` threads, each with its own HTTP client, sending the queries round robin for ``duration``."""
    import httpx

    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    per_query: dict[str, list[float]] = {}
    sent = [0]
    stop_at = time.perf_counter() + duration

    def worker(index: int) -> None:
        with httpx.Client(timeout=client_timeout, headers={"Accept": "application/sparql-results+json"}) as client:
            position = index
            while time.perf_counter() < stop_at:
                with lock:
                    if sent[0] >= max_requests:
                        return
                    sent[0] += 1
                name, sparql = queries[position % len(queries)]
                position += 1
                t0 = time.perf_counter()
                try:
                    response = client.post(url, data={"query": sparql})
                    ok = response.status_code == 200 and (b'"results"' in response.content or b'"boolean"' in response.content)
                    problem = None if ok else f"{name}: HTTP {response.status_code} {response.text[:120]!r}"
                except httpx.HTTPError as error:
                    problem = f"{name}: {type(error).__name__}"
                elapsed = time.perf_counter() - t0
                with lock:
                    if problem:
                        errors.append(problem)
                    else:
                        latencies.append(elapsed)
                        per_query.setdefault(name, []).append(elapsed)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + client_timeout + 30)
    elapsed = time.perf_counter() - started
    return {"clients": clients, "duration_s": elapsed, "ok": len(latencies), "errors": len(errors),
            "error_examples": sorted(set(errors))[:5], "requests_per_s": len(latencies) / elapsed,
            "p50_ms": 1000 * (percentile(latencies, 0.5) or 0), "p95_ms": 1000 * (percentile(latencies, 0.95) or 0),
            "per_query_p50_ms": {k: 1000 * percentile(v, 0.5) for k, v in sorted(per_query.items())},
            "queries": [name for name, _ in queries]}


def write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def machine() -> dict:
    import importlib.metadata as metadata

    info = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()}
    try:
        info["memory_gib"] = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError):
        pass
    try:
        info["cpu"] = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                           if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    for package in ("pyoxigraph", "rdflib", "oxrdflib", "networkx", "pyvis", "uvicorn", "starlette", "rdflib-endpoint"):
        try:
            info[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            info[package] = None
    return info


# =============================================================================== targets and report


def _p50(size: dict, backend: str, query: str) -> float | None:
    return ((size.get("backends", {}).get(backend) or {}).get("queries", {}).get(query) or {}).get("p50")


def _load(size: dict, backend: str) -> dict:
    return (size.get("backends", {}).get(backend) or {}).get("load") or {}


def geomean(values: list[float]) -> float | None:
    values = [v for v in values if v and v > 0]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def query_ratios(size: dict, numerator: str, denominator: str) -> dict[str, float]:
    ratios = {}
    for name in (size.get("backends", {}).get(denominator) or {}).get("queries", {}):
        a, b = _p50(size, numerator, name), _p50(size, denominator, name)
        if a and b:
            ratios[name] = a / b
    return ratios


def evaluate_targets(results: dict) -> list[dict]:
    """Each target of the issue: measured value, met or not."""
    out = []
    sizes = results["sizes"]
    limit = TARGETS["ratio_vs_raw"]
    for label, size in sizes.items():
        raw, ours = _load(size, "pyoxigraph"), _load(size, "nikkan-memory")
        if raw and ours:
            ratio = ours["seconds"] / raw["seconds"]
            out.append({**_target(f"{label}: load, nikkan-memory vs raw pyoxigraph", ratio, limit, "≤", "×"),
                        "met": ratio <= limit or ours["seconds"] - raw["seconds"] < 0.05})
            if raw.get("rss_peak_mb") and ours.get("rss_peak_mb"):
                out.append(_target(f"{label}: peak memory of the load, nikkan-memory vs raw pyoxigraph",
                                   ours["rss_peak_mb"] / raw["rss_peak_mb"], limit, "≤", "×"))
        raw_disk, ours_disk = _load(size, "pyoxigraph-disk"), _load(size, "nikkan-disk")
        if raw_disk and ours_disk:
            out.append(_target(f"{label}: load, nikkan-disk vs raw pyoxigraph on disk", ours_disk["seconds"] / raw_disk["seconds"], limit, "≤", "×"))
        ratios = query_ratios(size, "nikkan-memory", "pyoxigraph")
        if ratios:
            # Sub-millisecond queries are dominated by noise: judge them with an absolute slack of 0.5 ms.
            worst = max(ratios, key=ratios.get)
            slack = [n for n, r in ratios.items() if r > limit
                     and _p50(size, "nikkan-memory", n) - _p50(size, "pyoxigraph", n) > 0.0005]
            out.append({"target": f"{label}: every catalogue query p50, nikkan-memory vs raw pyoxigraph ≤ {limit}× (or ≤ 0.5 ms slower)",
                        "value": f"geomean {geomean(list(ratios.values())):.2f}×, worst {ratios[worst]:.2f}× ({worst})",
                        "met": not slack, "detail": slack})
        disk_ratios = query_ratios(size, "nikkan-disk", "pyoxigraph-disk")
        if disk_ratios:
            slack = [n for n, r in disk_ratios.items() if r > limit
                     and _p50(size, "nikkan-disk", n) - _p50(size, "pyoxigraph-disk", n) > 0.0005]
            out.append({"target": f"{label}: every catalogue query p50, nikkan-disk vs raw pyoxigraph on disk ≤ {limit}× (or ≤ 0.5 ms slower)",
                        "value": f"geomean {geomean(list(disk_ratios.values())):.2f}×", "met": not slack, "detail": slack})
        statements = size.get("dataset", {}).get("statements", 0)
        rdflib_load = _load(size, "rdflib")
        if statements >= 100_000 and rdflib_load and ours:
            out.append(_target(f"{label}: load, rdflib's default store vs nikkan-memory", rdflib_load["seconds"] / ours["seconds"],
                               TARGETS["speedup_vs_rdflib"], "≥", "×"))
            speedups = query_ratios(size, "rdflib", "nikkan-memory")
            timeouts = [n for n, q in (size["backends"].get("rdflib") or {}).get("queries", {}).items() if "error" in q]
            if speedups or timeouts:
                slowest = min(speedups, key=speedups.get) if speedups else None
                met = bool(speedups) and min(speedups.values()) >= TARGETS["speedup_vs_rdflib"]
                out.append({"target": f"{label}: every catalogue query p50, rdflib's default store vs nikkan-memory ≥ {TARGETS['speedup_vs_rdflib']:g}×",
                            "value": (f"geomean {geomean(list(speedups.values())):.0f}×, least {speedups[slowest]:.1f}× ({slowest})"
                                      if speedups else "") + (f"; rdflib timed out on {', '.join(timeouts)}" if timeouts else ""),
                            "met": met})
        if statements >= 1_000_000 and ours:
            out.append(_target(f"{label}: load of nikkan-memory (s)", ours["seconds"], TARGETS["load_1m_s"], "≤", " s"))
            queries = (size["backends"].get("nikkan-memory") or {}).get("queries", {})
            selective = {n: q for n, q in queries.items() if q.get("rows") is not None and q["rows"] <= SELECTIVE_ROWS}
            unfinished = sorted(n for n, q in queries.items() if q.get("rows") is None)
            slow = {n: round(q["p50"] * 1000, 1) for n, q in selective.items()
                    if q.get("p50") and q["p50"] * 1000 > TARGETS["selective_p50_ms"]}
            out.append({"target": f"{label}: every selective catalogue query (≤ {SELECTIVE_ROWS} rows) p50 ≤ {TARGETS['selective_p50_ms']:g} ms, nikkan-memory",
                        "value": f"{len(selective) - len(slow)} of {len(selective)} selective queries within; over: "
                                 + (", ".join(f"{n} {v:g} ms" for n, v in slow.items()) or "none")
                                 + (f"; did not finish (rows unknown): {', '.join(unfinished)}" if unfinished else ""),
                        "met": not slow and not unfinished, "detail": slow})
        pages = {p["nodes"]: p for p in size.get("pages", []) if p.get("kind") == "page"}
        if 2000 in pages and "seconds" in pages[2000]:
            out.append(_target(f"{label}: a 2,000-node page (s)", pages[2000]["seconds"], TARGETS["page_2000_s"], "≤", " s"))
    build = results.get("build", {})
    e2e = build.get("end_to_end", {}).get("build_graph.py")
    if e2e:
        out.append(_target("seed document: python build_graph.py end to end (s, median of 3)", e2e["median"], TARGETS["build_s"], "≤", " s"))
    warm = [b for b in build.get("in_process", []) if b.get("run", 0) > 0] or build.get("in_process", [])
    if warm:
        out.append(_target("seed document: build() in-process, warm (s)", min(b["seconds"] for b in warm), TARGETS["build_s"], "≤", " s"))
    for label, servers in results.get("endpoint", {}).items():
        ours, theirs = servers.get("nikkan") or {}, servers.get("rdflib-endpoint") or {}
        if ours.get("requests_per_s") is not None and theirs.get("requests_per_s"):
            ratio = ours["requests_per_s"] / theirs["requests_per_s"]
            out.append({"target": f"{label}: endpoint throughput vs rdflib-endpoint ≥ {TARGETS['endpoint_ratio']:g}× with zero errors",
                        "value": f"{ratio:.1f}× ({ours['requests_per_s']:.1f} vs {theirs['requests_per_s']:.1f} req/s), "
                                 f"{ours['errors']} errors (rdflib-endpoint: {theirs['errors']})",
                        "met": ratio >= TARGETS["endpoint_ratio"] and ours["errors"] == 0})
    return out


def _target(name: str, value: float, limit: float, relation: str, unit: str) -> dict:
    met = value <= limit if relation == "≤" else value >= limit
    return {"target": f"{name} {relation} {limit:g}{unit.strip()}", "value": f"{value:.2f}{unit.strip() if unit != '×' else '×'}",
            "met": met}


def _ms(seconds) -> str:
    if seconds is None:
        return "–"
    ms = seconds * 1000
    return f"{ms:.2f}" if ms < 10 else f"{ms:.1f}" if ms < 100 else f"{ms:.0f}"


def _s(seconds, digits: int = 2) -> str:
    return "–" if seconds is None else f"{seconds:.{digits}f}"


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [
        "# nikkan benchmark",
        "",
        f"Run {results['started']} in {results.get('seconds', 0) / 60:.1f} min on {m.get('cpus')} CPUs"
        f" ({m.get('cpu', '?')}), {m.get('memory_gib', '?')} GiB, Python {m.get('python')}; "
        f"pyoxigraph {m.get('pyoxigraph')}, rdflib {m.get('rdflib')}, oxrdflib {m.get('oxrdflib')}, "
        f"rdflib-endpoint {m.get('rdflib-endpoint')}. Seed {results['args'].get('seed')}"
        + (" (quick run)" if results["args"].get("quick") else "") + ".",
        "",
        "Reproduce: `.venv/bin/python benchmarks/run.py"
        + (f" --sizes {results['args']['sizes']}" if results["args"].get("sizes") != DEFAULT_SIZES else "") + "`",
        "",
        "## Targets",
        "",
        "| target | measured | met |",
        "| --- | --- | --- |",
    ]
    for target in results.get("targets", []):
        lines.append(f"| {target['target']} | {target['value']} | {'yes' if target['met'] else '**no**'} |")
    lines += ["", "## Datasets", "", "| size | statements | documents | dataset.nq | generated in | SHACL |", "| --- | ---: | ---: | ---: | ---: | --- |"]
    for label, size in results["sizes"].items():
        d = size.get("dataset", {})
        lines.append(f"| {label} | {d.get('statements', 0):,} | {d.get('documents')} | {d.get('file_mb', 0):.0f} MiB "
                     f"| {_s(d.get('generation_s'), 0)} s | {d.get('shacl')} |")
    lines += ["", "## Load", "",
              "Each backend in a fresh process; peak RSS is VmHWM during the load (the process's baseline after imports in brackets).", "",
              "| size | backend | load (s) | statements/s | peak RSS (MiB) | vs raw pyoxigraph |", "| --- | --- | ---: | ---: | ---: | ---: |"]
    for label, size in results["sizes"].items():
        raw = _load(size, "pyoxigraph")
        raw_disk = _load(size, "pyoxigraph-disk")
        for backend, summary in size.get("backends", {}).items():
            load = summary.get("load")
            if not load:
                lines.append(f"| {label} | {backend} | failed | | | |")
                continue
            reference = raw_disk if backend in ("pyoxigraph-disk", "nikkan-disk") else raw
            ratio = f"{load['seconds'] / reference['seconds']:.2f}×" if reference else "–"
            lines.append(f"| {label} | {backend} | {load['seconds']:.2f} | {load['per_second']:,.0f} | "
                         f"{load.get('rss_peak_mb') or 0:.0f} ({load.get('rss_base_mb') or 0:.0f}) | {ratio} |")
    for label, size in results["sizes"].items():
        backends = [b for b in size.get("backends", {}) if size["backends"][b].get("queries")]
        if not backends:
            continue
        lines += ["", f"## Catalogue queries, {label} ({size['dataset']['statements']:,} statements)", "",
                  "p50 in ms (p95 in brackets); rows as returned by raw pyoxigraph; ✗ marks an answer that differs from raw pyoxigraph's.", "",
                  "| query | rows | " + " | ".join(backends) + " | nikkan / raw | rdflib / nikkan |",
                  "| --- | ---: | " + " | ".join("---:" for _ in backends) + " | ---: | ---: |"]
        names = list((size["backends"].get("pyoxigraph") or size["backends"][backends[0]])["queries"])
        for name in names:
            reference = (size["backends"].get("pyoxigraph") or {}).get("queries", {}).get(name, {})
            cells = []
            for backend in backends:
                q = size["backends"][backend]["queries"].get(name, {})
                if "skipped" in q:
                    cells.append("skipped")
                    continue
                if "error" in q:
                    cells.append(f"> {q['error'].split('after ')[1].split(' s')[0]} s" if "timeout" in q["error"] else "error")
                    continue
                mark = " ✗" if reference.get("digest") and q.get("digest") and q["digest"] != reference["digest"] else ""
                cells.append(f"{_ms(q.get('p50'))} ({_ms(q.get('p95'))}){mark}")
            ours, raw, slow = _p50(size, "nikkan-memory", name), _p50(size, "pyoxigraph", name), _p50(size, "rdflib", name)
            lines.append(f"| {name} | {reference.get('rows', '–')} | " + " | ".join(cells) + " | "
                         + (f"{ours / raw:.2f}×" if ours and raw else "–") + " | "
                         + (f"{slow / ours:.0f}×" if slow and ours else "–") + " |")
        overhead = (size["backends"].get("nikkan-memory") or {}).get("api-overhead")
        if overhead:
            lines += ["", f"`run_catalogue_query` (Python API) p50 {_ms(overhead['run_catalogue_query_p50'])} ms vs "
                          f"`store.query` {_ms(overhead['store_query_p50'])} ms for `evidence` (the difference: it re-reads `queries/*.rq` on every call)."]
    lines += ["", "## Serialisation", "", "Whole dataset (N-Quads, TriG) and the union graph (Turtle, N-Triples), in seconds.", "",
              "| size | backend | N-Quads | TriG | Turtle | N-Triples |", "| --- | --- | ---: | ---: | ---: | ---: |"]
    for label, size in results["sizes"].items():
        for backend, summary in size.get("backends", {}).items():
            s = summary.get("serialise")
            if s and "error" not in s:
                lines.append(f"| {label} | {backend} | {_s(s.get('nquads'))} | {_s(s.get('trig'))} | {_s(s.get('turtle'))} | {_s(s.get('ntriples'))} |")
    lines += ["", "## Network", "", "| size | nodes | edges | to networkx (s) | centrality (s) | betweenness k | communities (s) |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for label, size in results["sizes"].items():
        n = size.get("network") or {}
        if n.get("skipped"):
            lines.append(f"| {label} | skipped: {n['skipped']} | | | | | |")
        elif n:
            lines.append(f"| {label} | {n['nodes']:,} | {n['edges']:,} | {_s(n.get('convert_s'))} | "
                         f"{_s(n.get('centrality_s')) if 'centrality_s' in n else n.get('centrality_error')} | {n.get('betweenness_k') or 'exact'} | "
                         f"{_s(n.get('communities_s')) if 'communities_s' in n else n.get('communities_error')} |")
    pages = [(label, p) for label, size in results["sizes"].items() for p in size.get("pages", [])]
    if pages:
        lines += ["", "Pages (pyvis, whole view of a connected sample of the graph):", "",
                  "| size | nodes | edges | generated in (s) | page (MiB) |", "| --- | ---: | ---: | ---: | ---: |"]
        for label, p in pages:
            if p.get("kind") == "pages":
                lines.append(f"| {label} | skipped: {p.get('skipped')} | | | |")
            else:
                lines.append(f"| {label} | {p['nodes']:,} | {p.get('edges', 0):,} | {_s(p.get('seconds')) if 'seconds' in p else p.get('error')} | {_s(p.get('html_mb'), 1)} |")
    build = results.get("build", {})
    if build:
        lines += ["", "## Build of the seed document", ""]
        for label, e in build.get("end_to_end", {}).items():
            lines.append(f"- `{label}`: median {e['median']:.2f} s ({', '.join(f'{t:.2f}' for t in e['runs'])})")
        for b in build.get("in_process", []):
            phases = ", ".join(f"{k} {v:.2f}" for k, v in sorted(b["phases"].items(), key=lambda kv: -kv[1]))
            lines.append(f"- `build()` in-process, run {b['run'] + 1}{' (cold: includes lazy imports)' if b['run'] == 0 else ''}: "
                         f"{b['seconds']:.2f} s" + (f" (+ {b['import_s']:.2f} s importing the pipeline)" if b.get("import_s") else "")
                         + f"; phases (s): {phases}")
    if results.get("endpoint"):
        lines += ["", "## Endpoint under load", "",
                  f"{LOAD_TEST_CLIENTS} concurrent clients (threads, one httpx client each) on loopback, POST form queries, "
                  "a round robin of selective catalogue queries with parameters as VALUES, plus an ASK "
                  "(`nikkan, proposed rewrites`: the same mix with `benchmarks/proposed-queries/` where one exists).", "",
                  "| size | server | requests/s | ok | errors | p50 (ms) | p95 (ms) | startup (s) |", "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for label, servers in results["endpoint"].items():
            for name, r in servers.items():
                if "error" in r:
                    lines.append(f"| {label} | {name} | {r['error']} | | | | | |")
                else:
                    lines.append(f"| {label} | {name} | {r['requests_per_s']:.1f} | {r['ok']} | {r['errors']} | {r['p50_ms']:.0f} | "
                                 f"{r['p95_ms']:.0f} | {r.get('startup_s', 0):.1f} |")
    disagreements = []
    for label, size in results["sizes"].items():
        reference = (size.get("backends", {}).get("pyoxigraph") or {}).get("queries", {})
        for backend, summary in size.get("backends", {}).items():
            for name, q in summary.get("queries", {}).items():
                if q.get("digest") and reference.get(name, {}).get("digest") and q["digest"] != reference[name]["digest"]:
                    disagreements.append(f"{label} {backend} {name}: {q.get('distinct_rows')} distinct rows vs {reference[name].get('distinct_rows')}")
    for label, size in results["sizes"].items():
        for backend, summary in size.get("backends", {}).items():
            for name, q in summary.get("queries", {}).items():
                if name.startswith("proposed/") and q.get("digest"):
                    original = summary["queries"].get(name.split("/", 1)[1], {})
                    if original.get("digest") and original["digest"] != q["digest"]:
                        disagreements.append(f"{label} {backend} {name}: answers differ from the catalogue query's")
    lines += ["", "## Answers", "",
              "Every backend's answers are normalised (terms as text, GROUP_CONCAT values sorted, integer subtypes as xsd:integer) and "
              "compared as sets with raw pyoxigraph's; each proposed rewrite (`benchmarks/proposed-queries/`) with its catalogue query's on the same backend."]
    lines += [f"- differs: {d}" for d in disagreements] or ["- all backends agree on every query they answered."]
    if results.get("notes"):
        lines += ["", "## Notes", ""] + [f"- {note}" for note in results["notes"]]
    return "\n".join(lines) + "\n"


# =============================================================================== entry point


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="benchmarks/run.py", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=None, help=f"comma-separated sizes (default {DEFAULT_SIZES}; --quick: 10k); 10m only when named")
    parser.add_argument("--quick", action="store_true", help="smoke run: smallest size, 2 repetitions, short load test, no end-to-end builds")
    parser.add_argument("--remote-url", help="also benchmark a SPARQL 1.1 server through nikkan.store.remote (its dataset graphs are REPLACED)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reps", type=int, default=None, help="repetitions per query (default 10, 5 at 1M; fewer on disk and for rdflib)")
    parser.add_argument("--rdflib-timeout", type=float, default=None, help="seconds before an rdflib query is abandoned (default 30, 15 from 100k)")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, help=f"cache of generated datasets (default {DEFAULT_DATA_DIR})")
    parser.add_argument("--scratch", type=Path, default=None, help="where temporary stores go (default: the system's temp folder)")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help=f"where latest.json and latest.md go (default {RESULTS_DIR.relative_to(ROOT)})")
    parser.add_argument("--load-test-sizes", default=None, help="sizes of the endpoint load test (default 10k,100k of those run; --quick: the smallest)")
    parser.add_argument("--load-duration", type=float, default=None, help="seconds per server in the load test (default 12; --quick: 2)")
    parser.add_argument("--endpoint-workers", type=int, default=None, help="query workers of the nikkan endpoint (default: its own default)")
    parser.add_argument("--skip-backends", default="", help="comma-separated backends to leave out")
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--skip-network", action="store_true")
    parser.add_argument("--skip-endpoint", action="store_true")
    parser.add_argument("--skip-rdflib-endpoint", action="store_true")
    parser.add_argument("--child-backend", help=argparse.SUPPRESS)
    parser.add_argument("--child-network", help=argparse.SUPPRESS)
    parser.add_argument("--child-build", help=argparse.SUPPRESS)
    parser.add_argument("--serve-rdflib-endpoint", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.skip_backends = [b for b in args.skip_backends.split(",") if b]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child_backend:
        child_backend(json.loads(args.child_backend))
        return 0
    if args.child_network:
        child_network(json.loads(args.child_network))
        return 0
    if args.child_build:
        child_build(json.loads(args.child_build))
        return 0
    if args.serve_rdflib_endpoint:
        serve_rdflib_endpoint(args.serve_rdflib_endpoint, args.port)
        return 0

    from nikkan.synthetic import SIZES, parse_size, size_label

    if args.sizes is None:
        args.sizes = "10k" if args.quick else DEFAULT_SIZES
    labels = [s.strip().lower() for s in args.sizes.split(",") if s.strip()]
    sizes = [(size_label(parse_size(s)), parse_size(s)) for s in labels]
    if args.load_test_sizes is None:
        load_sizes = [sizes[0][0]] if args.quick else [label for label, _ in sizes if label in ("10k", "100k")]
    else:
        load_sizes = [size_label(parse_size(s)) for s in args.load_test_sizes.split(",") if s.strip()]
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    if args.scratch:
        Path(args.scratch).mkdir(parents=True, exist_ok=True)
    run = Run(args)
    folders = {}
    try:
        for label, target in sizes:
            folders[label] = run.dataset(label, target)
            run.backends(label, target, folders[label])
            if not args.skip_network:
                run.network(label, folders[label])
        if not args.skip_build:
            run.build()
        if not args.skip_endpoint:
            for label in load_sizes:
                if label not in folders:
                    folders[label] = run.dataset(label, parse_size(label))
                run.endpoint(label, folders[label])
    except KeyboardInterrupt:
        run.note("interrupted: partial results")
    json_path, md_path = run.finish()
    run.log(f"wrote {json_path} and {md_path}")
    for target in run.results["targets"]:
        print(f"{'met   ' if target['met'] else 'MISSED'} {target['target']}: {target['value']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
