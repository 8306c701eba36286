"""The backends measured, and measuring one: load, every catalogue query, serialisation.

:func:`child_backend` runs in a fresh process (``run.py --child-backend SPEC``) and emits one
record a result; :func:`measure_backend` runs it from the parent (again after a query that
could not be interrupted), :func:`summarise_backend` turns the records into the results.
"""

from __future__ import annotations

import importlib
import json
import shutil
import time
from pathlib import Path

from answer_digests import digest, normalise_rows
from children import emit, run_child
from datasets import catalogue_with_parameters
from measure import Timeout, call_with_timeout, percentile, reset_hwm, vm_hwm_mb, vm_rss_mb

BACKENDS = ("pyoxigraph", "pyoxigraph-disk", "nikkan-memory", "nikkan-disk", "oxrdflib", "rdflib")


class Backend:
    name = ""
    #: Modules imported before the load is timed, so that it measures loading (and its own peak memory).
    preload: tuple[str, ...] = ()

    def __init__(self, spec: dict):
        self.dataset_dir = Path(spec["dataset"])
        self.dataset_file = self.dataset_dir / "dataset.nq"
        self.scratch = Path(spec["scratch"])
        self.statements = spec["statements"]

    def load(self) -> None:
        raise NotImplementedError

    def select(self, sparql: str, bindings: dict) -> tuple[list[str], list[tuple]]:
        raise NotImplementedError

    def serialise(self) -> dict[str, float]:
        raise NotImplementedError


class RawPyoxigraph(Backend):
    """pyoxigraph on its own: the floor."""

    name = "pyoxigraph"

    def load(self) -> None:
        import pyoxigraph as ox

        self.ox = ox
        self.store = self.new_store()
        self.store.bulk_load(path=str(self.dataset_file), format=ox.RdfFormat.N_QUADS)

    def new_store(self):
        return self.ox.Store()

    def select(self, sparql, bindings):
        from nikkan.sparqltext import with_values  # the same query text the project's stores run

        result = self.store.query(with_values(sparql, bindings) if bindings else sparql, use_default_graph_as_union=True)
        variables = [v.value for v in result.variables]
        return variables, [tuple(solution) for solution in result]


class RawPyoxigraphDisk(RawPyoxigraph):
    name = "pyoxigraph-disk"

    def new_store(self):
        path = self.scratch / "raw-oxigraph"
        shutil.rmtree(path, ignore_errors=True)
        return self.ox.Store(str(path))

    def load(self) -> None:
        super().load()
        self.store.flush()


def _time_output(timings: dict, label: str, produce) -> None:
    """``timings[label]``: seconds ``produce()`` took; ``timings[label_mb]``: the size of what it made."""
    started = time.perf_counter()
    data = produce()
    timings[label] = time.perf_counter() - started
    timings[label + "_mb"] = len(data) / 2**20


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
            _time_output(timings, label, lambda: self.store.dump(fmt))
        union = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
        for label, fmt, extra in (("turtle", ox.RdfFormat.TURTLE, {"prefixes": prefixes}),
                                  ("ntriples", ox.RdfFormat.N_TRIPLES, {})):
            _time_output(timings, label, lambda: ox.serialize(self.store.query(union), format=fmt, **extra))
        return timings


class NikkanDisk(NikkanMemory):
    """The project's persistent store: ``load_persistent`` (bulk load, flush, optimise, swap), then ``open_store``."""

    name = "nikkan-disk"

    def settings(self):
        from nikkan.settings import Settings

        return Settings(out_dir=self.dataset_dir, store="oxigraph", store_path=self.scratch / "nikkan-oxigraph")

    def load(self) -> None:
        from nikkan.store import open_store
        from nikkan.store.persistent import load_persistent

        settings = self.settings()
        load_persistent(settings)
        self.store = open_store(settings)


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
    preload = ("rdflib",)
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
            _time_output(timings, label, lambda: self.dataset.serialize(format=fmt, encoding="utf-8"))
        return timings


class OxRdflib(Rdflib):
    """rdflib's API over Oxigraph (oxrdflib), parsing with pyoxigraph (``ox-nquads``)."""

    name = "oxrdflib"
    preload = ("rdflib", "oxrdflib")
    parse_format = "ox-nquads"
    store_name = "Oxigraph"


