"""Query evaluation in worker processes, with a time limit and a cap on results.

pyoxigraph cannot interrupt a query, so each query runs in one of a few
worker processes (``multiprocessing``, ``spawn``), each holding its own store
opened by ``store_factory`` (by default :func:`nikkan.store.open_store`; for
the in-memory store every worker loads the built dataset itself).  A worker
serves one query at a time: it evaluates it, serialises the results in the
negotiated format and sends the bytes back.  When a query overruns the time
limit the worker is killed (``SIGKILL``) and a fresh one started in the
background; the other workers keep answering.  Requests wait for a free worker
(up to ``queue_timeout``), so any number of concurrent clients share the pool.
"""

from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
import signal
import time
import traceback
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Callable

import anyio.to_thread
import pyoxigraph as ox

from ..store.base import StoreError
from .protocol import ox_rdf_format, ox_results_format

log = logging.getLogger(__name__)

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_DIR_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"


class WorkerError(Exception):
    """A worker could not start (the store would not open, the process died...)."""


@dataclass(frozen=True)
class QueryJob:
    """One query to run, with the dataset, the formats the client accepts and the cap.

    ``formats`` maps a result kind (``solutions``, ``boolean``, ``graph``) to the
    negotiated media type; a kind missing from it is not acceptable (406).
    ``max_rows`` caps solutions (SELECT) and triples (CONSTRUCT/DESCRIBE); 0 means
    no cap.
    """

    sparql: str
    default_graph: list[str] | None = None
    named_graphs: list[str] | None = None
    union_default_graph: bool = True
    formats: dict[str, str] = field(default_factory=dict)
    max_rows: int = 0
    prefixes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class GraphsJob:
    """List the store's named graphs (for the service description)."""


@dataclass(frozen=True)
class Outcome:
    """What a job gave: ``status`` is ``ok``, ``syntax``, ``not_acceptable``,
    ``error``, ``timeout`` or ``busy``."""

    status: str
    media_type: str | None = None
    body: bytes = b""
    kind: str | None = None
    truncated: bool = False
    count: int | None = None
    message: str = ""
    value: Any = None


# --------------------------------------------------------------------------
# Inside a worker


def _term_json(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        data = {"type": "literal", "value": term.value}
        if term.language:
            data["xml:lang"] = term.language
            if getattr(term, "direction", None) is not None:
                data["its:dir"] = str(term.direction)
        elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING, RDF_DIR_LANG_STRING):
            data["datatype"] = term.datatype.value
        return data
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _term_json(term.subject),
                "predicate": _term_json(term.predicate),
                "object": _term_json(term.object),
            },
        }
    raise TypeError(f"unexpected term {term!r}")


def serialize_solutions(variables: list[str], rows: list, media_type: str) -> bytes:
    """Serialise (possibly truncated) solutions: SPARQL JSON, then pyoxigraph's serialiser."""
    bindings = []
    for row in rows:
        binding = {}
        for name in variables:
            term = row[name]
            if term is not None:
                binding[name] = _term_json(term)
        bindings.append(binding)
    document = json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False)
    parsed = ox.parse_query_results(document.encode("utf-8"), format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=ox_results_format(media_type))


def execute(store, job: QueryJob | GraphsJob) -> Outcome:
    """Run one job against ``store`` and serialise the results (runs in a worker)."""
    if isinstance(job, GraphsJob):
        return Outcome("ok", value=store.named_graphs())
    try:
        result = store.query(
            job.sparql,
            default_graph=job.default_graph,
            named_graphs=job.named_graphs,
            union_default_graph=job.union_default_graph,
        )
    except SyntaxError as error:
        return Outcome("syntax", message=str(error))
    except StoreError as error:  # a remote store that is down or failed
        return Outcome("upstream", message=str(error))
    if isinstance(result, ox.QueryBoolean):
        kind = "boolean"
    elif isinstance(result, ox.QuerySolutions):
        kind = "solutions"
    else:
        kind = "graph"
    media_type = job.formats.get(kind)
    if media_type is None:
        return Outcome("not_acceptable", kind=kind)
    if kind == "boolean":
        return Outcome("ok", media_type, result.serialize(format=ox_results_format(media_type)), kind)
    cap = job.max_rows if job.max_rows > 0 else None
    items = list(islice(result, cap + 1)) if cap else list(result)
    truncated = cap is not None and len(items) > cap
    if truncated:
        items = items[:cap]
    if kind == "solutions":
        body = serialize_solutions([v.value for v in result.variables], items, media_type)
    else:
        rdf_format = ox_rdf_format(media_type)
        prefixes = job.prefixes if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
        try:
            body = ox.serialize(items, format=rdf_format, prefixes=prefixes or None)
        except ValueError:  # a prefix the serialiser will not take: plain IRIs then
            body = ox.serialize(items, format=rdf_format)
    return Outcome("ok", media_type, body, kind, truncated=truncated, count=len(items))


