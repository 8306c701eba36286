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
``--quick`` is the smoke run: the smallest size, one repetition, short load test, no
end-to-end build runs.  Not part of the test suite's timing; ``tests/test_benchmark_smoke.py``
runs ``--quick`` once without asserting on times.

Layout of ``benchmarks/`` (run as a script, so its modules import one another by plain name):

* ``run.py``: the command line and the order of the run (:class:`Run`); children re-invoke it
  with a hidden ``--child-backend``/``--child-network``/``--child-build`` flag;
* ``children.py``: a child's JSON lines out, and the parent running a child, with its deadlines;
* ``measure.py``: percentiles, peak memory (VmHWM), timeouts, the machine;
* ``datasets.py``: the synthetic corpora (cached) and the catalogue queries' parameters for them;
* ``backends.py``: the stores compared, and measuring one (load, queries, serialisation);
* ``answer_digests.py``: answers of pyoxigraph and rdflib made comparable;
* ``network_views.py``: networkx conversion, centrality, communities, pyvis pages;
* ``seed_build.py``: the build of the seed document, in-process by phase and end to end;
* ``loadtest.py``: the SPARQL servers and the HTTP load test;
* ``report.py``: the targets and ``latest.md``.

``same_process.py`` is a separate check: the project's store against raw pyoxigraph on one store,
timed alternately in one process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import backends  # noqa: E402 - after the project is on sys.path
import datasets  # noqa: E402
import loadtest  # noqa: E402
import network_views  # noqa: E402
import report  # noqa: E402
import seed_build  # noqa: E402
from children import run_child  # noqa: E402
from measure import machine  # noqa: E402

RESULTS_DIR = ROOT / "benchmarks" / "results"


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

    def dataset(self, label: str, target: int) -> Path:
        return datasets.cached_dataset(self.args.data_dir, label, target, self.args.seed, self.log)

    def child(self, mode: str, spec: dict, deadline: float) -> list[dict]:
        """Run a child mode; its records; killed at the deadline (partial results kept)."""
        records, reason = run_child(mode, spec, deadline)
        if reason:
            records.append({"kind": "killed", "after_s": deadline})
        return records

    # ------------------------------------------------------------------ backends

    def measure_backends(self, label: str, target: int, folder: Path) -> None:
        from nikkan.settings import DEFAULT_BASE_IRI
        from nikkan.synthetic import load_description

        base_iri = load_description(folder).get("base_iri", DEFAULT_BASE_IRI)
        size = self.results["sizes"].setdefault(label, {})
        size["dataset"] = datasets.summary(folder, target)
        names = [*backends.BACKENDS, "remote"] if self.args.remote_url else backends.BACKENDS
        size["backends"] = {}
        for backend in names:
            if backend in self.args.skip_backends:
                continue
            spec = {**self.backend_spec(backend, size["dataset"]["statements"], folder), "base_iri": base_iri}
            self.log(f"{label}: {backend}")
            spec["skip"] = self.skips(label, backend)
            with tempfile.TemporaryDirectory(prefix=f"bench-{backend}-", dir=self.args.scratch) as scratch:
                spec["scratch"] = scratch
                summary = backends.summarise_backend(backends.measure_backend(spec))
            size["backends"][backend] = summary
            for name, query in summary["queries"].items():
                if "timeout" in query.get("error", ""):
                    self.timed_out.setdefault((label, backend), {})[name] = query["error"]
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

    def backend_spec(self, backend: str, statements: int, folder: Path) -> dict:
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

    # ------------------------------------------------------------------ network views, the build

    def network(self, label: str, folder: Path) -> None:
        self.log(f"{label}: network")
        records = self.child("network", network_views.network_spec(folder, self.args.quick), deadline=1200)
        size = self.results["sizes"][label]
        size["network"] = next((r for r in records if r.get("kind") == "network"), None)
        size["pages"] = [r for r in records if r.get("kind") == "page"]
        for record in records:
            if record.get("kind") in ("killed", "crashed"):
                self.note(f"{label} network: {record}")

    def build(self) -> None:
        self.log("build of the seed document")
        with tempfile.TemporaryDirectory(prefix="bench-build-", dir=self.args.scratch) as scratch:
            records = self.child("build", {"scratch": scratch, "runs": 1 if self.args.quick else 3}, deadline=600)
            self.results["build"]["in_process"] = [r for r in records if r.get("kind") == "build"]
            self.results["build"]["end_to_end"] = {} if self.args.quick else seed_build.end_to_end(Path(scratch), self.note)
            for record in records:
                if record.get("kind") in ("killed", "crashed"):
                    self.note(f"build: {record}")

    # ------------------------------------------------------------------ the endpoint under load

    def endpoint(self, label: str, folder: Path) -> None:
        queries = loadtest.query_mix(folder)
        duration = self.args.load_duration or (2.0 if self.args.quick else 12.0)
        max_requests = 64 if self.args.quick else 20000
        results = self.results["endpoint"].setdefault(label, {})
        servers = [("nikkan", lambda: loadtest.start_nikkan_endpoint(folder, self.args.endpoint_workers))]
        if not self.args.skip_rdflib_endpoint:
            servers.append(("rdflib-endpoint", lambda: loadtest.start_rdflib_endpoint(folder)))
        for name, start in servers:
            self.log(f"{label}: endpoint load test against {name} ({duration:g} s, {loadtest.LOAD_TEST_CLIENTS} clients)")
            try:
                process, url, startup = start()
            except Exception as error:  # noqa: BLE001
                results[name] = {"error": f"did not start: {error}"}
                self.note(f"{label} {name}: did not start: {error}")
                continue
            try:
                outcome = loadtest.load_test(url, queries, loadtest.LOAD_TEST_CLIENTS, duration, max_requests,
                                             client_timeout=60.0 if not self.args.quick else 5.0)
                outcome["startup_s"] = startup
                results[name] = outcome
                self.log(f"    {outcome['ok']} ok, {outcome['errors']} errors, {outcome['requests_per_s']:.1f} req/s")
            finally:
                # rdflib-endpoint would finish its queued queries first: no point waiting for them.
                loadtest.stop(process, grace=2.0 if name == "rdflib-endpoint" else 15.0)

    def finish(self) -> tuple[Path, Path]:
        self.results["seconds"] = time.perf_counter() - self.started
        return report.write_results(self.results, Path(self.args.out))


