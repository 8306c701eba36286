#!/usr/bin/env python3
"""The project's store against raw pyoxigraph on one store, in one process, timed alternately.

    .venv/bin/python benchmarks/same_process.py DATASET_DIR [--reps 5] [--skip actors,...]

``benchmarks/run.py`` times each backend in a process of its own (for clean peak-memory
figures); on a shared machine that alone moves a query's time by tens of percent.  Here
one in-memory store holds a corpus of ``run.py`` (``~/.cache/nikkan-benchmarks/<size>-…``),
and every catalogue query runs alternately through ``OxigraphStore.query`` (parameters
written as a ``VALUES`` row) and straight through the ``pyoxigraph.Store`` beneath it with
the same text, so only the project's own overhead differs.  Prints p50 of each, in ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from datasets import catalogue_with_parameters  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset_dir", type=Path)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--skip", default="", help="comma-separated catalogue queries to leave out (slow ones)")
    args = parser.parse_args(argv)

    from nikkan.query.params import bind
    from nikkan.settings import Settings
    from nikkan.sparqltext import with_values
    from nikkan.store import open_store

    settings = Settings(out_dir=args.dataset_dir)
    store = open_store(settings)
    engine = store._store  # the pyoxigraph.Store the project's store wraps
    skip = set(filter(None, args.skip.split(",")))
    print(f"{'query':36s} {'raw (ms)':>10s} {'ours (ms)':>10s} {'ratio':>6s}")
    for entry, values in catalogue_with_parameters(args.dataset_dir):
        if entry.name in skip:
            continue
        bindings = bind(entry, values, settings.base_iri) if values else {}
        text = with_values(entry.sparql, bindings) if bindings else entry.sparql
        raw, ours = [], []
        for _ in range(args.reps):
            started = time.perf_counter()
            list(engine.query(text, use_default_graph_as_union=True))
            raw.append(time.perf_counter() - started)
            started = time.perf_counter()
            list(store.query(entry.sparql, bindings or None))
            ours.append(time.perf_counter() - started)
        a, b = statistics.median(raw) * 1000, statistics.median(ours) * 1000
        print(f"{entry.name:36s} {a:10.2f} {b:10.2f} {b / a:5.2f}×", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