def _serve(conn, store_factory: Callable[[], Any]) -> None:
    """A worker process: open the store, then answer jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its workers itself
    try:
        store = store_factory()
    except BaseException as error:  # noqa: BLE001 - reported to the parent
        conn.send(("failed", f"{type(error).__name__}: {error}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            outcome = execute(store, job)
        except Exception as error:  # noqa: BLE001 - evaluation errors go back to the client
            log.debug("query failed: %s", traceback.format_exc())
            outcome = Outcome("error", message=f"{type(error).__name__}: {error}")
        try:
            conn.send(outcome)
        except (EOFError, OSError):
            return


# --------------------------------------------------------------------------
# In the server


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, context, store_factory, start_timeout: float):
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(child, store_factory), name="nikkan-query-worker", daemon=True
        )
        self.process.start()
        child.close()
        try:
            if not self.conn.poll(start_timeout):
                raise WorkerError(f"a query worker did not open the store within {start_timeout:g} s")
            status, message = self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise WorkerError(
                f"a query worker exited while opening the store (exit code {self.process.exitcode})"
            ) from None
        except WorkerError:
            self.kill()
            raise
        if status != "ready":
            self.kill()
            raise WorkerError(f"a query worker could not open the store: {message}")

    @property
    def alive(self) -> bool:
        return self.process.is_alive()

    def call(self, job, timeout: float | None) -> Outcome:
        """Send a job and wait for its outcome; kill the process if it overruns."""
        started = time.monotonic()
        try:
            self.conn.send(job)
            if not self.conn.poll(timeout):
                self.kill()
                return Outcome("timeout", message=f"stopped after {time.monotonic() - started:.1f} s")
            return self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            return Outcome("error", message=f"the query worker died (exit code {self.process.exitcode})")

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(1)
        self.kill()


class WorkerPool:
    """``size`` worker processes; :meth:`run` hands a job to a free one.

    ``timeout`` bounds a job's run (evaluation and serialisation), ``queue_timeout``
    the wait for a free worker.  Both give an :class:`Outcome` with status
    ``timeout`` / ``busy`` rather than an exception.
    """

    def __init__(
        self,
        store_factory: Callable[[], Any],
        size: int = 2,
        timeout: float | None = 30.0,
        queue_timeout: float | None = None,
        start_timeout: float = 600.0,
    ):
        if size < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.store_factory = store_factory
        self.size = size
        self.timeout = timeout
        self.queue_timeout = queue_timeout if queue_timeout is not None else (2 * timeout if timeout else None)
        self.start_timeout = start_timeout
        self._context = multiprocessing.get_context("spawn")
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: set[_Worker] = set()
        self._tasks: set[asyncio.Task] = set()
        self._closed = False
        self.restarts = 0

    @property
    def idle(self) -> int:
        """How many workers are waiting for a job."""
        return self._idle.qsize() if self._idle is not None else 0

    def _spawn(self) -> _Worker:
        worker = _Worker(self._context, self.store_factory, self.start_timeout)
        if self._closed:  # closed while this one was starting
            worker.stop()
            raise WorkerError("the worker pool is closed")
        self._all.add(worker)
        return worker

    async def start(self) -> None:
        """Start every worker (in parallel); raise :class:`WorkerError` if one cannot open the store."""
        self._idle = asyncio.Queue()
        results = await asyncio.gather(
            *(anyio.to_thread.run_sync(self._spawn) for _ in range(self.size)), return_exceptions=True
        )
        errors = [r for r in results if isinstance(r, BaseException)]
        if errors:
            await self.close()
            raise errors[0]
        for worker in results:
            self._idle.put_nowait(worker)

    async def run(self, job: QueryJob | GraphsJob) -> Outcome:
        if self._idle is None or self._closed:
            raise WorkerError("the worker pool is not running")
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.queue_timeout)
        except asyncio.TimeoutError:
            return Outcome("busy", message=f"no query worker became free within {self.queue_timeout:g} s")
        try:
            outcome = await anyio.to_thread.run_sync(worker.call, job, self.timeout)
        finally:
            if worker.alive and not self._closed:
                self._idle.put_nowait(worker)
            else:
                self._all.discard(worker)
                if not self._closed:
                    task = asyncio.create_task(self._replace())
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)
        return outcome

    async def _replace(self) -> None:
        delay = 1.0
        while not self._closed:
            try:
                worker = await anyio.to_thread.run_sync(self._spawn)
            except WorkerError as error:
                log.error("cannot restart a query worker (retrying in %g s): %s", delay, error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)
                continue
            self.restarts += 1
            if self._closed:
                worker.stop()
            else:
                self._idle.put_nowait(worker)
            return

    async def close(self) -> None:
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        workers, self._all = list(self._all), set()
        await anyio.to_thread.run_sync(lambda: [w.stop() for w in workers])