class Remote(NikkanMemory):
    """A SPARQL 1.1 server through :class:`nikkan.store.remote.RemoteStore` (the graphs of the dataset are replaced)."""

    name = "remote"

    def __init__(self, spec: dict):
        super().__init__(spec)
        self.url = spec["remote_url"]

    def load(self) -> None:
        from nikkan.settings import Settings
        from nikkan.store.loading import load_dataset
        from nikkan.store.remote import RemoteStore

        settings = Settings(out_dir=self.dataset_dir, store="remote", store_url=self.url)
        self.store = RemoteStore.from_settings(settings)
        load_dataset(self.store, self.dataset_file)


BACKEND_CLASSES = {cls.name: cls for cls in (RawPyoxigraph, RawPyoxigraphDisk, NikkanMemory, NikkanDisk, OxRdflib, Rdflib, Remote)}


# ----------------------------------------------------------------------------- the child


def child_backend(spec: dict) -> None:
    """Load one backend, run every catalogue query, serialise; one JSON line per result."""
    from nikkan.query.params import bind

    Path(spec["scratch"]).mkdir(parents=True, exist_ok=True)
    statements = spec["statements"]
    cls = BACKEND_CLASSES[spec["backend"]]
    for module in ("pyoxigraph", "nikkan.store", *cls.preload):
        importlib.import_module(module)

    base_rss = vm_rss_mb()
    resettable = reset_hwm()
    backend = cls(spec)
    started = time.perf_counter()
    backend.load()
    seconds = time.perf_counter() - started
    emit({"kind": "load", "seconds": seconds, "statements": statements, "per_second": statements / seconds,
          "rss_base_mb": base_rss, "rss_peak_mb": vm_hwm_mb(), "rss_after_mb": vm_rss_mb(), "hwm_reset": resettable})

    reset_hwm()
    base = spec["base_iri"]
    skip = spec.get("skip", {})
    total_budget = spec.get("total_budget")
    entries = catalogue_with_parameters(backend.dataset_dir)
    phase_started = time.perf_counter()
    for entry, values in entries:
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
        emit({**record, **time_query(backend, entry.sparql, bindings, spec)})
    emit({"kind": "query-memory", "rss_peak_mb": vm_hwm_mb()})
    if spec.get("serialise"):
        try:
            timings = backend.serialise()
        except Exception as error:  # noqa: BLE001
            timings = {"error": f"{type(error).__name__}: {error}"[:300]}
        if timings:
            emit({"kind": "serialise", **timings})
    if spec.get("catalogue_overhead"):
        # run_catalogue_query (the Python API) re-reads the catalogue on every call: measure that share.
        from nikkan.query import run_catalogue_query

        entry, values = next((e, v) for e, v in entries if e.name == "evidence")
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


def time_query(backend: Backend, sparql: str, bindings: dict, spec: dict) -> dict:
    """Rows and a digest of the answers, then p50/p95 of up to ``reps`` runs within ``query_budget`` seconds."""
    budget, timeout, reps = spec["query_budget"], spec["query_timeout"], spec["reps"]
    record: dict = {}
    try:
        first_started = time.perf_counter()
        variables, rows = call_with_timeout(lambda: backend.select(sparql, bindings), timeout)
        first = time.perf_counter() - first_started
        normalised = normalise_rows(variables, rows, sparql)
        record.update(rows=len(rows), distinct_rows=len(normalised), digest=digest(normalised))
        samples = []
        if first >= budget or reps <= 1:
            samples = [first]  # slow, or one run asked for: the first run is the sample
        else:
            spent = first  # the first run warmed up; it is not a sample
            while len(samples) < reps and spent < budget:
                t0 = time.perf_counter()
                call_with_timeout(lambda: backend.select(sparql, bindings), timeout)
                samples.append(time.perf_counter() - t0)
                spent += samples[-1]
            samples = samples or [first]
        record.update(first=first, samples=samples, p50=percentile(samples, 0.5), p95=percentile(samples, 0.95))
    except Timeout:
        record.update(error=f"timeout after {timeout:g} s")
    except Exception as error:  # noqa: BLE001 - reported, the run goes on
        record.update(error=f"{type(error).__name__}: {error}"[:300])
    return record


# ----------------------------------------------------------------------------- the parent


def measure_backend(spec: dict) -> list[dict]:
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
        lines, reason = run_child("backend", command_spec, spec["deadline"] - (time.perf_counter() - started), inactivity=hard)
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
