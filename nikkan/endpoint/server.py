"""``nikkan serve``: run the read-only SPARQL endpoint with uvicorn.

The main CLI wires it as ``add_arguments(subparser)`` + ``run(args, settings)``;
``python -m nikkan.endpoint`` runs :func:`main` on its own.
"""

from __future__ import annotations

import argparse
import logging
import sys

from ..settings import STORE_KINDS, Settings
from ..store import StoreError
from .limits import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, default_workers

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def _positive_float(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 (no limit) or more")
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 (no limit) or more")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``serve`` options (the settings -- store, paths, base IRI -- come from the caller)."""
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help=f"address to listen on (default {DEFAULT_HOST}; 0.0.0.0 for every interface)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    parser.add_argument("--timeout", type=_positive_float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"stop a query after this long, answering 503 (default {DEFAULT_TIMEOUT:g}; 0: no limit)")
    parser.add_argument("--max-rows", type=_non_negative_int, default=DEFAULT_MAX_ROWS, metavar="N",
                        help=f"cut results off after N rows/triples, flagged by the header X-Nikkan-Truncated "
                             f"(default {DEFAULT_MAX_ROWS}; 0: no cap)")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help=f"query worker processes, each holding the dataset (default {default_workers()} here)")
    parser.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"),
                        help="uvicorn's log level (default info)")


def serve(
    settings: Settings,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    workers: int | None = None,
    log_level: str = "info",
) -> None:
    """Serve until interrupted (Ctrl-C)."""
    import uvicorn

    from .app import create_app  # the web stack: only when serving

    app = create_app(settings, timeout=timeout or None, max_rows=max_rows, workers=workers)
    uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=False)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if settings.store == "memory" and not settings.dataset_file.exists():
        print(f"error: {settings.dataset_file} does not exist: build the dataset first "
              "(or choose another store)", file=sys.stderr)
        return 2
    print(f"nikkan SPARQL endpoint on http://{args.host}:{args.port}/sparql "
          f"(editor: http://{args.host}:{args.port}/), store: {settings.store}", file=sys.stderr)
    from .worker import WorkerError

    try:
        serve(settings, args.host, args.port, args.timeout, args.max_rows, args.workers, args.log_level)
    except (StoreError, WorkerError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m nikkan.endpoint",
        description="Serve the dataset through a read-only SPARQL 1.1 Protocol endpoint.",
    )
    parser.add_argument("--store", choices=STORE_KINDS, default=None,
                        help="which store holds the dataset (default: NIKKAN_STORE or memory)")
    parser.add_argument("--store-path", default=None, help="persistent Oxigraph store folder")
    parser.add_argument("--out-dir", default=None, help="folder holding dataset.nq (default graph/)")
    parser.add_argument("--queries-dir", default=None, help="query catalogue folder (default queries/)")
    parser.add_argument("--base-iri", default=None, help="base IRI of the dataset (relative IRIs in queries)")
    add_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=getattr(logging, args.log_level.upper()))
    try:
        settings = Settings.from_env(store=args.store, store_path=args.store_path, out_dir=args.out_dir,
                                     queries_dir=args.queries_dir, base_iri=args.base_iri)
    except ValueError as error:
        parser.error(str(error))
    return run(args, settings)