# =============================================================================== entry point


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="benchmarks/run.py", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=None, help=f"comma-separated sizes (default {datasets.DEFAULT_SIZES}; --quick: 10k); 10m only when named")
    parser.add_argument("--quick", action="store_true", help="smoke run: smallest size, 1 repetition, short load test, no end-to-end builds")
    parser.add_argument("--remote-url", help="also benchmark a SPARQL 1.1 server through nikkan.store.remote (its dataset graphs are REPLACED)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reps", type=int, default=None, help="repetitions per query (default 10, 5 at 1M; fewer on disk and for rdflib)")
    parser.add_argument("--rdflib-timeout", type=float, default=None, help="seconds before an rdflib query is abandoned (default 30, 15 from 100k)")
    parser.add_argument("--data-dir", type=Path, default=datasets.DEFAULT_DATA_DIR, help=f"cache of generated datasets (default {datasets.DEFAULT_DATA_DIR})")
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
    parser.add_argument("--report-only", action="store_true", help="rewrite latest.md (and the targets) from latest.json without measuring")
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
        backends.child_backend(json.loads(args.child_backend))
        return 0
    if args.child_network:
        network_views.child_network(json.loads(args.child_network))
        return 0
    if args.child_build:
        seed_build.child_build(json.loads(args.child_build))
        return 0
    if args.serve_rdflib_endpoint:
        loadtest.serve_rdflib_endpoint(args.serve_rdflib_endpoint, args.port)
        return 0
    if args.report_only:
        # Recompute the targets and the Markdown report from an existing latest.json (no measuring).
        report.write_results(json.loads((Path(args.out) / "latest.json").read_text(encoding="utf-8")), Path(args.out))
        return 0

    from nikkan.synthetic import parse_size, size_label

    if args.sizes is None:
        args.sizes = "10k" if args.quick else datasets.DEFAULT_SIZES
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
            run.measure_backends(label, target, folders[label])
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
        print(f"{'met   ' if target['met'] else 'MISSED'} {target['target']}: {report.measured(target)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
