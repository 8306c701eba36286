"""Shared helpers for the endpoint tests: a dataset on disk and a real uvicorn server.

Each test module builds a dataset (``dataset.nq`` in a temporary ``graph/``
folder, so every worker process loads it through ``open_store`` as
``nikkan serve`` does) and starts one server for the module with
:func:`running_server`, on a loopback port the OS picks.
"""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox
import uvicorn

from nikkan.endpoint import create_app
from nikkan.settings import Settings

EX = "http://example.org/"
#: How long a server may take to start (workers load the dataset).
START_DEADLINE = 60.0


def write_dataset(folder: Path, graphs: dict[str, str | bytes | Path]) -> Settings:
    """A ``graph/dataset.nq`` made of N-Triples (text, bytes or a file) per named graph.

    Returns settings whose ``out_dir`` holds it and whose ``queries_dir`` is an
    empty ``queries/`` beside it (tests add ``.rq`` files there as needed).
    """
    out_dir = folder / "graph"
    queries_dir = folder / "queries"
    out_dir.mkdir(parents=True, exist_ok=True)
    queries_dir.mkdir(parents=True, exist_ok=True)
    quads = []
    for graph, source in graphs.items():
        if isinstance(source, Path):
            source = source.read_bytes()
        if isinstance(source, str):
            source = source.encode("utf-8")
        name = ox.NamedNode(graph)
        quads += [ox.Quad(t.subject, t.predicate, t.object, name) for t in ox.parse(source, format=ox.RdfFormat.N_TRIPLES)]
    ox.serialize(quads, output=str(out_dir / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    return Settings(out_dir=out_dir, queries_dir=queries_dir)


@dataclass
class LiveServer:
    url: str  # e.g. http://127.0.0.1:43210
    app: object

    @property
    def endpoint(self) -> str:
        return self.url + "/sparql"


@contextmanager
def running_server(settings: Settings, **app_options) -> Iterator[LiveServer]:
    """A real uvicorn server for ``create_app(settings, **app_options)`` in a thread.

    Waits until startup has finished (the workers hold the dataset), without
    fixed sleeps: it polls uvicorn's ``started`` flag up to a deadline.
    """
    app = create_app(settings, **app_options)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="on", timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    errors: list[BaseException] = []

    def serve() -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    thread = threading.Thread(target=serve, name="endpoint-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_DEADLINE
    while not server.started:
        if errors or not thread.is_alive():
            raise RuntimeError(f"the endpoint did not start: {errors or 'server thread exited'}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the endpoint did not start within {START_DEADLINE} s")
        time.sleep(0.02)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", app)
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


def wait_for(condition, timeout: float = 30.0, interval: float = 0.05) -> bool:
    """Poll ``condition()`` until true or ``timeout``; returns the last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)
