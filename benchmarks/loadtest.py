"""The endpoint under load: the servers (``nikkan.endpoint``, rdflib-endpoint on the same data) and the HTTP load test."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from children import ROOT, RUN_SCRIPT
from datasets import catalogue_with_parameters
from measure import percentile

LOAD_TEST_CLIENTS = 16
#: Queries of the endpoint load test: selective catalogue questions, plus a plain ASK.
LOAD_TEST_QUERIES = ("evidence", "office-holder-on-date", "implications-of-recommendation", "events-in-window",
                     "propositions-on-issue", "neighbourhood")


def query_mix(dataset_dir: Path) -> list[tuple[str, str]]:
    """(name, SPARQL with its parameters as VALUES) of the load test, in catalogue order, then the ASK."""
    from nikkan.query.params import bind
    from nikkan.settings import DEFAULT_BASE_IRI
    from nikkan.sparqltext import with_values

    queries = [(entry.name, with_values(entry.sparql, bind(entry, values, DEFAULT_BASE_IRI)) if values else entry.sparql)
               for entry, values in catalogue_with_parameters(dataset_dir) if entry.name in LOAD_TEST_QUERIES]
    queries.append(("ask-summit", "ASK { ?e a <https://w3id.org/nikkan/ontology#Summit> }"))
    return queries


def start_nikkan_endpoint(dataset_dir: Path, workers: int | None = None):
    port = free_port()
    command = [sys.executable, "-m", "nikkan.endpoint", "--out-dir", str(dataset_dir), "--host", "127.0.0.1",
               "--port", str(port), "--timeout", "30", "--max-rows", "10000", "--log-level", "warning"]
    if workers:
        command += ["--workers", str(workers)]
    return start_server(command, port)


def start_rdflib_endpoint(dataset_dir: Path):
    try:
        import rdflib_endpoint  # noqa: F401
    except ImportError as error:
        raise RuntimeError(f"rdflib-endpoint is not installed ({error}); pip install rdflib-endpoint==0.6.3") from None
    port = free_port()
    command = [sys.executable, str(RUN_SCRIPT), "--serve-rdflib-endpoint", str(dataset_dir), "--port", str(port)]
    return start_server(command, port)


def serve_rdflib_endpoint(dataset_dir: Path, port: int) -> None:
    """The rdflib-endpoint server (``run.py --serve-rdflib-endpoint FOLDER --port PORT``)."""
    import rdflib
    import uvicorn
    from rdflib_endpoint import SparqlEndpoint

    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(str(dataset_dir / "dataset.nq"), format="nquads")
    app = SparqlEndpoint(graph=dataset, path="/sparql", title="nikkan benchmark (rdflib-endpoint)", cors_enabled=False)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(command: list[str], port: int, deadline: float = 900.0):
    """Start a SPARQL server; (process, query URL, seconds until it answered an ASK)."""
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
